import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  type CreateTeleconsultationInput,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { flakyStorage } from '../../support/flaky-storage.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

const visit = (
  tag: string,
  extra: Partial<CreateTeleconsultationInput> = {},
): CreateTeleconsultationInput => ({
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
  ...extra,
});

/**
 * Tracks every teleconsultation a describe created, to check the no-orphan guarantee: each live
 * Kaleyra room is referenced by an active stored record, and each such record's room is live.
 */
function orphanWatch(gateway: () => TestGateway) {
  const ids: string[] = [];
  return {
    track(id: string) {
      ids.push(id);
    },
    async expectNoOrphans() {
      // Rooms are deleted by background jobs: let every one of them finish first.
      await gateway().drainJobs();
      const records = await Promise.all(
        ids.map((id) => gateway().app.storage.teleconsultations.findById(id)),
      );
      const referenced = records.flatMap((r) => (r && r.state === 'active' && r.roomId ? [r.roomId] : []));
      expect(
        gateway()
          .sandbox.rooms()
          .map((r) => r.roomId)
          .sort(),
      ).toEqual([...referenced].sort());
      expect(await gateway().app.storage.teleconsultations.count()).toBe(ids.length);
    },
  };
}

describe('Kaleyra down: UPSTREAM_UNAVAILABLE and nothing half-done', () => {
  let gateway: TestGateway;
  const watch = orphanWatch(() => gateway);
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  afterEach(async () => {
    gateway.sandbox.clearFaults();
    await watch.expectNoOrphans();
    gateway.sandbox.clearRequests();
  });

  it('a failed room creation stores nothing', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 503 });
    const response = await gateway.request(CreateTeleconsultationDocument, { input: visit('k1') });
    expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'KALEYRA_UNAVAILABLE' });
    expect(response.data).toBeNull();
    // Room creation is not idempotent: it is never retried.
    expect(gateway.sandbox.requests().filter((r) => r.path === '/v2/rooms')).toHaveLength(1);
  });

  it('a room creation Kaleyra refuses stores nothing', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 400 });
    const response = await gateway.request(CreateTeleconsultationDocument, { input: visit('k2') });
    expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'KALEYRA_REJECTED' });
  });

  it('a dropped connection on room creation stores nothing', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', drop: true });
    const response = await gateway.request(CreateTeleconsultationDocument, { input: visit('k3') });
    expect(errorOf(response).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('a failed user creation creates no room and stores nothing', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/users', status: 503, times: 'always' });
    const response = await gateway.request(CreateTeleconsultationDocument, { input: visit('k4') });
    expect(errorOf(response).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(gateway.sandbox.requests().filter((r) => r.path === '/v2/rooms')).toHaveLength(0);
    expect((await gateway.app.storage.userIdMap.findMany(['k4-doc', 'k4-pat'])).size).toBe(0);
  });

  it('a user creation that fails once is retried (idempotent) and the create succeeds', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/users', status: 503 });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('k5'),
    });
    watch.track(createTeleconsultation.id);
    expect(createTeleconsultation.status).toBe('SCHEDULED');
  });

  it('an addParticipants whose room creation fails leaves the record as it was', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('k6', { participantsNumber: 2, participants: [doctor('k6-doc')] }),
    });
    watch.track(waiting.id);
    const before = await gateway.app.storage.teleconsultations.findById(waiting.id);
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 500 });
    const response = await gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('k6-pat')],
    });
    expect(errorOf(response).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(await gateway.app.storage.teleconsultations.findById(waiting.id)).toEqual(before);
  });
});

describe('Kaleyra slow (KALEYRA_TIMEOUT_MS=400)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { KALEYRA_TIMEOUT_MS: '400' } });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => gateway.sandbox.clearFaults());

  it('a room creation that times out gives UPSTREAM_UNAVAILABLE and stores nothing', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 1500 });
    const response = await gateway.request(CreateTeleconsultationDocument, { input: visit('s1') });
    expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'KALEYRA_UNAVAILABLE' });
    expect(await gateway.app.storage.teleconsultations.count()).toBe(0);
  });

  it('a user creation that times out once is retried and the create succeeds', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/users', delayMs: 1500 });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('s2'),
    });
    expect(createTeleconsultation.status).toBe('SCHEDULED');
    expect(
      gateway.sandbox.users().filter((u) => u.id === createTeleconsultation.participants[0]?.kaleyraUserId),
    ).toHaveLength(1);
  });
});

describe('store failures after Kaleyra succeeded', () => {
  let gateway: TestGateway;
  const { storage, failNext } = flakyStorage();
  const watch = orphanWatch(() => gateway);
  beforeAll(async () => {
    gateway = await startTestGateway({
      overrides: { storage },
      env: { UNLIMITED_TELECONSULTATION: 'false' },
    });
  });
  afterAll(async () => gateway?.close());
  afterEach(async () => {
    await watch.expectNoOrphans();
    gateway.sandbox.clearRequests();
  });

  it('a room created for a record that could not be stored is deleted again', async () => {
    failNext.insert = true;
    const response = await gateway.request(CreateTeleconsultationDocument, { input: visit('db1') });
    expect(errorOf(response)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(response.errors?.[0]?.message).toBe('Internal server error');
    await gateway.drainJobs();
    const roomCalls = gateway.sandbox.requests().filter((r) => r.path.startsWith('/v2/rooms'));
    expect(roomCalls.map((r) => r.method)).toEqual(['POST', 'DELETE']);
    expect(gateway.sandbox.rooms()).toHaveLength(0);
    expect(gateway.logs()).toContain('insert failed (injected)');
  });

  it('a replacement room whose record could not be stored is deleted, the previous room kept', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('db2'),
    });
    watch.track(created.id);
    const before = await gateway.app.storage.teleconsultations.findById(created.id);
    failNext.update = true;
    const response = await gateway.request(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(errorOf(response).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await gateway.app.storage.teleconsultations.findById(created.id)).toEqual(before);
    await gateway.drainJobs();
    expect(gateway.sandbox.rooms().map((r) => r.roomId)).toEqual([created.roomId]);
  });
  it('a change that keeps losing the race gives CONFLICT, and every room it created is deleted', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('db3'),
    });
    watch.track(created.id);
    gateway.sandbox.clearRequests();
    failNext.versionMoves = 4;
    const response = await gateway.request(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(errorOf(response)).toMatchObject({ code: 'CONFLICT', reason: 'VERSION_CONFLICT' });
    await gateway.drainJobs();
    const roomCalls = gateway.sandbox.requests().filter((r) => r.path.startsWith('/v2/rooms'));
    expect(roomCalls.filter((r) => r.method === 'POST')).toHaveLength(4);
    expect(roomCalls.filter((r) => r.method === 'DELETE')).toHaveLength(4);
    expect(gateway.sandbox.rooms().map((r) => r.roomId)).toContain(created.roomId);
    // afterEach: no other room is left alive.
    expect((await gateway.app.storage.teleconsultations.findById(created.id))?.version).toBe(1);
  });

  it('a change that loses a race is retried from a fresh read and succeeds', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('db4'),
    });
    watch.track(created.id);
    gateway.sandbox.clearRequests();
    failNext.versionMoves = 1;
    const { updateTeleconsultation } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(updateTeleconsultation.durationInSeconds).toBe(2400);
    await gateway.drainJobs();
    const live = gateway.sandbox.rooms().map((r) => r.roomId);
    expect(live).toContain(updateTeleconsultation.roomId);
    expect(live).not.toContain(created.roomId);
    expect(
      gateway.sandbox.requests().filter((r) => r.method === 'POST' && r.path === '/v2/rooms'),
    ).toHaveLength(2);
  });
});

describe('concurrent changes never lose a write', () => {
  let gateway: TestGateway;
  const watch = orphanWatch(() => gateway);
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { UNLIMITED_TELECONSULTATION: 'false' } });
  });
  afterAll(async () => gateway?.close());
  afterEach(async () => {
    await watch.expectNoOrphans();
    gateway.sandbox.clearRequests();
  });

  const roomIdsNow = () => new Set(gateway.sandbox.rooms().map((r) => r.roomId));
  const codesOf = (responses: Array<GraphqlResponse<unknown>>) =>
    responses.filter((r) => r.errors).map((r) => r.errors?.[0]?.extensions?.code);

  it('parallel addParticipants: every acknowledged participant is stored, the room is created once', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('cc1', { participantsNumber: 5, participants: [doctor('cc1-doc')] }),
    });
    watch.track(waiting.id);
    gateway.sandbox.clearRequests();
    const newcomers = ['cc1-a', 'cc1-b', 'cc1-c', 'cc1-d'];
    const responses = await Promise.all(
      newcomers.map((userId) =>
        gateway.request(AddParticipantsDocument, { id: waiting.id, participants: [patient(userId)] }),
      ),
    );
    const acknowledged = newcomers.filter((_, i) => responses[i]?.data?.addParticipants);
    // Losers retry from a fresh read; only a run of lost races may end in CONFLICT.
    expect(codesOf(responses).every((code) => code === 'CONFLICT')).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(0);

    const record = await gateway.app.storage.teleconsultations.findById(waiting.id);
    const stored = record?.participants.map((p) => p.userId) ?? [];
    expect(stored).toEqual(expect.arrayContaining(['cc1-doc', ...acknowledged]));
    expect(stored).toHaveLength(1 + acknowledged.length);
    expect(record?.version).toBe(1 + acknowledged.length);

    const roomCreations = gateway.sandbox
      .requests()
      .filter((r) => r.method === 'POST' && r.path === '/v2/rooms');
    if (acknowledged.length === newcomers.length) {
      expect(roomCreations).toHaveLength(1);
      const room = gateway.sandbox.rooms().find((r) => r.roomId === record?.roomId);
      expect(room?.participants.map((p) => p.userId).sort()).toEqual(
        record?.participants.map((p) => p.videoUserId).sort(),
      );
    } else {
      expect(roomCreations).toHaveLength(0);
      expect(record?.roomId).toBeNull();
    }
  });

  it('parallel adds that each complete the list: one wins, the rooms of lost races are deleted', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('cc2', { participantsNumber: 2, participants: [doctor('cc2-doc')] }),
    });
    watch.track(waiting.id);
    const roomsBefore = roomIdsNow();
    const newcomers = ['cc2-a', 'cc2-b', 'cc2-c'];
    const responses = await Promise.all(
      newcomers.map((userId) =>
        gateway.request(AddParticipantsDocument, { id: waiting.id, participants: [patient(userId)] }),
      ),
    );
    const winners = newcomers.filter((_, i) => responses[i]?.data?.addParticipants);
    expect(winners).toHaveLength(1);
    expect(codesOf(responses).every((code) => code === 'BAD_USER_INPUT' || code === 'CONFLICT')).toBe(true);
    const record = await gateway.app.storage.teleconsultations.findById(waiting.id);
    expect(record?.participants.map((p) => p.userId)).toEqual(['cc2-doc', winners[0]]);
    await gateway.drainJobs();
    const newRooms = [...roomIdsNow()].filter((id) => !roomsBefore.has(id));
    expect(newRooms).toEqual([record?.roomId]);
  });

  it('parallel updates that each replace the room: the last stored wins, superseded rooms are deleted', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: visit('cc3'),
    });
    watch.track(created.id);
    const durations = [2400, 3000, 3600];
    const responses = await Promise.all(
      durations.map((durationInSeconds) =>
        gateway.request(UpdateTeleconsultationDocument, { id: created.id, input: { durationInSeconds } }),
      ),
    );
    const applied = durations.filter((_, i) => responses[i]?.data?.updateTeleconsultation);
    expect(codesOf(responses).every((code) => code === 'CONFLICT')).toBe(true);
    expect(applied.length).toBeGreaterThan(0);
    const record = await gateway.app.storage.teleconsultations.findById(created.id);
    expect(record?.version).toBe(1 + applied.length);
    expect(applied).toContain(record?.durationInSeconds);
    await gateway.drainJobs();
    const live = gateway.sandbox.rooms().filter((r) => r.roomId === record?.roomId);
    expect(live.map((r) => r.duration)).toEqual([record?.durationInSeconds]);
    expect(roomIdsNow().has(created.roomId as string)).toBe(false);
  });

  it('parallel creates with the same brand-new user: one mapping and one Kaleyra user', async () => {
    const responses = await Promise.all(
      ['x1', 'x2', 'x3', 'x4', 'x5'].map((tag) =>
        gateway.ok(CreateTeleconsultationDocument, {
          input: visit(tag, { participants: [doctor('brand-new-doc'), patient(`cc4-${tag}`)] }),
        }),
      ),
    );
    for (const { createTeleconsultation } of responses) watch.track(createTeleconsultation.id);
    const kaleyraIds = new Set(responses.map((r) => r.createTeleconsultation.participants[0]?.kaleyraUserId));
    expect(kaleyraIds.size).toBe(1);
    const [kaleyraUserId] = [...kaleyraIds];
    expect(gateway.sandbox.users().filter((u) => u.id === kaleyraUserId)).toEqual([
      { id: kaleyraUserId, role: 'plus' },
    ]);
    expect(Object.fromEntries(await gateway.app.storage.userIdMap.findMany(['brand-new-doc']))).toEqual({
      'brand-new-doc': kaleyraUserId,
    });
  });
});
