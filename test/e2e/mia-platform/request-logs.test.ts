/**
 * Request logs in Mia-Platform's `mia-json` shape: Mia's log parser groups a request's lines by
 * `reqId`, and every line validates against lc39's own log schema (test/fixtures/mia-platform/).
 */
import { CreateTeleconsultationDocument, ServiceConfigDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import {
  type LogLine,
  lc39LogLineValidator,
  miaLogProblems,
  parseLogLines,
} from '../../support/mia-platform.js';

const linesOf = (gateway: TestGateway, reqId: string): LogLine[] =>
  parseLogLines(gateway.logs()).filter((line) => line.reqId === reqId);

describe('request logs (mia-json)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => gateway?.close());

  it('logs a GraphQL request as incoming at trace and completed at info, with its operation and outcome', async () => {
    await gateway.ok(ServiceConfigDocument, undefined, {
      headers: {
        'x-request-id': 'mia-gql-1',
        'user-agent': 'telecons-fe/2.1',
        'x-forwarded-host': 'clinic.example',
      },
    });
    const [incoming, completed, ...others] = linesOf(gateway, 'mia-gql-1');
    expect(others).toEqual([]);
    expect(incoming).toMatchObject({
      level: 10,
      msg: 'incoming request',
      reqId: 'mia-gql-1',
      http: { request: { method: 'POST', userAgent: { original: 'telecons-fe/2.1' } } },
      url: { path: '/graphql', params: {} },
      host: { hostname: '127.0.0.1', forwardedHost: 'clinic.example', ip: '127.0.0.1' },
    });
    expect(completed).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 'mia-gql-1',
      operationName: 'ServiceConfig',
      outcome: 'ok',
      http: {
        request: { method: 'POST', userAgent: { original: 'telecons-fe/2.1' } },
        response: { statusCode: 200, body: { bytes: expect.any(Number) } },
      },
      url: { path: '/graphql', params: {} },
      host: { hostname: '127.0.0.1', forwardedHost: 'clinic.example', ip: '127.0.0.1' },
      responseTime: expect.any(Number),
    });
    expect(completed).not.toHaveProperty('errorCodes');
    expect(miaLogProblems([incoming as LogLine, completed as LogLine])).toEqual([]);
  });

  it('keeps the error codes of a failed operation on its completed line', async () => {
    await gateway.request(
      CreateTeleconsultationDocument,
      { input: { startDate: inMinutes(30), durationInSeconds: 10, participants: [doctor(), patient()] } },
      { headers: { 'x-request-id': 'mia-gql-2' } },
    );
    expect(linesOf(gateway, 'mia-gql-2').find((line) => line.msg === 'request completed')).toMatchObject({
      operationName: 'CreateTeleconsultation',
      outcome: 'error',
      errorCodes: ['BAD_USER_INPUT'],
    });
  });

  it("logs a REST request with its route's parameters, as strings", async () => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: { startDate: inMinutes(30), durationInSeconds: 1800, participants: [doctor(), patient()] },
    });
    const id = createTeleconsultation.id;
    await gateway.rest('GET', `/teleconsultation/${id}?language=it`, {
      caller: 'patient-1',
      headers: { 'x-request-id': 'mia-rest-1' },
    });
    const completed = linesOf(gateway, 'mia-rest-1').find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({
      http: {
        request: { method: 'GET' },
        response: { statusCode: 200, body: { bytes: expect.any(Number) } },
      },
      url: { path: `/teleconsultation/${id}?language=it`, params: { id } },
    });
  });

  it('gives every line a request logs its reqId (a generated one without x-request-id)', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 500 });
    const before = parseLogLines(gateway.logs()).length;
    await gateway.request(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(30),
        durationInSeconds: 1800,
        participants: [doctor('d-9'), patient('p-9')],
      },
    });
    const written = parseLogLines(gateway.logs()).slice(before);
    const reqIds = new Set(written.map((line) => line.reqId));
    // The incoming line, the Kaleyra calls (their client logs through a process-wide logger) and
    // their failure, the completed line: one request, one id.
    expect(written.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        'incoming request',
        'kaleyra call',
        'kaleyra call failed',
        'request completed',
      ]),
    );
    expect([...reqIds]).toStrictEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  });

  it('writes no line for the probes and metrics', async () => {
    const before = gateway.logs().length;
    for (const path of ['/-/healthz', '/-/ready', '/-/check-up', '/-/metrics']) {
      expect((await fetch(`${gateway.url}${path}`)).status).toBe(200);
    }
    const requestLines = parseLogLines(gateway.logs().slice(before)).filter((line) =>
      ['incoming request', 'request completed'].includes(String(line.msg)),
    );
    expect(requestLines).toEqual([]);
  });

  it('writes numeric levels, time in epoch milliseconds, reqId and never requestId, valid for lc39', async () => {
    await fetch(`${gateway.url}/no-such-route`, { headers: { 'x-request-id': 'mia-404' } });
    const lines = parseLogLines(gateway.logs());
    expect(linesOf(gateway, 'mia-404').map((line) => line.msg)).toEqual([
      'incoming request',
      'request completed',
    ]);
    expect(lines.filter((line) => 'requestId' in line)).toEqual([]);
    expect(miaLogProblems(lines)).toEqual([]);
  });
});

describe("lc39's log schema, as this suite uses it", () => {
  it('refuses a line without reqId, a numeric reqId and a parameter that is not a string', () => {
    const validate = lc39LogLineValidator();
    expect(validate({ level: 30, reqId: 'a' })).toBe(true);
    expect(validate({ level: 30 })).toBe(false);
    expect(validate({ level: 30, reqId: 34 })).toBe(false);
    expect(validate({ level: 30, reqId: 'a', url: { params: { id: 7 } } })).toBe(false);
    expect(miaLogProblems([{ level: 30, time: '2030-01-01T00:00:00Z', reqId: 'a' } as LogLine])).toHaveLength(
      1,
    );
    expect(
      miaLogProblems([{ level: 30, time: 1_900_000_000_000, reqId: 'a', msg: 'request completed' }]),
    ).toEqual([
      expect.stringContaining(
        'missing http.request.method, url.path, url.params, host.ip, http.response.statusCode',
      ),
    ]);
  });
});

describe('TRUSTED_PROXIES', () => {
  async function clientAddressSeen(env: Record<string, string>): Promise<unknown> {
    const gateway = await startTestGateway({ env });
    try {
      await fetch(`${gateway.url}/no-such-route`, {
        headers: { 'x-request-id': 'xff-1', 'x-forwarded-for': '203.0.113.7' },
      });
      const completed = linesOf(gateway, 'xff-1').find((line) => line.msg === 'request completed');
      return (completed?.host as { ip?: unknown } | undefined)?.ip;
    } finally {
      await gateway.close();
    }
  }

  it('believes X-Forwarded-For from a listed proxy (the test connects from 127.0.0.1)', async () => {
    expect(await clientAddressSeen({ TRUSTED_PROXIES: '10.0.0.0/8,127.0.0.1' })).toBe('203.0.113.7');
    expect(await clientAddressSeen({ TRUSTED_PROXIES: '127.0.0.0/8' })).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For from a peer not listed, and when none is', async () => {
    expect(await clientAddressSeen({ TRUSTED_PROXIES: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16' })).toBe(
      '127.0.0.1',
    );
    expect(await clientAddressSeen({})).toBe('127.0.0.1');
  });
});
