/**
 * Callbacks due at instants of a clock that may be moved by hand: one timer for all of them, set
 * for the earliest, and never longer than `maxSleepMs`, so a clock moved forward (tests, the demo)
 * is noticed within that long. With the system clock the earliest fires on time.
 */
export class WakeUps {
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly now: () => number,
    private readonly maxSleepMs: number,
  ) {}

  /** Calls `callback` once `now()` reaches `at`; the returned function cancels it. */
  at(at: number, callback: () => void): () => void {
    const id = this.nextId++;
    this.due.set(id, { at, callback });
    this.schedule();
    return () => {
      this.due.delete(id);
      if (this.due.size === 0) this.clear();
    };
  }

  get size(): number {
    return this.due.size;
  }

  /** Cancels everything (shutdown). */
  stop(): void {
    this.due.clear();
    this.clear();
  }

  private schedule(): void {
    if (this.due.size === 0) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const { at } of this.due.values()) earliest = Math.min(earliest, at);
    const wakeAt = Math.min(earliest, this.now() + this.maxSleepMs);
    if (this.timer !== null && this.timerAt <= wakeAt) return;
    this.clear();
    this.timerAt = wakeAt;
    this.timer = setTimeout(() => this.fire(), Math.max(0, wakeAt - this.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (const [id, entry] of [...this.due]) {
      if (entry.at > now) continue;
      this.due.delete(id);
      try {
        entry.callback();
      } catch {
        // A callback's failure is its own business; the others still run.
      }
    }
    this.schedule();
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
