import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock.js';
import {
  afterFailure,
  backoffCeilingMs,
  backoffDelayMs,
  JobFailure,
  PermanentJobError,
  type RetryPolicy,
  WEBHOOK_RETRY_POLICY,
} from '../../../src/jobs/job-retry.js';
import {
  type JobHandler,
  type JobOutcomeEvent,
  JobRunner,
  type JobRunnerOptions,
} from '../../../src/jobs/job-runner.js';
import type { JobRecord, JobStore, NewJob } from '../../../src/jobs/port.js';
import { createMemoryJobStore } from '../../../src/storage/memory/memory-jobs.js';
import { deferred } from '../../support/deferred.js';
import { ManualTimers, settle } from '../../support/manual-timers.js';

const T0 = new Date('2030-04-01T08:00:00.000Z');
const LEASE_MS = 10_000;
const SECOND = 1000;
const HOUR = 3_600_000;

const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, jitter: 'equal' };

/** A store, a clock, and runners on them that log into `lines`. */
function setup(seed: readonly JobRecord[] = []) {
  const clock = new ManualClock(T0);
  const store = createMemoryJobStore({ seed });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const events: JobOutcomeEvent[] = [];
  const runner = (options: Partial<JobRunnerOptions> = {}) =>
    new JobRunner({
      store,
      logger,
      clock,
      owner: 'replica-a',
      random: () => 0.5,
      timers: new ManualTimers(clock),
      leaseMs: LEASE_MS,
      observe: (event) => events.push(event),
      ...options,
    });
  const enqueue = (job: Partial<NewJob> = {}) =>
    store.enqueue(
      {
        kind: 'webhook',
        payload: { secret: 's3cret' },
        dedupeKey: `d-${Math.random()}`,
        maxAttempts: 3,
        ...job,
      },
      clock.now(),
    );
  return { clock, store, lines, events, runner, enqueue };
}

const state = async (store: JobStore, id: string) => store.findById(id);

describe('backoff', () => {
  it('doubles the delay ceiling from the base up to the cap', () => {
    const ceilings = Array.from(
      { length: 13 },
      (_, index) => backoffCeilingMs(WEBHOOK_RETRY_POLICY, index + 1) / SECOND,
    );
    expect(ceilings).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600]);
    // Far past the cap the arithmetic stays finite.
    expect(backoffCeilingMs(WEBHOOK_RETRY_POLICY, 100_000)).toBe(600_000);
  });

  it('draws full jitter from [0, ceiling) and equal jitter from [ceiling / 2, ceiling)', () => {
    const full: RetryPolicy = { ...POLICY, jitter: 'full' };
    const almostOne = 1 - Number.EPSILON;
    // Third failure: ceiling 4 s.
    expect([0, 0.25, 0.5, almostOne].map((r) => backoffDelayMs(full, 3, () => r))).toEqual([
      0, 1000, 2000, 3999,
    ]);
    expect([0, 0.25, 0.5, almostOne].map((r) => backoffDelayMs(POLICY, 3, () => r))).toEqual([
      2000, 2500, 3000, 3999,
    ]);
    // Capped at 8 s from the fourth failure on.
    expect(backoffDelayMs(POLICY, 9, () => 0)).toBe(4000);
  });

  it('gives webhooks about a day of retries: 152 delays at their ceilings add up to just under 24 h', () => {
    const delays = (count: number) =>
      Array.from({ length: count }, (_, index) => backoffCeilingMs(WEBHOOK_RETRY_POLICY, index + 1)).reduce(
        (sum, delay) => sum + delay,
        0,
      );
    const retries = WEBHOOK_RETRY_POLICY.maxAttempts - 1;
    expect(delays(retries)).toBe(86_223_000);
    expect(delays(retries)).toBeLessThanOrEqual(24 * HOUR);
    expect(delays(retries + 1)).toBeGreaterThan(24 * HOUR);
    // Equal jitter never less than half of it.
    const shortest = Array.from({ length: retries }, (_, index) =>
      backoffDelayMs(WEBHOOK_RETRY_POLICY, index + 1, () => 0),
    ).reduce((sum, delay) => sum + delay, 0);
    expect(shortest / HOUR).toBeGreaterThan(11.9);
  });

  it('decides retry or death from the attempt, the error, the Retry-After and the window', () => {
    const job = { attempt: 1, maxAttempts: 3, createdAt: T0 };
    const at = (ms: number) => new Date(T0.getTime() + ms);

    expect(afterFailure(job, new Error('boom'), POLICY, T0, () => 0.5)).toEqual({
      action: 'retry',
      runAt: at(750),
    });
    expect(afterFailure({ ...job, attempt: 3 }, new Error('boom'), POLICY, T0, () => 0.5)).toEqual({
      action: 'dead',
      reason: 'attempts exhausted',
    });
    expect(afterFailure(job, new PermanentJobError('gone'), POLICY, T0, () => 0.5)).toEqual({
      action: 'dead',
      reason: 'permanent',
    });
    expect(
      afterFailure(job, new JobFailure('slow down', { retryAfterMs: 60_000 }), POLICY, T0, () => 0.5),
    ).toEqual({
      action: 'retry',
      runAt: at(60_000),
    });
    const windowed = { ...POLICY, retryWindowMs: 10_000 };
    expect(afterFailure(job, new Error('boom'), windowed, at(9_000), () => 0.5)).toEqual({
      action: 'retry',
      runAt: at(9_750),
    });
    expect(afterFailure(job, new Error('boom'), windowed, at(9_500), () => 0.5)).toEqual({
      action: 'dead',
      reason: 'retry window exhausted',
    });
  });
});

describe('job runner', () => {
  it('runs a due job to done, records its outcome and logs one line with ids only', async () => {
    const { store, lines, events, runner, enqueue } = setup();
    const { job } = await enqueue();
    const seen: { id: string; aborted: boolean }[] = [];
    const handler: JobHandler = async (claimed, signal) => {
      seen.push({ id: claimed.id, aborted: signal.aborted });
      return { outcome: '204' };
    };
    const jobs = runner().register('webhook', handler, { retry: POLICY });

    await jobs.runDue();

    expect(seen).toEqual([{ id: job.id, aborted: false }]);
    expect(await state(store, job.id)).toMatchObject({ state: 'done', attempt: 1, lastOutcome: '204' });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'job done',
        jobId: job.id,
        kind: 'webhook',
        attempt: 1,
        result: 'done',
        outcome: '204',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(events).toEqual([{ kind: 'webhook', jobId: job.id, attempt: 1, result: 'done', durationMs: 0 }]);
    expect(jobs.stats()).toEqual({
      running: 0,
      ended: { done: 1, retried: 0, dead: 0, lost: 0, unrecorded: 0 },
    });
  });

  it('retries a failed attempt after the jittered backoff, then completes it', async () => {
    const { clock, store, lines, runner, enqueue } = setup();
    const { job } = await enqueue();
    let calls = 0;
    const jobs = runner({ random: () => 0.25 }).register(
      'webhook',
      async () => {
        calls += 1;
        if (calls === 1) throw new JobFailure('HTTP 503', { outcome: '503' });
        return {};
      },
      { retry: POLICY },
    );

    await jobs.runDue();
    // Equal jitter on a 1 s ceiling with random 0.25: 500 + 125 ms.
    expect(await state(store, job.id)).toMatchObject({
      state: 'pending',
      runAt: new Date(T0.getTime() + 625),
      lastError: 'HTTP 503',
      lastOutcome: '503',
    });
    expect(lines.at(-1)).toMatchObject({
      msg: 'job attempt failed; retry scheduled',
      result: 'retried',
      error: 'HTTP 503',
    });

    clock.advance(624);
    await jobs.runDue();
    expect(calls).toBe(1);
    clock.advance(1);
    await jobs.runDue();
    expect(calls).toBe(2);
    expect(await state(store, job.id)).toMatchObject({ state: 'done', attempt: 2, lastError: 'HTTP 503' });
  });

  it('marks a job dead after maxAttempts failures', async () => {
    const { clock, store, lines, runner, enqueue } = setup();
    const { job } = await enqueue({ maxAttempts: 3 });
    const jobs = runner().register(
      'webhook',
      async () => {
        throw new Error('connection refused');
      },
      { retry: POLICY },
    );

    for (let round = 0; round < 5; round++) {
      await jobs.runDue();
      clock.advance(60_000);
    }

    expect(await state(store, job.id)).toMatchObject({
      state: 'dead',
      attempt: 3,
      lastError: 'connection refused',
    });
    expect(jobs.stats().ended).toMatchObject({ retried: 2, dead: 1 });
    expect(lines.at(-1)).toMatchObject({
      msg: 'job dead',
      level: 50,
      reason: 'attempts exhausted',
      maxAttempts: 3,
    });
  });

  it('marks a job dead at once on a PermanentJobError, with its outcome', async () => {
    const { store, runner, enqueue } = setup();
    const { job } = await enqueue();
    const jobs = runner().register(
      'webhook',
      async () => {
        throw new PermanentJobError('endpoint gone', { outcome: '410' });
      },
      { retry: POLICY },
    );

    await jobs.runDue();

    expect(await state(store, job.id)).toMatchObject({
      state: 'dead',
      attempt: 1,
      lastError: 'endpoint gone',
      lastOutcome: '410',
    });
  });

  it('keeps renewing the lease of a long attempt, so no other replica takes it over', async () => {
    const { clock, store, runner, enqueue } = setup();
    const { job } = await enqueue();
    const release = deferred<{ outcome?: string }>();
    const timers = new ManualTimers(clock);
    const jobs = runner({ timers }).register('webhook', () => release.promise, { retry: POLICY });

    const run = jobs.runDue();
    await timers.advance(5 * LEASE_MS);

    expect(await state(store, job.id)).toMatchObject({
      state: 'running',
      leaseOwner: 'replica-a',
      leaseUntil: new Date(T0.getTime() + 5 * LEASE_MS + LEASE_MS),
    });
    expect(await store.claim('replica-b', clock.now(), LEASE_MS)).toBeNull();
    expect(jobs.stats().running).toBe(1);

    release.resolve({});
    await run;
    expect(await state(store, job.id)).toMatchObject({ state: 'done', attempt: 1 });
    // Nothing left scheduled once the attempt ended.
    expect(timers.scheduled).toBe(0);
  });

  it('runs up to its concurrency of attempts at once, and no more', async () => {
    const { store, runner, enqueue } = setup();
    for (let n = 0; n < 5; n++) await enqueue();
    const release = deferred<{ outcome?: string }>();
    let started = 0;
    const jobs = runner({ concurrency: 3 }).register(
      'webhook',
      () => {
        started += 1;
        return release.promise;
      },
      { retry: POLICY },
    );

    const run = jobs.runDue();
    await settle();
    expect(started).toBe(3);
    expect(jobs.stats().running).toBe(3);
    expect(await store.counts()).toMatchObject({ running: 3, pending: 2 });

    release.resolve({});
    await run;
    expect(started).toBe(5);
    expect(await store.counts()).toMatchObject({ done: 5 });
  });

  it('runs each job once to completion when two runners share one store', async () => {
    const { clock, store, runner, enqueue } = setup();
    const ids: string[] = [];
    for (let n = 0; n < 20; n++) ids.push((await enqueue()).job.id);
    const runs = new Map<string, number>();
    const handler: JobHandler = async (job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await settle();
      return {};
    };
    const timers = new ManualTimers(clock);
    const a = runner({ owner: 'replica-a', timers, concurrency: 3 }).register('webhook', handler, {
      retry: POLICY,
    });
    const b = runner({ owner: 'replica-b', timers, concurrency: 3 }).register('webhook', handler, {
      retry: POLICY,
    });

    await Promise.all([a.runDue(), b.runDue()]);

    expect([...runs.values()]).toEqual(ids.map(() => 1));
    expect(new Set(runs.keys())).toEqual(new Set(ids));
    expect(await store.counts()).toMatchObject({ done: 20, running: 0, pending: 0 });
    expect(a.stats().ended.done + b.stats().ended.done).toBe(20);
    expect(a.stats().ended.done).toBeGreaterThan(0);
    expect(b.stats().ended.done).toBeGreaterThan(0);
  });

  it("hands a dead runner's job to the other after the lease, and ignores the dead one's late result", async () => {
    const { clock, store, runner, enqueue } = setup();
    const { job } = await enqueue();
    const hung = deferred<{ outcome?: string }>();
    let hungSignal: AbortSignal | undefined;
    // The dying runner's timers never fire (it renews nothing) until the very end.
    const dyingTimers = new ManualTimers(clock);
    const dying = runner({ owner: 'dying', timers: dyingTimers }).register(
      'webhook',
      (_job, signal) => {
        hungSignal = signal;
        return hung.promise;
      },
      { retry: POLICY },
    );
    const survivorTimers = new ManualTimers(clock);
    const survivor = runner({ owner: 'survivor', timers: survivorTimers }).register(
      'webhook',
      async () => ({ outcome: '200' }),
      { retry: POLICY },
    );

    const dyingRun = dying.runDue();
    await settle();
    expect(await state(store, job.id)).toMatchObject({ state: 'running', leaseOwner: 'dying' });

    await survivorTimers.advance(LEASE_MS - 1);
    await survivor.runDue();
    expect(await state(store, job.id)).toMatchObject({ state: 'running', leaseOwner: 'dying' });

    await survivorTimers.advance(1);
    await survivor.runDue();
    const done = await state(store, job.id);
    expect(done).toMatchObject({ state: 'done', attempt: 2, lastOutcome: '200' });

    // The dying runner wakes: its renewal finds the claim lost and aborts the attempt...
    await dyingTimers.advance(0);
    expect(hungSignal?.aborted).toBe(true);
    // ...and whatever the attempt then returns is not recorded.
    hung.resolve({ outcome: 'stale' });
    await dyingRun;
    expect(await state(store, job.id)).toEqual(done);
    expect(dying.stats().ended).toMatchObject({ done: 0, lost: 1 });
  });

  it('abandons an attempt past its timeout: the signal aborts and the failure is retried', async () => {
    const { clock, store, runner, enqueue } = setup();
    const { job } = await enqueue();
    let signal: AbortSignal | undefined;
    const timers = new ManualTimers(clock);
    const jobs = runner({ timers }).register(
      'webhook',
      (_job, given) => {
        signal = given;
        return new Promise(() => {});
      },
      { retry: POLICY, timeoutMs: 3000 },
    );

    const run = jobs.runDue();
    await timers.advance(2999);
    expect(signal?.aborted).toBe(false);
    await timers.advance(1);
    await run;

    expect(signal?.aborted).toBe(true);
    expect(await state(store, job.id)).toMatchObject({
      state: 'pending',
      lastError: 'timed out after 3000 ms',
    });
  });

  it('kills without running it a job whose lease expired on its last attempt (a crash loop)', async () => {
    const { store, lines, runner } = setup([
      {
        id: 'aaaaaaaaaaaaaaaaaaaaaaa1',
        kind: 'webhook',
        payload: {},
        dedupeKey: 'poison',
        orderKey: null,
        sequence: null,
        concurrencyKey: null,
        state: 'running',
        attempt: 3,
        maxAttempts: 3,
        runAt: T0,
        leaseOwner: 'crashed',
        leaseUntil: T0,
        lastError: null,
        lastOutcome: null,
        createdAt: T0,
        updatedAt: T0,
        finishedAt: null,
      },
    ]);
    let calls = 0;
    const jobs = runner().register(
      'webhook',
      async () => {
        calls += 1;
        return {};
      },
      { retry: POLICY },
    );

    await jobs.runDue();

    expect(calls).toBe(0);
    expect(await state(store, 'aaaaaaaaaaaaaaaaaaaaaaa1')).toMatchObject({
      state: 'dead',
      attempt: 4,
      lastError: 'lease expired on the last of 3 attempts (the worker died or hung)',
    });
    expect(lines.at(-1)).toMatchObject({ msg: 'job dead', reason: 'attempts exhausted' });
  });

  it('logs store failures instead of throwing them, and a throwing observer changes nothing', async () => {
    const { store, lines, runner, enqueue } = setup();
    const { job } = await enqueue();
    let claims = 0;
    const failing: JobStore = {
      ...store,
      claim: async (...args) => {
        claims += 1;
        if (claims === 1) throw new Error('store unreachable');
        return store.claim(...args);
      },
      complete: async () => {
        throw new Error('write failed');
      },
    };
    const jobs = runner({
      store: failing,
      observe: () => {
        throw new Error('observer bug');
      },
    }).register('webhook', async () => ({}), { retry: POLICY });

    await jobs.runDue();
    expect(lines.at(-1)).toMatchObject({
      msg: 'job claim failed; retrying at the next poll',
      err: 'store unreachable',
    });

    await jobs.runDue();
    expect(jobs.stats().ended).toMatchObject({ done: 0, unrecorded: 1 });
    expect(lines.map((line) => line.msg)).toContain(
      'job attempt ended but could not be recorded; it will run again',
    );
    expect(lines.at(-1)).toMatchObject({ msg: 'job outcome observer failed' });
    // Still running under this owner: the lease will expire and the job run again.
    expect(await state(store, job.id)).toMatchObject({ state: 'running', attempt: 1 });
  });

  it('claims only the kinds it registered', async () => {
    const { store, runner, enqueue } = setup();
    const { job } = await enqueue({ kind: 'unknown-here' });
    const jobs = runner().register('webhook', async () => ({}), { retry: POLICY });

    await jobs.runDue();

    expect(await state(store, job.id)).toMatchObject({ state: 'pending', attempt: 0 });
  });

  it("enqueues with its kind's attempt bound, idempotently, and runs the new job without waiting for a poll", async () => {
    const { store, runner } = setup();
    const ran = deferred<string>();
    const jobs = runner().register(
      'webhook',
      async (job) => {
        ran.resolve(job.id);
        return {};
      },
      { retry: { ...POLICY, maxAttempts: 7 } },
    );

    const first = await jobs.enqueue('webhook', { payload: { eventId: 'e1' }, dedupeKey: 'e1' });
    const again = await jobs.enqueue('webhook', { payload: { eventId: 'e1' }, dedupeKey: 'e1' });

    expect(first).toMatchObject({ created: true, job: { maxAttempts: 7 } });
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    expect(await ran.promise).toBe(first.job.id);
    await settle();
    expect(await state(store, first.job.id)).toMatchObject({ state: 'done' });
    await expect(jobs.enqueue('mail', { payload: {}, dedupeKey: 'm1' })).rejects.toThrow(/not registered/);
  });

  it('leaves a job enqueued for later, and other due work, to the poll', async () => {
    const { clock, store, runner, enqueue } = setup();
    const ran: string[] = [];
    const jobs = runner().register(
      'webhook',
      async (job) => {
        ran.push(job.id);
        return {};
      },
      { retry: POLICY },
    );
    // Due, but enqueued straight into the store: only a claim (a poll, a kick) runs it.
    const waiting = await enqueue();

    const later = await jobs.enqueue('webhook', {
      payload: {},
      dedupeKey: 'later',
      runAt: new Date(T0.getTime() + 60_000),
    });
    await settle();

    expect(later).toMatchObject({
      created: true,
      job: { state: 'pending', maxAttempts: POLICY.maxAttempts },
    });
    expect(ran).toEqual([]);
    expect(await state(store, waiting.job.id)).toMatchObject({ state: 'pending', attempt: 0 });
    clock.advance(60_000);
    await jobs.runDue();
    expect(ran.sort()).toEqual([waiting.job.id, later.job.id].sort());
  });

  it('holds a due job enqueued with kick: false until the caller kicks', async () => {
    const { store, runner } = setup();
    const ran: string[] = [];
    const jobs = runner().register(
      'webhook',
      async (job) => {
        ran.push(job.id);
        return {};
      },
      { retry: POLICY },
    );

    const { job } = await jobs.enqueue('webhook', { payload: {}, dedupeKey: 'held' }, { kick: false });
    await settle();
    expect(ran).toEqual([]);
    expect(await state(store, job.id)).toMatchObject({ state: 'pending', attempt: 0 });

    jobs.kick();
    await settle();
    expect(ran).toEqual([job.id]);
  });

  it('expedites a job due later and runs it at once; dismisses one whose work became unnecessary', async () => {
    const { store, runner } = setup();
    const ran: string[] = [];
    const jobs = runner().register(
      'webhook',
      async (job) => {
        ran.push(job.id);
        return {};
      },
      { retry: POLICY },
    );
    const runAt = new Date(T0.getTime() + 60_000);
    const urgent = await jobs.enqueue('webhook', { payload: {}, dedupeKey: 'urgent', runAt });
    const moot = await jobs.enqueue('webhook', { payload: {}, dedupeKey: 'moot', runAt });

    expect(await jobs.dismiss(moot.job.id, 'not needed any more')).toBe(true);
    expect(await jobs.expedite(urgent.job.id)).toBe(true);
    await settle();

    expect(ran).toEqual([urgent.job.id]);
    expect(await state(store, urgent.job.id)).toMatchObject({ state: 'done' });
    expect(await state(store, moot.job.id)).toMatchObject({
      state: 'done',
      lastOutcome: 'not needed any more',
    });
    // Already done: neither changes it.
    expect(await jobs.expedite(urgent.job.id)).toBe(false);
    expect(await jobs.dismiss(urgent.job.id, 'late')).toBe(false);
  });

  it('polls from start(): runs retries as they come due and resumes keys stalled by a crash', async () => {
    const stalled: JobRecord = {
      id: 'aaaaaaaaaaaaaaaaaaaaaaa2',
      kind: 'webhook',
      payload: {},
      dedupeKey: 'k:2',
      orderKey: 'k',
      sequence: 2,
      concurrencyKey: null,
      state: 'waiting',
      attempt: 0,
      maxAttempts: 3,
      runAt: T0,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      lastOutcome: null,
      createdAt: T0,
      updatedAt: T0,
      finishedAt: null,
    };
    const { clock, store, runner, enqueue } = setup([stalled]);
    const later = await enqueue({ runAt: new Date(T0.getTime() + 4500) });
    const timers = new ManualTimers(clock);
    const ran: string[] = [];
    const jobs = runner({ timers, sweepIntervalMs: 60_000 }).register(
      'webhook',
      async (job) => {
        ran.push(job.id);
        return {};
      },
      { retry: POLICY },
    );

    jobs.start(1000);
    await timers.advance(0);
    expect(ran).toEqual([stalled.id]);
    await timers.advance(4000);
    expect(ran).toEqual([stalled.id]);
    await timers.advance(1000);
    expect(ran).toEqual([stalled.id, later.job.id]);
    await jobs.stop();
    expect(timers.scheduled).toBe(0);
    expect(await store.counts()).toMatchObject({ done: 2 });
  });

  it('stop() waits for running attempts, then claims nothing more', async () => {
    const { store, runner, enqueue } = setup();
    const first = await enqueue();
    const release = deferred<{ outcome?: string }>();
    const calls: string[] = [];
    const jobs = runner().register(
      'webhook',
      async (job) => {
        calls.push(job.id);
        return release.promise;
      },
      { retry: POLICY },
    );

    void jobs.runDue();
    await settle();
    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    const second = await enqueue();
    jobs.kick();
    await settle();
    expect(stopped).toBe(false);

    release.resolve({ outcome: 'ok' });
    await stopping;

    expect(await state(store, first.job.id)).toMatchObject({ state: 'done', lastOutcome: 'ok' });
    await jobs.runDue();
    expect(calls).toEqual([first.job.id]);
    expect(await state(store, second.job.id)).toMatchObject({ state: 'pending' });
    expect(() => jobs.start(1000)).toThrow(/stopped/);
  });

  it('stop() gives up after its timeout: aborts the attempt and leaves its lease to expire', async () => {
    const { clock, store, lines, runner, enqueue } = setup();
    const { job } = await enqueue();
    let signal: AbortSignal | undefined;
    const timers = new ManualTimers(clock);
    const jobs = runner({ timers, stopTimeoutMs: 5000 }).register(
      'webhook',
      (_job, given) => {
        signal = given;
        return new Promise(() => {});
      },
      { retry: POLICY },
    );
    void jobs.runDue();
    await settle();

    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    await timers.advance(4999);
    expect(stopped).toBe(false);
    await timers.advance(1);
    await stopping;

    expect(signal?.aborted).toBe(true);
    expect(lines.at(-1)).toMatchObject({
      msg: expect.stringContaining('leases will expire'),
      jobIds: [job.id],
    });
    // Not released: still this replica's until the lease renewed at half-lease ends, and no
    // renewal is left scheduled.
    const leaseEnd = new Date(T0.getTime() + LEASE_MS / 2 + LEASE_MS);
    expect(await state(store, job.id)).toMatchObject({
      state: 'running',
      leaseOwner: 'replica-a',
      leaseUntil: leaseEnd,
    });
    expect(timers.scheduled).toBe(0);
    clock.set(leaseEnd);
    expect(await store.claim('replica-b', clock.now(), LEASE_MS)).toMatchObject({ id: job.id, attempt: 2 });
  });
});
