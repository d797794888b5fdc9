import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/observability/logger.js';
import { createUpstreamClient } from '../../../src/shared/upstream-client.js';

/** The gateway's logger at debug, into memory: every line parsed. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger(
    { logLevel: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // 200 for /ok, 500 for anything else.
  server = createServer((req, res) => {
    res.writeHead(req.url === '/ok' ? 200 : 500, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the upstream client's lines and the request they are made for", () => {
  function client(logger: ReturnType<typeof capture>['logger']) {
    return createUpstreamClient(
      { name: 'kaleyra', baseUrl, timeoutMs: 2000, logger: logger.child({ component: 'kaleyra' }) },
      () => ({ kind: 'unavailable', level: 'warn' }),
    );
  }
  const spec = (path: string) => ({
    operation: 'getRoom',
    method: 'GET' as const,
    path,
    retry: { limit: 0 },
    interpret: (response: { statusCode: number }) =>
      response.statusCode === 200 ? { value: 'ok' } : { error: new Error(`status ${response.statusCode}`) },
    failed: () => new Error('no answer'),
  });

  it("writes a call made for a request through the request's logger: its reqId, the client's component", async () => {
    const { logger, lines } = capture();
    const upstream = client(logger);
    const requestLogger = logger.child({ reqId: 'req-41' });
    await upstream.call({ ...spec('ok'), logger: requestLogger });
    await expect(upstream.call({ ...spec('fails'), logger: requestLogger })).rejects.toThrow('status 500');
    expect(lines().map((line) => [line.msg, line.reqId, line.component])).toStrictEqual([
      ['kaleyra call', 'req-41', 'kaleyra'],
      ['kaleyra call failed', 'req-41', 'kaleyra'],
    ]);
  });

  it("writes a call made for no request (a job) through the client's own logger, without a reqId", async () => {
    const { logger, lines } = capture();
    await client(logger).call(spec('ok'));
    expect(lines().map((line) => [line.msg, line.reqId, line.component])).toStrictEqual([
      ['kaleyra call', undefined, 'kaleyra'],
    ]);
  });

  it("never takes another request's id: two calls in flight at once keep their own", async () => {
    const { logger, lines } = capture();
    const upstream = client(logger);
    await Promise.all([
      upstream.call({ ...spec('ok'), logger: logger.child({ reqId: 'req-a' }) }),
      upstream.call({ ...spec('ok'), logger: logger.child({ reqId: 'req-b' }) }),
      upstream.call(spec('ok')),
    ]);
    expect(
      lines()
        .map((line) => line.reqId)
        .sort(),
    ).toStrictEqual(['req-a', 'req-b', undefined]);
  });
});
