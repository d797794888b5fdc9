import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { JobTimers } from './job-timers.js';
import type { JobRecord, JobStore } from './port.js';

export interface LeaseKeeping {
  store: JobStore;
  owner: string;
  leaseMs: number;
  clock: Clock;
  timers: JobTimers;
  logger: Logger;
}

/** A lease being kept: `stop` ends the renewals, `lost` says whether another owner took the job. */
export interface KeptLease {
  stop(): void;
  lost(): boolean;
}

/** Renews the lease every half lease while the attempt runs; aborts it once the lease is lost. */
export function keepLease(keeping: LeaseKeeping, job: JobRecord, controller: AbortController): KeptLease {
  const { store, owner, leaseMs, clock, timers, logger } = keeping;
  let timer: unknown = null;
  let stopped = false;
  let lost = false;
  const schedule = () => {
    timer = timers.setTimeout(() => void renew(), Math.floor(leaseMs / 2));
  };
  const renew = async () => {
    if (stopped) return;
    try {
      const kept = await store.renew(job.id, owner, job.attempt, clock.now(), leaseMs);
      if (!kept) {
        lost = true;
        controller.abort(new Error('job lease lost'));
        return;
      }
    } catch (error) {
      // The store may be back before the lease ends; keep trying.
      logger.warn(
        { jobId: job.id, err: error instanceof Error ? error.message : String(error) },
        'job lease renewal failed',
      );
    }
    if (!stopped) schedule();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
    },
    lost: () => lost,
  };
}
