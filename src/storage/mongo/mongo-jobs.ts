import { type Collection, type Db, MongoServerError, ObjectId } from 'mongodb';
import {
  checkListQuery,
  checkNewJob,
  decodeJobCursor,
  JOB_STATES,
  type JobListQuery,
  type JobPage,
  type JobRecord,
  type JobState,
  type JobStore,
  type NewJob,
  toJobPage,
} from '../../jobs/port.js';
import {
  claimFilters,
  claimUpdate,
  fenceFilter,
  finishUpdate,
  isDuplicateKeyOn,
  JOB_INDEXES,
  type JobDocument,
  LIST_SORT,
  listFilter,
  newJobDocument,
  parseJobId,
  promoteUpdate,
  retryUpdate,
  toJobRecord,
} from './job-documents.js';

/** The collection's name unless the configuration says otherwise. */
export const DEFAULT_JOBS_COLLECTION = 'teleconsultation_jobs';

const INDEX_OPTIONS_CONFLICT = 85;
const INDEX_KEY_SPECS_CONFLICT = 86;
/** Enqueue reads the job that beat its insert; if that job is deleted meanwhile, it inserts again. */
const ENQUEUE_TRIES = 3;

function hasCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof MongoServerError && typeof error.code === 'number' && codes.includes(error.code);
}

/** Creates the collection's indexes; idempotent. Call from `Storage.init`. */
export async function ensureJobIndexes(db: Db, collectionName = DEFAULT_JOBS_COLLECTION): Promise<void> {
  try {
    await db.collection<JobDocument>(collectionName).createIndexes([...JOB_INDEXES]);
  } catch (error) {
    if (hasCode(error, INDEX_OPTIONS_CONFLICT, INDEX_KEY_SPECS_CONFLICT)) {
      throw new Error(
        `${collectionName} has an index named like one of the job store's (${JOB_INDEXES.map((i) => i.name).join(', ')}) ` +
          'but defined differently; drop it so the job store can create its own',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The job store on a MongoDB collection. Every transition is one conditional write on one
 * document, so it is safe across replicas on any topology (no transactions, no replica set). An
 * enqueue and a job's end are followed by a second write, the promotion of its key's next job;
 * `promoteStalled` repairs a key whose writer died in between.
 */
export function createMongoJobStore(db: Db, collectionName = DEFAULT_JOBS_COLLECTION): JobStore {
  const jobs: Collection<JobDocument> = db.collection<JobDocument>(collectionName);
  return {
    ...queueOperations(jobs),
    ...leaseOperations(jobs),
    ...outcomeOperations(jobs),
    ...readOperations(jobs),
  };
}

/**
 * Makes the lowest waiting job of `orderKey` pending and its head. The unique `headOf` index
 * refuses it while the key has a head: that head's own end promotes the next job instead.
 */
async function promote(
  jobs: Collection<JobDocument>,
  orderKey: string,
  now: Date,
): Promise<JobDocument | null> {
  try {
    return await jobs.findOneAndUpdate({ orderKey, state: 'waiting' }, promoteUpdate(orderKey, now), {
      sort: { sequence: 1, _id: 1 },
      returnDocument: 'after',
    });
  } catch (error) {
    if (isDuplicateKeyOn(error, 'headOf')) return null;
    throw error;
  }
}

/** complete and kill: one fenced write, then the key's next job (when the write matched). */
async function finish(
  jobs: Collection<JobDocument>,
  id: string,
  owner: string,
  attempt: number,
  now: Date,
  state: 'done' | 'dead',
  recorded: { error?: string; outcome: string | undefined },
): Promise<boolean> {
  const _id = parseJobId(id);
  if (_id === null) return false;
  const finished = await jobs.findOneAndUpdate(
    fenceFilter(_id, owner, attempt),
    finishUpdate(state, now, recorded),
    { returnDocument: 'after' },
  );
  if (finished === null) return false;
  if (finished.orderKey !== null) await promote(jobs, finished.orderKey, now);
  return true;
}

/** What producers and the sweeper do: add jobs, bring them forward, drop them, unstick keys. */
function queueOperations(
  jobs: Collection<JobDocument>,
): Pick<JobStore, 'enqueue' | 'expedite' | 'dismiss' | 'promoteStalled'> {
  return {
    async enqueue(newJob: NewJob, now: Date): Promise<{ job: JobRecord; created: boolean }> {
      checkNewJob(newJob);
      for (let tries = 1; ; tries++) {
        const document = newJobDocument(new ObjectId(), newJob, now);
        let stored: JobDocument | null = document;
        let created = true;
        try {
          await jobs.insertOne(document);
        } catch (error) {
          if (!isDuplicateKeyOn(error, 'dedupeKey')) throw error;
          created = false;
          stored = await jobs.findOne({ dedupeKey: newJob.dedupeKey });
        }
        if (stored === null) {
          if (tries < ENQUEUE_TRIES) continue;
          throw new Error(`job ${newJob.dedupeKey}: its duplicate kept disappearing while it was enqueued`);
        }
        // Also for a duplicate: repairs a key whose first enqueuer crashed before promoting.
        if (stored.orderKey !== null) {
          const promoted = await promote(jobs, stored.orderKey, now);
          if (promoted?._id.equals(stored._id)) stored = promoted;
        }
        return { job: toJobRecord(stored), created };
      }
    },

    async expedite(id: string, now: Date): Promise<boolean> {
      const _id = parseJobId(id);
      if (_id === null) return false;
      const result = await jobs.updateOne(
        { _id, state: 'pending', runAt: { $gt: now } },
        { $set: { runAt: now, updatedAt: now } },
      );
      return result.modifiedCount === 1;
    },

    async dismiss(id: string, now: Date, outcome: string): Promise<boolean> {
      const _id = parseJobId(id);
      if (_id === null) return false;
      const dismissed = await jobs.findOneAndUpdate(
        { _id, state: { $in: ['pending', 'waiting'] } },
        finishUpdate('done', now, { outcome }),
        { returnDocument: 'after' },
      );
      if (dismissed === null) return false;
      if (dismissed.orderKey !== null) await promote(jobs, dismissed.orderKey, now);
      return true;
    },

    async promoteStalled(now: Date): Promise<number> {
      // Keys with a waiting job minus keys with a head: both reads are index-only and small.
      const [waitingKeys, headKeys] = await Promise.all([
        jobs.distinct('orderKey', { state: 'waiting' }),
        jobs.distinct('headOf', { headOf: { $exists: true } }),
      ]);
      const heads = new Set(headKeys);
      let promoted = 0;
      for (const orderKey of waitingKeys) {
        if (orderKey === null || heads.has(orderKey)) continue;
        if ((await promote(jobs, orderKey, now)) !== null) promoted += 1;
      }
      return promoted;
    },
  };
}

/** What a worker does while it runs a job: claim it, then keep renewing its lease. */
function leaseOperations(jobs: Collection<JobDocument>): Pick<JobStore, 'claim' | 'renew'> {
  return {
    async claim(
      owner: string,
      now: Date,
      leaseMs: number,
      kinds?: readonly string[],
      skipKeys?: readonly string[],
    ): Promise<JobRecord | null> {
      for (const filter of claimFilters(now, kinds, skipKeys)) {
        const claimed = await jobs.findOneAndUpdate(filter, claimUpdate(owner, now, leaseMs), {
          sort: { runAt: 1, _id: 1 },
          returnDocument: 'after',
        });
        if (claimed !== null) return toJobRecord(claimed);
      }
      return null;
    },

    async renew(id: string, owner: string, attempt: number, now: Date, leaseMs: number): Promise<boolean> {
      const _id = parseJobId(id);
      if (_id === null) return false;
      const result = await jobs.updateOne(fenceFilter(_id, owner, attempt), {
        $set: { leaseUntil: new Date(now.getTime() + leaseMs) },
      });
      return result.matchedCount === 1;
    },
  };
}

/**
 * The three ways a claimed job ends, each fenced by its owner and attempt: a claim lost meanwhile
 * changes nothing.
 */
function outcomeOperations(jobs: Collection<JobDocument>): Pick<JobStore, 'complete' | 'retry' | 'kill'> {
  return {
    complete: (id, owner, attempt, now, outcome) =>
      finish(jobs, id, owner, attempt, now, 'done', { outcome }),

    async retry(
      id: string,
      owner: string,
      attempt: number,
      now: Date,
      runAt: Date,
      error: string,
      outcome?: string,
    ): Promise<boolean> {
      const _id = parseJobId(id);
      if (_id === null) return false;
      const result = await jobs.updateOne(
        fenceFilter(_id, owner, attempt),
        retryUpdate(now, runAt, error, outcome),
      );
      return result.matchedCount === 1;
    },

    kill: (id, owner, attempt, now, error, outcome) =>
      finish(jobs, id, owner, attempt, now, 'dead', { error, outcome }),
  };
}

/** What the admin views and the producers' look-ups read; nothing here writes. */
function readOperations(
  jobs: Collection<JobDocument>,
): Pick<JobStore, 'counts' | 'list' | 'findById' | 'findByDedupeKey'> {
  return {
    async counts(): Promise<Record<JobState, number>> {
      const counted = await Promise.all(JOB_STATES.map((state) => jobs.countDocuments({ state })));
      return Object.fromEntries(JOB_STATES.map((state, index) => [state, counted[index] ?? 0])) as Record<
        JobState,
        number
      >;
    },

    async list(query: JobListQuery): Promise<JobPage> {
      checkListQuery(query);
      const after = query.after == null ? null : decodeJobCursor(query.after);
      const documents = await jobs
        .find(listFilter(query, after))
        .sort(LIST_SORT)
        .limit(query.first + 1)
        .toArray();
      return toJobPage(documents.map(toJobRecord), query.first);
    },

    async findById(id: string): Promise<JobRecord | null> {
      const _id = parseJobId(id);
      if (_id === null) return null;
      const document = await jobs.findOne({ _id });
      return document === null ? null : toJobRecord(document);
    },

    async findByDedupeKey(dedupeKey: string): Promise<JobRecord | null> {
      const document = await jobs.findOne({ dedupeKey });
      return document === null ? null : toJobRecord(document);
    },
  };
}
