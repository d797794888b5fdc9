import { statusOf, type TeleconsultationStatus } from './teleconsultation.js';
import { scheduleOf, type TeleconsultationData } from './teleconsultation-record.js';

/**
 * What happened to a teleconsultation, one event per fact, in the order it was stored. Events
 * carry ids only (actor, participants): no names, no links, no groups, since they travel to
 * webhooks and sit in an audit collection for years.
 */
export const EVENT_TYPES = [
  'CREATED',
  'PARTICIPANTS_ADDED',
  'UPDATED',
  'ROOM_CREATED',
  'ROOM_REPLACED',
  'CANCELLED',
  'UPLOADS_DELETED',
  'LINK_ISSUED',
  'TRANSCRIPTION_READ',
  'PARTICIPANT_CHECKED_IN',
  'PARTICIPANT_ADMITTED',
  'PARTICIPANT_DENIED',
  'PARTICIPANT_NO_SHOW',
  'HOST_DELAYED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The fields an UPDATED event may name. */
export const CHANGEABLE_FIELDS = [
  'startDate',
  'endDate',
  'durationInSeconds',
  'participantsNumber',
  'participants',
  'recording',
  'admission',
] as const;
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

/** The visit as it stood right after the event: what a webhook says about it. */
export interface EventSnapshot {
  status: TeleconsultationStatus;
  startDate: Date;
  endDate: Date | null;
  durationInSeconds: number | null;
  participantsNumber: number;
  /** Participants known (the list may still be incomplete). */
  participantCount: number;
}

/** An event as a change produces it, before the store gives it its place in the visit's log. */
export interface EventDraft {
  /** Opaque and unique (hex), fixed when the change is decided: a retried delivery repeats it. */
  id: string;
  type: EventType;
  occurredAt: Date;
  /** The caller's user id; null for the system or a caller without one (the back office). */
  actorId: string | null;
  /** UPDATED: which fields changed. */
  changedFields: ChangeableField[];
  /**
   * PARTICIPANTS_ADDED: who was added; LINK_ISSUED: who was handed their link; PARTICIPANT_*: the
   * participant whose attendance changed (one event each).
   */
  participantIds: string[];
  /** HOST_DELAYED: the minutes announced (0: the delay was cleared). */
  delayMinutes?: number;
  /** TRANSCRIPTION_READ: the session whose transcription was read (never its text). */
  sessionId?: string;
  snapshot: EventSnapshot;
}

/** An event in a visit's log: `sequence` is 1, 2, 3… per visit, with no gaps. */
export interface TeleconsultationEvent extends EventDraft {
  teleconsultationId: string;
  sequence: number;
}

/** The kind of change, as the use case names it. */
export type ChangeKind =
  | 'create'
  | 'addParticipants'
  | 'update'
  | 'cancel'
  | 'deleteUploads'
  | 'issueLink'
  | 'readTranscription'
  | 'checkIn'
  | 'admit'
  | 'deny'
  | 'noShow'
  | 'announceDelay';

/** The attendance kinds and the event each participant they touch gets. */
const ATTENDANCE_EVENTS = {
  checkIn: 'PARTICIPANT_CHECKED_IN',
  admit: 'PARTICIPANT_ADMITTED',
  deny: 'PARTICIPANT_DENIED',
  noShow: 'PARTICIPANT_NO_SHOW',
} as const satisfies Partial<Record<ChangeKind, EventType>>;

export interface ChangeFacts {
  kind: ChangeKind;
  /** The record before the change; null on create. */
  before: TeleconsultationData | null;
  after: TeleconsultationData;
  actorId: string | null;
  occurredAt: Date;
  immutablePeriodMs: number;
  /** LINK_ISSUED: the participant handed their link. */
  participantId?: string;
  /** TRANSCRIPTION_READ: the session whose transcription was read. */
  sessionId?: string;
  /** Attendance kinds: the participants whose attendance changed, one event each, in this order. */
  participantIds?: readonly string[];
  /** announceDelay: the minutes announced. */
  delayMinutes?: number;
  newId: () => string;
}

/** The events one stored change appends, in order. */
export function eventsOfChange(facts: ChangeFacts): EventDraft[] {
  const { before, after } = facts;
  const draft = (
    type: EventType,
    extra: Partial<Pick<EventDraft, 'changedFields' | 'participantIds'>> = {},
  ) => ({
    id: facts.newId(),
    type,
    occurredAt: facts.occurredAt,
    actorId: facts.actorId,
    changedFields: extra.changedFields ?? [],
    participantIds: extra.participantIds ?? [],
    snapshot: snapshotOf(after, facts.immutablePeriodMs, facts.occurredAt),
  });
  const drafts: EventDraft[] = [];
  switch (facts.kind) {
    case 'create':
      drafts.push(draft('CREATED', { participantIds: after.participants.map((p) => p.userId) }));
      break;
    case 'addParticipants': {
      const known = new Set(before?.participants.map((p) => p.userId) ?? []);
      const added = after.participants.filter((p) => !known.has(p.userId)).map((p) => p.userId);
      drafts.push(draft('PARTICIPANTS_ADDED', { participantIds: added }));
      break;
    }
    case 'update':
      drafts.push(draft('UPDATED', { changedFields: before ? changedFields(before, after) : [] }));
      break;
    case 'cancel':
      drafts.push(draft('CANCELLED'));
      return drafts;
    case 'deleteUploads':
      drafts.push(draft('UPLOADS_DELETED'));
      return drafts;
    case 'issueLink':
      drafts.push(draft('LINK_ISSUED', { participantIds: facts.participantId ? [facts.participantId] : [] }));
      return drafts;
    case 'readTranscription':
      drafts.push({
        ...draft('TRANSCRIPTION_READ'),
        ...(facts.sessionId ? { sessionId: facts.sessionId } : {}),
      });
      return drafts;
    case 'checkIn':
    case 'admit':
    case 'deny':
    case 'noShow':
      for (const id of facts.participantIds ?? [])
        drafts.push(draft(ATTENDANCE_EVENTS[facts.kind], { participantIds: [id] }));
      return drafts;
    case 'announceDelay':
      drafts.push({ ...draft('HOST_DELAYED'), delayMinutes: facts.delayMinutes ?? 0 });
      return drafts;
  }
  const roomBefore = before?.roomId ?? null;
  if (after.roomId !== null && after.roomId !== roomBefore) {
    drafts.push(draft(roomBefore === null ? 'ROOM_CREATED' : 'ROOM_REPLACED'));
  }
  return drafts;
}

/** What an UPDATED event names: the schedule as `scheduleOf` reads it, and the rest as stored. */
export function changedFields(before: TeleconsultationData, after: TeleconsultationData): ChangeableField[] {
  const a = scheduleOf(before);
  const b = scheduleOf(after);
  const changed: ChangeableField[] = [];
  if (a.startDate.getTime() !== b.startDate.getTime()) changed.push('startDate');
  if ((a.endDate?.getTime() ?? null) !== (b.endDate?.getTime() ?? null)) changed.push('endDate');
  if (a.durationInSeconds !== b.durationInSeconds) changed.push('durationInSeconds');
  if (before.participantsNumber !== after.participantsNumber) changed.push('participantsNumber');
  if (participantsKey(before) !== participantsKey(after)) changed.push('participants');
  if (before.recording !== after.recording) changed.push('recording');
  if ((before.admission ?? null) !== (after.admission ?? null)) changed.push('admission');
  return changed;
}

function participantsKey(data: TeleconsultationData): string {
  return JSON.stringify(
    data.participants.map((p) => [
      p.userId,
      p.role,
      p.groups ?? null,
      p.language ?? null,
      p.fullName ?? null,
    ]),
  );
}

export function snapshotOf(data: TeleconsultationData, immutablePeriodMs: number, at: Date): EventSnapshot {
  const schedule = scheduleOf(data);
  return {
    status: statusOf(data, immutablePeriodMs, at),
    startDate: schedule.startDate,
    endDate: schedule.endDate,
    durationInSeconds: schedule.durationInSeconds,
    participantsNumber: data.participantsNumber,
    participantCount: data.participants.length,
  };
}
