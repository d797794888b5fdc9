import type { JobRecord } from './port.js';

/**
 * One kind's slots on this replica: how many of its attempts run at once, and how many of those
 * may share a concurrency key. Each kind has a lane of its own, so a kind whose attempts hang
 * (deliveries to a receiver that never answers) holds its own slots only, never another kind's.
 *
 * A lane claims only its kind and leaves out the keys at their bound; its claims go one at a time,
 * so two of its workers never both take a key's last slot. The bounds are this replica's share:
 * which replica runs a job is decided by the store's conditional claim, not here.
 */
export class JobLane {
  /** Workers alive: each is claiming or running one job of this kind. */
  workers = 0;
  private readonly runningByKey = new Map<string, number>();
  private claiming: Promise<unknown> = Promise.resolve();

  constructor(
    readonly kind: string,
    readonly concurrency: number,
    readonly concurrencyPerKey: number | undefined,
  ) {}

  hasRoom(): boolean {
    return this.workers < this.concurrency;
  }

  /**
   * Claims through `claim` (told which keys to leave out) once the lane's previous claim has
   * ended; the claimed job's key counts as running until `release`.
   */
  claim(claim: (skipKeys: readonly string[]) => Promise<JobRecord | null>): Promise<JobRecord | null> {
    const claimed = this.claiming.then(async () => {
      const job = await claim(this.fullKeys());
      const key = job?.concurrencyKey ?? null;
      if (key !== null) this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
      return job;
    });
    this.claiming = claimed.catch(() => undefined);
    return claimed;
  }

  /** The attempt of a job this lane claimed has ended: its key's slot is free again. */
  release(job: JobRecord): void {
    const key = job.concurrencyKey;
    if (key === null) return;
    const left = (this.runningByKey.get(key) ?? 1) - 1;
    if (left > 0) this.runningByKey.set(key, left);
    else this.runningByKey.delete(key);
  }

  /** The keys whose jobs this lane runs as many of as it may. */
  private fullKeys(): string[] {
    const bound = this.concurrencyPerKey;
    if (bound === undefined) return [];
    return [...this.runningByKey].filter(([, running]) => running >= bound).map(([key]) => key);
  }
}
