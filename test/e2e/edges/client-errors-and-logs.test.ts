/**
 * Anonymous requests that used to raise internal errors and error-level logs, join links that are
 * not https, and log lines a single request could blow up.
 */
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { AS_BACKOFFICE, codesOf, postJson } from '../hardening/raw-http.js';

function logLines(gateway: TestGateway): Array<Record<string, unknown>> {
  return gateway
    .logs()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('client mistakes are client errors', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway();
  });
  afterEach(async () => gateway?.close());

  it('refuses a subscription sent over HTTP with BAD_REQUEST, logging nothing at error level', async () => {
    const response = await postJson(
      gateway.url,
      { query: 'subscription S { teleconsultationChanged(id: "0123456789abcdef01234567") { id } }' },
      { 'x-request-id': 'sub-1' },
    );
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
    expect(logLines(gateway).filter((line) => (line.level as number) >= 50)).toEqual([]);
  });

  it('refuses a persisted query whose hash does not match its text with BAD_REQUEST', async () => {
    const response = await postJson(gateway.url, {
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } },
    });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
    expect(logLines(gateway).filter((line) => (line.level as number) >= 50)).toEqual([]);
  });
});

describe('join links are https URLs', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  it('deletes a room whose "links" are not https and stores nothing', async () => {
    const input = {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor('js-doc'), patient('js-pat')],
    };
    // Kaleyra (or whatever answers in its place) hands back a script instead of a link.
    gateway.sandbox.injectFault({
      method: 'POST',
      path: '/v2/rooms',
      status: 201,
      body: {
        room_id: 'room_hijacked',
        participants: [
          { user_id: 'tg.js-doc', url: 'javascript:alert(document.cookie)' },
          { user_id: 'tg.js-pat', url: 'http://video.example/join/abc' },
        ],
      },
    });
    const count = await gateway.app.storage.teleconsultations.count();
    const response = await gateway.request(CreateTeleconsultationDocument, { input });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'KALEYRA_UNSAFE_LINK',
    });
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
    await gateway.drainJobs();
    expect(
      gateway.sandbox.requests().some((r) => r.method === 'DELETE' && r.path === '/v2/rooms/room_hijacked'),
    ).toBe(true);
  });
});

describe('a request cannot blow up the log', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  it('clips a 45,000-character operation name and ignores an 8,000-character request id', async () => {
    const name = `Op${'x'.repeat(45_000)}`; // query and operationName both carry it, under BODY_LIMIT_BYTES
    const before = gateway.logs().length;
    await postJson(
      gateway.url,
      { query: `query ${name} { serviceConfig { mode } }`, operationName: name },
      { ...AS_BACKOFFICE, 'x-request-id': 'r'.repeat(8000) },
    );
    const written = gateway.logs().slice(before);
    const longest = Math.max(...written.split('\n').map((line) => line.length));
    expect(longest).toBeLessThan(2000);
    const line = logLines(gateway).find(
      (entry) => entry.msg === 'request completed' && String(entry.operationName).startsWith('Opxx'),
    );
    expect(String(line?.operationName)).toMatch(/…\(45002 chars\)$/);
    expect(String(line?.reqId)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a sane x-request-id, so one id follows a request across services', async () => {
    await postJson(gateway.url, { query: '{ serviceConfig { mode } }' }, { 'x-request-id': 'trace-42:a.b' });
    expect(logLines(gateway).some((entry) => entry.reqId === 'trace-42:a.b')).toBe(true);
  });
});
