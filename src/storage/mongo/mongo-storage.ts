import { type Collection, type Db, MongoClient, MongoServerError, ObjectId } from 'mongodb';
import type { TeleconsultationEvent } from '../../domain/events.js';
import type { PrivilegeLevel } from '../../domain/privileges.js';
import type { TeleconsultationData } from '../../domain/teleconsultation-record.js';
import { currentTraceparent } from '../../shared/tracing.js';
import {
  type EventStore,
  ParticipantAgendaQuery,
  SequencedEvent,
  Storage,
  StoredTeleconsultation,
  TeleconsultationStore,
  UpdateCondition,
  UserIdMapping,
  UserIdMapStore,
} from '../ports.js';
import {
  AGENDA_INDEX,
  AGENDA_SORT,
  agendaFilter,
  changeUpdate,
  conditionFilters,
  type EventDocument,
  legacyParticipantKaleyraIds,
  newTeleconsultationDocument,
  parseTeleconsultationId,
  type TeleconsultationDocument,
  toEvent,
  toEventDocument,
  toTeleconsultationRecord,
  toUserIdMapping,
  type UserIdMapDocument,
  versionFilter,
} from './documents.js';
import { watchInserts } from './event-stream.js';
import { createMongoJobStore, ensureJobIndexes } from './mongo-jobs.js';

export interface MongoStorageOptions {
  url: string;
  /** TELECONSULTATIONS_CRUD_NAME, USER_ID_MAP_CRUD_NAME, JOBS_CRUD_NAME and EVENTS_CRUD_NAME */
  collections: { teleconsultations: string; userIdMap: string; jobs: string; events: string };
  /** Short by default so that start-up and readiness fail fast when MongoDB is unreachable. */
  serverSelectionTimeoutMs?: number;
  /** Defaults to the database named in the URL. */
  databaseName?: string;
}

const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000;
const DUPLICATE_KEY = 11000;
const INDEX_OPTIONS_CONFLICT = 85;
const INDEX_KEY_SPECS_CONFLICT = 86;

function hasCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof MongoServerError && typeof error.code === 'number' && codes.includes(error.code);
}

/** Connects, then returns the storage. Call `init()` once before serving. */
export async function createMongoStorage(options: MongoStorageOptions): Promise<Storage> {
  const timeoutMs = options.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS;
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: timeoutMs });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => {});
    // The URL is not repeated: it may carry credentials.
    throw new Error(`cannot connect to MongoDB within ${timeoutMs} ms`, { cause: error });
  }
  const db = client.db(options.databaseName);
  const teleconsultations = db.collection<TeleconsultationDocument>(options.collections.teleconsultations);
  const userIdMap = db.collection<UserIdMapDocument>(options.collections.userIdMap);
  const events = db.collection<EventDocument>(options.collections.events);

  return {
    teleconsultations: teleconsultationStore(teleconsultations, userIdMap),
    userIdMap: userIdMapStore(userIdMap),
    events: eventStore(events, db),
    jobs: createMongoJobStore(db, options.collections.jobs),
    init: async () => {
      await createIndexes(userIdMap);
      await teleconsultations.createIndex(AGENDA_INDEX, { name: 'agenda' });
      // Room clean-up asks whether an active record still points to a room; the REST
      // transcription route finds a visit by its room.
      await teleconsultations.createIndex({ bandyerRoomId: 1 });
      // The publisher's sweep: only records holding unpublished events are in it.
      await teleconsultations.createIndex(
        { 'outbox.occurredAt': 1 },
        { name: 'unpublished_events', partialFilterExpression: { 'outbox.occurredAt': { $exists: true } } },
      );
      await events.createIndex(
        { teleconsultationId: 1, sequence: 1 },
        { name: 'visit_sequence', unique: true },
      );
      await ensureJobIndexes(db, options.collections.jobs);
    },
    ping: async () => {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}

async function createIndexes(userIdMap: Collection<UserIdMapDocument>): Promise<void> {
  try {
    // Default index names, so an equivalent index made earlier (e.g. by the CRUD) is reused.
    await userIdMap.createIndex({ receivedUserId: 1 }, { unique: true });
  } catch (error) {
    if (hasCode(error, DUPLICATE_KEY)) {
      throw new Error(
        `cannot create the unique index on ${userIdMap.collectionName}.receivedUserId: some receivedUserId ` +
          'values occur more than once; remove the duplicates first',
        { cause: error },
      );
    }
    if (hasCode(error, INDEX_OPTIONS_CONFLICT, INDEX_KEY_SPECS_CONFLICT)) {
      throw new Error(
        `${userIdMap.collectionName} already has an index on receivedUserId that is not unique; drop it so ` +
          'the unique one can be created',
        { cause: error },
      );
    }
    throw error;
  }
  // Reverse lookups, only for participants of documents written by the original service.
  await userIdMap.createIndex({ bandyerId: 1 });
}

function teleconsultationStore(
  teleconsultations: Collection<TeleconsultationDocument>,
  userIdMap: Collection<UserIdMapDocument>,
): TeleconsultationStore {
  const toRecord = legacyAwareRecord(userIdMap);
  return {
    ...teleconsultationWrites(teleconsultations, toRecord),
    ...teleconsultationReads(teleconsultations, toRecord),
  };
}

type ToRecord = (document: TeleconsultationDocument) => Promise<StoredTeleconsultation>;

/** Maps a document, first recovering platform ids of legacy participants from the user-id map. */
function legacyAwareRecord(userIdMap: Collection<UserIdMapDocument>): ToRecord {
  return async (document) => {
    const kaleyraIds = legacyParticipantKaleyraIds(document);
    if (kaleyraIds.length === 0) return toTeleconsultationRecord(document);
    const userIdsByKaleyraId = new Map<string, string>();
    const ambiguous = new Set<string>();
    const mappings = userIdMap.find(
      { bandyerId: { $in: kaleyraIds } },
      { projection: { _id: 0, receivedUserId: 1, bandyerId: 1 } },
    );
    for await (const mapping of mappings) {
      const known = userIdsByKaleyraId.get(mapping.bandyerId);
      if (known !== undefined && known !== mapping.receivedUserId) ambiguous.add(mapping.bandyerId);
      userIdsByKaleyraId.set(mapping.bandyerId, mapping.receivedUserId);
    }
    // Two platform users behind one Kaleyra id: guessing could let the wrong one in.
    for (const kaleyraId of ambiguous) userIdsByKaleyraId.delete(kaleyraId);
    return toTeleconsultationRecord(document, userIdsByKaleyraId);
  };
}

/** The writes: a record's creation and its conditional changes, each with its outbox. */
function teleconsultationWrites(
  teleconsultations: Collection<TeleconsultationDocument>,
  toRecord: ToRecord,
): Pick<TeleconsultationStore, 'insert' | 'update' | 'clearOutbox'> {
  return {
    async insert(
      data: TeleconsultationData,
      now: Date,
      events: readonly SequencedEvent[] = [],
    ): Promise<StoredTeleconsultation> {
      const document = newTeleconsultationDocument(new ObjectId(), data, now, events);
      await teleconsultations.insertOne(document);
      return toTeleconsultationRecord(document);
    },

    async update(
      id: string,
      expectedVersion: number,
      data: TeleconsultationData,
      now: Date,
      condition: UpdateCondition = {},
      events: readonly SequencedEvent[] = [],
    ): Promise<StoredTeleconsultation | null> {
      const _id = parseTeleconsultationId(id);
      if (_id === null) return null;
      // One atomic conditional write: of concurrent updates from any replica, only one matches.
      // $set (not a replacement) keeps fields this service does not own, e.g. teleconsultationState.
      const document = await teleconsultations.findOneAndUpdate(
        { _id, $and: [versionFilter(expectedVersion), ...conditionFilters(condition)] },
        changeUpdate(data, now, events),
        { returnDocument: 'after' },
      );
      return document === null ? null : toRecord(document);
    },

    async clearOutbox(id: string, throughSequence: number): Promise<void> {
      const _id = parseTeleconsultationId(id);
      if (_id === null) return;
      // No version change: publishing is not a change of the visit.
      await teleconsultations.updateOne(
        { _id },
        { $pull: { outbox: { sequence: { $lte: throughSequence } } } },
      );
    },
  };
}

/** The queries: by id, by room, a participant's agenda, the publisher's sweep, room clean-up's check. */
function teleconsultationReads(
  teleconsultations: Collection<TeleconsultationDocument>,
  toRecord: ToRecord,
): Omit<TeleconsultationStore, 'insert' | 'update' | 'clearOutbox'> {
  return {
    async findById(id: string): Promise<StoredTeleconsultation | null> {
      const _id = parseTeleconsultationId(id);
      if (_id === null) return null;
      const document = await teleconsultations.findOne({ _id });
      return document === null ? null : toRecord(document);
    },

    async listForParticipant(query: ParticipantAgendaQuery): Promise<StoredTeleconsultation[]> {
      // MongoDB refuses an empty $or; no selector selects nothing.
      if (query.anyOf.length === 0 || query.limit <= 0) return [];
      const documents = await teleconsultations
        .find(agendaFilter(query))
        .sort(AGENDA_SORT)
        .limit(query.limit)
        .toArray();
      return Promise.all(documents.map(toRecord));
    },

    async withUnpublishedEvents(occurredBefore: Date, limit: number): Promise<StoredTeleconsultation[]> {
      const documents = await teleconsultations
        .find({ 'outbox.occurredAt': { $lt: occurredBefore } })
        .limit(limit)
        .toArray();
      return Promise.all(documents.map(toRecord));
    },

    async isRoomInUse(roomId: string): Promise<boolean> {
      const found = await teleconsultations.findOne(
        { bandyerRoomId: roomId, __STATE__: { $nin: ['TRASH', 'DELETED'] } },
        { projection: { _id: 1 } },
      );
      return found !== null;
    },

    async findByRoomId(roomId: string): Promise<StoredTeleconsultation | null> {
      // Both served by the bandyerRoomId index; the second only when no active record has the room.
      const document =
        (await teleconsultations.findOne({
          bandyerRoomId: roomId,
          __STATE__: { $nin: ['TRASH', 'DELETED'] },
        })) ?? (await teleconsultations.findOne({ bandyerRoomId: roomId }));
      return document === null ? null : toRecord(document);
    },

    count: () => teleconsultations.countDocuments(),
  };
}

function eventStore(events: Collection<EventDocument>, db: Db): EventStore {
  return {
    watch: (listener) => watchInserts(events, db, listener),

    async append(appended: readonly TeleconsultationEvent[]): Promise<void> {
      if (appended.length === 0) return;
      const traced = traceContextField();
      // Upserts on (visit, sequence): publishing the same events again changes nothing.
      await events.bulkWrite(
        appended.map((event) => {
          const { _id, teleconsultationId, sequence, ...rest } = toEventDocument(event);
          return {
            updateOne: {
              filter: { teleconsultationId, sequence },
              update: { $setOnInsert: { _id, teleconsultationId, sequence, ...rest, ...traced } },
              upsert: true,
            },
          };
        }),
        { ordered: false },
      );
    },

    async list(
      teleconsultationId: string,
      afterSequence: number,
      limit: number,
    ): Promise<TeleconsultationEvent[]> {
      if (limit <= 0) return [];
      const documents = await events
        .find({ teleconsultationId, sequence: { $gt: afterSequence } })
        .sort({ sequence: 1 })
        .limit(limit)
        .toArray();
      return documents.map(toEvent);
    },

    async find(teleconsultationId: string, sequence: number): Promise<TeleconsultationEvent | null> {
      const document = await events.findOne({ teleconsultationId, sequence });
      return document === null ? null : toEvent(document);
    },
  };
}

function userIdMapStore(userIdMap: Collection<UserIdMapDocument>): UserIdMapStore {
  return {
    async findMany(userIds: readonly string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      if (userIds.length === 0) return found;
      const documents = userIdMap.find(
        { receivedUserId: { $in: [...new Set(userIds)] } },
        { projection: { _id: 0, receivedUserId: 1, bandyerId: 1 } },
      );
      for await (const document of documents) found.set(document.receivedUserId, document.bandyerId);
      return found;
    },

    async insertIfAbsent(mapping: UserIdMapping): Promise<UserIdMapping> {
      try {
        // The filter's equality seeds receivedUserId in an inserted document.
        const result = await userIdMap.updateOne(
          { receivedUserId: mapping.userId },
          {
            $setOnInsert: {
              bandyerId: mapping.videoUserId,
              ...(mapping.role ? { role: mapping.role } : {}),
              __STATE__: 'PUBLIC',
            },
          },
          { upsert: true },
        );
        if (result.upsertedCount === 1) return { ...mapping };
      } catch (error) {
        // Two upserts raced and the unique index refused the second insert: the other one won.
        if (!hasCode(error, DUPLICATE_KEY)) throw error;
      }
      const stored = await userIdMap.findOne({ receivedUserId: mapping.userId });
      if (stored === null) {
        throw new Error(`user-id map: the mapping for ${mapping.userId} vanished right after it was written`);
      }
      return toUserIdMapping(stored);
    },

    async rolesOf(userIds: readonly string[]): Promise<Map<string, PrivilegeLevel>> {
      const found = new Map<string, PrivilegeLevel>();
      if (userIds.length === 0) return found;
      const documents = userIdMap.find(
        { receivedUserId: { $in: [...new Set(userIds)] }, role: { $in: ['basic', 'plus'] } },
        { projection: { _id: 0, receivedUserId: 1, role: 1 } },
      );
      for await (const document of documents) {
        if (document.role === 'basic' || document.role === 'plus')
          found.set(document.receivedUserId, document.role);
      }
      return found;
    },

    async recordRole(userId: string, role: PrivilegeLevel): Promise<void> {
      await userIdMap.updateOne({ receivedUserId: userId }, { $set: { role } });
    },
  };
}

/** The `traceparent` field of events appended inside a traced request; nothing otherwise. */
function traceContextField(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent === undefined ? {} : { traceparent };
}
