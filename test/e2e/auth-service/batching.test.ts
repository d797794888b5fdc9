import {
  CreateTeleconsultationDocument,
  CreateTeleconsultationWithoutNamesDocument,
  ParticipantNamesTwiceDocument,
} from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';

const TTL_MS = 5000;
const USERS = {
  'doc-1': { name: 'Grace Hopper', groups: ['doctor'] },
  'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
  'pat-2': { name: 'Marie Curie', groups: ['customer'] },
};
const PARTICIPANTS = [{ userId: 'doc-1' }, { userId: 'pat-1' }, { userId: 'pat-2' }];
const input = (participants = PARTICIPANTS) => ({
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants,
});

describe('auth-service mode: batching and caching lookups', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway | undefined;

  beforeEach(async () => {
    stub = await startAuthServiceStub(USERS);
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await stub?.close();
  });

  const start = async (env: Record<string, string> = {}) => {
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url, AUTH_SERVICE_CACHE_TTL_MS: String(TTL_MS), ...env },
    });
    return gateway;
  };

  it('looks the participants up concurrently', async () => {
    const gw = await start({ AUTH_SERVICE_TIMEOUT_MS: '2000' });
    // The stub answers nothing until three lookups are in flight at once: sequential lookups
    // would time out and fail the request.
    stub.holdUntilInFlight(3);
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    expect(stub.maxInFlight()).toBe(3);
    expect(stub.requests()).toHaveLength(3);
  });

  it('asks once per distinct user in a request that needs groups and names', async () => {
    const gw = await start();
    const { createTeleconsultation } = await gw.ok(CreateTeleconsultationDocument, { input: input() });
    expect(createTeleconsultation.participants.map((p) => p.fullName)).toEqual([
      'Grace Hopper',
      'Ada Lovelace',
      'Marie Curie',
    ]);
    expect(PARTICIPANTS.map(({ userId }) => stub.callsFor(userId))).toEqual([1, 1, 1]);
  });

  it('batches and de-duplicates name lookups within one request, even without a cache', async () => {
    const gw = await start({ AUTH_SERVICE_CACHE_TTL_MS: '0' });
    const { createTeleconsultation } = await gw.ok(CreateTeleconsultationWithoutNamesDocument, {
      input: input(),
    });
    stub.clearRequests();

    // The same participants twice in one response: each user is asked for exactly once.
    const data = await gw.ok(
      ParticipantNamesTwiceDocument,
      { id: createTeleconsultation.id },
      { caller: 'doc-1' },
    );
    expect(data.first?.participants.map((p) => p.fullName)).toEqual([
      'Grace Hopper',
      'Ada Lovelace',
      'Marie Curie',
    ]);
    expect(data.second?.participants).toEqual(data.first?.participants);
    expect(PARTICIPANTS.map(({ userId }) => stub.callsFor(userId))).toEqual([1, 1, 1]);
  });

  it('without a cache (TTL 0) every request asks again', async () => {
    const gw = await start({ AUTH_SERVICE_CACHE_TTL_MS: '0' });
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    expect(stub.callsFor('doc-1')).toBe(2);
  });

  it('reuses a looked-up user within the TTL and asks again once it has passed', async () => {
    const gw = await start();
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    expect(stub.requests()).toHaveLength(3);

    gw.clock.advance(TTL_MS - 1);
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    expect(stub.requests()).toHaveLength(3);

    gw.clock.advance(1);
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    expect(stub.requests()).toHaveLength(6);
  });

  it('shows a change in the auth service once the cached entry expires', async () => {
    const gw = await start();
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    stub.setUser('pat-1', { name: 'Ada Lovelace', groups: ['doctor'] });

    const cached = await gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() });
    expect(cached.createTeleconsultation.participants[1]?.role).toBe('BASIC');

    gw.clock.advance(TTL_MS);
    const fresh = await gw.ok(CreateTeleconsultationWithoutNamesDocument, {
      input: input([{ userId: 'doc-1' }, { userId: 'pat-1' }]),
    });
    expect(fresh.createTeleconsultation.participants[1]?.groups).toEqual(['doctor']);
  });

  it('does not share cached users between callers with different credentials or client-type', async () => {
    const gw = await start({ ADDITIONAL_HEADERS_TO_PROXY: 'cookie,x-request-id' });
    const create = (headers: Record<string, string>) =>
      gw.ok(CreateTeleconsultationWithoutNamesDocument, { input: input() }, { headers });

    await create({ cookie: 'sid=alice', 'x-request-id': 'r1' });
    expect(stub.callsFor('doc-1')).toBe(1);
    // Same caller, new request id: the request id says nothing about who asks.
    await create({ cookie: 'sid=alice', 'x-request-id': 'r2' });
    expect(stub.callsFor('doc-1')).toBe(1);
    // Another session: the auth service may answer it differently.
    await create({ cookie: 'sid=bob', 'x-request-id': 'r3' });
    expect(stub.callsFor('doc-1')).toBe(2);
    await create({ cookie: 'sid=alice', 'x-request-id': 'r4', 'client-type': 'mobile' });
    expect(stub.callsFor('doc-1')).toBe(3);
  });

  it('does not cache unknown users: one created since is found at once', async () => {
    const gw = await start();
    const refused = await gw.request(CreateTeleconsultationWithoutNamesDocument, {
      input: input([{ userId: 'doc-1' }, { userId: 'new-1' }]),
    });
    expect(refused.errors?.[0]?.extensions?.reason).toBe('UNKNOWN_USER');

    stub.setUser('new-1', { name: 'New Patient', groups: ['customer'] });
    await gw.ok(CreateTeleconsultationWithoutNamesDocument, {
      input: input([{ userId: 'doc-1' }, { userId: 'new-1' }]),
    });
    expect(stub.callsFor('new-1')).toBe(2);
    expect(stub.callsFor('doc-1')).toBe(1);
  });
});
