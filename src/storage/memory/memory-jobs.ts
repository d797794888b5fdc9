import { randomBytes } from 'node:crypto';
import {
  checkListQuery,
  checkNewJob,
  copyJobPayload,
  decodeJobCursor,
  JOB_STATES,
  type JobListQuery,
  type JobPage,
  type JobRecord,
  type JobState,
  type JobStore,
  type NewJob,
  newJobRecord,
  toJobPage,
} from '../../jobs/port.js';

export interface MemoryJobStoreOptions {
  /**
   * Jobs as another writer left them (ids kept), e.g. a replica that crashed between a job's end
   * and its successor's promotion. Refused if two share a dedupe key or an order key has two heads.
   */
  seed?: readonly JobRecord[];
}

/**
 * The job store in process memory with the MongoDB adapter's semantics, for the demo and tests.
 * Every check-and-write runs without an `await` in between, which is what makes it atomic here;
 * jobs are copied in and out so callers never share objects with the store.
 */
export function createMemoryJobStore(options: MemoryJobStoreOptions = {}): JobStore {
  const jobs = new Map<string, JobRecord>();
  /** The MongoDB adapter's unique index on dedupeKey. */
  const byDedupeKey = new Map<string, string>();
  /** Order key → its pending or running job: the MongoDB adapter's unique `headOf` index. */
  const heads = new Map<string, string>();

  for (const record of options.seed ?? []) {
    if (byDedupeKey.has(record.dedupeKey)) throw new Error(`seed: dedupe key ${record.dedupeKey} twice`);
    byDedupeKey.set(record.dedupeKey, record.id);
    if (record.orderKey !== null && isHeadState(record.state)) {
      if (heads.has(record.orderKey)) throw new Error(`seed: order key ${record.orderKey} has two heads`);
      heads.set(record.orderKey, record.id);
    }
    jobs.set(record.id, copyJob(record));
  }

  // Ids grow with insertion, like ObjectIds from one process, so ties in runAt or createdAt
  // break in insertion order on both adapters.
  const idPrefix = randomBytes(8).toString('hex');
  let counter = 0;
  function newId(): string {
    let id: string;
    do id = `${idPrefix}${(++counter).toString(16).padStart(8, '0')}`;
    while (jobs.has(id));
    return id;
  }

  /** The running job under this fence, or undefined when the claim was lost. */
  function fenced(id: string, owner: string, attempt: number): JobRecord | undefined {
    const job = jobs.get(id);
    if (job === undefined || job.state !== 'running') return undefined;
    return job.leaseOwner === owner && job.attempt === attempt ? job : undefined;
  }

  /** Makes the lowest waiting job of `orderKey` pending, unless the key already has a head. */
  function promote(orderKey: string, now: Date): void {
    if (heads.has(orderKey)) return;
    let next: JobRecord | undefined;
    for (const job of jobs.values()) {
      if (job.orderKey !== orderKey || job.state !== 'waiting') continue;
      if (next === undefined || compareBy(job, next, (j) => j.sequence ?? 0) < 0) next = job;
    }
    if (next === undefined) return;
    next.state = 'pending';
    next.updatedAt = new Date(now);
    heads.set(orderKey, next.id);
  }

  /** complete and kill: the job leaves its key's head, and the next one takes its place. */
  function finish(job: JobRecord, state: 'done' | 'dead', now: Date): void {
    job.state = state;
    job.leaseOwner = null;
    job.leaseUntil = null;
    job.finishedAt = new Date(now);
    job.updatedAt = new Date(now);
    if (job.orderKey !== null) {
      if (heads.get(job.orderKey) === job.id) heads.delete(job.orderKey);
      promote(job.orderKey, now);
    }
  }

  function earliest(matches: (job: JobRecord) => boolean): JobRecord | undefined {
    let found: JobRecord | undefined;
    for (const job of jobs.values()) {
      if (!matches(job)) continue;
      if (found === undefined || compareBy(job, found, (j) => j.runAt.getTime()) < 0) found = job;
    }
    return found;
  }

  return {
    async enqueue(newJob: NewJob, now: Date): Promise<{ job: JobRecord; created: boolean }> {
      checkNewJob(newJob);
      const existingId = byDedupeKey.get(newJob.dedupeKey);
      if (existingId !== undefined) {
        const existing = jobs.get(existingId) as JobRecord;
        // Repairs a key whose first enqueuer crashed before promoting.
        if (existing.orderKey !== null) promote(existing.orderKey, now);
        return { job: copyJob(existing), created: false };
      }
      const job = newJobRecord(newId(), newJob, now);
      jobs.set(job.id, job);
      byDedupeKey.set(job.dedupeKey, job.id);
      if (job.orderKey !== null) promote(job.orderKey, now);
      return { job: copyJob(job), created: true };
    },

    async claim(
      owner: string,
      now: Date,
      leaseMs: number,
      kinds?: readonly string[],
    ): Promise<JobRecord | null> {
      const runnable = (job: JobRecord) => kinds === undefined || kinds.includes(job.kind);
      const job =
        earliest((j) => j.state === 'running' && (j.leaseUntil as Date) <= now && runnable(j)) ??
        earliest((j) => j.state === 'pending' && j.runAt <= now && runnable(j));
      if (job === undefined) return null;
      job.state = 'running';
      job.leaseOwner = owner;
      job.leaseUntil = new Date(now.getTime() + leaseMs);
      job.attempt += 1;
      job.updatedAt = new Date(now);
      return copyJob(job);
    },

    async renew(id: string, owner: string, attempt: number, now: Date, leaseMs: number): Promise<boolean> {
      const job = fenced(id, owner, attempt);
      if (job === undefined) return false;
      job.leaseUntil = new Date(now.getTime() + leaseMs);
      return true;
    },

    async complete(
      id: string,
      owner: string,
      attempt: number,
      now: Date,
      outcome?: string,
    ): Promise<boolean> {
      const job = fenced(id, owner, attempt);
      if (job === undefined) return false;
      job.lastOutcome = outcome ?? null;
      finish(job, 'done', now);
      return true;
    },

    async retry(
      id: string,
      owner: string,
      attempt: number,
      now: Date,
      runAt: Date,
      error: string,
      outcome?: string,
    ): Promise<boolean> {
      const job = fenced(id, owner, attempt);
      if (job === undefined) return false;
      // Still the head of its order key: later jobs keep waiting behind it.
      job.state = 'pending';
      job.runAt = new Date(runAt);
      job.leaseOwner = null;
      job.leaseUntil = null;
      job.lastError = error;
      job.lastOutcome = outcome ?? null;
      job.updatedAt = new Date(now);
      return true;
    },

    async kill(
      id: string,
      owner: string,
      attempt: number,
      now: Date,
      error: string,
      outcome?: string,
    ): Promise<boolean> {
      const job = fenced(id, owner, attempt);
      if (job === undefined) return false;
      job.lastError = error;
      job.lastOutcome = outcome ?? null;
      finish(job, 'dead', now);
      return true;
    },

    async expedite(id: string, now: Date): Promise<boolean> {
      const job = jobs.get(id);
      if (job === undefined || job.state !== 'pending' || job.runAt.getTime() <= now.getTime()) return false;
      job.runAt = new Date(now);
      job.updatedAt = new Date(now);
      return true;
    },

    async dismiss(id: string, now: Date, outcome: string): Promise<boolean> {
      const job = jobs.get(id);
      if (job === undefined || (job.state !== 'pending' && job.state !== 'waiting')) return false;
      job.lastOutcome = outcome;
      finish(job, 'done', now);
      return true;
    },

    async promoteStalled(now: Date): Promise<number> {
      const stalled = new Set<string>();
      for (const job of jobs.values()) {
        if (job.state === 'waiting' && job.orderKey !== null && !heads.has(job.orderKey))
          stalled.add(job.orderKey);
      }
      for (const orderKey of stalled) promote(orderKey, now);
      return stalled.size;
    },

    async counts(): Promise<Record<JobState, number>> {
      const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
      for (const job of jobs.values()) counts[job.state] += 1;
      return counts;
    },

    async list(query: JobListQuery): Promise<JobPage> {
      checkListQuery(query);
      const after = query.after == null ? null : decodeJobCursor(query.after);
      const { states, kinds } = query;
      const listed = [...jobs.values()]
        .filter((job) => states === undefined || states.includes(job.state))
        .filter((job) => kinds === undefined || kinds.includes(job.kind))
        .filter(
          (job) =>
            after === null ||
            job.createdAt < after.createdAt ||
            (job.createdAt.getTime() === after.createdAt.getTime() && job.id < after.id),
        )
        .sort((a, b) => -compareBy(a, b, (job) => job.createdAt.getTime()));
      return toJobPage(listed.slice(0, query.first + 1).map(copyJob), query.first);
    },

    async findById(id: string): Promise<JobRecord | null> {
      const job = jobs.get(id);
      return job === undefined ? null : copyJob(job);
    },

    async findByDedupeKey(dedupeKey: string): Promise<JobRecord | null> {
      const id = byDedupeKey.get(dedupeKey);
      return id === undefined ? null : copyJob(jobs.get(id) as JobRecord);
    },
  };
}

function isHeadState(state: JobState): boolean {
  return state === 'pending' || state === 'running';
}

/** By `key`, then by id: the total order the MongoDB adapter sorts by (`{ key: 1, _id: 1 }`). */
function compareBy(a: JobRecord, b: JobRecord, key: (job: JobRecord) => number): number {
  const difference = key(a) - key(b);
  if (difference !== 0) return difference;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Copied by hand rather than with structuredClone, whose Dates come from the main realm and so
 * fail `instanceof Date` inside Jest's VM contexts.
 */
function copyJob(job: JobRecord): JobRecord {
  const date = (value: Date | null) => (value === null ? null : new Date(value));
  return {
    id: job.id,
    kind: job.kind,
    payload: copyJobPayload(job.payload),
    dedupeKey: job.dedupeKey,
    orderKey: job.orderKey,
    sequence: job.sequence,
    state: job.state,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    runAt: new Date(job.runAt),
    leaseOwner: job.leaseOwner,
    leaseUntil: date(job.leaseUntil),
    lastError: job.lastError,
    lastOutcome: job.lastOutcome,
    createdAt: new Date(job.createdAt),
    updatedAt: new Date(job.updatedAt),
    finishedAt: date(job.finishedAt),
  };
}
