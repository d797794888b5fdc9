import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { withinDeadline } from '../../../src/http/deadline.js';
import { type Deadline, DeadlineExceededError } from '../../../src/shared/deadline.js';
import { deferred } from '../../support/deferred.js';

describe('withinDeadline', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("answers with the work's result when it ends in time, and leaves no timer behind", async () => {
    const outcome = withinDeadline(1000, async () => 'done');
    await expect(outcome).resolves.toEqual({ timedOut: false, result: 'done' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects as the work does, in time', async () => {
    const failure = new Error('upstream said no');
    await expect(withinDeadline(1000, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects when the work throws before returning its promise', async () => {
    const failure = new Error('thrown at once');
    await expect(
      withinDeadline(1000, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('answers timedOut at the deadline when no commit began, and the work stops at its next checkpoint', async () => {
    const work = deferred<string>();
    let seen: Deadline | undefined;
    const outcome = withinDeadline(1000, (deadline) => {
      seen = deadline;
      return work.promise;
    });
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toEqual({ timedOut: true });
    expect(() => seen?.checkpoint()).toThrow(DeadlineExceededError);
    // The work failing later is nobody's business: no unhandled rejection, the answer stays.
    work.reject(new DeadlineExceededError());
    await Promise.resolve();
    await expect(outcome).resolves.toEqual({ timedOut: true });
  });

  it('waits for a commit under way at the deadline and answers with its outcome, not a time-out', async () => {
    const work = deferred<string>();
    const outcome = withinDeadline(1000, (deadline) => {
      deadline.beginCommit();
      return work.promise;
    });
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(5000);
    expect(settled).toBe(false);
    work.resolve('committed');
    await expect(outcome).resolves.toEqual({ timedOut: false, result: 'committed' });
  });

  it("rejects with the commit's failure when a commit under way at the deadline fails", async () => {
    const work = deferred<string>();
    const outcome = withinDeadline(1000, (deadline) => {
      deadline.beginCommit();
      return work.promise;
    });
    await jest.advanceTimersByTimeAsync(1000);
    const failure = new Error('write failed');
    work.reject(failure);
    await expect(outcome).rejects.toBe(failure);
  });

  it('answers in time with the result when the work ends before the deadline, even if the deadline timer was due', async () => {
    const work = deferred<string>();
    const outcome = withinDeadline(1000, () => work.promise);
    work.resolve('first');
    await jest.advanceTimersByTimeAsync(1000);
    await expect(outcome).resolves.toEqual({ timedOut: false, result: 'first' });
  });
});
