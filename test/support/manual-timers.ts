import type { ManualClock } from '../../src/domain/clock.js';
import type { JobTimers } from '../../src/jobs/job-runner.js';

/**
 * Timers on a ManualClock: nothing fires until the test advances them, and then each fires at
 * its own instant, in order, with the work it starts let settle before the next. Two ManualTimers
 * on one clock make two processes: advancing one moves the shared time but never fires the
 * other's timers, as for a process that has died.
 */
export class ManualTimers implements JobTimers {
  private pending: { id: number; at: number; callback: () => void }[] = [];
  private nextId = 0;

  constructor(readonly clock: ManualClock) {}

  setTimeout(callback: () => void, ms: number): unknown {
    this.nextId += 1;
    this.pending.push({ id: this.nextId, at: this.clock.now().getTime() + Math.max(0, ms), callback });
    return this.nextId;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }

  /** Timers set and not yet fired or cleared. */
  get scheduled(): number {
    return this.pending.length;
  }

  async advance(ms: number): Promise<void> {
    const end = this.clock.now().getTime() + ms;
    await settle();
    for (;;) {
      const due = this.pending
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      if (due.at > this.clock.now().getTime()) this.clock.set(due.at);
      due.callback();
      await settle();
    }
    this.clock.set(Math.max(end, this.clock.now().getTime()));
    await settle();
  }
}

/** Lets promise chains started so far run to their next real wait (none, with memory stores). */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}
