import { Deadline } from '../shared/deadline.js';

const TIMED_OUT = Symbol('timed out');

/**
 * Runs an entry point's work against REQUEST_TIMEOUT_MS (shared/deadline.ts): the work's own
 * outcome when it ends in time or when its commit is under way at the deadline, `timedOut` when it
 * had not begun committing (it will stop at its next checkpoint, changing nothing).
 */
export async function withinDeadline<T>(
  timeoutMs: number,
  work: (deadline: Deadline) => Promise<T>,
): Promise<{ timedOut: false; result: T } | { timedOut: true }> {
  const deadline = new Deadline();
  const running = work(deadline);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    const first = await Promise.race([running, timeout]);
    if (first !== TIMED_OUT) return { timedOut: false, result: first };
    if (deadline.expire()) {
      // Nobody listens any more: it runs to its next checkpoint and stops there.
      running.catch(() => undefined);
      return { timedOut: true };
    }
    // A commit is under way: its outcome, not a guess, is the answer.
    return { timedOut: false, result: await running };
  } finally {
    clearTimeout(timer);
  }
}
