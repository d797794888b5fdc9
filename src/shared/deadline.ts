/** The request's time is up and its operation had not started committing: it will not. */
export class DeadlineExceededError extends Error {
  constructor() {
    super('The request outlived its deadline before it changed anything.');
    this.name = 'DeadlineExceededError';
  }
}

/**
 * What a request's deadline means for the work behind it. When the time is up, the entry point
 * asks `expire()`: if the operation has not begun committing, it never will (its next
 * `checkpoint()` or `beginCommit()` throws, so it undoes what it did and stops), and the client
 * can be told at once that nothing changed; if a commit is under way, the client waits for its
 * outcome instead of being told a lie.
 */
export class Deadline {
  private state: 'running' | 'expired' | 'committing' = 'running';

  /** True when the operation will not commit (answer now); false when a commit is under way (wait). */
  expire(): boolean {
    if (this.state === 'committing') return false;
    this.state = 'expired';
    return true;
  }

  get expired(): boolean {
    return this.state === 'expired';
  }

  /** Before a side effect that can still be abandoned: stop if the deadline has passed. */
  checkpoint(): void {
    if (this.state === 'expired') throw new DeadlineExceededError();
  }

  /** Right before the write that makes the operation happen; from here on the client waits for it. */
  beginCommit(): void {
    this.checkpoint();
    this.state = 'committing';
  }
}
