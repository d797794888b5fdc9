/**
 * How many due callbacks run in one turn of the event loop. When thousands fall due at one instant
 * (every link of a clinic's visits opening at 9:00), each callback starts a push; running them all
 * in one turn makes every push wait for every other and keeps all of them alive at once, so the
 * garbage collector copies and marks them over and over. In turns of this many, each turn's
 * pushes are sent and collected young before the next turn starts.
 */
export const WAKE_UPS_PER_TURN = 64;

/**
 * Callbacks due at instants of a clock that may be moved by hand: one timer for all of them, set
 * for the earliest, and never longer than `maxSleepMs`, so a clock moved forward (tests, the demo)
 * is noticed within that long. With the system clock the earliest fires on time; when more than
 * `perTurn` are due, the rest follow in the next turns of the event loop (setImmediate), in the
 * order they were registered. Which are due is looked up once per firing; one that falls due while
 * its turns run (registered for an instant already past) runs after them.
 */
export class WakeUps {
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  /** The next turn of a firing that had more than `perTurn` callbacks due. */
  private nextTurn: NodeJS.Immediate | null = null;
  /**
   * The ids found due when a firing began, in registration order, and how many of them its turns
   * have taken: each turn takes the next `perTurn` instead of looking through every callback again
   * (with 10,000 due at one instant, that was 157 looks at all of them, past the ones already run).
   */
  private queue: number[] = [];
  private taken = 0;
  /** Work that must not delay what is due (`later`), and whether its turn is scheduled. */
  private deferred: Array<() => void> = [];
  private deferredTurn: NodeJS.Immediate | null = null;

  constructor(
    private readonly now: () => number,
    private readonly maxSleepMs: number,
    private readonly perTurn: number = WAKE_UPS_PER_TURN,
  ) {}

  /** Calls `callback` once `now()` reaches `at`; the returned function cancels it. */
  at(at: number, callback: () => void): () => void {
    const id = this.nextId++;
    this.due.set(id, { at, callback });
    // A timer (or a next turn) that comes no later than `at` already covers it: no need to look
    // at every other callback (thousands of subscribers re-registering after a push).
    if (this.nextTurn === null && !(this.timer !== null && this.timerAt <= at)) this.schedule();
    return () => {
      this.due.delete(id);
      if (this.due.size > 0) return;
      this.clear();
      // Work deferred until the turns' end waited for a turn just cancelled: it runs now.
      if (this.deferred.length > 0) this.runDeferredSoon();
    };
  }

  /**
   * Runs `callback` in a coming turn of the event loop, after every callback due now has run:
   * while due callbacks are being run in turns, after the last of them. For work their pushes
   * cause that no one waits for (recording the links they handed out), so that it does not make
   * the pushes of the same instant late.
   */
  later(callback: () => void): void {
    this.deferred.push(callback);
    if (this.nextTurn === null) this.runDeferredSoon();
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
    if (this.due.size === 0 || this.nextTurn !== null) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const { at } of this.due.values()) earliest = Math.min(earliest, at);
    const wakeAt = Math.min(earliest, this.now() + this.maxSleepMs);
    if (this.timer !== null && this.timerAt <= wakeAt) return;
    this.clearTimer();
    this.timerAt = wakeAt;
    this.timer = setTimeout(() => this.fire(), Math.max(0, wakeAt - this.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.nextTurn = null;
    if (this.taken >= this.queue.length) this.queueDue();
    const queue = this.queue;
    const end = Math.min(queue.length, this.taken + this.perTurn);
    if (end < queue.length) {
      // More are due: they run in the next turn, after what this turn's callbacks started. Not
      // unref'd: the event loop would then wait in its poll for unrelated I/O before that turn.
      this.nextTurn = setImmediate(() => this.fire());
    }
    while (this.taken < end && this.queue === queue) {
      const id = queue[this.taken++] as number;
      const entry = this.due.get(id);
      // Cancelled since it was found due (by an earlier callback, or between turns): it does not run.
      if (entry === undefined) continue;
      this.due.delete(id);
      try {
        entry.callback();
      } catch {
        // A callback's failure is its own business; the others still run.
      }
    }
    if (this.nextTurn === null) {
      this.queue = [];
      this.taken = 0;
      if (this.deferred.length > 0) this.runDeferredSoon();
    }
    // After the last turn: the next instant, or callbacks that fell due while the turns ran.
    this.schedule();
  }

  /** Every callback due now, in the order they were registered: one look at all of them. */
  private queueDue(): void {
    const now = this.now();
    const queue: number[] = [];
    for (const [id, { at }] of this.due) if (at <= now) queue.push(id);
    this.queue = queue;
    this.taken = 0;
  }

  private runDeferredSoon(): void {
    if (this.deferredTurn !== null) return;
    this.deferredTurn = setImmediate(() => {
      this.deferredTurn = null;
      // A turn of due callbacks scheduled meanwhile goes first: this runs after its last one.
      if (this.nextTurn !== null) return;
      const callbacks = this.deferred;
      this.deferred = [];
      for (const callback of callbacks) {
        try {
          callback();
        } catch {
          // Its own business, as for due callbacks.
        }
      }
    });
  }

  private clear(): void {
    this.clearTimer();
    if (this.nextTurn !== null) clearImmediate(this.nextTurn);
    this.nextTurn = null;
    this.queue = [];
    this.taken = 0;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
