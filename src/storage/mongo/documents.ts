import { type Filter, ObjectId, type UpdateFilter } from 'mongodb';
import type {
  ChangeableField,
  EventSnapshot,
  EventType,
  TeleconsultationEvent,
} from '../../domain/events.js';
import type { PrivilegeLevel } from '../../domain/privileges.js';
import type { StatusSelector } from '../../domain/teleconsultation.js';
import {
  RECORDING_TYPES,
  type RecordingType,
  type StoredParticipant,
  type TeleconsultationData,
  type TeleconsultationState,
} from '../../domain/teleconsultation-record.js';
import {
  ADMISSION_MODES,
  type AdmissionMode,
  type Attendance,
  attendanceFrom,
  copyAttendance,
  type HostDelay,
} from '../../domain/waiting-room.js';
import {
  type ParticipantAgendaQuery,
  type SequencedEvent,
  type StoredTeleconsultation,
  TELECONSULTATION_ID_PATTERN,
  type UpdateCondition,
  type UserIdMapping,
} from '../ports.js';

/**
 * Document shapes of the two collections and the pure mapping to and from the ports' records.
 * Field names are those of the original service (a Mia-Platform CRUD), so collections it wrote
 * stay readable and it could still read ours. Fields the original never wrote are optional here:
 * the types describe what may be found in the collection, not only what this service writes.
 */

/**
 * Mia-Platform CRUD document states. We write only PUBLIC and TRASH (soft delete); DRAFT and
 * DELETED may exist in collections other CRUD clients wrote to.
 */
export type CrudState = 'PUBLIC' | 'DRAFT' | 'TRASH' | 'DELETED';

export interface ParticipantDocument {
  userBandyerId: string;
  /**
   * Absent in documents written by the original service, which identified participants only by
   * their Kaleyra id; it is recovered through the user-id map (see `legacyParticipantKaleyraIds`).
   */
  receivedUserId?: string;
  /** Absent in documents of the original service: the role then comes from the current privileges. */
  role?: PrivilegeLevel;
  accessLinkURL: string | null;
  fullName?: string;
  groups?: string[];
  language?: string;
  linkIssuedAt?: Date;
  /** The waiting room; absent while NOT_ARRIVED. */
  attendance?: Attendance;
}

/** An event in a record's outbox (the record's id is implied). */
export interface OutboxEventDocument {
  id: string;
  sequence: number;
  type: EventType;
  occurredAt: Date;
  actorId: string | null;
  changedFields: ChangeableField[];
  participantIds: string[];
  /** TRANSCRIPTION_READ only. */
  sessionId?: string;
  /** HOST_DELAYED only. */
  delayMinutes?: number;
  snapshot: EventSnapshot;
}

export interface TeleconsultationDocument {
  _id: ObjectId;
  bandyerRoomId: string | null;
  participantsNumber: number;
  participants: ParticipantDocument[];
  startDate: Date;
  endDate?: Date | null;
  /** Not stored by the original service (it kept only endDate). */
  durationInSeconds?: number | null;
  /** Kaleyra's recording type; absent in older documents (DEFAULT_RECORDING_TYPE applies). */
  recording?: RecordingType | null;
  /** The calendar event's SEQUENCE; absent in older documents (read as 0). */
  calendarSequence?: number;
  /** Set per visit; absent: the config's default (see admissionOf). */
  admission?: AdmissionMode;
  /** A host running late; absent: none. */
  hostDelay?: HostDelay;
  /** The video provider hosting the room; absent in older documents (Kaleyra's). */
  provider?: string;
  /** The sequence of the visit's last event; absent in older documents (read as 0). */
  eventSequence?: number;
  /** Events written with their change, not yet published to the event log. */
  outbox?: OutboxEventDocument[];
  /** Absent in documents never touched by the CRUD's state machine: read as PUBLIC. */
  __STATE__?: CrudState;
  /** Optimistic-concurrency version. Absent in the original's documents: read as 0. */
  __v?: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What `update` sets: every field this service owns. Others (e.g. `teleconsultationState`, `creatorId`) are left alone. */
export interface TeleconsultationFields {
  bandyerRoomId: string | null;
  participantsNumber: number;
  participants: WrittenParticipantDocument[];
  startDate: Date;
  endDate: Date | null;
  durationInSeconds: number | null;
  recording: RecordingType | null;
  calendarSequence: number;
  /** Only when the record names one: an older document stays without (Kaleyra's). */
  provider?: string;
  __STATE__: 'PUBLIC' | 'TRASH';
  updatedAt: Date;
}

/** What `update` unsets when the data has none: a cleared delay, an admission back to the default. */
export type OptionalTeleconsultationField = 'admission' | 'hostDelay';

/** A participant as this service writes it: always with both ids (and the role, once known). */
export type WrittenParticipantDocument = ParticipantDocument & {
  receivedUserId: string;
};

export interface UserIdMapDocument {
  _id: ObjectId;
  receivedUserId: string;
  bandyerId: string;
  /** The role this service last set on Kaleyra; absent in the original's documents. */
  role?: PrivilegeLevel;
  /** Written as PUBLIC so the CRUD (which lists PUBLIC documents by default) still sees new mappings. */
  __STATE__?: CrudState;
}

/** A legacy participant whose platform id cannot be recovered: the document is inconsistent. */
export class UnresolvedLegacyParticipantError extends Error {
  constructor(
    readonly teleconsultationId: string,
    readonly kaleyraUserId: string,
  ) {
    super(
      `teleconsultation ${teleconsultationId}: participant with Kaleyra id ${kaleyraUserId} has no ` +
        'receivedUserId and no unique entry in the user-id map',
    );
    this.name = 'UnresolvedLegacyParticipantError';
  }
}

/** The ObjectId for a teleconsultation id, or null when `id` is not a well-formed id. */
export function parseTeleconsultationId(id: string): ObjectId | null {
  return TELECONSULTATION_ID_PATTERN.test(id) ? ObjectId.createFromHexString(id) : null;
}

function toCrudState(state: TeleconsultationState): 'PUBLIC' | 'TRASH' {
  return state === 'trashed' ? 'TRASH' : 'PUBLIC';
}

function toTeleconsultationState(state: CrudState | undefined): TeleconsultationState {
  return state === 'TRASH' || state === 'DELETED' ? 'trashed' : 'active';
}

function toParticipantDocument(participant: StoredParticipant): WrittenParticipantDocument {
  const document: WrittenParticipantDocument = {
    userBandyerId: participant.videoUserId,
    receivedUserId: participant.userId,
    accessLinkURL: participant.accessLinkURL,
  };
  if (participant.role !== null) document.role = participant.role;
  // Omitted rather than undefined: the driver would store undefined as null.
  if (participant.fullName !== undefined) document.fullName = participant.fullName;
  if (participant.groups !== undefined) document.groups = [...participant.groups];
  if (participant.language !== undefined) document.language = participant.language;
  if (participant.linkIssuedAt !== undefined) document.linkIssuedAt = new Date(participant.linkIssuedAt);
  if (participant.attendance !== undefined) document.attendance = copyAttendance(participant.attendance);
  return document;
}

/** The waiting room's visit fields, when the data has them (written only then). */
function waitingRoomFields(
  data: TeleconsultationData,
): Pick<TeleconsultationDocument, 'admission' | 'hostDelay'> {
  return {
    ...(data.admission ? { admission: data.admission } : {}),
    ...(data.hostDelay
      ? { hostDelay: { ...data.hostDelay, announcedAt: new Date(data.hostDelay.announcedAt) } }
      : {}),
  };
}

/** Copies dates and arrays, so a record built from the result shares nothing with the caller's data. */
export function toTeleconsultationFields(data: TeleconsultationData, now: Date): TeleconsultationFields {
  return {
    bandyerRoomId: data.roomId,
    participantsNumber: data.participantsNumber,
    participants: data.participants.map(toParticipantDocument),
    startDate: new Date(data.startDate),
    endDate: data.endDate === null ? null : new Date(data.endDate),
    durationInSeconds: data.durationInSeconds,
    recording: data.recording,
    calendarSequence: data.calendarSequence,
    ...(data.provider !== undefined ? { provider: data.provider } : {}),
    __STATE__: toCrudState(data.state),
    updatedAt: new Date(now),
  };
}

/** A new document at version 1, its first events in its outbox. */
export function newTeleconsultationDocument(
  id: ObjectId,
  data: TeleconsultationData,
  now: Date,
  events: readonly SequencedEvent[] = [],
): TeleconsultationDocument & TeleconsultationFields {
  return {
    _id: id,
    ...toTeleconsultationFields(data, now),
    ...waitingRoomFields(data),
    __v: 1,
    eventSequence: events.at(-1)?.sequence ?? 0,
    outbox: events.map(toOutboxEventDocument),
    createdAt: new Date(now),
  };
}

/** The conditional update of a change: the new fields, the version, and its events, in one write. */
export function changeUpdate(
  data: TeleconsultationData,
  now: Date,
  events: readonly SequencedEvent[],
): UpdateFilter<TeleconsultationDocument> {
  const last = events.at(-1);
  const unset: Partial<Record<OptionalTeleconsultationField, ''>> = {};
  if (!data.admission) unset.admission = '';
  if (!data.hostDelay) unset.hostDelay = '';
  return {
    $set: {
      ...toTeleconsultationFields(data, now),
      ...waitingRoomFields(data),
      ...(last ? { eventSequence: last.sequence } : {}),
    },
    ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
    $inc: { __v: 1 },
    ...(events.length > 0 ? { $push: { outbox: { $each: events.map(toOutboxEventDocument) } } } : {}),
  };
}

export function toOutboxEventDocument(event: SequencedEvent): OutboxEventDocument {
  return {
    id: event.id,
    sequence: event.sequence,
    type: event.type,
    occurredAt: new Date(event.occurredAt),
    actorId: event.actorId,
    changedFields: [...event.changedFields],
    participantIds: [...event.participantIds],
    ...(event.sessionId !== undefined ? { sessionId: event.sessionId } : {}),
    ...(event.delayMinutes !== undefined ? { delayMinutes: event.delayMinutes } : {}),
    snapshot: { ...event.snapshot },
  };
}

/** An event of the log, as stored in `teleconsultation_events` (its id is the event's id). */
export interface EventDocument extends Omit<OutboxEventDocument, 'id'> {
  _id: string;
  teleconsultationId: string;
  /** The W3C trace context of the request that appended it, when traced (docs/storage.md). */
  traceparent?: string;
}

export function toEventDocument(event: TeleconsultationEvent): EventDocument {
  const { id, ...rest } = toOutboxEventDocument(event);
  return { _id: id, teleconsultationId: event.teleconsultationId, ...rest };
}

export function toEvent(document: EventDocument): TeleconsultationEvent {
  return {
    id: document._id,
    teleconsultationId: document.teleconsultationId,
    sequence: document.sequence,
    type: document.type,
    occurredAt: document.occurredAt,
    actorId: document.actorId,
    changedFields: document.changedFields,
    participantIds: document.participantIds,
    ...(document.sessionId !== undefined ? { sessionId: document.sessionId } : {}),
    ...(typeof document.delayMinutes === 'number' ? { delayMinutes: document.delayMinutes } : {}),
    snapshot: document.snapshot,
  };
}

/**
 * Filter on the version a conditional update expects. A legacy document has no `__v` and reads
 * as version 0, so expecting 0 must also match a missing field (and `__v: 0`, which the CRUD or
 * Mongoose may have written).
 */
export function versionFilter(expectedVersion: number): Filter<TeleconsultationDocument> {
  if (expectedVersion === 0) return { $or: [{ __v: 0 }, { __v: { $exists: false } }] };
  return { __v: expectedVersion };
}

/**
 * The update's condition as filters on the stored document. A missing or null `bandyerRoomId`
 * (`{ $eq: null }` matches both) is a record without a room; likewise for `endDate`.
 */
export function conditionFilters(condition: UpdateCondition): Filter<TeleconsultationDocument>[] {
  const filters: Filter<TeleconsultationDocument>[] = [];
  if (condition.roomlessOrStartsAfter) {
    filters.push({ $or: [{ bandyerRoomId: null }, { startDate: { $gt: condition.roomlessOrStartsAfter } }] });
  }
  if (condition.endsAfter) {
    filters.push({ $or: [{ endDate: null }, { endDate: { $gt: condition.endsAfter } }] });
  }
  return filters;
}

/** The agenda's index: it serves the filter and the sort of `agendaFilter`. */
export const AGENDA_INDEX = {
  'participants.receivedUserId': 1,
  __STATE__: 1,
  startDate: 1,
  _id: 1,
} as const;

/** The agenda's order: startDate, then id. */
export const AGENDA_SORT = { startDate: 1, _id: 1 } as const;

/** Which stored `__STATE__` values each state reads as (null also matches a missing field). */
const CRUD_STATES_OF: Record<TeleconsultationState, ReadonlyArray<CrudState | null>> = {
  active: ['PUBLIC', 'DRAFT', null],
  trashed: ['TRASH', 'DELETED'],
};

/**
 * The agenda query's filter. Documents of the original service carry no `receivedUserId`: they
 * match once this service has rewritten them.
 */
export function agendaFilter(query: ParticipantAgendaQuery): Filter<TeleconsultationDocument> {
  const startDate: { $gte?: Date; $lt?: Date } = {};
  if (query.startsAtOrAfter) startDate.$gte = query.startsAtOrAfter;
  if (query.startsBefore) startDate.$lt = query.startsBefore;
  const clauses: Filter<TeleconsultationDocument>[] = [
    { 'participants.receivedUserId': query.userId },
    { $or: query.anyOf.map(selectorFilter) },
  ];
  if (startDate.$gte || startDate.$lt) clauses.push({ startDate });
  if (query.after) {
    const afterId = parseTeleconsultationId(query.after.id);
    if (afterId === null) throw new Error(`agenda position with a malformed id: ${query.after.id}`);
    clauses.push({
      $or: [
        { startDate: { $gt: query.after.startDate } },
        { startDate: query.after.startDate, _id: { $gt: afterId } },
      ],
    });
  }
  return { $and: clauses };
}

function selectorFilter(selector: StatusSelector): Filter<TeleconsultationDocument> {
  const filter: Filter<TeleconsultationDocument> = {
    __STATE__: { $in: [...CRUD_STATES_OF[selector.state]] as CrudState[] },
  };
  if (selector.hasRoom !== undefined) filter.bandyerRoomId = selector.hasRoom ? { $ne: null } : null;
  const startDate: { $gt?: Date; $lte?: Date } = {};
  if (selector.startsAfter) startDate.$gt = selector.startsAfter;
  if (selector.startsAtOrBefore) startDate.$lte = selector.startsAtOrBefore;
  if (startDate.$gt || startDate.$lte) filter.startDate = startDate;
  return filter;
}

/** Kaleyra ids of participants that lack `receivedUserId` (documents of the original service). */
export function legacyParticipantKaleyraIds(document: TeleconsultationDocument): string[] {
  return document.participants
    .filter((participant) => typeof participant.receivedUserId !== 'string')
    .map((participant) => participant.userBandyerId);
}

/**
 * The record for a stored document. `userIdsByKaleyraId` (Kaleyra id → platform id, from the
 * user-id map) is consulted only for legacy participants without `receivedUserId`; one that
 * cannot be resolved throws rather than invent an identity such as '' that could be mistaken
 * for a caller.
 */
export function toTeleconsultationRecord(
  document: TeleconsultationDocument,
  userIdsByKaleyraId: ReadonlyMap<string, string> = new Map(),
): StoredTeleconsultation {
  const id = document._id.toHexString();
  return {
    id,
    version: typeof document.__v === 'number' ? document.__v : 0,
    startDate: document.startDate,
    endDate: document.endDate ?? null,
    durationInSeconds: document.durationInSeconds ?? null,
    recording: RECORDING_TYPES.find((type) => type === document.recording) ?? null,
    calendarSequence:
      typeof document.calendarSequence === 'number' && Number.isSafeInteger(document.calendarSequence)
        ? document.calendarSequence
        : 0,
    participantsNumber: document.participantsNumber,
    participants: document.participants.map((participant) => {
      const userId = participant.receivedUserId ?? userIdsByKaleyraId.get(participant.userBandyerId);
      if (userId === undefined) throw new UnresolvedLegacyParticipantError(id, participant.userBandyerId);
      return toStoredParticipant(participant, userId);
    }),
    roomId: document.bandyerRoomId ?? null,
    ...(typeof document.provider === 'string' ? { provider: document.provider } : {}),
    state: toTeleconsultationState(document.__STATE__),
    ...storedWaitingRoom(document),
    eventSequence:
      typeof document.eventSequence === 'number' && Number.isSafeInteger(document.eventSequence)
        ? document.eventSequence
        : 0,
    outbox: (document.outbox ?? []).map(({ id: eventId, ...event }) => ({
      id: eventId,
      teleconsultationId: id,
      ...event,
    })),
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
  };
}

function storedWaitingRoom(
  document: TeleconsultationDocument,
): Pick<StoredTeleconsultation, 'admission' | 'hostDelay'> {
  const admission = ADMISSION_MODES.find((mode) => mode === document.admission);
  const delay = document.hostDelay;
  const hostDelay =
    delay && typeof delay.minutes === 'number' && delay.announcedAt instanceof Date
      ? { minutes: delay.minutes, announcedAt: delay.announcedAt, by: delay.by ?? null }
      : undefined;
  return { ...(admission ? { admission } : {}), ...(hostDelay ? { hostDelay } : {}) };
}

function toStoredParticipant(participant: ParticipantDocument, userId: string): StoredParticipant {
  const stored: StoredParticipant = {
    userId,
    videoUserId: participant.userBandyerId,
    role: participant.role === 'plus' || participant.role === 'basic' ? participant.role : null,
    accessLinkURL: participant.accessLinkURL ?? null,
  };
  // Legacy CRUD documents may hold null for absent optional fields.
  if (typeof participant.fullName === 'string') stored.fullName = participant.fullName;
  if (Array.isArray(participant.groups)) stored.groups = participant.groups;
  if (typeof participant.language === 'string') stored.language = participant.language;
  if (participant.linkIssuedAt instanceof Date) stored.linkIssuedAt = participant.linkIssuedAt;
  const attendance = attendanceFrom(participant.attendance);
  if (attendance !== undefined) stored.attendance = attendance;
  return stored;
}

export function toUserIdMapping(
  document: Pick<UserIdMapDocument, 'receivedUserId' | 'bandyerId' | 'role'>,
): UserIdMapping {
  const role = document.role === 'basic' || document.role === 'plus' ? document.role : undefined;
  return { userId: document.receivedUserId, videoUserId: document.bandyerId, ...(role ? { role } : {}) };
}
