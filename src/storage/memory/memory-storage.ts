import { randomBytes } from 'node:crypto';
import type { TeleconsultationEvent } from '../../domain/events.js';
import type { PrivilegeLevel } from '../../domain/privileges.js';
import type { StatusSelector } from '../../domain/teleconsultation.js';
import type {
  StoredParticipant,
  TeleconsultationData,
  TeleconsultationRecord,
} from '../../domain/teleconsultation-record.js';
import { copyAttendance } from '../../domain/waiting-room.js';
import type { JobRecord } from '../../jobs/port.js';
import { currentTraceparent } from '../../shared/tracing.js';
import {
  type EventStore,
  type ParticipantAgendaQuery,
  type SequencedEvent,
  type Storage,
  type StoredTeleconsultation,
  TELECONSULTATION_ID_PATTERN,
  type TeleconsultationStore,
  type UpdateCondition,
  type UserIdMapping,
  type UserIdMapStore,
} from '../ports.js';
import { createMemoryJobStore } from './memory-jobs.js';

/** What a memory store starts with: records as another writer left them (ids and versions kept). */
export interface MemoryStorageSeed {
  /** Records as another writer left them; an absent outbox is an empty one. */
  teleconsultations?: readonly SeedTeleconsultation[];
  userIdMap?: readonly UserIdMapping[];
  jobs?: readonly JobRecord[];
}

type SeedTeleconsultation = TeleconsultationRecord & Partial<Pick<StoredTeleconsultation, 'outbox'>>;

/**
 * A storage in process memory with the MongoDB adapter's semantics, for the demo and tests.
 * Every check-and-write below runs without an `await` in between, which is what makes it atomic
 * here; records are copied in and out so callers never share objects with the store. Each store
 * is a plain object of functions, as the MongoDB adapter's are: tests wrap one by spreading it.
 */
export function createMemoryStorage(seed: MemoryStorageSeed = {}): Storage {
  return {
    teleconsultations: memoryTeleconsultationStore(seed.teleconsultations ?? []),
    userIdMap: memoryUserIdMapStore(seed.userIdMap ?? []),
    events: memoryEventStore(),
    jobs: createMemoryJobStore({ seed: seed.jobs ?? [] }),
    init: async () => {},
    ping: async () => {},
    close: async () => {},
  };
}

/**
 * The agenda's index: each participant's records in agenda order (startDate, then id), kept in
 * step with every write, as MongoDB's `agenda` index is. A page costs a binary search and the
 * records it reads, not the participant's whole list nor the store; each entry carries its start
 * as a number, so finding a page reads no record it skips.
 */
class ParticipantIndex {
  private readonly entriesOfParticipant = new Map<string, AgendaEntry[]>();

  /** Lists `record` under its participants, and no longer under those of its `previous` version. */
  index(record: StoredTeleconsultation, previous?: StoredTeleconsultation): void {
    if (previous !== undefined) {
      for (const { userId } of previous.participants) {
        const entries = this.entriesOfParticipant.get(userId);
        if (entries === undefined) continue;
        const at = entries.findIndex((entry) => entry.record.id === previous.id);
        if (at >= 0) entries.splice(at, 1);
      }
    }
    const entry: AgendaEntry = { startMs: record.startDate.getTime(), id: record.id, record };
    for (const { userId } of record.participants) {
      let entries = this.entriesOfParticipant.get(userId);
      if (entries === undefined) {
        entries = [];
        this.entriesOfParticipant.set(userId, entries);
      }
      entries.splice(firstAfter(entries, entry.startMs, entry.id), 0, entry);
    }
  }

  /** The participant's records, in agenda order. */
  entriesOf(userId: string): readonly AgendaEntry[] {
    return this.entriesOfParticipant.get(userId) ?? [];
  }
}

interface AgendaEntry {
  readonly startMs: number;
  readonly id: string;
  readonly record: StoredTeleconsultation;
}

/** The index of the first entry that is not `before` (entries are in agenda order). */
function firstNotBefore(entries: readonly AgendaEntry[], before: (entry: AgendaEntry) => boolean): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(entries[middle] as AgendaEntry)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The index of the first entry strictly after (startMs, id) in agenda order: startDate, then id
 * (ids are fixed-length lowercase hex, so string order is ObjectId order).
 */
function firstAfter(entries: readonly AgendaEntry[], startMs: number, id: string): number {
  return firstNotBefore(
    entries,
    (entry) => entry.startMs < startMs || (entry.startMs === startMs && entry.id <= id),
  );
}

function memoryTeleconsultationStore(seed: readonly SeedTeleconsultation[]): TeleconsultationStore {
  const records = new Map<string, StoredTeleconsultation>(
    seed.map((record) => [record.id, copyRecord({ outbox: [], ...record })]),
  );
  const agenda = new ParticipantIndex();
  for (const record of records.values()) agenda.index(record);
  return { ...teleconsultationWrites(records, agenda), ...teleconsultationReads(records, agenda) };
}

/** The writes: a record's creation and its conditional changes, each with its outbox. */
function teleconsultationWrites(
  teleconsultations: Map<string, StoredTeleconsultation>,
  agenda: ParticipantIndex,
): Pick<TeleconsultationStore, 'insert' | 'update' | 'clearOutbox'> {
  function newId(): string {
    let id: string;
    do id = randomBytes(12).toString('hex');
    while (teleconsultations.has(id));
    return id;
  }

  return {
    async insert(
      data: TeleconsultationData,
      now: Date,
      events: readonly SequencedEvent[] = [],
    ): Promise<StoredTeleconsultation> {
      const id = newId();
      const outbox = events.map((event) => copyEvent({ ...event, teleconsultationId: id }));
      const record = toRecord(id, 1, data, now, now, {
        eventSequence: events.at(-1)?.sequence ?? 0,
        outbox,
      });
      teleconsultations.set(record.id, record);
      agenda.index(record);
      return copyRecord(record);
    },

    async update(
      id: string,
      expectedVersion: number,
      data: TeleconsultationData,
      now: Date,
      condition: UpdateCondition = {},
      events: readonly SequencedEvent[] = [],
    ): Promise<StoredTeleconsultation | null> {
      const current = teleconsultations.get(id);
      if (current === undefined || current.version !== expectedVersion) return null;
      if (!holds(condition, current)) return null;
      const log = {
        eventSequence: events.at(-1)?.sequence ?? current.eventSequence,
        outbox: [...current.outbox, ...events.map((event) => ({ ...event, teleconsultationId: id }))],
      };
      const record = toRecord(id, current.version + 1, data, current.createdAt, now, log);
      teleconsultations.set(id, record);
      agenda.index(record, current);
      return copyRecord(record);
    },

    async clearOutbox(id: string, throughSequence: number): Promise<void> {
      const record = teleconsultations.get(id);
      if (record) record.outbox = record.outbox.filter((event) => event.sequence > throughSequence);
    },
  };
}

/** The queries: by id, a participant's agenda, the publisher's sweep, room clean-up's check. */
function teleconsultationReads(
  teleconsultations: Map<string, StoredTeleconsultation>,
  agenda: ParticipantIndex,
): Omit<TeleconsultationStore, 'insert' | 'update' | 'clearOutbox'> {
  return {
    async findById(id: string): Promise<StoredTeleconsultation | null> {
      if (!TELECONSULTATION_ID_PATTERN.test(id)) return null;
      const record = teleconsultations.get(id);
      return record === undefined ? null : copyRecord(record);
    },

    async listForParticipant(query: ParticipantAgendaQuery): Promise<StoredTeleconsultation[]> {
      const entries = agenda.entriesOf(query.userId);
      let from = 0;
      if (query.after) from = firstAfter(entries, query.after.startDate.getTime(), query.after.id);
      if (query.startsAtOrAfter) {
        const startsAtOrAfter = query.startsAtOrAfter.getTime();
        from = Math.max(
          from,
          firstNotBefore(entries, (entry) => entry.startMs < startsAtOrAfter),
        );
      }
      const before = query.startsBefore?.getTime() ?? Number.POSITIVE_INFINITY;
      const page: StoredTeleconsultation[] = [];
      for (let at = from; at < entries.length && page.length < query.limit; at++) {
        const { startMs, record } = entries[at] as AgendaEntry;
        if (startMs >= before) break;
        if (query.anyOf.some((selector) => selects(selector, record, startMs))) page.push(copyRecord(record));
      }
      return page;
    },

    async withUnpublishedEvents(occurredBefore: Date, limit: number): Promise<StoredTeleconsultation[]> {
      const found: StoredTeleconsultation[] = [];
      for (const record of teleconsultations.values()) {
        if (found.length >= limit) break;
        if (record.outbox.some((event) => event.occurredAt.getTime() < occurredBefore.getTime()))
          found.push(copyRecord(record));
      }
      return found;
    },

    async isRoomInUse(roomId: string): Promise<boolean> {
      for (const record of teleconsultations.values()) {
        if (record.state === 'active' && record.roomId === roomId) return true;
      }
      return false;
    },

    async findByRoomId(roomId: string): Promise<StoredTeleconsultation | null> {
      let trashed: StoredTeleconsultation | null = null;
      for (const record of teleconsultations.values()) {
        if (record.roomId !== roomId) continue;
        if (record.state === 'active') return copyRecord(record);
        trashed ??= record;
      }
      return trashed === null ? null : copyRecord(trashed);
    },

    async count(): Promise<number> {
      return teleconsultations.size;
    },
  };
}

function memoryUserIdMapStore(seed: readonly UserIdMapping[]): UserIdMapStore {
  const videoUserIds = new Map<string, string>(seed.map((mapping) => [mapping.userId, mapping.videoUserId]));
  const roles = new Map<string, PrivilegeLevel>(
    seed.flatMap((mapping) => (mapping.role ? [[mapping.userId, mapping.role] as const] : [])),
  );

  return {
    async findMany(userIds: readonly string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      for (const userId of userIds) {
        const videoUserId = videoUserIds.get(userId);
        if (videoUserId !== undefined) found.set(userId, videoUserId);
      }
      return found;
    },

    async insertIfAbsent(mapping: UserIdMapping): Promise<UserIdMapping> {
      const existing = videoUserIds.get(mapping.userId);
      if (existing !== undefined) {
        const role = roles.get(mapping.userId);
        return { userId: mapping.userId, videoUserId: existing, ...(role ? { role } : {}) };
      }
      videoUserIds.set(mapping.userId, mapping.videoUserId);
      if (mapping.role) roles.set(mapping.userId, mapping.role);
      return { ...mapping };
    },

    async rolesOf(userIds: readonly string[]): Promise<Map<string, PrivilegeLevel>> {
      const found = new Map<string, PrivilegeLevel>();
      for (const userId of userIds) {
        const role = roles.get(userId);
        if (role !== undefined) found.set(userId, role);
      }
      return found;
    },

    async recordRole(userId: string, role: PrivilegeLevel): Promise<void> {
      if (videoUserIds.has(userId)) roles.set(userId, role);
    },
  };
}

function memoryEventStore(): EventStore {
  /** The event log: visit id → sequence → event (the MongoDB adapter's unique index). */
  const events = new Map<string, Map<number, TeleconsultationEvent>>();
  const watchers = new Set<(event: TeleconsultationEvent, traceparent?: string) => void>();

  return {
    async append(appended: readonly TeleconsultationEvent[]): Promise<void> {
      const added: TeleconsultationEvent[] = [];
      for (const event of appended) {
        const log = events.get(event.teleconsultationId) ?? new Map<number, TeleconsultationEvent>();
        if (!log.has(event.sequence)) {
          log.set(event.sequence, copyEvent(event));
          added.push(event);
        }
        events.set(event.teleconsultationId, log);
      }
      // As a change stream would: after the write, each new event once, to every watcher, with the
      // trace context of the request that appended it.
      const traceparent = currentTraceparent();
      for (const event of added) {
        for (const watcher of watchers) {
          try {
            watcher(copyEvent(event), traceparent);
          } catch {
            // A watcher's failure never fails the append.
          }
        }
      }
    },
    async watch(listener: (event: TeleconsultationEvent, traceparent?: string) => void) {
      watchers.add(listener);
      return async () => {
        watchers.delete(listener);
      };
    },
    async list(teleconsultationId: string, afterSequence: number, limit: number) {
      const log = events.get(teleconsultationId);
      if (!log || limit <= 0) return [];
      return [...log.values()]
        .filter((event) => event.sequence > afterSequence)
        .sort((a, b) => a.sequence - b.sequence)
        .slice(0, limit)
        .map(copyEvent);
    },
    async find(teleconsultationId: string, sequence: number) {
      const event = events.get(teleconsultationId)?.get(sequence);
      return event ? copyEvent(event) : null;
    },
  };
}

/** Whether a record matches one of the agenda's status selectors (MongoDB's filter, see documents.ts). */
function selects(selector: StatusSelector, record: StoredTeleconsultation, start: number): boolean {
  return (
    record.state === selector.state &&
    (selector.hasRoom === undefined || (record.roomId !== null) === selector.hasRoom) &&
    (selector.startsAfter === undefined || start > selector.startsAfter.getTime()) &&
    (selector.startsAtOrBefore === undefined || start <= selector.startsAtOrBefore.getTime())
  );
}

/** The same condition the MongoDB adapter puts in its update filter (see documents.ts). */
function holds(condition: UpdateCondition, record: StoredTeleconsultation): boolean {
  const { roomlessOrStartsAfter, endsAfter } = condition;
  if (roomlessOrStartsAfter && record.roomId !== null && record.startDate <= roomlessOrStartsAfter)
    return false;
  if (endsAfter && record.endDate !== null && record.endDate <= endsAfter) return false;
  return true;
}

/**
 * A deep copy holding only the ports' fields: like the MongoDB adapter, extra properties on the
 * input are not stored and absent optional fields stay absent (not `undefined`). Copied by hand
 * rather than with structuredClone, whose Dates come from the main realm and so fail
 * `instanceof Date` inside Jest's VM contexts (date scalars check exactly that).
 */
function toRecord(
  id: string,
  version: number,
  data: TeleconsultationData,
  createdAt: Date,
  updatedAt: Date,
  log: Pick<StoredTeleconsultation, 'eventSequence' | 'outbox'> = { eventSequence: 0, outbox: [] },
): StoredTeleconsultation {
  return {
    id,
    version,
    eventSequence: log.eventSequence,
    outbox: log.outbox.map(copyEvent),
    startDate: new Date(data.startDate),
    endDate: data.endDate === null ? null : new Date(data.endDate),
    durationInSeconds: data.durationInSeconds,
    participantsNumber: data.participantsNumber,
    participants: data.participants.map(copyParticipant),
    roomId: data.roomId,
    ...(data.provider !== undefined ? { provider: data.provider } : {}),
    state: data.state,
    recording: data.recording,
    calendarSequence: data.calendarSequence,
    ...(data.admission ? { admission: data.admission } : {}),
    ...(data.hostDelay
      ? { hostDelay: { ...data.hostDelay, announcedAt: new Date(data.hostDelay.announcedAt) } }
      : {}),
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  };
}

function copyRecord(record: StoredTeleconsultation): StoredTeleconsultation {
  return toRecord(record.id, record.version, record, record.createdAt, record.updatedAt, record);
}

function copyEvent(event: TeleconsultationEvent): TeleconsultationEvent {
  return {
    ...event,
    occurredAt: new Date(event.occurredAt),
    changedFields: [...event.changedFields],
    participantIds: [...event.participantIds],
    snapshot: {
      ...event.snapshot,
      startDate: new Date(event.snapshot.startDate),
      endDate: event.snapshot.endDate === null ? null : new Date(event.snapshot.endDate),
    },
  };
}

function copyParticipant(participant: StoredParticipant): StoredParticipant {
  const copy: StoredParticipant = {
    userId: participant.userId,
    videoUserId: participant.videoUserId,
    role: participant.role,
    accessLinkURL: participant.accessLinkURL,
  };
  if (participant.fullName !== undefined) copy.fullName = participant.fullName;
  if (participant.groups !== undefined) copy.groups = [...participant.groups];
  if (participant.language !== undefined) copy.language = participant.language;
  if (participant.linkIssuedAt !== undefined) copy.linkIssuedAt = new Date(participant.linkIssuedAt);
  if (participant.attendance !== undefined) copy.attendance = copyAttendance(participant.attendance);
  return copy;
}
