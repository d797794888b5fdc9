import { ServiceConfigDocument } from '../../generated/graphql.js';
import { startAuthServiceStub } from '../../support/auth-service-stub.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../../support/gateway.js';
import { AS_BACKOFFICE, codesOf, createMutation, createVariables, postJson, send } from './raw-http.js';

/** The value of one sample of the Prometheus text exposition, or undefined when absent. */
function sample(metrics: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

async function scrape(gateway: TestGateway): Promise<string> {
  const response = await fetch(`${gateway.url}/-/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

interface LogLine {
  msg: string;
  reqId?: string;
  [key: string]: unknown;
}

function logLines(gateway: TestGateway): LogLine[] {
  return gateway
    .logs()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

describe('metrics at /-/metrics', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('count the requests just made: by operation and outcome, errors by code, Kaleyra calls by operation', async () => {
    gateway = await startTestGateway();

    await gateway.ok(ServiceConfigDocument);
    await gateway.ok(ServiceConfigDocument);
    const aliasBomb = Array.from({ length: 20 }, (_, i) => `a${i}: id`).join(' ');
    expect(
      codesOf(
        await postJson(
          gateway.url,
          {
            query: createMutation(aliasBomb, 'Bomb'),
            variables: createVariables(),
          },
          AS_BACKOFFICE,
        ),
      ),
    ).toEqual(['TOO_MANY_ALIASES']);
    const csrf = await send(
      `${gateway.url}/graphql?query=${encodeURIComponent('{ serviceConfig { mode } }')}`,
      {
        method: 'GET',
      },
    );
    expect(codesOf(csrf)).toEqual(['BAD_REQUEST']);
    expect(
      (
        await postJson(
          gateway.url,
          { query: createMutation('id'), variables: createVariables() },
          AS_BACKOFFICE,
        )
      ).body.errors,
    ).toBeUndefined();
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 500 });
    const failed = await postJson(
      gateway.url,
      { query: createMutation('id'), variables: createVariables() },
      AS_BACKOFFICE,
    );
    expect(codesOf(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);

    const metrics = await scrape(gateway);
    const requests = (labels: Record<string, string>) =>
      sample(metrics, 'graphql_request_duration_seconds_count', labels);
    expect(requests({ operation: 'ServiceConfig', outcome: 'ok' })).toBe(2);
    expect(requests({ operation: 'ServiceConfig', outcome: 'error' })).toBeUndefined();
    expect(requests({ operation: 'Bomb', outcome: 'error' })).toBe(1);
    expect(requests({ operation: 'unknown', outcome: 'error' })).toBe(1);
    expect(requests({ operation: 'Create', outcome: 'ok' })).toBe(1);
    expect(requests({ operation: 'Create', outcome: 'error' })).toBe(1);
    expect(sample(metrics, 'graphql_errors_total', { code: 'TOO_MANY_ALIASES' })).toBe(1);
    expect(sample(metrics, 'graphql_errors_total', { code: 'BAD_REQUEST' })).toBe(1);
    expect(sample(metrics, 'graphql_errors_total', { code: 'UPSTREAM_UNAVAILABLE' })).toBe(1);

    expect(
      sample(metrics, 'kaleyra_call_duration_seconds_count', { operation: 'createRoom', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sample(metrics, 'kaleyra_call_duration_seconds_count', { operation: 'createRoom', outcome: 'error' }),
    ).toBe(1);
    expect(
      sample(metrics, 'kaleyra_call_failures_total', { operation: 'createRoom', kind: 'unavailable' }),
    ).toBe(1);
    expect(
      sample(metrics, 'kaleyra_call_duration_seconds_count', { operation: 'createUser', outcome: 'ok' }),
    ).toBe(2);

    expect(sample(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(metrics, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('are kept per app: a second gateway starts from zero', async () => {
    const first = await startTestGateway();
    try {
      await first.ok(ServiceConfigDocument);
      gateway = await startTestGateway({ sandbox: first.sandbox });
      const metrics = await scrape(gateway);
      expect(
        sample(metrics, 'graphql_request_duration_seconds_count', { operation: 'ServiceConfig' }),
      ).toBeUndefined();
    } finally {
      await first.close();
    }
  });

  it('count auth-service calls by operation and outcome', async () => {
    const stub = await startAuthServiceStub({
      'doc-1': { name: 'Grace Hopper', groups: ['doctor'] },
      'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
    });
    try {
      gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url } });
      const createWith = (participants: Array<{ userId: string }>) =>
        postJson(
          gateway.url,
          {
            query: createMutation('id'),
            variables: { input: { ...createVariables().input, participants } },
          },
          AS_BACKOFFICE,
        );
      expect((await createWith([{ userId: 'doc-1' }, { userId: 'pat-1' }])).body.errors).toBeUndefined();
      stub.setFault({ kind: 'status', status: 503 });
      expect(codesOf(await createWith([{ userId: 'doc-2' }, { userId: 'pat-2' }]))).toEqual([
        'UPSTREAM_UNAVAILABLE',
      ]);

      const metrics = await scrape(gateway);
      const calls = (outcome: string) =>
        sample(metrics, 'auth_service_call_duration_seconds_count', { operation: 'getUser', outcome });
      expect(calls('ok')).toBe(2);
      expect(calls('error')).toBe(2);
      expect(sample(metrics, 'auth_service_call_failures_total', { operation: 'getUser' })).toBe(2);
    } finally {
      await stub.close();
    }
  });
});

describe('request logs', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('complete each GraphQL request in one line, with request id, operation name, duration and outcome', async () => {
    gateway = await startTestGateway();
    await gateway.request(ServiceConfigDocument, undefined, { headers: { 'x-request-id': 'req-ok-1' } });
    await postJson(
      gateway.url,
      { query: createMutation('a: id b: id', 'TwoAliases'), variables: createVariables() },
      { ...AS_BACKOFFICE, 'x-request-id': 'req-err-1' },
    );
    await postJson(gateway.url, [{ query: '{ serviceConfig { mode } }' }], { 'x-request-id': 'req-batch-1' });

    const linesOf = (reqId: string) => logLines(gateway).filter((line) => line.reqId === reqId);
    const graphqlLine = (reqId: string) => {
      const lines = linesOf(reqId).filter((line) => line.msg === 'request completed');
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    expect(graphqlLine('req-ok-1')).toMatchObject({
      msg: 'request completed',
      operationName: 'ServiceConfig',
      outcome: 'ok',
      http: { response: { statusCode: 200 } },
      responseTime: expect.any(Number),
    });
    expect(graphqlLine('req-ok-1')).not.toHaveProperty('errorCodes');
    expect(graphqlLine('req-err-1')).toMatchObject({ operationName: 'TwoAliases', outcome: 'ok' });
    expect(graphqlLine('req-batch-1')).toMatchObject({
      operationName: 'unknown',
      outcome: 'error',
      http: { response: { statusCode: 400 } },
      errorCodes: ['BAD_REQUEST'],
    });
  });

  it('never contain the Kaleyra key, cookies, authorization headers or participant names, even when Kaleyra fails', async () => {
    gateway = await startTestGateway();
    const cookie = 'session=cookie-secret-93af1';
    const authorization = 'Bearer auth-secret-4c7d2';
    const fullName = 'Zebulon Quixote-Marchetti';
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 500, times: 'always' });

    const response = await postJson(
      gateway.url,
      { query: createMutation('id participants { fullName }'), variables: createVariables(fullName) },
      { ...AS_BACKOFFICE, cookie, authorization, 'x-request-id': 'req-redaction-1' },
    );

    expect(codesOf(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
    const logs = gateway.logs();
    // The failure itself is logged (so the assertions below are about a log that says something).
    expect(
      logLines(gateway).some((line) => line.reqId === 'req-redaction-1' && /kaleyra/i.test(line.msg)),
    ).toBe(true);
    expect(logs).toContain('createRoom');
    for (const secret of [TEST_API_KEY, 'cookie-secret-93af1', 'auth-secret-4c7d2', 'Zebulon', 'Quixote']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('never contain forwarded cookies or the names the auth service gives, when the auth service and Kaleyra fail', async () => {
    const stub = await startAuthServiceStub({
      'doc-1': { name: 'Hildegard Okonkwo-Lindqvist', groups: ['doctor'] },
      'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
    });
    try {
      gateway = await startTestGateway({
        env: { AUTH_SERVICE: stub.url, ADDITIONAL_HEADERS_TO_PROXY: 'cookie,authorization' },
      });
      const headers = {
        ...AS_BACKOFFICE,
        cookie: 'session=cookie-secret-93af1',
        authorization: 'Bearer auth-secret-4c7d2',
      };
      const createWith = (participants: Array<{ userId: string }>) =>
        postJson(
          gateway.url,
          {
            query: createMutation('id participants { fullName }'),
            variables: { input: { ...createVariables().input, participants } },
          },
          headers,
        );

      gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 500, times: 'always' });
      expect(codesOf(await createWith([{ userId: 'doc-1' }, { userId: 'pat-1' }]))).toEqual([
        'UPSTREAM_UNAVAILABLE',
      ]);
      stub.setFault({ kind: 'status', status: 503 });
      expect(codesOf(await createWith([{ userId: 'doc-2' }, { userId: 'pat-1' }]))).toEqual([
        'UPSTREAM_UNAVAILABLE',
      ]);

      // The cookie did reach the auth service: the log is clean because it is redacted, not absent.
      expect(stub.requests()[0]?.headers.cookie).toBe(headers.cookie);
      const logs = gateway.logs();
      expect(logs).toMatch(/auth service call failed/);
      for (const secret of [
        TEST_API_KEY,
        'cookie-secret-93af1',
        'auth-secret-4c7d2',
        'Hildegard',
        'Okonkwo',
        'Lovelace',
      ]) {
        expect(logs).not.toContain(secret);
      }
    } finally {
      await stub.close();
    }
  });
});
