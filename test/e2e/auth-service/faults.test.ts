import { CreateTeleconsultationWithoutNamesDocument } from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';

const TIMEOUT_MS = 200;
const INPUT = {
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants: [{ userId: 'doc-1' }, { userId: 'pat-1' }],
};

describe('auth-service mode: the auth service failing', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;

  beforeEach(async () => {
    stub = await startAuthServiceStub({
      'doc-1': { name: 'Grace Hopper', groups: ['doctor'] },
      'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
    });
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url, AUTH_SERVICE_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
  });
  afterEach(async () => {
    await gateway?.close();
    await stub?.close();
  });

  async function expectUpstreamUnavailable(reason: string) {
    const response = await gateway.request(CreateTeleconsultationWithoutNamesDocument, { input: INPUT });
    expect(response.data).toBeNull();
    expect(response.errors?.map((e) => e.extensions)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', reason }]);
    // Nothing half-done: no record, no Kaleyra user, no room.
    expect(await gateway.app.storage.teleconsultations.count()).toBe(0);
    expect(gateway.sandbox.users()).toEqual([]);
    expect(gateway.sandbox.rooms()).toEqual([]);
    return response;
  }

  it('gives UPSTREAM_UNAVAILABLE when the auth service is down (connection refused)', async () => {
    await stub.close();
    const response = await expectUpstreamUnavailable('AUTH_SERVICE_UNAVAILABLE');
    expect(response.errors?.[0]?.message).toMatch(/auth service failed \(ECONNREFUSED\)/);
  });

  it('retries a dropped connection once, then gives UPSTREAM_UNAVAILABLE', async () => {
    stub.setFault({ kind: 'closed' });
    await expectUpstreamUnavailable('AUTH_SERVICE_UNAVAILABLE');
    expect(stub.callsFor('doc-1')).toBe(2);
    expect(stub.callsFor('pat-1')).toBe(2);
  });

  it('gives UPSTREAM_UNAVAILABLE on a 5xx, without retrying', async () => {
    stub.setFault({ kind: 'status', status: 503 });
    await expectUpstreamUnavailable('AUTH_SERVICE_UNAVAILABLE');
    expect(stub.callsFor('doc-1')).toBe(1);
  });

  it('gives UPSTREAM_UNAVAILABLE when the auth service is slower than AUTH_SERVICE_TIMEOUT_MS, without retrying', async () => {
    stub.setFault({ kind: 'delay', delayMs: TIMEOUT_MS * 10 });
    const response = await expectUpstreamUnavailable('AUTH_SERVICE_UNAVAILABLE');
    expect(response.errors?.[0]?.message).toContain(`timed out after ${TIMEOUT_MS} ms`);
    expect(stub.callsFor('doc-1')).toBe(1);
  });

  it('gives UPSTREAM_UNAVAILABLE (AUTH_SERVICE_REJECTED) when the auth service refuses the call', async () => {
    stub.setFault({ kind: 'status', status: 401 });
    await expectUpstreamUnavailable('AUTH_SERVICE_REJECTED');
  });

  it('gives UPSTREAM_UNAVAILABLE when the auth service answers something that is not a user', async () => {
    stub.setFault({ kind: 'body', body: { name: 'Grace', groups: 'doctor' } });
    await expectUpstreamUnavailable('AUTH_SERVICE_UNAVAILABLE');
  });

  it('recovers as soon as the auth service does (failures are not cached)', async () => {
    stub.setFault({ kind: 'status', status: 500 });
    await expectUpstreamUnavailable('AUTH_SERVICE_UNAVAILABLE');
    stub.setFault(null);
    await gateway.ok(CreateTeleconsultationWithoutNamesDocument, { input: INPUT });
    expect(await gateway.app.storage.teleconsultations.count()).toBe(1);
  });

  it('never logs forwarded cookie or authorization values', async () => {
    stub.setFault({ kind: 'status', status: 500 });
    await gateway.request(
      CreateTeleconsultationWithoutNamesDocument,
      { input: INPUT },
      { headers: { cookie: 'sid=cookie-secret-123', authorization: 'Bearer token-secret-456' } },
    );
    expect(stub.requests()[0]?.headers.cookie).toBe('sid=cookie-secret-123');
    expect(gateway.logs()).toContain('auth service call failed');
    expect(gateway.logs()).not.toContain('cookie-secret-123');
    expect(gateway.logs()).not.toContain('token-secret-456');
  });
});
