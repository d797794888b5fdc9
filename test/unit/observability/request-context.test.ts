import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/observability/logger.js';
import { enterRequest, type RequestContext } from '../../../src/observability/request-context.js';

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
  return {
    logger,
    raw: lines,
    lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the request scope of log lines', () => {
  it("puts the open request's id on lines of a process-wide logger, even after an await", async () => {
    const { logger, lines } = capture();
    const upstream = logger.child({ component: 'kaleyra' });
    await new Promise<void>((resolve) =>
      enterRequest('req-7', () => {
        upstream.debug('kaleyra call');
        void Promise.resolve().then(() => {
          upstream.debug('kaleyra call after an await');
          resolve();
        });
      }),
    );
    upstream.debug('no request');
    expect(lines().map((line) => [line.msg, line.reqId])).toStrictEqual([
      ['kaleyra call', 'req-7'],
      ['kaleyra call after an await', 'req-7'],
      ['no request', undefined],
    ]);
  });

  it("writes a request logger's own reqId once, not twice", () => {
    const { logger, raw } = capture();
    enterRequest('req-8', () => logger.child({ reqId: 'req-8' }).info('request completed'));
    expect(raw[0]?.match(/"reqId"/g)).toHaveLength(1);
  });

  it('stops once the request is closed: work a request set going belongs to no request afterwards', async () => {
    const { logger, lines } = capture();
    let context: RequestContext | undefined;
    let later: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      later = resolve;
    });
    let logged: Promise<void> = Promise.resolve();
    enterRequest('req-9', (entered) => {
      context = entered;
      logged = gate.then(() => logger.info('wake-up set by the request'));
    });
    context?.close();
    later();
    await logged;
    expect(lines()[0]).not.toHaveProperty('reqId');
  });
});
