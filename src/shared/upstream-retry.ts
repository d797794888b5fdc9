import type { RetryObject, RetryOptions } from 'got';

/**
 * The retries of a call that is safe to repeat, shared by the video providers' clients: the
 * statuses and network failures worth another try, an exponential backoff with a little jitter,
 * and a bound on how long a `Retry-After` may hold the caller. Short, because a GraphQL caller is
 * waiting. (The auth service keeps its own: one retry, never after a timeout.)
 */

/** Throttling and the transient server errors. */
export const RETRYABLE_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

/** got's own list of transient network failures (ETIMEDOUT is also its timeout error code). */
export const RETRYABLE_ERROR_CODES: readonly string[] = [
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
];

/**
 * Longest `Retry-After` we wait for. A longer one is honoured by not retrying at all (got's
 * `maxRetryAfter` semantics): retrying sooner than the upstream asked would defeat its throttle,
 * and holding the caller's request longer would exceed any sensible GraphQL deadline.
 */
export const MAX_RETRY_AFTER_MS = 5000;

const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2000;
const BACKOFF_JITTER_MS = 50;

/** Our backoff before retry `attempt` (1, 2, …): exponential, capped, with a little jitter. */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS) + Math.random() * BACKOFF_JITTER_MS;
}

/**
 * got has already applied limit, methods, statuses, error codes and the Retry-After cap to
 * `computedValue` (0 = do not retry; the Retry-After delay when one was sent). Otherwise our own
 * shorter backoff instead of got's 1 s, 2 s, 4 s.
 */
function retryDelay({ attemptCount, computedValue, retryAfter }: RetryObject): number {
  if (computedValue === 0) return 0;
  if (retryAfter !== undefined && retryAfter > 0) return computedValue;
  return backoffMs(attemptCount);
}

/** got's retry options for a call safe to repeat with `method` (got retries no POST unless told). */
export function safeRetryOptions(
  method: RetryOptions['methods'][number],
  limit: number,
): Partial<RetryOptions> {
  return {
    limit,
    methods: [method],
    statusCodes: [...RETRYABLE_STATUSES],
    errorCodes: [...RETRYABLE_ERROR_CODES],
    maxRetryAfter: MAX_RETRY_AFTER_MS,
    calculateDelay: retryDelay,
  };
}
