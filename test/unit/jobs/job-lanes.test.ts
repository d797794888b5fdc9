/**
 * Concurrency per kind and per concurrency key (src/jobs/job-lane.ts): a kind whose attempts hang
 * holds its own slots only, so another kind's due job starts at once; within a kind, the jobs of
 * one key hold at most `concurrencyPerKey` slots, so the other keys' jobs go on.
 */
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock.js';
import type { RetryPolicy } from '../../../src/jobs/job-retry.js';
import { type JobHandler, JobRunner } from '../../../src/jobs/job-runner.js';
import type { JobRecord, NewJob } from '../../../src/jobs/port.js';
import { createMemoryJobStore } from '../../../src/storage/memory/memory-jobs.js';
import { ManualTimers, settle } from '../../support/manual-timers.js';

const T0 = new Date('2030-04-01T08:00:00.000Z');
const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, jitter: 'equal' };

function setup() {
  const clock = new ManualClock(T0);
  const store = createMemoryJobStore();
  const runner = new JobRunner({
    store,
    logger: pino({ level: 'silent' }),
    clock,
    owner: 'replica-a',
    random: () => 0.5,
    timers: new ManualTimers(clock),
    // The default for kinds registered without their own.
    concurrency: 4,
  });
  let counter = 0;
  const enqueue = (job: Partial<NewJob> & { kind: string }) =>
    store.enqueue({ payload: {}, dedupeKey: `d-${++counter}`, maxAttempts: 3, ...job }, clock.now());
  return { store, runner, enqueue };
}

/** A handler whose attempts stay running until `release()`; `started` lists what it ran. */
function hanging() {
  const started: JobRecord[] = [];
  let releaseAll: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    releaseAll = resolve;
  });
  const handler: JobHandler = async (job) => {
    started.push(job);
    await released;
    return {};
  };
  return { handler, started, release: () => releaseAll() };
}

describe('concurrency per job kind', () => {
  it('starts a due job of one kind at once while another kind’s attempts hang in every slot of theirs', async () => {
    const { runner, enqueue } = setup();
    const deliveries = hanging();
    const deletions: string[] = [];
    runner.register('delivery', deliveries.handler, { retry: POLICY, concurrency: 3 }).register(
      'deletion',
      async (job) => {
        deletions.push(job.id);
        return {};
      },
      { retry: POLICY, concurrency: 1 },
    );
    for (let n = 0; n < 30; n++) await enqueue({ kind: 'delivery' });
    runner.kick();
    await settle();
    expect(deliveries.started).toHaveLength(3);

    // Due after every delivery, and claimed at once all the same: deletions have their own slot.
    const { job } = await runner.enqueue('deletion', { payload: {}, dedupeKey: 'room-1' });
    await settle();
    expect(deletions).toEqual([job.id]);
    expect(deliveries.started).toHaveLength(3);
    expect(runner.stats().running).toBe(3);

    deliveries.release();
    await runner.runDue();
    expect(deliveries.started).toHaveLength(30);
  });

  it('gives a kind registered without its own concurrency the runner’s default', async () => {
    const { runner, enqueue } = setup();
    const work = hanging();
    runner.register('sweep', work.handler, { retry: POLICY });
    for (let n = 0; n < 6; n++) await enqueue({ kind: 'sweep' });
    const run = runner.runDue();
    await settle();
    expect(work.started).toHaveLength(4);
    work.release();
    await run;
    expect(work.started).toHaveLength(6);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    const { runner } = setup();
    const handler: JobHandler = async () => ({});
    expect(() => runner.register('a', handler, { retry: POLICY, concurrency: 0 })).toThrow(RangeError);
    expect(() => runner.register('b', handler, { retry: POLICY, concurrency: 1.5 })).toThrow(RangeError);
    expect(() => runner.register('c', handler, { retry: POLICY, concurrencyPerKey: 0 })).toThrow(RangeError);
  });
});

describe('concurrency per key within a kind', () => {
  it('lets one key hold at most its share of the slots: the other keys’ jobs run beside it', async () => {
    const { runner, enqueue, store } = setup();
    const work = hanging();
    runner.register('delivery', work.handler, { retry: POLICY, concurrency: 4, concurrencyPerKey: 2 });
    // The slow endpoint's jobs are due first, and many.
    for (let n = 0; n < 10; n++) await enqueue({ kind: 'delivery', concurrencyKey: 'slow' });
    for (let n = 0; n < 3; n++) await enqueue({ kind: 'delivery', concurrencyKey: 'fast' });
    await enqueue({ kind: 'delivery' });

    const run = runner.runDue();
    await settle();
    const running = () => work.started.map((job) => job.concurrencyKey);
    expect(running().filter((key) => key === 'slow')).toHaveLength(2);
    expect(running().filter((key) => key === 'fast')).toHaveLength(2);
    expect(work.started).toHaveLength(4);
    expect(await store.counts()).toMatchObject({ running: 4 });

    work.release();
    await run;
    expect(work.started).toHaveLength(14);
    expect(await store.counts()).toMatchObject({ done: 14 });
  });

  it('never lets two workers racing for the same key both take its last slot', async () => {
    const { runner, enqueue } = setup();
    const work = hanging();
    runner.register('delivery', work.handler, { retry: POLICY, concurrency: 8, concurrencyPerKey: 3 });
    for (let n = 0; n < 20; n++) await enqueue({ kind: 'delivery', concurrencyKey: 'one' });
    // Five workers are started before any claim has come back.
    for (let n = 0; n < 5; n++) runner.kick();
    await settle();
    expect(work.started).toHaveLength(3);
    work.release();
    await runner.runDue();
    expect(work.started).toHaveLength(20);
  });
});
