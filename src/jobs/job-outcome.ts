/** How the attempts a runner ran ended: per attempt (for metrics) and in all (its stats). */
export type JobOutcomeResult = 'done' | 'retried' | 'dead' | 'lost' | 'unrecorded';

/** One per attempt that ended, for metrics (no payload). */
export interface JobOutcomeEvent {
  kind: string;
  jobId: string;
  attempt: number;
  /**
   * lost: another owner took the job over, so this attempt's result was not recorded;
   * unrecorded: the store failed while recording it (the lease will expire and the job rerun).
   */
  result: JobOutcomeResult;
  durationMs: number;
}

export interface JobRunnerStats {
  /** Attempts running now. */
  running: number;
  /** Attempts ended since the runner was built, by result. */
  ended: Record<JobOutcomeResult, number>;
}
