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
  const table = new JobTable(options.seed ?? []);
  // A plain object of functions, like the MongoDB adapter's: callers may spread it to wrap one.
  return {
    ...queueOperations(table),
    ...leaseOperations(table),
    ...outcomeOperations(table),
    ...readOperations(table),
  };
}

/**
 * The jobs and the two unique indexes the MongoDB adapter relies on, with the steps every
 * operation family shares. Its methods are synchronous: a step never yields half-way.
 */
class JobTable {
  readonly jobs = new Map<string, JobRecord>();
  /** The MongoDB adapter's unique index on dedupeKey. */
  readonly byDedupeKey = new Map<string, string>();
  /** Order key → its pending or running job: the MongoDB adapter's unique `headOf` index. */
  readonly heads = new Map<string, string>();
  // Ids grow with insertion, like ObjectIds from one process, so ties in runAt or createdAt
  // break in insertion order on both adapters.
  private readonly idPrefix = randomBytes(8).toString('hex');
  private counter = 0;

  constructor(seed: readonly JobRecord[]) {
    for (const record of seed) {
      if (this.byDedupeKey.has(record.dedupeKey))
        throw new Error(`seed: dedupe key ${record.dedupeKey} twice`);
      this.byDedupeKey.set(record.dedupeKey, record.id);
      if (record.orderKey !== null && isHeadState(record.state)) {
        if (this.heads.has(record.orderKey))
          throw new Error(`seed: order key ${record.orderKey} has two heads`);
        this.heads.set(record.orderKey, record.id);
      }
      this.jobs.set(record.id, copyJob(record));
    }
  }

  newId(): string {
    let id: string;
    do id = `${this.idPrefix}${(++this.counter).toString(16).padStart(8, '0')}`;
    while (this.jobs.has(id));
    return id;
  }

  /** The running job under this fence, or undefined when the claim was lost. */
  fenced(id: string, owner: string, attempt: number): JobRecord | undefined {
    const job = this.jobs.get(id);
    if (job === undefined || job.state !== 'running') return undefined;
    return job.leaseOwner === owner && job.attempt === attempt ? job : undefined;
  }

  /** Makes the lowest waiting job of `orderKey` pending, unless the key already has a head. */
  promote(orderKey: string, now: Date): void {
    if (this.heads.has(orderKey)) return;
    let next: JobRecord | undefined;
    for (const job of this.jobs.values()) {
      if (job.orderKey !== orderKey || job.state !== 'waiting') continue;
      if (next === undefined || compareBy(job, next, (j) => j.sequence ?? 0) < 0) next = job;
    }
    if (next === undefined) return;
    next.state = 'pending';
    next.updatedAt = new Date(now);
    this.heads.set(orderKey, next.id);
  }

  /** complete, kill and dismiss: the job leaves its key's head, and the next one takes its place. */
  finish(job: JobRecord, state: 'done' | 'dead', now: Date): void {
    job.state = state;
    job.leaseOwner = null;
    job.leaseUntil = null;
    job.finishedAt = new Date(now);
    job.updatedAt = new Date(now);
    if (job.orderKey !== null) {
      if (this.heads.get(job.orderKey) === job.id) this.heads.delete(job.orderKey);
      this.promote(job.orderKey, now);
    }
  }

  earliest(matches: (job: JobRecord) => boolean): JobRecord | undefined {
    let found: JobRecord | undefined;
    for (const job of this.jobs.values()) {
      if (!matches(job)) continue;
      if (found === undefined || compareBy(job, found, (j) => j.runAt.getTime()) < 0) found = job;
    }
    return found;
  }
}

/** What producers and the sweeper do: add jobs, bring them forward, drop them, unstick keys. */
function queueOperations(
  table: JobTable,
): Pick<JobStore, 'enqueue' | 'expedite' | 'dismiss' | 'promoteStalled'> {
  const { jobs, byDedupeKey, heads } = table;
  return {
    async enqueue(newJob: NewJob, now: Date): Promise<{ job: JobRecord; created: boolean }> {
      checkNewJob(newJob);
      const existingId = byDedupeKey.get(newJob.dedupeKey);
      if (existingId !== undefined) {
        const existing = jobs.get(existingId) as JobRecord;
        // Repairs a key whose first enqueuer crashed before promoting.
        if (existing.orderKey !== null) table.promote(existing.orderKey, now);
        return { job: copyJob(existing), created: false };
      }
      const job = newJobRecord(table.newId(), newJob, now);
      jobs.set(job.id, job);
      byDedupeKey.set(job.dedupeKey, job.id);
      if (job.orderKey !== null) table.promote(job.orderKey, now);
      return { job: copyJob(job), created: true };
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
      table.finish(job, 'done', now);
      return true;
    },

    async promoteStalled(now: Date): Promise<number> {
      const stalled = new Set<string>();
      for (const job of jobs.values()) {
        if (job.state === 'waiting' && job.orderKey !== null && !heads.has(job.orderKey))
          stalled.add(job.orderKey);
      }
      for (const orderKey of stalled) table.promote(orderKey, now);
      return stalled.size;
    },
  };
}

/** What a worker does while it runs a job: claim it, then keep renewing its lease. */
function leaseOperations(table: JobTable): Pick<JobStore, 'claim' | 'renew'> {
  return {
    async claim(
      owner: string,
      now: Date,
      leaseMs: number,
      kinds?: readonly string[],
      skipKeys: readonly string[] = [],
    ): Promise<JobRecord | null> {
      const runnable = (job: JobRecord) =>
        (kinds === undefined || kinds.includes(job.kind)) &&
        (job.concurrencyKey === null || !skipKeys.includes(job.concurrencyKey));
      const job =
        table.earliest((j) => j.state === 'running' && (j.leaseUntil as Date) <= now && runnable(j)) ??
        table.earliest((j) => j.state === 'pending' && j.runAt <= now && runnable(j));
      if (job === undefined) return null;
      job.state = 'running';
      job.leaseOwner = owner;
      job.leaseUntil = new Date(now.getTime() + leaseMs);
      job.attempt += 1;
      job.updatedAt = new Date(now);
      return copyJob(job);
    },

    async renew(id: string, owner: string, attempt: number, now: Date, leaseMs: number): Promise<boolean> {
      const job = table.fenced(id, owner, attempt);
      if (job === undefined) return false;
      job.leaseUntil = new Date(now.getTime() + leaseMs);
      return true;
    },
  };
}

/**
 * The three ways a claimed job ends, each fenced by its owner and attempt: a claim lost meanwhile
 * changes nothing.
 */
function outcomeOperations(table: JobTable): Pick<JobStore, 'complete' | 'retry' | 'kill'> {
  return {
    async complete(
      id: string,
      owner: string,
      attempt: number,
      now: Date,
      outcome?: string,
    ): Promise<boolean> {
      const job = table.fenced(id, owner, attempt);
      if (job === undefined) return false;
      job.lastOutcome = outcome ?? null;
      table.finish(job, 'done', now);
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
      const job = table.fenced(id, owner, attempt);
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
      const job = table.fenced(id, owner, attempt);
      if (job === undefined) return false;
      job.lastError = error;
      job.lastOutcome = outcome ?? null;
      table.finish(job, 'dead', now);
      return true;
    },
  };
}

/** What the admin views and the producers' look-ups read; nothing here writes. */
function readOperations(table: JobTable): Pick<JobStore, 'counts' | 'list' | 'findById' | 'findByDedupeKey'> {
  const { jobs, byDedupeKey } = table;
  return {
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
    // Seeds written before concurrency keys existed may lack it.
    concurrencyKey: job.concurrencyKey ?? null,
    state: job.state,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    runAt: new Date(job.runAt),
    leaseOwner: job.leaseOwner,
    leaseUntil: date(job.leaseUntil),
    lastError: job.lastError,
    lastOutcome: job.lastOutcome,
    ...(job.traceparent === undefined ? {} : { traceparent: job.traceparent }),
    createdAt: new Date(job.createdAt),
    updatedAt: new Date(job.updatedAt),
    finishedAt: date(job.finishedAt),
  };
}
