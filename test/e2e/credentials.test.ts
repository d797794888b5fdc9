import { CreateCredentialsDocument, CreateTeleconsultationDocument } from '../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../support/auth-service-stub.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../support/gateway.js';

/** The sandbox's token is an unsigned JWT: its payload says what lifetime Kaleyra was asked for. */
function tokenLifetimeSeconds(accessToken: string): number {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    iat: number;
    exp: number;
  };
  return payload.exp - payload.iat;
}

const kaleyraPaths = (gateway: TestGateway) => gateway.sandbox.requests().map((r) => `${r.method} ${r.path}`);

describe('createCredentials', () => {
  let gateway: TestGateway | undefined;
  let stub: AuthServiceStub | undefined;
  afterEach(async () => {
    await gateway?.close();
    await stub?.close();
    gateway = undefined;
    stub = undefined;
  });

  describe('with an auth service', () => {
    let gw: TestGateway;
    let users: AuthServiceStub;
    beforeEach(async () => {
      users = stub = await startAuthServiceStub({
        'doc-1': { name: 'Grace Hopper', groups: ['doctor'] },
        'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
        'visitor-1': { name: 'Nobody In Particular', groups: ['visitors'] },
      });
      gw = gateway = await startTestGateway({
        env: { AUTH_SERVICE: users.url, AUTH_SERVICE_TIMEOUT_MS: '300' },
      });
    });

    it("creates the caller's Kaleyra user on first use, with the role their groups give, and issues a token", async () => {
      const { createCredentials } = await gw.ok(CreateCredentialsDocument, {}, { caller: 'doc-1' });
      expect(createCredentials.kaleyraUserId).toBe('tg.doc-1');
      expect(createCredentials.accessToken).toEqual(expect.any(String));
      expect(tokenLifetimeSeconds(createCredentials.accessToken)).toBe(3600);
      expect(new Date(createCredentials.expiresAt).toISOString()).toBe(createCredentials.expiresAt);
      expect(gw.sandbox.users()).toEqual([{ id: 'tg.doc-1', role: 'plus' }]);
      expect(users.callsFor('doc-1')).toBe(1);
    });

    it('creates a basic user for a caller in a basic group', async () => {
      await gw.ok(CreateCredentialsDocument, { expiresIn: 600 }, { caller: 'pat-1' });
      expect(gw.sandbox.users()).toEqual([{ id: 'tg.pat-1', role: 'basic' }]);
    });

    it('reuses the Kaleyra user afterwards, asking neither Kaleyra nor the auth service to create it again', async () => {
      await gw.ok(CreateCredentialsDocument, {}, { caller: 'doc-1' });
      gw.clock.advance(60_000);
      gw.sandbox.clearRequests();
      const { createCredentials } = await gw.ok(CreateCredentialsDocument, {}, { caller: 'doc-1' });
      expect(createCredentials.kaleyraUserId).toBe('tg.doc-1');
      expect(kaleyraPaths(gw)).toEqual(['POST /v2/sdk/credentials']);
      expect(users.callsFor('doc-1')).toBe(1);
    });

    it('issues the same Kaleyra user a participant already has', async () => {
      const { createTeleconsultation } = await gw.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [{ userId: 'doc-1' }, { userId: 'pat-1' }],
        },
      });
      const { createCredentials } = await gw.ok(CreateCredentialsDocument, {}, { caller: 'pat-1' });
      expect(createCredentials.kaleyraUserId).toBe(createTeleconsultation.participants[1]?.kaleyraUserId);
    });

    it.each([360, 86400])('accepts expiresIn at the edge of Kaleyra range (%i)', async (expiresIn) => {
      const { createCredentials } = await gw.ok(
        CreateCredentialsDocument,
        { expiresIn },
        { caller: 'doc-1' },
      );
      expect(tokenLifetimeSeconds(createCredentials.accessToken)).toBe(expiresIn);
    });

    it.each([359, 86401, 0, -1])(
      'refuses expiresIn %i outside 360..86400 before calling anyone',
      async (expiresIn) => {
        const response = await gw.request(CreateCredentialsDocument, { expiresIn }, { caller: 'doc-1' });
        expect(response.data).toBeNull();
        expect(response.errors?.map((e) => e.extensions)).toEqual([
          { code: 'BAD_USER_INPUT', reason: 'EXPIRES_IN_OUT_OF_RANGE', field: ['expiresIn'] },
        ]);
        expect(response.errors?.[0]?.message).toContain('360');
        expect(gw.sandbox.requests()).toEqual([]);
        expect(users.requests()).toEqual([]);
      },
    );

    it('treats an explicit null expiresIn as the default 3600', async () => {
      const { createCredentials } = await gw.ok(
        CreateCredentialsDocument,
        { expiresIn: null },
        { caller: 'doc-1' },
      );
      expect(tokenLifetimeSeconds(createCredentials.accessToken)).toBe(3600);
    });

    it('needs a caller: UNAUTHENTICATED without one', async () => {
      const response = await gw.request(CreateCredentialsDocument, {});
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        { code: 'UNAUTHENTICATED', reason: 'NO_CALLER_ID', operation: 'createCredentials' },
      ]);
      expect(gw.sandbox.requests()).toEqual([]);
    });

    it('refuses a caller the auth service does not know (BAD_USER_INPUT UNKNOWN_CALLER)', async () => {
      const response = await gw.request(CreateCredentialsDocument, {}, { caller: 'ghost-9' });
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_CALLER' },
      ]);
      expect(response.errors?.[0]?.message).toContain('ghost-9');
      expect(gw.sandbox.users()).toEqual([]);
    });

    it('refuses a caller in no privilege group (BAD_USER_INPUT NO_PRIVILEGE_GROUP)', async () => {
      const response = await gw.request(CreateCredentialsDocument, {}, { caller: 'visitor-1' });
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', reason: 'NO_PRIVILEGE_GROUP' },
      ]);
      expect(gw.sandbox.users()).toEqual([]);
    });

    it('gives UPSTREAM_UNAVAILABLE and creates nothing when the auth service is slow', async () => {
      users.setFault({ kind: 'delay', delayMs: 3000 });
      const response = await gw.request(CreateCredentialsDocument, {}, { caller: 'doc-1' });
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        { code: 'UPSTREAM_UNAVAILABLE', reason: 'AUTH_SERVICE_UNAVAILABLE' },
      ]);
      expect(gw.sandbox.users()).toEqual([]);
    });

    it('gives UPSTREAM_UNAVAILABLE when Kaleyra fails to issue the token', async () => {
      gw.sandbox.injectFault({ path: '/v2/sdk/credentials', status: 500, times: 'always' });
      const response = await gw.request(CreateCredentialsDocument, {}, { caller: 'doc-1' });
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        { code: 'UPSTREAM_UNAVAILABLE', reason: 'KALEYRA_UNAVAILABLE' },
      ]);
    });
  });

  describe('without an auth service', () => {
    let gw: TestGateway;
    beforeEach(async () => {
      gw = gateway = await startTestGateway();
    });

    it('refuses a caller with no Kaleyra user yet (BAD_USER_INPUT UNKNOWN_CALLER), creating nothing', async () => {
      const response = await gw.request(CreateCredentialsDocument, {}, { caller: 'doctor-1' });
      expect(response.errors?.map((e) => e.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_CALLER' },
      ]);
      expect(gw.sandbox.users()).toEqual([]);
    });

    it('issues credentials to a caller who took part in a teleconsultation', async () => {
      const { createTeleconsultation } = await gw.ok(CreateTeleconsultationDocument, {
        input: { startDate: inMinutes(60), durationInSeconds: 1800, participants: [doctor(), patient()] },
      });
      const { createCredentials } = await gw.ok(
        CreateCredentialsDocument,
        { expiresIn: 7200 },
        { caller: 'patient-1' },
      );
      expect(createCredentials.kaleyraUserId).toBe(createTeleconsultation.participants[1]?.kaleyraUserId);
      expect(tokenLifetimeSeconds(createCredentials.accessToken)).toBe(7200);
    });
  });
});
