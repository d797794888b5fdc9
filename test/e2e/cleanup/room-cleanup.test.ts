/**
 * No orphan rooms, ever: over HTTP, against the Kaleyra sandbox and its fault injection. Rooms
 * that no record points to are deleted by durable jobs (claimed by one replica at a time, retried
 * with backoff, dead after a bound), rooms Kaleyra creates after our request gave up are found by
 * the intent written before the creation, and a cancel marks the record first. After every
 * scenario, the sandbox (the ground truth) holds exactly the rooms of active records.
 */

import { ManualClock } from '../../../src/domain/clock.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../src/storage/ports.js';
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';

/** Every room on the sandbox is referenced by exactly one active record, and every active record's room is there. */
async function expectRoomsMatchRecords(gateway: TestGateway, ids: readonly string[]): Promise<void> {
  await gateway.drainJobs();
  const records = await Promise.all(ids.map((id) => gateway.app.storage.teleconsultations.findById(id)));
  const referenced = records.flatMap((r) => (r?.state === 'active' && r.roomId ? [r.roomId] : []));
  expect(new Set(referenced).size).toBe(referenced.length);
  const live = gateway.sandbox.rooms().map((room) => room.roomId);
  expect([...live].sort()).toEqual([...referenced].sort());
}

/** The value of one sample of the Prometheus text exposition (0 when absent). */
async function metric(
  gateway: TestGateway,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${gateway.url}/-/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return 0;
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const jobsOf = async (gateway: TestGateway, kind: string) =>
  (await gateway.app.storage.jobs.list({ first: 100, kinds: [kind] })).jobs;

/** After a failed creation, the intent that does the looking: a fresh one, timed from the failure. */
async function sweepingIntent(gateway: TestGateway) {
  const intents = await jobsOf(gateway, 'room-intent');
  const fresh = intents.filter((job) => job.dedupeKey.endsWith(':after-failure'));
  expect(fresh).toHaveLength(1);
  // The intent written before the creation is closed once the fresh one exists.
  const first = intents.find((job) => !job.dedupeKey.endsWith(':after-failure'));
  expect(first).toMatchObject({ state: 'done', attempt: 0 });
  return fresh[0];
}

async function waitingVisit(gateway: TestGateway, tag: string): Promise<string> {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(120),
      durationInSeconds: 1800,
      participantsNumber: 2,
      participants: [doctor(`${tag}-doc`)],
    },
  });
  return createTeleconsultation.id;
}

async function scheduledVisit(gateway: TestGateway, tag: string) {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(120),
      durationInSeconds: 1800,
      participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
    },
  });
  return createTeleconsultation;
}

describe('rooms Kaleyra creates after our request gave up', () => {
  // Shorter than the wait for a write in flight (twice REQUEST_TIMEOUT_MS, 30 s by default): a
  // failed creation's intent does not wait for that (no record can point to an unknown room).
  const SWEEP_INTERVAL_MS = 1000;
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway({
      env: { KALEYRA_TIMEOUT_MS: '300', CLEANUP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) },
    });
  });
  afterEach(async () => gateway?.close());

  it('are deleted within two sweeps, the first due as soon as the creation failed; the record holds no room', async () => {
    const id = await waitingVisit(gateway, 'late1');
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 600 });
    const response = await gateway.request(AddParticipantsDocument, {
      id,
      participants: [patient('late1-pat')],
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    // Kaleyra finishes the creation nobody waits for any more.
    await until(() => gateway.sandbox.rooms().length === 1);
    const [late] = gateway.sandbox.rooms();
    expect(late?.description).toMatch(/^tg-op:[0-9a-f]{24}$/);
    expect(await gateway.app.storage.teleconsultations.findById(id)).toMatchObject({ roomId: null });

    // One sweep interval later (not the 30 s a write in flight would need), the room is gone.
    gateway.clock.advance(SWEEP_INTERVAL_MS);
    await gateway.runJobs();

    expect(gateway.sandbox.rooms()).toEqual([]);
    expect(await gateway.app.storage.teleconsultations.findById(id)).toMatchObject({ roomId: null });
    const intent = await sweepingIntent(gateway);
    expect(intent).toMatchObject({ state: 'done', lastOutcome: '1 of 1 deleted' });
    expect(intent?.attempt).toBeLessThanOrEqual(2);
    expect(await metric(gateway, 'kaleyra_orphan_rooms_found_total')).toBe(1);
    expect(gateway.logs()).toContain('orphan kaleyra room found and deleted');
    await expectRoomsMatchRecords(gateway, [id]);
  });

  it('are found by the second sweep when Kaleyra creates them after the first', async () => {
    const id = await waitingVisit(gateway, 'late2');
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 1200 });
    const response = await gateway.request(AddParticipantsDocument, {
      id,
      participants: [patient('late2-pat')],
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });

    // First sweep, right after the failure: Kaleyra has not created it yet.
    await gateway.runJobs();
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'GET' && r.path === '/v2/rooms'));
    const intent = await sweepingIntent(gateway);
    expect(intent).toMatchObject({ state: 'pending', attempt: 1, lastOutcome: 'nothing yet' });

    await until(() => gateway.sandbox.rooms().length === 1);
    gateway.clock.advance(SWEEP_INTERVAL_MS);
    await gateway.runJobs();
    expect(gateway.sandbox.rooms()).toEqual([]);
    expect(await gateway.app.storage.jobs.findById(intent?.id ?? '')).toMatchObject({
      state: 'done',
      attempt: 2,
    });
    await expectRoomsMatchRecords(gateway, [id]);
  });

  it('looks a last time once the longest wait has passed, for a room Kaleyra creates very late', async () => {
    const id = await waitingVisit(gateway, 'late3');
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 2500 });
    const response = await gateway.request(AddParticipantsDocument, {
      id,
      participants: [patient('late3-pat')],
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await gateway.runJobs();
    gateway.clock.advance(SWEEP_INTERVAL_MS);
    await gateway.runJobs();
    const intent = await sweepingIntent(gateway);
    expect(intent).toMatchObject({ state: 'pending', attempt: 2, lastOutcome: 'nothing yet' });

    // Kaleyra creates it after both looks; the last one comes once twice REQUEST_TIMEOUT_MS
    // (30 s) and an interval have passed since the intent.
    await until(() => gateway.sandbox.rooms().length === 1);
    gateway.clock.advance(30_000 - 1);
    await gateway.runJobs();
    expect(gateway.sandbox.rooms()).toHaveLength(1);
    gateway.clock.advance(1);
    await gateway.runJobs();
    expect(gateway.sandbox.rooms()).toEqual([]);
    expect(await gateway.app.storage.jobs.findById(intent?.id ?? '')).toMatchObject({
      state: 'done',
      attempt: 3,
      lastOutcome: '1 of 1 deleted',
    });
    await expectRoomsMatchRecords(gateway, [id]);
  });

  it('times the looks from the failure, however long the creation took', async () => {
    const id = await waitingVisit(gateway, 'late5');
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 1500 });
    const pending = gateway.request(AddParticipantsDocument, { id, participants: [patient('late5-pat')] });
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));
    // Past every wait counted from the first intent while the creation is still out.
    gateway.clock.advance(32_000);
    expect((await pending).errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await gateway.runJobs();
    expect(await sweepingIntent(gateway)).toMatchObject({ state: 'pending', lastOutcome: 'nothing yet' });
    await until(() => gateway.sandbox.rooms().length === 1);
    gateway.clock.advance(SWEEP_INTERVAL_MS);
    await gateway.runJobs();
    expect(gateway.sandbox.rooms()).toEqual([]);
    expect(await sweepingIntent(gateway)).toMatchObject({ state: 'done', lastOutcome: '1 of 1 deleted' });
    await expectRoomsMatchRecords(gateway, [id]);
  });

  it('does not let a look whose listing failed use up a later one', async () => {
    // The interval equal to the longest wait (twice REQUEST_TIMEOUT_MS), as with the defaults.
    await gateway.close();
    gateway = await startTestGateway({ env: { KALEYRA_TIMEOUT_MS: '300', CLEANUP_INTERVAL_MS: '30000' } });
    const id = await waitingVisit(gateway, 'late4');
    // Kaleyra is struggling: the creation times out, and the first listing fails.
    gateway.sandbox.injectFault({ method: 'GET', path: '/v2/rooms', status: 503, times: 'always' });
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 3000 });
    const response = await gateway.request(AddParticipantsDocument, {
      id,
      participants: [patient('late4-pat')],
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await gateway.runJobs();
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'GET' && r.path === '/v2/rooms'));
    gateway.sandbox.clearFaults();
    // The retried look lists fine but too early: nothing yet. Two attempts are gone; the last look
    // is still due.
    gateway.clock.advance(5_000);
    await gateway.runJobs();
    const intent = await sweepingIntent(gateway);
    expect(intent).toMatchObject({ state: 'pending', attempt: 2, lastOutcome: 'nothing yet' });
    await until(() => gateway.sandbox.rooms().length === 1);
    gateway.clock.advance(30_000);
    await gateway.runJobs();
    expect(gateway.sandbox.rooms()).toEqual([]);
    expect(await gateway.app.storage.jobs.findById(intent?.id ?? '')).toMatchObject({
      state: 'done',
      lastOutcome: '1 of 1 deleted',
    });
    await expectRoomsMatchRecords(gateway, [id]);
  });

  it('never deletes the room a stored record points to, whatever its marker', async () => {
    const visit = await scheduledVisit(gateway, 'kept');
    const [intent] = await jobsOf(gateway, 'room-intent');
    // A successful creation closes its intent: no listing, ever.
    expect(intent).toMatchObject({ state: 'done', attempt: 0, lastOutcome: 'room accounted for' });
    gateway.clock.advance(3 * SWEEP_INTERVAL_MS);
    await gateway.runJobs();
    expect(gateway.sandbox.requests().filter((r) => r.method === 'GET' && r.path === '/v2/rooms')).toEqual(
      [],
    );
    expect(gateway.sandbox.rooms().map((room) => room.roomId)).toEqual([visit.roomId]);
  });
});

describe('deletions that fail', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    // One Kaleyra call per job attempt: the client's own retries are off.
    gateway = await startTestGateway({ env: { KALEYRA_RETRY_LIMIT: '0' } });
  });
  afterEach(async () => gateway?.close());

  it('a replaced room whose deletion fails 3 times is deleted by the 4th attempt of one job, once', async () => {
    const visit = await scheduledVisit(gateway, 'retry');
    gateway.sandbox.clearRequests();
    gateway.sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503, times: 3 });
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { participants: [doctor('retry-doc'), patient('retry-pat-2')] },
    });

    await gateway.drainJobs();
    const deletes = () => gateway.sandbox.requests().filter((r) => r.method === 'DELETE');
    expect(deletes().map((r) => r.path)).toEqual(Array(4).fill(`/v2/rooms/${visit.roomId}`));
    const jobs = await jobsOf(gateway, 'room-deletion');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: 'done', attempt: 4, lastOutcome: 'deleted' });
    expect(
      await metric(gateway, 'background_job_attempts_total', { kind: 'room-deletion', result: 'retried' }),
    ).toBe(3);
    expect(
      await metric(gateway, 'background_job_attempts_total', { kind: 'room-deletion', result: 'done' }),
    ).toBe(1);

    // Nothing runs again after success.
    gateway.clock.advance(24 * 3600_000);
    await gateway.drainJobs();
    expect(deletes()).toHaveLength(4);
    expect(gateway.sandbox.rooms().map((room) => room.roomId)).toEqual([updated.roomId]);
    await expectRoomsMatchRecords(gateway, [visit.id]);
  });

  it('gives up after its bound: the job is dead, the check-up says DEGRADED, metrics and logs say which', async () => {
    const visit = await scheduledVisit(gateway, 'dead');
    gateway.sandbox.injectFault({
      method: 'DELETE',
      path: '/v2/rooms/:room_id',
      status: 503,
      times: 'always',
    });
    await gateway.ok(DeleteTeleconsultationDocument, { id: visit.id });
    const healthy = await (await fetch(`${gateway.url}/-/check-up`)).json();
    expect(healthy).toMatchObject({ status: 'OK', dependencies: { store: 'OK', jobs: 'OK' } });

    await gateway.drainJobs();

    const [job] = await jobsOf(gateway, 'room-deletion');
    expect(job).toMatchObject({ state: 'dead', attempt: 30, lastOutcome: 'KaleyraUnavailableError' });
    const checkUp = await fetch(`${gateway.url}/-/check-up`);
    expect(checkUp.status).toBe(200);
    // The status stays OK (lc39's schema has OK and KO only): the dependency says what needs a look.
    expect(await checkUp.json()).toMatchObject({
      status: 'OK',
      dependencies: { store: 'OK', jobs: 'DEGRADED' },
    });
    // Readiness is not affected: the service keeps serving.
    expect((await fetch(`${gateway.url}/-/ready`)).status).toBe(200);
    expect(await metric(gateway, 'background_jobs', { state: 'dead' })).toBe(1);
    expect(
      await metric(gateway, 'background_job_attempts_total', { kind: 'room-deletion', result: 'dead' }),
    ).toBe(1);
    // One log line per attempt's outcome, with ids only.
    const outcomes = gateway
      .logs()
      .split('\n')
      .filter((line) => line.includes(`"jobId":"${job?.id}"`) && line.includes('"result"'));
    expect(outcomes).toHaveLength(30);
    expect(outcomes.join('\n')).not.toContain('test-kaleyra-key');
    // The visit stays cancelled; its room is what a person now deletes by hand.
    expect(gateway.sandbox.rooms().map((room) => room.roomId)).toEqual([visit.roomId]);
  });
});

describe('a cancel marks the record first', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway();
  });
  afterEach(async () => gateway?.close());

  it('with slow deletions and date-only updates every 50 ms, no record ever points at a deleted room', async () => {
    const visit = await scheduledVisit(gateway, 'race');
    gateway.sandbox.injectFault({
      method: 'DELETE',
      path: '/v2/rooms/:room_id',
      delayMs: 400,
      times: 'always',
    });
    let stop = false;
    let minute = 0;
    const updates = (async () => {
      while (!stop) {
        await gateway.request(UpdateTeleconsultationDocument, {
          id: visit.id,
          input: { startDate: inMinutes(121 + (minute++ % 30)) },
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const cancel = await gateway.request(DeleteTeleconsultationDocument, { id: visit.id });
    stop = true;
    await updates;

    const record = await gateway.app.storage.teleconsultations.findById(visit.id);
    if (cancel.errors) {
      // Lost every race: nothing was cancelled, and the room was not touched.
      expect(cancel.errors[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
      expect(record?.state).toBe('active');
    } else {
      expect(record?.state).toBe('trashed');
    }
    await expectRoomsMatchRecords(gateway, [visit.id]);
    // A later update of a cancelled visit is refused; nothing brings the room back.
    const later = await gateway.request(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { startDate: inMinutes(200) },
    });
    if (record?.state === 'trashed')
      expect(later.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    await expectRoomsMatchRecords(gateway, [visit.id]);
  });
});

describe('the store fails right after a room was created', () => {
  it('leaves no live room once the clean-up has run', async () => {
    const storage = createMemoryStorage();
    let failInsert = true;
    const flaky: Storage = {
      ...storage,
      teleconsultations: {
        ...storage.teleconsultations,
        insert: async (data, now) => {
          if (failInsert) {
            failInsert = false;
            throw new Error('insert failed (injected)');
          }
          return storage.teleconsultations.insert(data, now);
        },
      },
    };
    const gateway = await startTestGateway({ overrides: { storage: flaky } });
    try {
      const response = await gateway.request(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(120),
          durationInSeconds: 1800,
          participants: [doctor('sf-doc'), patient('sf-pat')],
        },
      });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
      expect(gateway.sandbox.rooms()).toHaveLength(1);
      await expectRoomsMatchRecords(gateway, []);
      expect(gateway.sandbox.rooms()).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

describe('a room a live record points to', () => {
  /** A store whose job dismissals fail: an intent stays open after its room was accounted for. */
  function undismissableIntents() {
    const storage = createMemoryStorage();
    const flaky: Storage = {
      ...storage,
      jobs: {
        ...storage.jobs,
        dismiss: async () => {
          throw new Error('dismiss failed (injected)');
        },
      },
    };
    return flaky;
  }

  it('survives the sweep of an intent that was never closed (its dismissal failed after the record was stored)', async () => {
    const gateway = await startTestGateway({
      overrides: { storage: undismissableIntents() },
      env: { CLEANUP_INTERVAL_MS: '1000' },
    });
    try {
      const visit = await scheduledVisit(gateway, 'open-intent');
      const [intent] = await jobsOf(gateway, 'room-intent');
      expect(intent).toMatchObject({ state: 'pending' });
      await gateway.drainJobs();

      // The sweep listed the rooms and found this one by its marker, and the store said it is in use.
      expect(gateway.sandbox.requests().some((r) => r.method === 'GET' && r.path === '/v2/rooms')).toBe(true);
      expect(await gateway.app.storage.jobs.findById(intent?.id as string)).toMatchObject({
        state: 'done',
        lastOutcome: '0 of 1 deleted',
      });
      expect(gateway.sandbox.rooms().map((room) => room.roomId)).toEqual([visit.roomId]);
      await expectRoomsMatchRecords(gateway, [visit.id]);
    } finally {
      await gateway.close();
    }
  });

  it('survives a deletion job for it, however that job came to be', async () => {
    const gateway = await startTestGateway();
    try {
      const visit = await scheduledVisit(gateway, 'stray-deletion');
      const { job } = await gateway.app.jobs.enqueue('room-deletion', {
        payload: { roomId: visit.roomId as string, why: 'a stray decision' },
        dedupeKey: 'stray',
      });
      await gateway.drainJobs();
      expect(await gateway.app.storage.jobs.findById(job.id)).toMatchObject({
        state: 'done',
        lastOutcome: 'kept: a record points to it',
      });
      expect(gateway.sandbox.rooms().map((room) => room.roomId)).toEqual([visit.roomId]);
    } finally {
      await gateway.close();
    }
  });
});

describe('two replicas over one store', () => {
  it('run each job to completion exactly once, and take over a job whose owner died', async () => {
    const clock = new ManualClock(T0);
    const storage = createMemoryStorage();
    const first = await startTestGateway({
      clock,
      overrides: { storage },
      env: { KALEYRA_RETRY_LIMIT: '0' },
    });
    const second = await startTestGateway({
      clock,
      sandbox: first.sandbox,
      overrides: { storage },
      env: { KALEYRA_RETRY_LIMIT: '0' },
    });
    try {
      const visits = [];
      for (let index = 0; index < 10; index++) visits.push(await scheduledVisit(first, `r${index}`));
      // Every first attempt fails, so both replicas find the retries due at once.
      first.sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503, times: 10 });
      for (const visit of visits) await second.ok(DeleteTeleconsultationDocument, { id: visit.id });
      await Promise.all([first.runJobs(), second.runJobs()]);
      expect(first.sandbox.rooms()).toHaveLength(10);
      first.sandbox.clearRequests();

      clock.advance(10 * 60_000);
      await Promise.all([first.runJobs(), second.runJobs()]);

      const deletes = first.sandbox.requests().filter((r) => r.method === 'DELETE');
      expect(deletes.map((r) => r.path).sort()).toEqual(visits.map((v) => `/v2/rooms/${v.roomId}`).sort());
      const jobs = await jobsOf(first, 'room-deletion');
      expect(jobs).toHaveLength(10);
      expect(jobs.every((job) => job.state === 'done' && job.attempt === 2)).toBe(true);
      const done = first.app.jobs.stats().ended.done + second.app.jobs.stats().ended.done;
      expect(done).toBe(10);

      // A replica claims a deletion and dies: its lease runs out, the other one finishes the job.
      const orphaned = await scheduledVisit(first, 'crash');
      first.sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503, times: 1 });
      await first.ok(DeleteTeleconsultationDocument, { id: orphaned.id });
      await first.runJobs();
      const [pending] = (await storage.jobs.list({ first: 1, states: ['pending'] })).jobs;
      clock.set(pending?.runAt ?? 0);
      const claimed = await storage.jobs.claim('replica-that-dies', clock.now(), 30_000);
      expect(claimed?.id).toBe(pending?.id);
      await second.runJobs();
      expect(first.sandbox.rooms().map((room) => room.roomId)).toContain(orphaned.roomId);
      clock.advance(30_001);
      await second.runJobs();
      expect(await storage.jobs.findById(pending?.id ?? '')).toMatchObject({ state: 'done', attempt: 3 });
      await expectRoomsMatchRecords(first, [...visits.map((v) => v.id), orphaned.id]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
