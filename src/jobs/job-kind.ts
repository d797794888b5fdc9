import type { RetryPolicy } from './job-retry.js';
import type { JobRecord, NewJob } from './port.js';

/** What a handler may record about a successful run (e.g. the HTTP status it got). */
export interface JobResult {
  outcome?: string;
}

/**
 * Runs one attempt of a job. Resolve: done. Throw: retried per the kind's policy (a JobFailure
 * may carry an outcome and a Retry-After); throw a PermanentJobError: dead at once. `signal`
 * aborts when the attempt is abandoned (lease lost, timeout, stop): pass it to I/O. The error's
 * message is stored as the job's lastError and logged: keep secrets and personal data out of it.
 * A job runs at least once, not exactly once (a replica may die after the work, before the
 * record), so handlers must be safe to repeat.
 */
export type JobHandler = (job: JobRecord, signal: AbortSignal) => Promise<JobResult>;

export interface JobKindOptions {
  retry: RetryPolicy;
  /** An attempt still running after this long is abandoned and counted as failed. */
  timeoutMs?: number;
  /**
   * How many attempts of this kind one replica runs at once: each kind has slots of its own, so
   * no kind waits for another's (a room deletion never waits behind hung webhook deliveries).
   * The runner's default when absent.
   */
  concurrency?: number;
  /**
   * Of those, how many may share one concurrency key (a webhook endpoint): one slow receiver
   * holds at most this many of its kind's slots. Unbounded (up to `concurrency`) when absent.
   */
  concurrencyPerKey?: number;
}

/**
 * One kind of background work: its name, what runs it, its retry policy, and its share of the
 * replica (every kind of the list states its concurrency).
 */
export interface JobKind extends JobKindOptions {
  kind: string;
  handler: JobHandler;
  concurrency: number;
}

/** A job to enqueue: the runner adds its kind's attempt bound. */
export type JobRequest = Omit<NewJob, 'kind' | 'maxAttempts'>;

/**
 * What producers (use cases) see of the job runner: every job goes in through here, so the
 * kind's retry policy is applied in one place, and work that came due starts without a poll.
 */
export interface JobQueue {
  /**
   * Enqueues a job of a registered kind with its policy's attempt bound, and starts it at once if
   * it is new and already due (unless `kick: false`: the caller has more to do first, then kicks).
   * Idempotent on the dedupe key, like the store.
   */
  enqueue(
    kind: string,
    job: JobRequest,
    options?: { kick?: boolean },
  ): Promise<{ job: JobRecord; created: boolean }>;
  /** A pending job due later becomes due now, and starts; false when it was not pending. */
  expedite(jobId: string): Promise<boolean>;
  /** A pending or waiting job whose work became unnecessary is done without running. */
  dismiss(jobId: string, outcome: string): Promise<boolean>;
  /** Starts claiming due jobs now, without waiting for a poll. */
  kick(): void;
}
