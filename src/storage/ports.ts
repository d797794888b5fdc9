import type { EventDraft, TeleconsultationEvent } from '../domain/events.js';
import type { PrivilegeLevel } from '../domain/privileges.js';
import type { StatusSelector } from '../domain/teleconsultation.js';
import type { TeleconsultationData, TeleconsultationRecord } from '../domain/teleconsultation-record.js';
import type { JobStore } from '../jobs/port.js';
import { RECORD_ID_PATTERN } from '../shared/record-id.js';

/**
 * Persistence ports. Stores persist and enforce integrity (unique ids, conditional updates);
 * they hold no business rules. Both the MongoDB and the in-memory adapter pass one contract
 * suite (test/integration/storage/).
 */

/**
 * Teleconsultation ids are MongoDB ObjectIds in canonical lowercase hex. Both adapters accept
 * exactly these (ObjectId.isValid would also take any 12-character string), so an id that is not
 * one is simply unknown, the same on either store.
 */
export const TELECONSULTATION_ID_PATTERN = RECORD_ID_PATTERN;

/**
 * Conditions a conditional update checks against the stored record, in the same atomic write as
 * the version (so they hold at the instant the change is committed, on every replica).
 */
export interface UpdateCondition {
  /** The stored record has no room, or its startDate is after this instant. */
  roomlessOrStartsAfter?: Date;
  /** The stored record has no endDate, or its endDate is after this instant. */
  endsAfter?: Date;
}

/** A place in an agenda: records are ordered by startDate, then id. */
export interface AgendaPosition {
  startDate: Date;
  id: string;
}

/** A page of the records that list a participant, in (startDate, id) order (keyset, no offset). */
export interface ParticipantAgendaQuery {
  /** The participant's platform user id (`participants.receivedUserId`). */
  userId: string;
  /** startDate >= this instant. */
  startsAtOrAfter?: Date;
  /** startDate < this instant. */
  startsBefore?: Date;
  /** A record matches when it matches at least one selector (an empty list matches nothing). */
  anyOf: readonly StatusSelector[];
  /** Only records strictly after this position. */
  after?: AgendaPosition;
  limit: number;
}

/** An event as a change hands it to the store: its place in the visit's log is decided. */
export type SequencedEvent = EventDraft & { sequence: number };

/**
 * A record as the store holds it: the visit, plus the events stored with the change that produced
 * them and not yet published to the event log (written by the same conditional write as the
 * change, removed once published). The outbox is the store's concern, not the domain's.
 */
export interface StoredTeleconsultation extends TeleconsultationRecord {
  outbox: TeleconsultationEvent[];
}

export interface TeleconsultationStore {
  /**
   * Stores a new record with version 1 and a fresh id, with `events` (sequences 1…n) in its
   * outbox, in the same write.
   */
  insert(
    data: TeleconsultationData,
    now: Date,
    events?: readonly SequencedEvent[],
  ): Promise<StoredTeleconsultation>;
  /** Null when unknown or when `id` is not a well-formed id. Trashed records are returned. */
  findById(id: string): Promise<StoredTeleconsultation | null>;
  /**
   * Replaces the data of `id` only if its version is still `expectedVersion` and `condition`
   * holds for the stored record (one conditional update in the database, safe across replicas),
   * appending `events` to its outbox and raising its event sequence in the same write. Returns the
   * new record, or null when the version moved on, the condition failed or the record does not
   * exist.
   */
  update(
    id: string,
    expectedVersion: number,
    data: TeleconsultationData,
    now: Date,
    condition?: UpdateCondition,
    events?: readonly SequencedEvent[],
  ): Promise<StoredTeleconsultation | null>;
  /** Removes the outbox's events up to `throughSequence` (published); the version is unchanged. */
  clearOutbox(id: string, throughSequence: number): Promise<void>;
  /** Records holding an outbox event that occurred before `occurredBefore`: left unpublished by a crash. */
  withUnpublishedEvents(occurredBefore: Date, limit: number): Promise<StoredTeleconsultation[]>;
  /** The records listing `query.userId` as a participant, ordered by startDate then id. */
  listForParticipant(query: ParticipantAgendaQuery): Promise<StoredTeleconsultation[]>;
  /** Whether an active (not trashed) record points to this Kaleyra room. */
  isRoomInUse(roomId: string): Promise<boolean>;
  /**
   * The record whose Kaleyra room is `roomId` (`bandyerRoomId`; the original's REST transcription
   * route names a visit by it), null when none. A room belongs to one record; should a trashed
   * and an active record both name it, the active one. Trashed records are returned.
   */
  findByRoomId(roomId: string): Promise<StoredTeleconsultation | null>;
  count(): Promise<number>;
}

export interface UserIdMapping {
  /** `receivedUserId` */
  userId: string;
  /** `bandyerId` */
  videoUserId: string;
  /** The role we last set on Kaleyra for this user; absent when unknown (mappings of the original). */
  role?: PrivilegeLevel;
}

export interface UserIdMapStore {
  /** Known mappings for the given platform ids (missing ids are simply absent). */
  findMany(userIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Records `userId → videoUserId` unless a mapping for userId exists (unique index). Returns
   * the mapping that is stored afterwards: the existing one wins a race.
   */
  insertIfAbsent(mapping: UserIdMapping): Promise<UserIdMapping>;
  /** The role last recorded for each of these users (unknown ones and unknown roles are absent). */
  rolesOf(userIds: readonly string[]): Promise<Map<string, PrivilegeLevel>>;
  /** Records the role we just set on Kaleyra for a mapped user. */
  recordRole(userId: string, role: PrivilegeLevel): Promise<void>;
}

/** Everything the app needs from a storage backend. */
/** The append-only log of what happened to each teleconsultation (`teleconsultation_events`). */
export interface EventStore {
  /** Appends events; one already stored (same visit and sequence) is left as it is. */
  append(events: readonly TeleconsultationEvent[]): Promise<void>;
  /** A visit's events after `afterSequence`, in sequence order, at most `limit`. */
  list(teleconsultationId: string, afterSequence: number, limit: number): Promise<TeleconsultationEvent[]>;
  find(teleconsultationId: string, sequence: number): Promise<TeleconsultationEvent | null>;
  /**
   * Calls `listener` with every event appended from now on, by this or any other replica (at
   * least once; a listener must tolerate repeats). MongoDB: one change stream, which needs a
   * replica set: on a standalone server, or one that refuses to open a change stream, this rejects
   * with ChangeStreamsUnsupportedError.
   * Resolves with the function that stops watching. `traceparent`: the trace context of the
   * request whose change appended the event, when it was traced (subscription pushes link to it).
   */
  watch(listener: (event: TeleconsultationEvent, traceparent?: string) => void): Promise<() => Promise<void>>;
}

/**
 * The MongoDB server cannot stream changes: a standalone server, not a replica set, or one that
 * refused to open a change stream (`refusal`: the server's code name and message).
 */
export class ChangeStreamsUnsupportedError extends Error {
  constructor(refusal?: string, options?: ErrorOptions) {
    super(
      refusal === undefined
        ? 'live updates (subscriptions) need MongoDB change streams, which a standalone server does not offer: ' +
            'run MongoDB as a replica set (a single-node replica set will do), or set SUBSCRIPTIONS_ENABLED=false'
        : `live updates (subscriptions) need MongoDB change streams, and the server refused to open one (${refusal}): ` +
            'use a MongoDB replica set (and an account) that can watch the events collection, or set SUBSCRIPTIONS_ENABLED=false',
      options,
    );
    this.name = 'ChangeStreamsUnsupportedError';
  }
}

export interface Storage {
  teleconsultations: TeleconsultationStore;
  events: EventStore;
  userIdMap: UserIdMapStore;
  /** Durable background work (room clean-up, deliveries): see jobs.ts. */
  jobs: JobStore;
  /** Creates indexes; idempotent, called at start. */
  init(): Promise<void>;
  /** Resolves when the backend answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
