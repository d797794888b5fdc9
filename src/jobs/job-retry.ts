import type { JobRecord } from './port.js';

/**
 * When a failed job runs again, and when it stops trying: exponential backoff with jitter,
 * bounded by a number of attempts and, optionally, by the job's age. Every kind's policy is
 * below; src/composition/job-kinds.ts gives each kind its policy, and the runner applies it.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included: the job is dead when this many have failed. */
  maxAttempts: number;
  /** The delay ceiling after the first failure; it doubles with each further failure... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
  /**
   * Spreads the retries of jobs that failed together (an endpoint that came back). full: the
   * delay is uniform in [0, ceiling); equal: in [ceiling / 2, ceiling), never much shorter.
   */
  jitter: 'full' | 'equal';
  /** No retry is scheduled later than this long after the job was enqueued; absent: no limit. */
  retryWindowMs?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Webhook deliveries: about a day of retries, delays doubling from 1 s to a 10-minute cap.
 * The delay ceilings are 1, 2, 4, … 512 s for failures 1 to 10 (1,023 s in all), then 600 s.
 * 153 attempts make 152 delays: 1,023 s + 142 × 600 s = 86,223 s, just under 24 h, when every
 * delay is at its ceiling. Equal jitter draws each delay from [ceiling / 2, ceiling), so the
 * retries span 12 to 24 h (about 18 h on average) of backoff alone. The retry window makes 24 h
 * a bound on the job's age too, which counts handler time and, for ordered jobs, the time spent
 * waiting behind earlier ones: after a long outage a key's backlog drains with one try each
 * instead of a day each.
 */
export const WEBHOOK_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 153,
  baseDelayMs: SECOND,
  maxDelayMs: 10 * MINUTE,
  jitter: 'equal',
  retryWindowMs: 24 * HOUR,
};

/**
 * Kaleyra room clean-up (deletions and intents), through hours of Kaleyra being down: retries at
 * 1 s, 2 s, … up to every 10 minutes, for about four hours.
 */
export const ROOM_CLEANUP_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 30,
  baseDelayMs: SECOND,
  maxDelayMs: 10 * MINUTE,
  jitter: 'equal',
};

/**
 * No-show marking: a write that loses races only to a busy visit; retried at 1 s, 2 s, … up to
 * every minute, for about an hour (after that the visit is long over).
 */
export const NO_SHOW_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 60,
  baseDelayMs: SECOND,
  maxDelayMs: MINUTE,
  jitter: 'equal',
};

export function checkRetryPolicy(policy: RetryPolicy): void {
  const positiveInteger = (value: number) => Number.isSafeInteger(value) && value >= 1;
  if (!positiveInteger(policy.maxAttempts))
    throw new RangeError(`maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  if (!positiveInteger(policy.baseDelayMs))
    throw new RangeError(`baseDelayMs must be a positive integer, got ${policy.baseDelayMs}`);
  if (!Number.isSafeInteger(policy.maxDelayMs) || policy.maxDelayMs < policy.baseDelayMs)
    throw new RangeError(`maxDelayMs must be an integer of at least baseDelayMs, got ${policy.maxDelayMs}`);
  if (policy.retryWindowMs !== undefined && !positiveInteger(policy.retryWindowMs))
    throw new RangeError(`retryWindowMs must be a positive integer, got ${policy.retryWindowMs}`);
}

/** The ceiling of the delay after failed attempt `attempt` (1-based), before jitter. */
export function backoffCeilingMs(policy: RetryPolicy, attempt: number): number {
  // Past 2^40 every sensible cap has been reached; stopping there keeps the product finite.
  const doublings = Math.min(Math.max(attempt - 1, 0), 40);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/** The delay after failed attempt `attempt`; `random` returns a number in [0, 1). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = backoffCeilingMs(policy, attempt);
  if (policy.jitter === 'full') return Math.floor(random() * ceiling);
  const half = ceiling / 2;
  return Math.floor(half + random() * half);
}

/**
 * A failure the handler describes: what to record as the outcome (an HTTP status, say), and the
 * shortest delay before the next try (an HTTP Retry-After). Any other thrown value is retried too.
 */
export class JobFailure extends Error {
  readonly outcome: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { outcome?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobFailure';
    this.outcome = options.outcome;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A failure no retry can fix (a 410 Gone, a payload that names nothing): the job is dead at once. */
export class PermanentJobError extends JobFailure {
  constructor(message: string, options: { outcome?: string; cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export type FailureDecision =
  | { action: 'retry'; runAt: Date }
  | { action: 'dead'; reason: 'permanent' | 'attempts exhausted' | 'retry window exhausted' };

/** What becomes of `job` after its current attempt failed with `error` at `now`. */
export function afterFailure(
  job: Pick<JobRecord, 'attempt' | 'maxAttempts' | 'createdAt'>,
  error: unknown,
  policy: RetryPolicy,
  now: Date,
  random: () => number,
): FailureDecision {
  if (error instanceof PermanentJobError) return { action: 'dead', reason: 'permanent' };
  // The job's own bound, set at enqueue: a policy changed since applies to new jobs only.
  if (job.attempt >= job.maxAttempts) return { action: 'dead', reason: 'attempts exhausted' };
  const requested = error instanceof JobFailure ? (error.retryAfterMs ?? 0) : 0;
  const runAt = new Date(now.getTime() + Math.max(backoffDelayMs(policy, job.attempt, random), requested));
  if (policy.retryWindowMs !== undefined && runAt.getTime() > job.createdAt.getTime() + policy.retryWindowMs)
    return { action: 'dead', reason: 'retry window exhausted' };
  return { action: 'retry', runAt };
}
