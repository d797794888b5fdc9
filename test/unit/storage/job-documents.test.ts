import { describe, expect, it } from '@jest/globals';
import { MongoServerError, ObjectId } from 'mongodb';
import {
  decodeJobCursor,
  encodeJobCursor,
  InvalidJobCursorError,
  type JobRecord,
} from '../../../src/jobs/port.js';
import {
  claimFilters,
  claimUpdate,
  fenceFilter,
  finishUpdate,
  isDuplicateKeyOn,
  JOB_INDEXES,
  type JobDocument,
  listFilter,
  newJobDocument,
  parseJobId,
  promoteUpdate,
  retryUpdate,
  toJobDocument,
  toJobRecord,
} from '../../../src/storage/mongo/job-documents.js';

const NOW = new Date('2030-04-01T08:00:00.000Z');
const LATER = new Date('2030-04-01T08:00:30.000Z');
const ID = ObjectId.createFromHexString('65f1c0ffee0123456789abcd');

function record(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: ID.toHexString(),
    kind: 'webhook',
    payload: { endpointId: 'e-1' },
    dedupeKey: 'e-1:v-1:3',
    orderKey: 'e-1:v-1',
    sequence: 3,
    concurrencyKey: 'e-1',
    state: 'running',
    attempt: 2,
    maxAttempts: 9,
    runAt: NOW,
    leaseOwner: 'replica-a',
    leaseUntil: LATER,
    lastError: 'HTTP 503',
    lastOutcome: '503',
    createdAt: NOW,
    updatedAt: LATER,
    finishedAt: null,
    ...overrides,
  };
}

describe('job documents', () => {
  it('stores a new unordered job pending and an ordered one waiting, with copies of what it was given', () => {
    const payload = { ids: ['a'] };
    const runAt = new Date('2030-04-01T09:00:00.000Z');

    const unordered = newJobDocument(ID, { kind: 'k', payload, dedupeKey: 'd', maxAttempts: 3, runAt }, NOW);
    const waiting = newJobDocument(
      ID,
      { kind: 'k', payload, dedupeKey: 'd', maxAttempts: 3, order: { key: 'o', sequence: 4 } },
      NOW,
    );

    expect(unordered).toEqual({
      _id: ID,
      kind: 'k',
      payload: { ids: ['a'] },
      dedupeKey: 'd',
      orderKey: null,
      sequence: null,
      concurrencyKey: null,
      state: 'pending',
      attempt: 0,
      maxAttempts: 3,
      runAt,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      lastOutcome: null,
      createdAt: NOW,
      updatedAt: NOW,
      finishedAt: null,
    });
    // headOf is set only by a promotion, never at insert.
    expect(waiting).toMatchObject({ state: 'waiting', orderKey: 'o', sequence: 4, runAt: NOW });
    expect(waiting).not.toHaveProperty('headOf');
    payload.ids.push('changed');
    runAt.setUTCFullYear(2000);
    expect(unordered.payload).toEqual({ ids: ['a'] });
    expect(unordered.runAt).toEqual(new Date('2030-04-01T09:00:00.000Z'));
  });

  it('maps a document to its record and back, headOf following the state', () => {
    for (const state of ['waiting', 'pending', 'running', 'done', 'dead'] as const) {
      const job = record({ state });
      const document = toJobDocument(job);

      expect(toJobRecord(document)).toEqual(job);
      if (state === 'pending' || state === 'running') expect(document.headOf).toBe('e-1:v-1');
      else expect(document).not.toHaveProperty('headOf');
    }
    expect(toJobDocument(record({ orderKey: null, sequence: null, state: 'pending' }))).not.toHaveProperty(
      'headOf',
    );
  });

  it('reads absent optional fields as null, whoever wrote the document', () => {
    const sparse = {
      ...toJobDocument(record({ state: 'pending' })),
      orderKey: undefined,
      sequence: undefined,
      // Written before concurrency keys existed.
      concurrencyKey: undefined,
      leaseOwner: undefined,
      leaseUntil: undefined,
      lastError: undefined,
      lastOutcome: undefined,
      finishedAt: undefined,
    } as unknown as JobDocument;

    expect(toJobRecord(sparse)).toMatchObject({
      orderKey: null,
      sequence: null,
      concurrencyKey: null,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      lastOutcome: null,
      finishedAt: null,
    });
  });

  it('accepts only canonical ids', () => {
    expect(parseJobId('65f1c0ffee0123456789abcd')).toEqual(ID);
    for (const malformed of ['', 'twelve chars', '65F1C0FFEE0123456789ABCD', '65f1c0ffee0123456789abc'])
      expect(parseJobId(malformed)).toBeNull();
  });
});

describe('job filters and updates', () => {
  it('claims an expired lease first, then a due pending job, within the kinds asked for', () => {
    expect(claimFilters(NOW)).toEqual([
      { state: 'running', leaseUntil: { $lte: NOW } },
      { state: 'pending', runAt: { $lte: NOW } },
    ]);
    expect(claimFilters(NOW, ['a', 'b'])).toEqual([
      { state: 'running', leaseUntil: { $lte: NOW }, kind: { $in: ['a', 'b'] } },
      { state: 'pending', runAt: { $lte: NOW }, kind: { $in: ['a', 'b'] } },
    ]);
    // Keys the runner holds enough of are left out; $nin also matches jobs without a key.
    expect(claimFilters(NOW, ['a'], ['endpoint-1'])).toEqual([
      {
        state: 'running',
        leaseUntil: { $lte: NOW },
        kind: { $in: ['a'] },
        concurrencyKey: { $nin: ['endpoint-1'] },
      },
      {
        state: 'pending',
        runAt: { $lte: NOW },
        kind: { $in: ['a'] },
        concurrencyKey: { $nin: ['endpoint-1'] },
      },
    ]);
    expect(claimFilters(NOW, undefined, [])).toEqual(claimFilters(NOW));
    expect(claimUpdate('replica-a', NOW, 30_000)).toEqual({
      $set: { state: 'running', leaseOwner: 'replica-a', leaseUntil: LATER, updatedAt: NOW },
      $inc: { attempt: 1 },
    });
  });

  it('fences every report by state, owner and attempt', () => {
    expect(fenceFilter(ID, 'replica-a', 2)).toEqual({
      _id: ID,
      state: 'running',
      leaseOwner: 'replica-a',
      attempt: 2,
    });
  });

  it('releases the head on done and dead, keeps it on retry, and sets it on promotion', () => {
    expect(finishUpdate('done', NOW, { outcome: '204' })).toEqual({
      $set: {
        state: 'done',
        leaseOwner: null,
        leaseUntil: null,
        lastOutcome: '204',
        finishedAt: NOW,
        updatedAt: NOW,
      },
      $unset: { headOf: '' },
    });
    expect(finishUpdate('dead', NOW, { error: 'gone', outcome: undefined })).toMatchObject({
      $set: { state: 'dead', lastError: 'gone', lastOutcome: null },
      $unset: { headOf: '' },
    });
    const retry = retryUpdate(NOW, LATER, 'HTTP 503', '503');
    expect(retry).toEqual({
      $set: {
        state: 'pending',
        runAt: LATER,
        leaseOwner: null,
        leaseUntil: null,
        lastError: 'HTTP 503',
        lastOutcome: '503',
        updatedAt: NOW,
      },
    });
    expect(retry).not.toHaveProperty('$unset');
    expect(promoteUpdate('e-1:v-1', NOW)).toEqual({
      $set: { state: 'pending', headOf: 'e-1:v-1', updatedAt: NOW },
    });
  });

  it('lists every state unless told, and pages strictly before the cursor in (createdAt, _id)', () => {
    expect(listFilter({ first: 10 }, null)).toEqual({
      state: { $in: ['waiting', 'pending', 'running', 'done', 'dead'] },
    });
    expect(
      listFilter(
        { first: 10, states: ['dead'], kinds: ['webhook'] },
        { createdAt: NOW, id: ID.toHexString() },
      ),
    ).toEqual({
      state: { $in: ['dead'] },
      kind: { $in: ['webhook'] },
      createdAt: { $lte: NOW },
      $or: [{ createdAt: { $lt: NOW } }, { _id: { $lt: ID } }],
    });
  });

  it('makes the database itself refuse a second job per dedupe key and a second head per order key', () => {
    const byField = (field: string) =>
      JOB_INDEXES.find((index) => !(index.key instanceof Map) && Object.keys(index.key).join() === field);
    expect(byField('dedupeKey')).toMatchObject({ unique: true });
    expect(byField('dedupeKey')).not.toHaveProperty('partialFilterExpression');
    // Partial: only heads carry headOf, and every other job must stay out of the index.
    expect(byField('headOf')).toMatchObject({
      unique: true,
      partialFilterExpression: { headOf: { $exists: true } },
    });
  });

  it("tells the dedupe index's duplicate-key error from the head index's and from other errors", () => {
    const duplicate = (fields: Record<string, unknown>) =>
      new MongoServerError({ message: 'E11000 duplicate key error', code: 11000, ...fields });
    expect(isDuplicateKeyOn(duplicate({ keyPattern: { dedupeKey: 1 } }), 'dedupeKey')).toBe(true);
    expect(isDuplicateKeyOn(duplicate({ keyPattern: { dedupeKey: 1 } }), 'headOf')).toBe(false);
    expect(isDuplicateKeyOn(duplicate({ keyPattern: { headOf: 1 } }), 'headOf')).toBe(true);
    // A server that sends no keyPattern names the index in its message.
    const legacy = new MongoServerError({
      message:
        'E11000 duplicate key error collection: db.jobs index: one_head_per_order_key dup key: { headOf: "k" }',
      code: 11000,
    });
    expect(isDuplicateKeyOn(legacy, 'headOf')).toBe(true);
    expect(isDuplicateKeyOn(legacy, 'dedupeKey')).toBe(false);
    expect(isDuplicateKeyOn(new MongoServerError({ message: 'other', code: 85 }), 'dedupeKey')).toBe(false);
    expect(isDuplicateKeyOn(new Error('E11000'), 'dedupeKey')).toBe(false);
  });
});

describe('job list cursors', () => {
  it('round-trips the position of a job and refuses anything else', () => {
    const position = { createdAt: NOW, id: ID.toHexString() };
    expect(decodeJobCursor(encodeJobCursor(position))).toEqual(position);
    for (const forged of [
      '',
      'forged',
      Buffer.from('1:xyz').toString('base64url'),
      Buffer.from(`x:${ID}`).toString('base64url'),
    ])
      expect(() => decodeJobCursor(forged)).toThrow(InvalidJobCursorError);
  });
});
