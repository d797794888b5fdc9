import { Deadline } from '../shared/deadline.js';

type Outcome<T> = { timedOut: false; result: T } | { timedOut: true };

/**
 * Runs an entry point's work against REQUEST_TIMEOUT_MS (shared/deadline.ts): the work's own
 * outcome when it ends in time or when its commit is under way at the deadline, `timedOut` when it
 * had not begun committing (it will stop at its next checkpoint, changing nothing). It rejects as
 * the work does. One timer and one promise per request (no race of two promises: this runs on
 * every request).
 */
export function withinDeadline<T>(
  timeoutMs: number,
  work: (deadline: Deadline) => Promise<T>,
): Promise<Outcome<T>> {
  const deadline = new Deadline();
  let running: Promise<T>;
  try {
    running = work(deadline);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<Outcome<T>>((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      // A commit under way: its outcome, not a guess, is the answer (the handlers below give it).
      if (answered || !deadline.expire()) return;
      answered = true;
      // Nobody listens any more: it runs to its next checkpoint and stops there.
      running.catch(() => undefined);
      resolve({ timedOut: true });
    }, timeoutMs);
    running.then(
      (result) => {
        clearTimeout(timer);
        if (answered) return;
        answered = true;
        resolve({ timedOut: false, result });
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (answered) return;
        answered = true;
        reject(error);
      },
    );
  });
}
