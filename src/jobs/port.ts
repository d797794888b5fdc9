/**
 * The durable job queue's port. A job is a row that some replica claims with a conditional write
 * and a lease, runs, and then completes, reschedules or kills; the store enforces the integrity
 * (one claim per attempt, one head per order key, one job per dedupe key) and holds no retry
 * policy: that is the runner's (src/jobs/job-runner.ts). Both adapters, MongoDB and memory,
 * pass one contract suite (test/integration/storage/jobs.contract.test.ts).
 */
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../shared/opaque-cursor.js';
import { RECORD_ID_PATTERN, RECORD_ID_SOURCE } from '../shared/record-id.js';

export type JobState = 'waiting' | 'pending' | 'running' | 'done' | 'dead';

export const JOB_STATES: readonly JobState[] = ['waiting', 'pending', 'running', 'done', 'dead'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What a handler needs to find its work: ids, never secrets or personal data (payloads are
 * listed by the back office). Declare payload shapes with `type`, not `interface`: only type
 * aliases are assignable to an index signature.
 */
export type JobPayload = { [key: string]: JsonValue };

/**
 * A deep copy through JSON (payloads are JSON by type): stores keep nothing the caller could
 * change afterwards, and the copy's objects belong to the current realm (Jest's VM contexts).
 */
export function copyJobPayload(payload: JobPayload): JobPayload {
  return JSON.parse(JSON.stringify(payload)) as JobPayload;
}

/** Job ids are lowercase hex, 24 characters, on both adapters (an ObjectId on MongoDB). */
export const JOB_ID_PATTERN = RECORD_ID_PATTERN;

export interface JobRecord {
  id: string;
  kind: string;
  payload: JobPayload;
  /** Unique across the store: enqueueing the same key again returns the stored job. */
  dedupeKey: string;
  /** Jobs sharing an order key run one at a time, in `sequence` order; null for unordered jobs. */
  orderKey: string | null;
  sequence: number | null;
  /**
   * Jobs sharing a concurrency key (a webhook endpoint) are bounded together: a runner claims
   * none of them while it already runs as many as its kind allows per key. Null: no such bound.
   */
  concurrencyKey: string | null;
  /**
   * waiting: queued behind an earlier job of its order key; pending: claimable from `runAt`;
   * running: claimed, with a lease; done and dead are final.
   */
  state: JobState;
  /** How many times the job has been claimed (the current or last attempt's number). */
  attempt: number;
  maxAttempts: number;
  /** When a pending job becomes due. */
  runAt: Date;
  leaseOwner: string | null;
  /** A running job whose lease ended may be claimed by any owner. */
  leaseUntil: Date | null;
  /** The error of the latest failed attempt; kept once the job is done. */
  lastError: string | null;
  /** What the latest attempt's handler recorded (e.g. an HTTP status); null when it recorded nothing. */
  lastOutcome: string | null;
  /**
   * The W3C trace context of the request that enqueued the job, when it was traced: the job's
   * spans link to it. Absent otherwise (and on jobs stored before tracing existed).
   */
  traceparent?: string;
  createdAt: Date;
  /** The last change of state or lease owner (renewals do not count). */
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface NewJob {
  kind: string;
  payload: JobPayload;
  dedupeKey: string;
  /**
   * Ordered jobs of one key run in ascending sequence, each only once the previous one is done or
   * dead. Enqueue a key's jobs in ascending sequence: a job enqueued after a later one of its key
   * has started simply runs after it.
   */
  order?: { key: string; sequence: number };
  /** See JobRecord.concurrencyKey. */
  concurrencyKey?: string;
  maxAttempts: number;
  /** When the job is first due; now when absent. */
  runAt?: Date;
  /** See JobRecord.traceparent; the runner sets it from the running span. */
  traceparent?: string;
}

export interface JobListQuery {
  /** Absent: every state (empty: none). */
  states?: readonly JobState[];
  /** Absent: every kind (empty: none). */
  kinds?: readonly string[];
  /** 1 to MAX_JOB_PAGE_SIZE. */
  first: number;
  /** The `endCursor` of the previous page. */
  after?: string | null;
}

export interface JobPage {
  /** Newest first: by createdAt, then id, both descending. */
  jobs: JobRecord[];
  hasNextPage: boolean;
  /** The cursor of the last job of this page; null for an empty page. */
  endCursor: string | null;
}

export const MAX_JOB_PAGE_SIZE = 500;

/**
 * The fence of `renew`, `complete`, `retry` and `kill`: each changes the job only while it is
 * still running under `owner` at `attempt`, so a worker whose lease expired and was taken over
 * gets false and changes nothing. A worker whose lease expired but was not taken over yet may
 * still report: nobody else is running the job.
 */
export interface JobStore {
  /**
   * Stores a new job, or returns the stored job with the same dedupe key (`created: false`; the
   * payload given is then ignored). An ordered job is stored waiting and becomes pending once no
   * earlier job of its key is pending or running.
   */
  enqueue(job: NewJob, now: Date): Promise<{ job: JobRecord; created: boolean }>;
  /**
   * Claims one job for `owner` until `now + leaseMs` and counts an attempt: a running job whose
   * lease has ended (first), or else the pending job due the earliest. `kinds` limits the claim to
   * the kinds the caller can run (absent: any); `skipKeys` leaves out the jobs of these
   * concurrency keys (those the caller runs enough of already). Null when nothing is claimable.
   */
  claim(
    owner: string,
    now: Date,
    leaseMs: number,
    kinds?: readonly string[],
    skipKeys?: readonly string[],
  ): Promise<JobRecord | null>;
  /** Extends the lease to `now + leaseMs`; false once the claim is lost. */
  renew(id: string, owner: string, attempt: number, now: Date, leaseMs: number): Promise<boolean>;
  /** done. The next job of its order key, if any, becomes pending. */
  complete(id: string, owner: string, attempt: number, now: Date, outcome?: string): Promise<boolean>;
  /** Back to pending, due at `runAt`; an ordered job keeps its key blocked meanwhile. */
  retry(
    id: string,
    owner: string,
    attempt: number,
    now: Date,
    runAt: Date,
    error: string,
    outcome?: string,
  ): Promise<boolean>;
  /** dead. The next job of its order key, if any, becomes pending. */
  kill(
    id: string,
    owner: string,
    attempt: number,
    now: Date,
    error: string,
    outcome?: string,
  ): Promise<boolean>;
  /** A pending job due later becomes due at `now`; false when it is not pending (or already due). */
  expedite(id: string, now: Date): Promise<boolean>;
  /**
   * done without running: a pending or waiting job whose work became unnecessary (an intent whose
   * operation ended well). False when the job is running or finished: it runs, or ran, anyway.
   */
  dismiss(id: string, now: Date, outcome: string): Promise<boolean>;
  /**
   * Makes the first waiting job pending for every order key that has no pending or running job:
   * repairs a key left stalled by a crash between a job's end and its successor's promotion.
   * Returns how many jobs it promoted.
   */
  promoteStalled(now: Date): Promise<number>;
  counts(): Promise<Record<JobState, number>>;
  /** Throws InvalidJobCursorError for an `after` this store did not produce. */
  list(query: JobListQuery): Promise<JobPage>;
  findById(id: string): Promise<JobRecord | null>;
  findByDedupeKey(dedupeKey: string): Promise<JobRecord | null>;
}

export class InvalidJobCursorError extends Error {
  constructor() {
    super('invalid job list cursor');
    this.name = 'InvalidJobCursorError';
  }
}

/** Where a page ended: the position of its last job in (createdAt, id) order. */
export interface JobCursor {
  createdAt: Date;
  id: string;
}

export function encodeJobCursor(job: Pick<JobRecord, 'createdAt' | 'id'>): string {
  return encodeOpaqueCursor(`${job.createdAt.getTime()}:${job.id}`);
}

/** The page for up to `first + 1` jobs fetched in list order: the extra one only tells that more follow. */
export function toJobPage(fetched: readonly JobRecord[], first: number): JobPage {
  const jobs = fetched.slice(0, first);
  const last = jobs.at(-1);
  return {
    jobs,
    hasNextPage: fetched.length > first,
    endCursor: last === undefined ? null : encodeJobCursor(last),
  };
}

const JOB_CURSOR_PATTERN = new RegExp(`^(-?\\d{1,16}):(${RECORD_ID_SOURCE})$`);

export function decodeJobCursor(cursor: string): JobCursor {
  const match = JOB_CURSOR_PATTERN.exec(decodeOpaqueCursor(cursor) ?? '');
  const createdAt = match ? new Date(Number(match[1])) : null;
  if (match === null || createdAt === null || Number.isNaN(createdAt.getTime()))
    throw new InvalidJobCursorError();
  return { createdAt, id: match[2] as string };
}

/**
 * A new job as both adapters store it: unordered jobs pending, ordered ones waiting (the adapter
 * then promotes its key's first waiting job), with copies of what the caller gave.
 */
export function newJobRecord(id: string, job: NewJob, now: Date): JobRecord {
  return {
    id,
    kind: job.kind,
    payload: copyJobPayload(job.payload),
    dedupeKey: job.dedupeKey,
    orderKey: job.order?.key ?? null,
    sequence: job.order?.sequence ?? null,
    concurrencyKey: job.concurrencyKey ?? null,
    state: job.order === undefined ? 'pending' : 'waiting',
    attempt: 0,
    maxAttempts: job.maxAttempts,
    runAt: new Date(job.runAt ?? now),
    leaseOwner: null,
    leaseUntil: null,
    lastError: null,
    lastOutcome: null,
    ...(job.traceparent === undefined ? {} : { traceparent: job.traceparent }),
    createdAt: new Date(now),
    updatedAt: new Date(now),
    finishedAt: null,
  };
}

/**
 * The same refusal on both adapters for a job no store should accept. These are programming
 * errors, so they throw rather than come back as results.
 */
export function checkNewJob(job: NewJob): void {
  if (job.kind === '') throw new TypeError('job kind must not be empty');
  if (job.dedupeKey === '') throw new TypeError('job dedupeKey must not be empty');
  if (!Number.isSafeInteger(job.maxAttempts) || job.maxAttempts < 1)
    throw new RangeError(`job maxAttempts must be a positive integer, got ${job.maxAttempts}`);
  if (job.order !== undefined) {
    if (job.order.key === '') throw new TypeError('job order key must not be empty');
    if (!Number.isSafeInteger(job.order.sequence))
      throw new RangeError(`job sequence must be an integer, got ${job.order.sequence}`);
  }
  if (job.concurrencyKey === '') throw new TypeError('job concurrencyKey must not be empty');
  if (job.runAt !== undefined && Number.isNaN(job.runAt.getTime()))
    throw new RangeError('job runAt is not a valid date');
  if (typeof job.payload !== 'object' || job.payload === null || Array.isArray(job.payload))
    throw new TypeError('job payload must be a JSON object');
}

export function checkListQuery(query: JobListQuery): void {
  if (!Number.isSafeInteger(query.first) || query.first < 1 || query.first > MAX_JOB_PAGE_SIZE)
    throw new RangeError(`first must be an integer from 1 to ${MAX_JOB_PAGE_SIZE}, got ${query.first}`);
}
