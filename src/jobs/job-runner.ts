import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { clipForLog } from '../shared/log-values.js';
import type { JobHandler, JobKindOptions, JobQueue, JobRequest, JobResult } from './job-kind.js';
import { JobLane } from './job-lane.js';
import { keepLease } from './job-lease.js';
import type { JobOutcomeEvent, JobOutcomeResult, JobRunnerStats } from './job-outcome.js';
import { afterFailure, checkRetryPolicy, JobFailure, type RetryPolicy } from './job-retry.js';
import { type JobTimers, systemTimers } from './job-timers.js';
import { inJobSpan, recordJobOutcome, withTraceContext } from './job-trace.js';
import type { JobRecord, JobStore } from './port.js';

export type { JobHandler, JobKind, JobKindOptions, JobQueue, JobRequest, JobResult } from './job-kind.js';
export type { JobOutcomeEvent, JobOutcomeResult, JobRunnerStats } from './job-outcome.js';
export { type JobTimers, systemTimers } from './job-timers.js';

export interface JobRunnerOptions {
  store: JobStore;
  logger: Logger;
  clock: Clock;
  /** Names this replica in leases (and the back office); unique per process by default. */
  owner?: string;
  /** [0, 1), for jitter; Math.random by default. */
  random?: () => number;
  timers?: JobTimers;
  /** How long a claim lasts without renewal: how soon another replica takes over a dead one's job. */
  leaseMs?: number;
  /** Attempts of one kind run at once by this replica, for kinds registered without their own. */
  concurrency?: number;
  /** How long stop() waits for running attempts before abandoning them. */
  stopTimeoutMs?: number;
  /** How often the loop repairs order keys stalled by a crash (promoteStalled). */
  sweepIntervalMs?: number;
  observe?: (event: JobOutcomeEvent) => void;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const MAX_ERROR_LENGTH = 1000;
const MAX_OUTCOME_LENGTH = 100;

export function defaultJobOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

interface Running {
  controller: AbortController;
  stopRenewing(): void;
}

type Settled = { ok: true; result: JobResult } | { ok: false; error: unknown };

/**
 * This replica's side of the job queue: it claims due jobs of the kinds registered here, runs
 * them with bounded concurrency (per kind, and per concurrency key within a kind: see JobLane),
 * keeps their leases while they run, and records each attempt's end through the store's fence.
 * Correctness across replicas comes from the store's conditional writes, not from anything held
 * in this process.
 */
export class JobRunner implements JobQueue {
  readonly owner: string;
  private readonly store: JobStore;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timers: JobTimers;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly stopTimeoutMs: number;
  private readonly sweepIntervalMs: number;
  private readonly observe: ((event: JobOutcomeEvent) => void) | undefined;

  private readonly kinds = new Map<string, { handler: JobHandler; lane: JobLane } & JobKindOptions>();
  private readonly running = new Map<string, Running>();
  /** Workers alive, of every lane: each is claiming or running one job. */
  private workers = 0;
  private idleWaiters: (() => void)[] = [];
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private loopTimer: unknown = null;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly ended: Record<JobOutcomeResult, number> = {
    done: 0,
    retried: 0,
    dead: 0,
    lost: 0,
    unrecorded: 0,
  };

  constructor(options: JobRunnerOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.clock = options.clock;
    this.owner = options.owner ?? defaultJobOwner();
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? systemTimers;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    this.observe = options.observe;
    if (!Number.isSafeInteger(this.leaseMs) || this.leaseMs < 2)
      throw new RangeError(`leaseMs must be an integer of at least 2, got ${this.leaseMs}`);
    checkPositive('concurrency', this.concurrency);
  }

  /** Runs jobs of `kind` here. Replicas claim only the kinds they registered. */
  register(kind: string, handler: JobHandler, options: JobKindOptions): this {
    if (this.kinds.has(kind)) throw new Error(`job kind ${kind} is already registered`);
    checkRetryPolicy(options.retry);
    checkPositive('timeoutMs', options.timeoutMs);
    checkPositive('concurrency', options.concurrency);
    checkPositive('concurrencyPerKey', options.concurrencyPerKey);
    const lane = new JobLane(kind, options.concurrency ?? this.concurrency, options.concurrencyPerKey);
    this.kinds.set(kind, { handler, ...options, lane });
    return this;
  }

  async enqueue(
    kind: string,
    job: JobRequest,
    options: { kick?: boolean } = {},
  ): Promise<{ job: JobRecord; created: boolean }> {
    const registered = this.kinds.get(kind);
    if (registered === undefined) throw new Error(`job kind ${kind} is not registered`);
    const now = this.clock.now();
    const enqueued = await this.store.enqueue(
      withTraceContext({ ...job, kind, maxAttempts: registered.retry.maxAttempts }),
      now,
    );
    // A job due later starts at its time (a poll); waking workers now would only run other work.
    const due = job.runAt === undefined || job.runAt.getTime() <= now.getTime();
    if (enqueued.created && due && options.kick !== false) this.addWorker(registered.lane);
    return enqueued;
  }

  async expedite(jobId: string): Promise<boolean> {
    const expedited = await this.store.expedite(jobId, this.clock.now());
    this.kick();
    return expedited;
  }

  dismiss(jobId: string, outcome: string): Promise<boolean> {
    return this.store.dismiss(jobId, this.clock.now(), outcome);
  }

  /** Claims and runs due jobs until none is left; resolves once every attempt has ended. */
  runDue(): Promise<void> {
    this.kick();
    return this.whenIdle();
  }

  kick(): void {
    for (const { lane } of this.kinds.values()) this.addWorker(lane);
  }

  /** Polls every `intervalMs` (other replicas' jobs, retries coming due) and sweeps stalled keys. */
  start(intervalMs: number): void {
    if (this.stopping) throw new Error('job runner is stopped');
    if (!(Number.isSafeInteger(intervalMs) && intervalMs >= 1))
      throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
    if (this.loopTimer !== null) return;
    const tick = async () => {
      await this.sweepIfDue();
      this.kick();
      if (!this.stopping) this.loopTimer = this.timers.setTimeout(() => void tick(), intervalMs);
    };
    this.loopTimer = this.timers.setTimeout(() => void tick(), 0);
  }

  /**
   * Stops claiming, then waits up to stopTimeoutMs for running attempts to end. Attempts still
   * running then are aborted and their leases left to expire: another replica takes the jobs
   * over, and a result that comes in later is still recorded only if nobody has.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (this.loopTimer !== null) this.timers.clearTimeout(this.loopTimer);
      this.loopTimer = null;
      let timer: unknown;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = this.timers.setTimeout(() => resolve(true), this.stopTimeoutMs);
      });
      const gaveUp = await Promise.race([this.whenIdle().then(() => false), timedOut]);
      this.timers.clearTimeout(timer);
      if (gaveUp) {
        const abandoned = [...this.running.keys()];
        for (const running of this.running.values()) {
          running.stopRenewing();
          running.controller.abort(new Error('job runner stopped'));
        }
        this.logger.warn(
          { jobIds: abandoned },
          'job runner stopped with attempts still running; their leases will expire',
        );
      }
    })();
    return this.stopped;
  }

  stats(): JobRunnerStats {
    return { running: this.running.size, ended: { ...this.ended } };
  }

  private whenIdle(): Promise<void> {
    if (this.workers === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** One more worker for `lane`, if it has a free slot: it claims and runs jobs until none is due. */
  private addWorker(lane: JobLane): void {
    if (this.stopping || !lane.hasRoom()) return;
    lane.workers += 1;
    this.workers += 1;
    void this.work(lane)
      .catch((error: unknown) => this.logger.error({ err: errorMessage(error) }, 'job worker failed'))
      .finally(() => {
        lane.workers -= 1;
        this.workers -= 1;
        if (this.workers > 0) return;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      });
  }

  private async work(lane: JobLane): Promise<void> {
    while (!this.stopping) {
      let job: JobRecord | null;
      try {
        job = await lane.claim((skipKeys) =>
          this.store.claim(this.owner, this.clock.now(), this.leaseMs, [lane.kind], skipKeys),
        );
      } catch (error) {
        this.logger.error({ err: errorMessage(error) }, 'job claim failed; retrying at the next poll');
        return;
      }
      if (job === null) return;
      // One job was due, so more may be: ramp up one worker per successful claim.
      this.addWorker(lane);
      try {
        await inJobSpan(job, () => this.execute(job));
      } finally {
        lane.release(job);
      }
    }
  }

  private async execute(job: JobRecord): Promise<void> {
    const kind = this.kinds.get(job.kind);
    if (kind === undefined) {
      // Unreachable: claims ask for registered kinds only, and kinds are never unregistered.
      this.logger.error({ jobId: job.id, kind: job.kind }, 'claimed a job of an unregistered kind');
      return;
    }
    const startedAt = this.clock.now().getTime();
    // Claimed once more than allowed: its previous owners died or hung on it (a lease expired
    // on the last attempt). Running it again could crash this replica too.
    if (job.attempt > job.maxAttempts) {
      const error = `lease expired on the last of ${job.maxAttempts} attempts (the worker died or hung)`;
      await this.record(job, startedAt, { ok: false, error: new JobFailure(error) }, kind.retry);
      return;
    }
    const controller = new AbortController();
    const { store, owner, leaseMs, clock, timers, logger } = this;
    const renewal = keepLease({ store, owner, leaseMs, clock, timers, logger }, job, controller);
    this.running.set(job.id, { controller, stopRenewing: renewal.stop });
    let timeoutTimer: unknown = null;
    const timedOut = new Promise<Settled>((resolve) => {
      if (kind.timeoutMs === undefined) return;
      const timeoutMs = kind.timeoutMs;
      timeoutTimer = this.timers.setTimeout(() => {
        controller.abort(new Error('job attempt timed out'));
        resolve({ ok: false, error: new JobFailure(`timed out after ${timeoutMs} ms`) });
      }, timeoutMs);
    });
    const attempt = Promise.resolve()
      // A copy: the fence below uses this attempt's id and number, whatever the handler does.
      .then(() => kind.handler({ ...job }, controller.signal))
      .then(
        // A handler written in plain JavaScript may resolve nothing.
        (result): Settled => ({ ok: true, result: result ?? {} }),
        (error: unknown): Settled => ({ ok: false, error }),
      );
    const settled = await Promise.race([attempt, timedOut]);
    if (timeoutTimer !== null) this.timers.clearTimeout(timeoutTimer);
    renewal.stop();
    this.running.delete(job.id);
    // Known lost already: reporting would only be refused by the fence.
    if (renewal.lost()) return this.lost(job, startedAt);
    await this.record(job, startedAt, settled, kind.retry);
  }

  /** Records the attempt's end through the store's fence, then logs and counts it once. */
  private async record(
    job: JobRecord,
    startedAt: number,
    settled: Settled,
    policy: RetryPolicy,
  ): Promise<void> {
    const now = this.clock.now();
    const { id, attempt } = job;
    try {
      if (settled.ok) {
        const outcome = clipped(settled.result.outcome, MAX_OUTCOME_LENGTH);
        if (!(await this.store.complete(id, this.owner, attempt, now, outcome)))
          return this.lost(job, startedAt);
        this.end(job, startedAt, 'done', 'info', { outcome }, 'job done');
        return;
      }
      const error = clipForLog(errorMessage(settled.error), MAX_ERROR_LENGTH);
      const outcome = clipped(
        settled.error instanceof JobFailure ? settled.error.outcome : undefined,
        MAX_OUTCOME_LENGTH,
      );
      const decision = afterFailure(job, settled.error, policy, now, this.random);
      if (decision.action === 'retry') {
        if (!(await this.store.retry(id, this.owner, attempt, now, decision.runAt, error, outcome)))
          return this.lost(job, startedAt);
        const details = { outcome, error, maxAttempts: job.maxAttempts, runAt: decision.runAt.toISOString() };
        this.end(job, startedAt, 'retried', 'warn', details, 'job attempt failed; retry scheduled');
        return;
      }
      if (!(await this.store.kill(id, this.owner, attempt, now, error, outcome)))
        return this.lost(job, startedAt);
      const details = { outcome, error, maxAttempts: job.maxAttempts, reason: decision.reason };
      this.end(job, startedAt, 'dead', 'error', details, 'job dead');
    } catch (error) {
      const details = { err: errorMessage(error) };
      this.end(
        job,
        startedAt,
        'unrecorded',
        'error',
        details,
        'job attempt ended but could not be recorded; it will run again',
      );
    }
  }

  private lost(job: JobRecord, startedAt: number): void {
    this.end(job, startedAt, 'lost', 'warn', {}, 'job lease lost to another owner; attempt not recorded');
  }

  /** The one log line, count and observation of an attempt's end: ids only, never the payload. */
  private end(
    job: JobRecord,
    startedAt: number,
    result: JobOutcomeResult,
    level: 'info' | 'warn' | 'error',
    details: Record<string, unknown>,
    message: string,
  ): void {
    const durationMs = this.clock.now().getTime() - startedAt;
    this.ended[result] += 1;
    recordJobOutcome(job, result);
    const line = { jobId: job.id, kind: job.kind, attempt: job.attempt, result, durationMs, ...details };
    this.logger[level](line, message);
    try {
      this.observe?.({ kind: job.kind, jobId: job.id, attempt: job.attempt, result, durationMs });
    } catch (error) {
      // Metrics must not change what happens to jobs.
      this.logger.error({ err: errorMessage(error) }, 'job outcome observer failed');
    }
  }

  private async sweepIfDue(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastSweep < this.sweepIntervalMs) return;
    this.lastSweep = now.getTime();
    try {
      const promoted = await this.store.promoteStalled(now);
      if (promoted > 0) this.logger.warn({ promoted }, 'job order keys left stalled by a crash were resumed');
    } catch (error) {
      this.logger.error({ err: errorMessage(error) }, 'job stall sweep failed');
    }
  }
}

function checkPositive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1))
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clipped(text: string | undefined, maxLength: number): string | undefined {
  return text === undefined ? undefined : clipForLog(text, maxLength);
}
