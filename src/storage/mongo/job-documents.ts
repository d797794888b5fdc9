import { type Filter, type IndexDescription, MongoServerError, ObjectId, type UpdateFilter } from 'mongodb';
import {
  JOB_ID_PATTERN,
  JOB_STATES,
  type JobCursor,
  type JobListQuery,
  type JobPayload,
  type JobRecord,
  type JobState,
  type NewJob,
  newJobRecord,
} from '../../jobs/port.js';
import { isRecord } from '../../shared/is-record.js';

/**
 * The job collection's document and the pure mapping to and from the port's records, plus the
 * filters and updates the adapter sends (so they are unit-tested without a server).
 */
export interface JobDocument {
  _id: ObjectId;
  kind: string;
  payload: JobPayload;
  dedupeKey: string;
  orderKey: string | null;
  sequence: number | null;
  /** Absent on jobs stored before concurrency keys existed: read as null. */
  concurrencyKey?: string | null;
  /**
   * The order key, present only while the job is its key's head (pending or running). A partial
   * unique index on it lets each key have at most one claimable job, whatever replicas race.
   */
  headOf?: string;
  state: JobState;
  attempt: number;
  maxAttempts: number;
  runAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  lastOutcome: string | null;
  /** The enqueuing request's W3C trace context; absent when it was not traced. */
  traceparent?: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** The collection's indexes; named, so a changed definition fails loudly instead of doubling up. */
export const JOB_INDEXES: readonly IndexDescription[] = [
  { key: { dedupeKey: 1 }, name: 'dedupe_key', unique: true },
  {
    key: { headOf: 1 },
    name: 'one_head_per_order_key',
    unique: true,
    partialFilterExpression: { headOf: { $exists: true } },
  },
  // claim: the due pending jobs and the expired running ones, in runAt order.
  { key: { state: 1, runAt: 1, _id: 1 }, name: 'claim' },
  // promote and the stall sweep: only waiting jobs, so it stays as small as the backlog.
  {
    key: { orderKey: 1, sequence: 1, _id: 1 },
    name: 'waiting_by_order_key',
    partialFilterExpression: { state: 'waiting' },
  },
  // the back-office list: states (one index range each, merged) in createdAt order.
  { key: { state: 1, createdAt: 1, _id: 1 }, name: 'list_by_state' },
];

const DUPLICATE_KEY = 11000;

/**
 * The duplicate-key error of one unique index, told apart by the server's `keyPattern` (or, when
 * a server omits it, by the index name in the message).
 */
export function isDuplicateKeyOn(error: unknown, field: 'dedupeKey' | 'headOf'): boolean {
  if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) return false;
  const keyPattern: unknown = error.keyPattern;
  if (isRecord(keyPattern)) return field in keyPattern;
  const index = JOB_INDEXES.find(
    (description) => !(description.key instanceof Map) && field in description.key,
  );
  return index?.name !== undefined && error.message.includes(`index: ${index.name} `);
}

/** The ObjectId for a job id, or null when `id` is not a well-formed id (the job is then unknown). */
export function parseJobId(id: string): ObjectId | null {
  return JOB_ID_PATTERN.test(id) ? ObjectId.createFromHexString(id) : null;
}

/** See newJobRecord: no `headOf` yet, whatever the job. */
export function newJobDocument(id: ObjectId, job: NewJob, now: Date): JobDocument {
  return toJobDocument(newJobRecord(id.toHexString(), job, now));
}

export function toJobRecord(document: JobDocument): JobRecord {
  return {
    id: document._id.toHexString(),
    kind: document.kind,
    payload: document.payload,
    dedupeKey: document.dedupeKey,
    orderKey: document.orderKey ?? null,
    sequence: document.sequence ?? null,
    concurrencyKey: document.concurrencyKey ?? null,
    state: document.state,
    attempt: document.attempt,
    maxAttempts: document.maxAttempts,
    runAt: document.runAt,
    leaseOwner: document.leaseOwner ?? null,
    leaseUntil: document.leaseUntil ?? null,
    lastError: document.lastError ?? null,
    lastOutcome: document.lastOutcome ?? null,
    ...(typeof document.traceparent === 'string' ? { traceparent: document.traceparent } : {}),
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    finishedAt: document.finishedAt ?? null,
  };
}

/**
 * The document for a record, `headOf` derived from its state: what the adapter's own writes
 * would have left. Used to plant jobs as another (crashed) writer left them.
 */
export function toJobDocument(record: JobRecord): JobDocument {
  const { id, ...fields } = record;
  const document: JobDocument = { _id: ObjectId.createFromHexString(id), ...fields };
  if (record.orderKey !== null && (record.state === 'pending' || record.state === 'running'))
    document.headOf = record.orderKey;
  return document;
}

/** Running under this owner at this attempt: the fence of renew, complete, retry and kill. */
export function fenceFilter(id: ObjectId, owner: string, attempt: number): Filter<JobDocument> {
  return { _id: id, state: 'running', leaseOwner: owner, attempt };
}

function kindFilter(kinds: readonly string[] | undefined): Filter<JobDocument> {
  return kinds === undefined ? {} : { kind: { $in: [...kinds] } };
}

/** Jobs of none of these concurrency keys; `$nin` also matches a missing or null key. */
function skipKeysFilter(skipKeys: readonly string[]): Filter<JobDocument> {
  return skipKeys.length === 0 ? {} : { concurrencyKey: { $nin: [...skipKeys] } };
}

/**
 * The claim's two candidates, tried in this order: a running job whose lease has ended (its
 * owner stopped renewing: crashed or hung), then the pending job due the earliest. Two queries
 * rather than one `$or`, so each is a plain range on the claim index whatever the planner does.
 */
export function claimFilters(
  now: Date,
  kinds?: readonly string[],
  skipKeys: readonly string[] = [],
): [Filter<JobDocument>, Filter<JobDocument>] {
  const others = { ...kindFilter(kinds), ...skipKeysFilter(skipKeys) };
  return [
    { state: 'running', leaseUntil: { $lte: now }, ...others },
    { state: 'pending', runAt: { $lte: now }, ...others },
  ];
}

export function claimUpdate(owner: string, now: Date, leaseMs: number): UpdateFilter<JobDocument> {
  return {
    $set: {
      state: 'running',
      leaseOwner: owner,
      leaseUntil: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    },
    $inc: { attempt: 1 },
  };
}

/** done or dead: the job leaves its key's head (the adapter then promotes the next one). */
export function finishUpdate(
  state: 'done' | 'dead',
  now: Date,
  recorded: { error?: string; outcome: string | undefined },
): UpdateFilter<JobDocument> {
  return {
    $set: {
      state,
      leaseOwner: null,
      leaseUntil: null,
      lastOutcome: recorded.outcome ?? null,
      ...(recorded.error === undefined ? {} : { lastError: recorded.error }),
      finishedAt: now,
      updatedAt: now,
    },
    $unset: { headOf: '' },
  };
}

/** Back to pending; `headOf` is kept, so the key's later jobs keep waiting behind this one. */
export function retryUpdate(
  now: Date,
  runAt: Date,
  error: string,
  outcome: string | undefined,
): UpdateFilter<JobDocument> {
  return {
    $set: {
      state: 'pending',
      runAt,
      leaseOwner: null,
      leaseUntil: null,
      lastError: error,
      lastOutcome: outcome ?? null,
      updatedAt: now,
    },
  };
}

export function promoteUpdate(orderKey: string, now: Date): UpdateFilter<JobDocument> {
  return { $set: { state: 'pending', headOf: orderKey, updatedAt: now } };
}

/**
 * The list's filter: every state asked for (all when absent, so the state-led index serves it),
 * the kinds, and the keyset condition "before the cursor" in (createdAt, _id) descending order.
 */
export function listFilter(query: JobListQuery, after: JobCursor | null): Filter<JobDocument> {
  const filter: Filter<JobDocument> = {
    state: { $in: [...(query.states ?? JOB_STATES)] },
    ...kindFilter(query.kinds),
  };
  if (after === null) return filter;
  const afterId = ObjectId.createFromHexString(after.id);
  return {
    ...filter,
    // The redundant bound keeps a range on createdAt even if the $or is not turned into bounds.
    createdAt: { $lte: after.createdAt },
    $or: [{ createdAt: { $lt: after.createdAt } }, { _id: { $lt: afterId } }],
  };
}

export const LIST_SORT = { createdAt: -1, _id: -1 } as const;
