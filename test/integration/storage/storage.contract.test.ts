import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Db, MongoClient, ObjectId } from 'mongodb';
import type { EventType, TeleconsultationEvent } from '../../../src/domain/events.js';
import {
  dataOf,
  providerOf,
  type TeleconsultationData,
  type TeleconsultationRecord,
} from '../../../src/domain/teleconsultation-record.js';
import { createStorage } from '../../../src/storage/create-storage.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import { UnresolvedLegacyParticipantError } from '../../../src/storage/mongo/documents.js';
import { createMongoStorage } from '../../../src/storage/mongo/mongo-storage.js';
import {
  ChangeStreamsUnsupportedError,
  type ParticipantAgendaQuery,
  type SequencedEvent,
  type Storage,
  type StoredTeleconsultation,
} from '../../../src/storage/ports.js';
import { doctor, LATER, NOW, patient, removeTestDatabase, teleconsultationData } from './fixtures.js';

/**
 * One contract for every storage adapter. The in-memory adapter always runs; the MongoDB adapter
 * runs when MONGODB_URL is set, in a database of its own that is dropped afterwards.
 */

const COLLECTIONS = {
  teleconsultations: 'teleconsultations',
  userIdMap: 'user_id_map',
  jobs: 'teleconsultation_jobs',
  events: 'teleconsultation_events',
};
const CONCURRENT_CALLERS = 8;

function defineStorageContract(storage: () => Storage): void {
  describe('teleconsultations', () => {
    it('inserts a record at version 1 with a fresh ObjectId-like id and the insertion time', async () => {
      const data = teleconsultationData();
      const first = await storage().teleconsultations.insert(data, NOW);
      const second = await storage().teleconsultations.insert(data, NOW);

      expect(first.id).toMatch(/^[0-9a-f]{24}$/);
      expect(second.id).not.toBe(first.id);
      expect(first).toEqual({
        ...data,
        id: first.id,
        version: 1,
        eventSequence: 0,
        outbox: [],
        createdAt: NOW,
        updatedAt: NOW,
      });
    });

    it('reads back exactly what was inserted: dates, nulls, optional participant fields', async () => {
      const data = teleconsultationData({
        endDate: new Date('2030-05-02T10:45:00.123Z'),
        durationInSeconds: null,
        roomId: null,
      });
      const inserted = await storage().teleconsultations.insert(data, NOW);

      const found = await storage().teleconsultations.findById(inserted.id);

      expect(found).toEqual(inserted);
      expect(found?.startDate).toBeInstanceOf(Date);
      expect(found?.endDate).toEqual(new Date('2030-05-02T10:45:00.123Z'));
      expect(found?.roomId).toBeNull();
      expect(found?.durationInSeconds).toBeNull();
      expect(found?.participants[0]).toEqual(doctor());
      // Absent, not stored as null or undefined.
      expect(Object.keys(found?.participants[1] ?? {}).sort()).toEqual(
        ['accessLinkURL', 'videoUserId', 'role', 'userId'].sort(),
      );
    });

    it('returns null for an unknown id', async () => {
      await storage().teleconsultations.insert(teleconsultationData(), NOW);
      expect(await storage().teleconsultations.findById('0123456789abcdef01234567')).toBeNull();
    });

    it('keeps the video provider a record names, through every update', async () => {
      const inserted = await storage().teleconsultations.insert(
        teleconsultationData({ provider: 'livekit' }),
        NOW,
      );
      expect((await storage().teleconsultations.findById(inserted.id))?.provider).toBe('livekit');

      const updated = await storage().teleconsultations.update(
        inserted.id,
        1,
        { ...dataOf(inserted), roomId: 'room_2' },
        LATER,
      );
      expect(updated?.provider).toBe('livekit');
      expect((await storage().teleconsultations.findById(inserted.id))?.provider).toBe('livekit');
    });

    it("reads a record written without a provider as Kaleyra's, and writes none for it", async () => {
      const inserted = await storage().teleconsultations.insert(teleconsultationData(), NOW);
      const found = await storage().teleconsultations.findById(inserted.id);
      expect(found).not.toHaveProperty('provider');
      expect(providerOf(found as TeleconsultationRecord)).toBe('kaleyra');
      const updated = await storage().teleconsultations.update(inserted.id, 1, dataOf(inserted), LATER);
      expect(updated).not.toHaveProperty('provider');
    });

    it('returns null for malformed ids instead of throwing', async () => {
      const { id } = await storage().teleconsultations.insert(teleconsultationData(), NOW);
      // 'twelve chars' would pass ObjectId.isValid; an upper-case id is not the canonical form.
      for (const malformed of [
        '',
        'abc',
        'twelve chars',
        `${id}0`,
        id.slice(1),
        id.toUpperCase(),
        'g'.repeat(24),
      ]) {
        expect(await storage().teleconsultations.findById(malformed)).toBeNull();
      }
    });

    it('updates when the expected version matches: new data, version + 1, createdAt kept', async () => {
      const inserted = await storage().teleconsultations.insert(teleconsultationData(), NOW);
      const changed = teleconsultationData({
        roomId: 'room_42',
        endDate: new Date('2030-05-02T11:00:00.000Z'),
        durationInSeconds: null,
        participants: [doctor({ accessLinkURL: 'https://sandbox.example/join/new' }), patient()],
      });

      const updated = await storage().teleconsultations.update(inserted.id, 1, changed, LATER);

      const expected = {
        ...changed,
        id: inserted.id,
        version: 2,
        eventSequence: 0,
        outbox: [],
        createdAt: NOW,
        updatedAt: LATER,
      };
      expect(updated).toEqual(expected);
      expect(await storage().teleconsultations.findById(inserted.id)).toEqual(expected);
      expect(await storage().teleconsultations.update(inserted.id, 2, changed, LATER)).toMatchObject({
        version: 3,
      });
    });

    it('refuses an update with a stale or future version and changes nothing', async () => {
      const inserted = await storage().teleconsultations.insert(teleconsultationData(), NOW);
      const current = await storage().teleconsultations.update(inserted.id, 1, teleconsultationData(), LATER);
      const other = teleconsultationData({ roomId: 'room_other', participantsNumber: 9 });

      expect(await storage().teleconsultations.update(inserted.id, 1, other, LATER)).toBeNull();
      expect(await storage().teleconsultations.update(inserted.id, 3, other, LATER)).toBeNull();
      expect(await storage().teleconsultations.findById(inserted.id)).toEqual(current);
    });

    it('returns null when updating an unknown or malformed id, and creates nothing', async () => {
      const data = teleconsultationData();
      expect(await storage().teleconsultations.update('0123456789abcdef01234567', 1, data, NOW)).toBeNull();
      expect(await storage().teleconsultations.update('not-an-id', 1, data, NOW)).toBeNull();
      expect(await storage().teleconsultations.count()).toBe(0);
    });

    it(`lets exactly one of ${CONCURRENT_CALLERS} concurrent updates with the same expected version win`, async () => {
      const { id } = await storage().teleconsultations.insert(teleconsultationData(), NOW);
      const candidates = Array.from({ length: CONCURRENT_CALLERS }, (_, index) =>
        teleconsultationData({ roomId: `room_${index}`, participantsNumber: index + 2 }),
      );

      const results = await Promise.all(
        candidates.map((data) => storage().teleconsultations.update(id, 1, data, LATER)),
      );

      const winners = results.filter((result) => result !== null);
      expect(winners).toHaveLength(1);
      const stored = await storage().teleconsultations.findById(id);
      expect(stored).toEqual(winners[0]);
      expect(stored?.version).toBe(2);
      expect(candidates.map((data) => data.roomId)).toContain(stored?.roomId);
    });

    it("checks the update's condition on the stored record, in the same write as the version", async () => {
      const start = new Date('2030-05-02T10:00:00.000Z');
      const end = new Date('2030-05-02T10:30:00.000Z');
      const withRoom = await storage().teleconsultations.insert(
        teleconsultationData({ startDate: start, endDate: end, roomId: 'room_1' }),
        NOW,
      );
      const next = teleconsultationData({ startDate: start, endDate: end, roomId: 'room_2' });
      const justBefore = new Date(start.getTime() - 1);
      // Starts at (not after) the horizon: locked, refused.
      expect(
        await storage().teleconsultations.update(withRoom.id, 1, next, LATER, {
          roomlessOrStartsAfter: start,
        }),
      ).toBeNull();
      expect(await storage().teleconsultations.findById(withRoom.id)).toMatchObject({
        version: 1,
        roomId: 'room_1',
      });
      expect(
        await storage().teleconsultations.update(withRoom.id, 1, next, LATER, {
          roomlessOrStartsAfter: justBefore,
        }),
      ).toMatchObject({ version: 2, roomId: 'room_2' });

      // Without a room the start does not matter.
      const roomless = await storage().teleconsultations.insert(
        teleconsultationData({ startDate: start, endDate: end, roomId: null }),
        NOW,
      );
      expect(
        await storage().teleconsultations.update(roomless.id, 1, next, LATER, { roomlessOrStartsAfter: end }),
      ).toMatchObject({ version: 2 });

      // Ended at (not after) the instant: refused; an open-ended record never ends.
      const ending = await storage().teleconsultations.insert(teleconsultationData({ endDate: end }), NOW);
      expect(
        await storage().teleconsultations.update(ending.id, 1, next, LATER, { endsAfter: end }),
      ).toBeNull();
      expect(
        await storage().teleconsultations.update(ending.id, 1, next, LATER, {
          endsAfter: new Date(end.getTime() - 1),
        }),
      ).toMatchObject({ version: 2 });
      const open = await storage().teleconsultations.insert(teleconsultationData({ endDate: null }), NOW);
      expect(
        await storage().teleconsultations.update(open.id, 1, next, LATER, { endsAfter: end }),
      ).toMatchObject({
        version: 2,
      });
    });

    it('keeps the soft-delete state: trashed records are still found, and can be made active again', async () => {
      const { id } = await storage().teleconsultations.insert(teleconsultationData(), NOW);

      await storage().teleconsultations.update(id, 1, teleconsultationData({ state: 'trashed' }), LATER);
      expect(await storage().teleconsultations.findById(id)).toMatchObject({ state: 'trashed', version: 2 });

      await storage().teleconsultations.update(id, 2, teleconsultationData({ state: 'active' }), LATER);
      expect(await storage().teleconsultations.findById(id)).toMatchObject({ state: 'active', version: 3 });
    });

    it('says whether an active record points to a room: trashed records and other rooms do not count', async () => {
      expect(await storage().teleconsultations.isRoomInUse('room-a')).toBe(false);
      const record = await storage().teleconsultations.insert(
        teleconsultationData({ roomId: 'room-a' }),
        NOW,
      );
      await storage().teleconsultations.insert(
        teleconsultationData({ roomId: 'room-b', state: 'trashed' }),
        NOW,
      );

      expect(await storage().teleconsultations.isRoomInUse('room-a')).toBe(true);
      expect(await storage().teleconsultations.isRoomInUse('room-b')).toBe(false);
      expect(await storage().teleconsultations.isRoomInUse('room-c')).toBe(false);

      await storage().teleconsultations.update(record.id, 1, { ...dataOf(record), state: 'trashed' }, LATER);
      expect(await storage().teleconsultations.isRoomInUse('room-a')).toBe(false);
    });

    it('finds a record by its Kaleyra room, the active one before a trashed one, trashed ones too', async () => {
      const store = storage().teleconsultations;
      expect(await store.findByRoomId('room-a')).toBeNull();
      const earlier = await store.insert(teleconsultationData({ roomId: 'room-a', state: 'trashed' }), NOW);
      const active = await store.insert(teleconsultationData({ roomId: 'room-a' }), NOW);
      const cancelled = await store.insert(teleconsultationData({ roomId: 'room-b', state: 'trashed' }), NOW);
      await store.insert(teleconsultationData({ roomId: null }), NOW);

      expect(await store.findByRoomId('room-a')).toEqual(active);
      expect(await store.findByRoomId('room-b')).toEqual(cancelled);
      expect(await store.findByRoomId('room-c')).toBeNull();
      // An id is not a room: nothing is found by a record id, nor by an empty room id.
      expect(await store.findByRoomId(active.id)).toBeNull();
      expect(await store.findByRoomId('')).toBeNull();

      await store.update(active.id, 1, { ...dataOf(active), state: 'trashed' }, LATER);
      expect([earlier.id, active.id]).toContain((await store.findByRoomId('room-a'))?.id);
    });

    it('counts every stored record, trashed ones included', async () => {
      expect(await storage().teleconsultations.count()).toBe(0);
      const { id } = await storage().teleconsultations.insert(teleconsultationData(), NOW);
      await storage().teleconsultations.insert(teleconsultationData(), NOW);
      await storage().teleconsultations.insert(teleconsultationData(), NOW);
      await storage().teleconsultations.update(id, 1, teleconsultationData({ state: 'trashed' }), LATER);
      expect(await storage().teleconsultations.count()).toBe(3);
    });

    it('cannot be changed through the objects passed in or returned', async () => {
      const data = teleconsultationData();
      const inserted = await storage().teleconsultations.insert(data, NOW);
      const pristine = structuredClone(inserted);

      data.participants.push(patient({ userId: 'intruder' }));
      data.participants[0]?.groups?.push('admins');
      data.startDate.setUTCFullYear(2000);
      inserted.participants.pop();
      inserted.endDate = new Date(0);
      inserted.createdAt.setUTCFullYear(2000);
      const found = await storage().teleconsultations.findById(inserted.id);
      found?.participants[0]?.groups?.push('admins');
      found?.updatedAt.setUTCFullYear(2000);
      if (found) found.version = 7;

      expect(await storage().teleconsultations.findById(inserted.id)).toEqual(pristine);

      const next = teleconsultationData();
      const updated = await storage().teleconsultations.update(inserted.id, 1, next, LATER);
      const afterUpdate = structuredClone(updated);
      next.participants.length = 0;
      updated?.participants.push(patient({ userId: 'intruder' }));

      expect(await storage().teleconsultations.findById(inserted.id)).toEqual(afterUpdate);
    });
  });

  describe('agenda (records listing a participant)', () => {
    const ACTIVE = [{ state: 'active' as const }];
    const at = (minutes: number) => new Date(Date.UTC(2030, 4, 2, 10, minutes));
    const withDoctor = (minutes: number, overrides: Partial<TeleconsultationData> = {}) =>
      teleconsultationData({ startDate: at(minutes), ...overrides });
    const ids = (records: ReadonlyArray<{ id: string }>) => records.map((r) => r.id);
    const list = (query: Partial<ParticipantAgendaQuery> = {}) =>
      storage().teleconsultations.listForParticipant({
        userId: 'doctor-1',
        anyOf: ACTIVE,
        limit: 100,
        ...query,
      });

    it('lists only the records naming the participant, by startDate then id', async () => {
      const late = await storage().teleconsultations.insert(withDoctor(30), NOW);
      const early = await storage().teleconsultations.insert(withDoctor(0), NOW);
      const tiedA = await storage().teleconsultations.insert(withDoctor(15), NOW);
      const tiedB = await storage().teleconsultations.insert(withDoctor(15), NOW);
      await storage().teleconsultations.insert(
        withDoctor(5, { participants: [doctor({ userId: 'doctor-2' }), patient()] }),
        NOW,
      );

      const tied = [tiedA.id, tiedB.id].sort();
      expect(ids(await list())).toEqual([early.id, ...tied, late.id]);
      expect(ids(await list({ userId: 'patient-1' }))).toHaveLength(5);
      expect(await list({ userId: 'nobody' })).toEqual([]);
      // What comes back is the whole record, as findById gives it.
      expect((await list())[0]).toEqual(await storage().teleconsultations.findById(early.id));
    });

    it('keeps startDate within [startsAtOrAfter, startsBefore) and stops at the limit', async () => {
      const records = [];
      for (const minutes of [0, 10, 20, 30])
        records.push(await storage().teleconsultations.insert(withDoctor(minutes), NOW));
      const [r0, r10, r20, r30] = ids(records);

      expect(ids(await list({ startsAtOrAfter: at(10), startsBefore: at(30) }))).toEqual([r10, r20]);
      expect(ids(await list({ startsAtOrAfter: new Date(at(10).getTime() + 1) }))).toEqual([r20, r30]);
      expect(ids(await list({ startsBefore: new Date(at(10).getTime() + 1) }))).toEqual([r0, r10]);
      expect(ids(await list({ limit: 3 }))).toEqual([r0, r10, r20]);
      expect(await list({ limit: 0 })).toEqual([]);
    });

    it('resumes strictly after a position, ties on startDate broken by id', async () => {
      const a = await storage().teleconsultations.insert(withDoctor(0), NOW);
      const tied = [
        await storage().teleconsultations.insert(withDoctor(10), NOW),
        await storage().teleconsultations.insert(withDoctor(10), NOW),
        await storage().teleconsultations.insert(withDoctor(10), NOW),
      ].sort((x, y) => (x.id < y.id ? -1 : 1));
      const z = await storage().teleconsultations.insert(withDoctor(20), NOW);

      expect(ids(await list({ after: { startDate: a.startDate, id: a.id } }))).toEqual([...ids(tied), z.id]);
      const [first, second, third] = tied as [
        StoredTeleconsultation,
        StoredTeleconsultation,
        StoredTeleconsultation,
      ];
      expect(ids(await list({ after: { startDate: first.startDate, id: first.id } }))).toEqual([
        second.id,
        third.id,
        z.id,
      ]);
      // A position need not be a stored record: an id between two tied ones resumes between them.
      expect(ids(await list({ after: { startDate: at(10), id: '0'.repeat(24) } }))).toEqual([
        ...ids(tied),
        z.id,
      ]);
      expect(ids(await list({ after: { startDate: at(10), id: 'f'.repeat(24) } }))).toEqual([z.id]);
      expect(await list({ after: { startDate: z.startDate, id: z.id } })).toEqual([]);
    });

    it('selects by state, room and start relative to an instant; a record matching several selectors comes once', async () => {
      const waiting = await storage().teleconsultations.insert(withDoctor(0, { roomId: null }), NOW);
      const roomEarly = await storage().teleconsultations.insert(withDoctor(10, { roomId: 'room-a' }), NOW);
      const roomLate = await storage().teleconsultations.insert(withDoctor(20, { roomId: 'room-b' }), NOW);
      const trashed = await storage().teleconsultations.insert(
        withDoctor(30, { roomId: 'room-c', state: 'trashed' }),
        NOW,
      );

      expect(ids(await list({ anyOf: [] }))).toEqual([]);
      expect(ids(await list({ anyOf: [{ state: 'trashed' }] }))).toEqual([trashed.id]);
      expect(ids(await list({ anyOf: [{ state: 'active', hasRoom: false }] }))).toEqual([waiting.id]);
      expect(ids(await list({ anyOf: [{ state: 'active', hasRoom: true }] }))).toEqual([
        roomEarly.id,
        roomLate.id,
      ]);
      expect(ids(await list({ anyOf: [{ state: 'active', hasRoom: true, startsAfter: at(10) }] }))).toEqual([
        roomLate.id,
      ]);
      expect(
        ids(await list({ anyOf: [{ state: 'active', hasRoom: true, startsAtOrBefore: at(10) }] })),
      ).toEqual([roomEarly.id]);
      expect(
        ids(
          await list({
            anyOf: [{ state: 'active' }, { state: 'active', hasRoom: false }, { state: 'trashed' }],
          }),
        ),
      ).toEqual([waiting.id, roomEarly.id, roomLate.id, trashed.id]);
    });

    it('follows updates: a participant removed leaves the agenda, one added joins it, a cancellation moves it', async () => {
      const record = await storage().teleconsultations.insert(withDoctor(0), NOW);
      const moved = await storage().teleconsultations.update(
        record.id,
        record.version,
        { ...dataOf(record), participants: [doctor({ userId: 'doctor-2' }), patient()] },
        LATER,
      );
      expect(await list()).toEqual([]);
      expect(ids(await list({ userId: 'doctor-2' }))).toEqual([record.id]);

      const cancelled = await storage().teleconsultations.update(
        record.id,
        moved?.version ?? 0,
        { ...dataOf(moved as TeleconsultationRecord), state: 'trashed' },
        LATER,
      );
      expect(cancelled?.state).toBe('trashed');
      expect(await list({ userId: 'doctor-2' })).toEqual([]);
      expect(ids(await list({ userId: 'doctor-2', anyOf: [{ state: 'trashed' }] }))).toEqual([record.id]);
      // A refused update changes nothing in the agenda either.
      await storage().teleconsultations.update(record.id, 1, withDoctor(0), LATER);
      expect(await list()).toEqual([]);
    });
  });

  describe('event log and outbox', () => {
    const draft = (sequence: number, type: EventType = 'UPDATED', occurredAt = NOW): SequencedEvent => ({
      id: `${'e'.repeat(20)}${sequence.toString().padStart(4, '0')}`,
      sequence,
      type,
      occurredAt,
      actorId: sequence % 2 === 0 ? null : 'doctor-1',
      changedFields: type === 'UPDATED' ? ['startDate', 'endDate'] : [],
      participantIds: type === 'CREATED' ? ['doctor-1', 'patient-1'] : [],
      snapshot: {
        status: 'SCHEDULED',
        startDate: new Date('2030-05-02T10:00:00.000Z'),
        endDate: null,
        durationInSeconds: 1800,
        participantsNumber: 2,
        participantCount: 2,
      },
    });

    it('writes the events of a change into the outbox with it, numbered on, and never those of a refused change', async () => {
      const inserted = await storage().teleconsultations.insert(teleconsultationData(), NOW, [
        draft(1, 'CREATED'),
      ]);
      expect(inserted.eventSequence).toBe(1);
      expect(inserted.outbox).toEqual([{ ...draft(1, 'CREATED'), teleconsultationId: inserted.id }]);

      const updated = await storage().teleconsultations.update(inserted.id, 1, dataOf(inserted), LATER, {}, [
        draft(2),
        draft(3, 'ROOM_REPLACED'),
      ]);
      expect(updated?.eventSequence).toBe(3);
      expect(updated?.outbox.map((event) => event.sequence)).toEqual([1, 2, 3]);
      // Refused (stale version): neither the change nor its events.
      expect(
        await storage().teleconsultations.update(inserted.id, 1, dataOf(inserted), LATER, {}, [draft(4)]),
      ).toBeNull();
      const found = await storage().teleconsultations.findById(inserted.id);
      expect(found?.outbox).toEqual(updated?.outbox);
      expect(found?.outbox[1]).toEqual({ ...draft(2), teleconsultationId: inserted.id });
      // A change without events keeps the sequence.
      const quiet = await storage().teleconsultations.update(inserted.id, 2, dataOf(inserted), LATER);
      expect(quiet).toMatchObject({ version: 3, eventSequence: 3 });
    });

    it('clears published events from the outbox without changing the version', async () => {
      const inserted = await storage().teleconsultations.insert(teleconsultationData(), NOW, [
        draft(1),
        draft(2),
      ]);
      await storage().teleconsultations.clearOutbox(inserted.id, 1);
      expect(await storage().teleconsultations.findById(inserted.id)).toMatchObject({
        version: 1,
        eventSequence: 2,
        outbox: [{ sequence: 2 }],
      });
      await storage().teleconsultations.clearOutbox(inserted.id, 2);
      expect((await storage().teleconsultations.findById(inserted.id))?.outbox).toEqual([]);
    });

    it('finds the records whose outbox holds an event older than an instant', async () => {
      const old = await storage().teleconsultations.insert(teleconsultationData(), NOW, [
        draft(1, 'CREATED', NOW),
      ]);
      await storage().teleconsultations.insert(teleconsultationData(), NOW, [draft(1, 'CREATED', LATER)]);
      await storage().teleconsultations.insert(teleconsultationData(), NOW);
      const found = await storage().teleconsultations.withUnpublishedEvents(new Date(NOW.getTime() + 1), 10);
      expect(found.map((record) => record.id)).toEqual([old.id]);
      expect(
        await storage().teleconsultations.withUnpublishedEvents(new Date(LATER.getTime() + 1), 1),
      ).toHaveLength(1);
    });

    it('streams every newly appended event to its watchers, once, until they stop', async () => {
      const seen: TeleconsultationEvent[] = [];
      let stop: () => Promise<void>;
      try {
        stop = await storage().events.watch((event) => seen.push(event));
      } catch (error) {
        // MongoDB without a replica set cannot stream changes, and says so.
        expect(error).toBeInstanceOf(ChangeStreamsUnsupportedError);
        return;
      }
      const visit = '0123456789abcdef01234567';
      const event = (sequence: number): TeleconsultationEvent => ({
        ...draft(sequence),
        id: `${'a'.repeat(20)}${sequence.toString().padStart(4, '0')}`,
        teleconsultationId: visit,
      });
      await storage().events.append([event(1), event(2)]);
      await storage().events.append([event(2)]);
      const arrived = async (count: number) => {
        for (let wait = 0; seen.length < count && wait < 100; wait++)
          await new Promise((r) => setTimeout(r, 20));
      };
      await arrived(2);
      expect(seen.map((e) => e.sequence)).toEqual([1, 2]);
      expect(seen[0]).toEqual(event(1));
      await stop();
      await storage().events.append([event(3)]);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toHaveLength(2);
    });

    it('appends events once per visit and sequence, and lists them in order after a sequence', async () => {
      const event = (visit: string, sequence: number): TeleconsultationEvent => ({
        ...draft(sequence),
        id: `${visit.slice(0, 12)}${sequence.toString().padStart(12, '0')}`,
        teleconsultationId: visit,
      });
      const visit = '0123456789abcdef01234567';
      const other = '76543210fedcba9876543210';
      await storage().events.append([event(visit, 2), event(visit, 1), event(other, 1)]);
      await storage().events.append([event(visit, 2), event(visit, 3)]);
      await storage().events.append([]);
      // A second append of sequence 2 with other content changes nothing.
      await storage().events.append([{ ...event(visit, 2), type: 'CANCELLED' }]);

      expect((await storage().events.list(visit, 0, 10)).map((e) => e.sequence)).toEqual([1, 2, 3]);
      expect(await storage().events.list(visit, 0, 10)).toEqual([
        event(visit, 1),
        event(visit, 2),
        event(visit, 3),
      ]);
      expect((await storage().events.list(visit, 1, 1)).map((e) => e.sequence)).toEqual([2]);
      expect(await storage().events.list(visit, 3, 10)).toEqual([]);
      expect(await storage().events.list(visit, 0, 0)).toEqual([]);
      expect(await storage().events.find(visit, 2)).toEqual(event(visit, 2));
      expect(await storage().events.find(visit, 9)).toBeNull();
      expect((await storage().events.list(other, 0, 10)).map((e) => e.sequence)).toEqual([1]);
    });
  });

  describe('user-id map', () => {
    it('finds only the known mappings among the ids asked for', async () => {
      expect(await storage().userIdMap.findMany([])).toEqual(new Map());
      expect(await storage().userIdMap.findMany(['doctor-1'])).toEqual(new Map());

      await storage().userIdMap.insertIfAbsent({ userId: 'doctor-1', videoUserId: 'kaleyra-doctor-1' });
      await storage().userIdMap.insertIfAbsent({ userId: 'patient-1', videoUserId: 'kaleyra-patient-1' });

      expect(await storage().userIdMap.findMany(['doctor-1', 'nobody', 'patient-1', 'doctor-1'])).toEqual(
        new Map([
          ['doctor-1', 'kaleyra-doctor-1'],
          ['patient-1', 'kaleyra-patient-1'],
        ]),
      );
    });

    it('records a new mapping and returns it', async () => {
      const mapping = { userId: 'doctor-1', videoUserId: 'kaleyra-doctor-1' };
      expect(await storage().userIdMap.insertIfAbsent(mapping)).toEqual(mapping);
      expect(await storage().userIdMap.findMany(['doctor-1'])).toEqual(
        new Map([['doctor-1', 'kaleyra-doctor-1']]),
      );
    });

    it('keeps the first mapping of a user and returns it to later writers', async () => {
      await storage().userIdMap.insertIfAbsent({ userId: 'doctor-1', videoUserId: 'kaleyra-first' });

      const second = await storage().userIdMap.insertIfAbsent({
        userId: 'doctor-1',
        videoUserId: 'kaleyra-second',
      });

      expect(second).toEqual({ userId: 'doctor-1', videoUserId: 'kaleyra-first' });
      expect(await storage().userIdMap.findMany(['doctor-1'])).toEqual(
        new Map([['doctor-1', 'kaleyra-first']]),
      );
    });

    it(`gives ${CONCURRENT_CALLERS} concurrent first writers for one user the same single mapping`, async () => {
      const candidates = Array.from({ length: CONCURRENT_CALLERS }, (_, index) => `kaleyra-${index}`);

      const results = await Promise.all(
        candidates.map((videoUserId) =>
          storage().userIdMap.insertIfAbsent({ userId: 'doctor-1', videoUserId: videoUserId }),
        ),
      );

      const winner = results[0]?.videoUserId;
      expect(candidates).toContain(winner);
      expect(results).toEqual(results.map(() => ({ userId: 'doctor-1', videoUserId: winner })));
      expect(await storage().userIdMap.findMany(['doctor-1'])).toEqual(new Map([['doctor-1', winner]]));
    });
    it('remembers the role recorded for a mapped user, and only for mapped users', async () => {
      await storage().userIdMap.insertIfAbsent({ userId: 'doctor-1', videoUserId: 'kaleyra-doctor-1' });
      await storage().userIdMap.insertIfAbsent({
        userId: 'patient-1',
        videoUserId: 'kaleyra-patient-1',
        role: 'basic',
      });
      expect(await storage().userIdMap.rolesOf([])).toEqual(new Map());
      expect(await storage().userIdMap.rolesOf(['doctor-1', 'patient-1', 'nobody'])).toEqual(
        new Map([['patient-1', 'basic']]),
      );

      await storage().userIdMap.recordRole('doctor-1', 'basic');
      await storage().userIdMap.recordRole('doctor-1', 'plus');
      await storage().userIdMap.recordRole('patient-1', 'plus');
      await storage().userIdMap.recordRole('nobody', 'plus');

      expect(await storage().userIdMap.rolesOf(['doctor-1', 'patient-1', 'nobody', 'doctor-1'])).toEqual(
        new Map([
          ['doctor-1', 'plus'],
          ['patient-1', 'plus'],
        ]),
      );
      // Recording a role never creates a mapping nor changes the Kaleyra id.
      expect(await storage().userIdMap.findMany(['doctor-1', 'nobody'])).toEqual(
        new Map([['doctor-1', 'kaleyra-doctor-1']]),
      );
    });

    it("keeps the first writer's role when a later writer loses the race for the mapping", async () => {
      await storage().userIdMap.insertIfAbsent({ userId: 'doctor-1', videoUserId: 'k-1', role: 'plus' });
      await storage().userIdMap.insertIfAbsent({ userId: 'doctor-1', videoUserId: 'k-2', role: 'basic' });
      expect(await storage().userIdMap.rolesOf(['doctor-1'])).toEqual(new Map([['doctor-1', 'plus']]));
    });
  });

  describe('lifecycle', () => {
    it('initialises idempotently and answers pings', async () => {
      await storage().init();
      await storage().init();
      await expect(storage().ping()).resolves.toBeUndefined();
    });
  });
}

describe('in-memory adapter', () => {
  let storage: Storage;
  beforeEach(() => {
    storage = createMemoryStorage();
  });
  defineStorageContract(() => storage);

  it("serves a record seeded as the original service left it (no provider) as Kaleyra's", async () => {
    const legacy: TeleconsultationRecord = {
      ...teleconsultationData({ roomId: 'room_legacy' }),
      id: '0123456789abcdef01234567',
      version: 0,
      eventSequence: 0,
      createdAt: NOW,
      updatedAt: NOW,
    };
    const seeded = createMemoryStorage({ teleconsultations: [legacy] });
    const found = await seeded.teleconsultations.findById(legacy.id);
    expect(found).not.toHaveProperty('provider');
    expect(providerOf(found as TeleconsultationRecord)).toBe('kaleyra');
  });
});

interface MongoContext {
  storage: Storage;
  /** The test database, reached by a client of its own to plant and inspect raw documents. */
  db: Db;
}

function defineMongoSpecifics(context: () => MongoContext): void {
  describe('MongoDB specifics', () => {
    it('stores the video provider in `provider`, beside the original field names', async () => {
      const { id } = await context().storage.teleconsultations.insert(
        teleconsultationData({ roomId: 'room_1', provider: 'livekit' }),
        NOW,
      );
      const raw = await context()
        .db.collection(COLLECTIONS.teleconsultations)
        .findOne({ _id: ObjectId.createFromHexString(id) });
      expect(raw).toMatchObject({ provider: 'livekit', bandyerRoomId: 'room_1' });
    });

    it("writes the original service's field names, with no nulls for absent optional fields", async () => {
      const { id } = await context().storage.teleconsultations.insert(
        teleconsultationData({ roomId: 'room_1' }),
        NOW,
      );

      const raw = await context()
        .db.collection(COLLECTIONS.teleconsultations)
        .findOne({ _id: ObjectId.createFromHexString(id) });

      expect(raw).toEqual({
        _id: ObjectId.createFromHexString(id),
        bandyerRoomId: 'room_1',
        participantsNumber: 3,
        participants: [
          {
            userBandyerId: 'kaleyra-doctor-1',
            receivedUserId: 'doctor-1',
            role: 'plus',
            accessLinkURL: 'https://sandbox.example/join/doctor-1',
            fullName: 'Dr. Ada Rossi',
            groups: ['doctors', 'cardiology'],
            language: 'it',
          },
          {
            userBandyerId: 'kaleyra-patient-1',
            receivedUserId: 'patient-1',
            role: 'basic',
            accessLinkURL: null,
          },
        ],
        startDate: new Date('2030-05-02T10:00:00.000Z'),
        endDate: null,
        durationInSeconds: 1800,
        recording: 'none',
        calendarSequence: 0,
        __STATE__: 'PUBLIC',
        __v: 1,
        eventSequence: 0,
        outbox: [],
        createdAt: NOW,
        updatedAt: NOW,
      });
    });

    it('reads a document of the original service and upgrades it on the first update at version 0', async () => {
      const _id = new ObjectId();
      await context().db.collection(COLLECTIONS.userIdMap).insertOne({
        receivedUserId: 'patient-1',
        bandyerId: 'kaleyra-patient-1',
      });
      await context()
        .db.collection(COLLECTIONS.teleconsultations)
        .insertOne({
          _id,
          bandyerRoomId: 'room_legacy',
          participantsNumber: 1,
          participants: [
            { userBandyerId: 'kaleyra-patient-1', accessLinkURL: 'https://legacy/join', fullName: null },
          ],
          teleconsultationState: 'available',
          startDate: new Date('2024-01-01T10:00:00.000Z'),
          endDate: new Date('2024-01-01T10:30:00.000Z'),
          createdAt: NOW,
          updatedAt: NOW,
        });
      const id = _id.toHexString();

      const legacy = await context().storage.teleconsultations.findById(id);
      expect(legacy).toEqual({
        id,
        version: 0,
        state: 'active',
        roomId: 'room_legacy',
        participantsNumber: 1,
        participants: [
          {
            userId: 'patient-1',
            videoUserId: 'kaleyra-patient-1',
            // The original stored no role: the store does not guess one (the services derive it
            // from the current privileges; reading it as basic once left rooms without a doctor).
            role: null,
            accessLinkURL: 'https://legacy/join',
          },
        ],
        startDate: new Date('2024-01-01T10:00:00.000Z'),
        endDate: new Date('2024-01-01T10:30:00.000Z'),
        durationInSeconds: null,
        // Fields the original never wrote read as their documented defaults (no `provider`: Kaleyra's).
        recording: null,
        calendarSequence: 0,
        eventSequence: 0,
        outbox: [],
        createdAt: NOW,
        updatedAt: NOW,
      });

      expect(providerOf(legacy as TeleconsultationRecord)).toBe('kaleyra');

      const data = {
        ...teleconsultationData(),
        participants: legacy?.participants ?? [],
        state: 'trashed' as const,
      };
      expect(await context().storage.teleconsultations.update(id, 0, data, LATER)).toMatchObject({
        version: 1,
      });
      expect(await context().storage.teleconsultations.update(id, 0, data, LATER)).toBeNull();

      const raw = await context().db.collection(COLLECTIONS.teleconsultations).findOne({ _id });
      expect(raw).toMatchObject({
        __v: 1,
        __STATE__: 'TRASH',
        teleconsultationState: 'available',
        participants: [{ userBandyerId: 'kaleyra-patient-1', receivedUserId: 'patient-1' }],
      });
      // Still no role stored: none was known, and none is invented on the way back.
      expect(raw?.participants[0]).not.toHaveProperty('role');
      // Nor a provider: the document stays Kaleyra's by having none, as the original wrote it.
      expect(raw).not.toHaveProperty('provider');
    });

    it('refuses to invent an identity for a legacy participant missing from the user-id map', async () => {
      const _id = new ObjectId();
      await context()
        .db.collection(COLLECTIONS.teleconsultations)
        .insertOne({
          _id,
          bandyerRoomId: 'room_legacy',
          participantsNumber: 1,
          participants: [{ userBandyerId: 'kaleyra-unknown', accessLinkURL: 'https://legacy/join' }],
          startDate: NOW,
          createdAt: NOW,
          updatedAt: NOW,
        });

      await expect(context().storage.teleconsultations.findById(_id.toHexString())).rejects.toBeInstanceOf(
        UnresolvedLegacyParticipantError,
      );
    });

    it('enforces one mapping per receivedUserId with a unique index', async () => {
      const userIdMap = context().db.collection(COLLECTIONS.userIdMap);
      await userIdMap.insertOne({ receivedUserId: 'doctor-1', bandyerId: 'kaleyra-a' });

      await expect(
        userIdMap.insertOne({ receivedUserId: 'doctor-1', bandyerId: 'kaleyra-b' }),
      ).rejects.toMatchObject({
        code: 11000,
      });
    });

    it('lists legacy documents once rewritten with our user ids', async () => {
      const collection = context().db.collection(COLLECTIONS.teleconsultations);
      await context().db.collection(COLLECTIONS.userIdMap).insertOne({
        receivedUserId: 'doctor-1',
        bandyerId: 'kaleyra-doctor-1',
      });
      const base = { bandyerRoomId: 'room', participantsNumber: 1, createdAt: NOW, updatedAt: NOW };
      const legacy = await collection.insertOne({
        ...base,
        participants: [{ userBandyerId: 'kaleyra-doctor-1', accessLinkURL: null }],
        startDate: new Date('2030-05-02T10:00:00Z'),
      });
      const ours = (state?: string) => ({
        ...base,
        participants: [
          { userBandyerId: 'kaleyra-doctor-1', receivedUserId: 'doctor-1', accessLinkURL: null },
        ],
        startDate: new Date('2030-05-02T11:00:00Z'),
        ...(state ? { __STATE__: state } : {}),
      });
      const absent = await collection.insertOne(ours());
      const draft = await collection.insertOne(ours('DRAFT'));
      const deleted = await collection.insertOne(ours('DELETED'));
      const query = { userId: 'doctor-1', limit: 10 } as const;
      const agenda = context().storage.teleconsultations;

      const active = await agenda.listForParticipant({ ...query, anyOf: [{ state: 'active' }] });
      expect(active.map((r) => r.id).sort()).toEqual(
        [absent.insertedId.toHexString(), draft.insertedId.toHexString()].sort(),
      );
      const trashed = await agenda.listForParticipant({ ...query, anyOf: [{ state: 'trashed' }] });
      expect(trashed.map((r) => r.id)).toEqual([deleted.insertedId.toHexString()]);

      // The first write of the legacy record stores receivedUserId: from then on it is listed.
      const record = await agenda.findById(legacy.insertedId.toHexString());
      await agenda.update(record?.id ?? '', 0, dataOf(record as TeleconsultationRecord), LATER);
      const after = await agenda.listForParticipant({ ...query, anyOf: [{ state: 'active' }] });
      expect(after[0]?.id).toBe(legacy.insertedId.toHexString());
    });

    it('serves the agenda from its index', async () => {
      const collection = context().db.collection(COLLECTIONS.teleconsultations);
      const indexes = await collection.indexes();
      expect(indexes.find((index) => index.name === 'agenda')?.key).toEqual({
        'participants.receivedUserId': 1,
        __STATE__: 1,
        startDate: 1,
        _id: 1,
      });
      await context().storage.teleconsultations.insert(teleconsultationData(), NOW);

      const plan = await collection
        .find({ 'participants.receivedUserId': 'doctor-1', __STATE__: { $in: ['PUBLIC', 'DRAFT', null] } })
        .sort({ startDate: 1, _id: 1 })
        .explain('queryPlanner');
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('"indexName":"agenda"');
    });

    it('finds a visit by its room through the bandyerRoomId index, legacy documents included', async () => {
      const collection = context().db.collection(COLLECTIONS.teleconsultations);
      const indexes = await collection.indexes();
      expect(
        indexes.some((index) => JSON.stringify(index.key) === JSON.stringify({ bandyerRoomId: 1 })),
      ).toBe(true);
      // The original stored Kaleyra ids only; the user-id map says whose they are.
      await context().db.collection(COLLECTIONS.userIdMap).insertOne({
        receivedUserId: 'doctor-1',
        bandyerId: 'kaleyra-doctor-1',
      });
      const legacy = await collection.insertOne({
        bandyerRoomId: 'room_legacy',
        participantsNumber: 1,
        participants: [{ userBandyerId: 'kaleyra-doctor-1', accessLinkURL: null }],
        startDate: new Date('2030-05-02T10:00:00Z'),
        createdAt: NOW,
        updatedAt: NOW,
      });
      expect((await context().storage.teleconsultations.findByRoomId('room_legacy'))?.id).toBe(
        legacy.insertedId.toHexString(),
      );
    });

    it('treats __STATE__ TRASH and DELETED as trashed, PUBLIC, DRAFT and absent as active', async () => {
      const collection = context().db.collection(COLLECTIONS.teleconsultations);
      const base = {
        bandyerRoomId: null,
        participantsNumber: 0,
        participants: [],
        startDate: NOW,
        createdAt: NOW,
        updatedAt: NOW,
      };
      const expectations = {
        TRASH: 'trashed',
        DELETED: 'trashed',
        PUBLIC: 'active',
        DRAFT: 'active',
      } as const;
      for (const [crudState, state] of Object.entries(expectations)) {
        const { insertedId } = await collection.insertOne({ ...base, __STATE__: crudState, __v: 4 });
        expect(await context().storage.teleconsultations.findById(insertedId.toHexString())).toMatchObject({
          state,
          version: 4,
        });
      }
    });
  });
}

const mongoUrl = process.env.MONGODB_URL;
const MONGO_SKIPPED = 'MongoDB adapter (skipped: set MONGODB_URL to run against a real MongoDB)';

if (mongoUrl) {
  describe('MongoDB adapter', () => {
    const databaseName = `tg_storage_test_${randomBytes(6).toString('hex')}`;
    let storage: Storage | undefined;
    let client: MongoClient | undefined;
    let db: Db;

    beforeAll(async () => {
      storage = await createMongoStorage({ url: mongoUrl, collections: COLLECTIONS, databaseName });
      await storage.init();
      client = await new MongoClient(mongoUrl).connect();
      db = client.db(databaseName);
    });

    beforeEach(async () => {
      await db.collection(COLLECTIONS.teleconsultations).deleteMany({});
      await db.collection(COLLECTIONS.userIdMap).deleteMany({});
      await db.collection(COLLECTIONS.jobs).deleteMany({});
      await db.collection(COLLECTIONS.events).deleteMany({});
    });

    afterAll(async () => {
      if (client) await removeTestDatabase(client.db(databaseName), Object.values(COLLECTIONS));
      await client?.close();
      await storage?.close();
    });

    const context = (): MongoContext => {
      if (storage === undefined) throw new Error('MongoDB storage did not start');
      return { storage, db };
    };
    defineStorageContract(() => context().storage);
    defineMongoSpecifics(context);
  });
} else {
  process.stderr.write(`storage contract: ${MONGO_SKIPPED}\n`);
  describe.skip(MONGO_SKIPPED, () => {
    const notRun = (): never => {
      throw new Error('skipped');
    };
    defineStorageContract(notRun);
    defineMongoSpecifics(notRun);
  });
}

describe('choosing and starting the adapter', () => {
  it('builds the in-memory adapter only when the configuration asks for it', async () => {
    const storage = await createStorage({ kind: 'memory' }, COLLECTIONS);
    const { id } = await storage.teleconsultations.insert(teleconsultationData(), NOW);
    expect(await storage.teleconsultations.findById(id)).toMatchObject({ id, version: 1 });
  });

  it('fails instead of falling back to memory when the MongoDB configuration is unusable', async () => {
    await expect(createStorage({ kind: 'mongodb', url: 'not-a-mongodb-url' }, COLLECTIONS)).rejects.toThrow();
  });

  it('rejects quickly, without echoing the URL and its credentials, when MongoDB is unreachable', async () => {
    const started = Date.now();
    const attempt = createMongoStorage({
      url: 'mongodb://gateway:s3cret@127.0.0.1:1/teleconsultations',
      collections: COLLECTIONS,
      serverSelectionTimeoutMs: 300,
    });

    const error: unknown = await attempt.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('cannot connect to MongoDB within 300 ms');
    expect((error as Error).message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
