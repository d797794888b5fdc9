/** Background jobs: how often each replica looks for work, and the clean-up interval. */
import { DAY, MINUTE, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

export const JOBS_VARIABLES = {
  CLEANUP_INTERVAL_MS: {
    default: '60000',
    description:
      'After a Kaleyra room creation that failed or timed out, the rooms Kaleyra may still have created are looked for at once, again this long later, and a last time after the longer wait below; how long a room retired by a change waits for that change to be known (at least twice REQUEST_TIMEOUT_MS); and how often stalled work is repaired, in milliseconds.',
    schema: wholeNumber(100, DAY),
  },
  JOBS_POLL_INTERVAL_MS: {
    default: '1000',
    description:
      'How often each replica looks for background work that came due (retries, work other replicas left), in milliseconds.',
    schema: wholeNumber(50, 10 * MINUTE),
  },
} as const satisfies VariableTable;

/** `config.jobs` */
export interface JobsConfig {
  /** CLEANUP_INTERVAL_MS */
  cleanupIntervalMs: number;
  /** JOBS_POLL_INTERVAL_MS */
  pollIntervalMs: number;
  /**
   * How long a stop waits for running attempts: half of SHUTDOWN_TIMEOUT_MS, so they get most of
   * the stop and leases do the rest.
   */
  stopTimeoutMs: number;
}

export function jobsSection(v: ValuesOf<typeof JOBS_VARIABLES>, shutdownTimeoutMs: number): JobsConfig {
  return {
    cleanupIntervalMs: v.CLEANUP_INTERVAL_MS,
    pollIntervalMs: v.JOBS_POLL_INTERVAL_MS,
    stopTimeoutMs: Math.floor(shutdownTimeoutMs / 2),
  };
}
