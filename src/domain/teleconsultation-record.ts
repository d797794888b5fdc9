import type { AdmissionMode, Attendance, HostDelay } from './attendance.js';
import type { PrivilegeLevel } from './privileges.js';
import { LEGACY_VIDEO_PROVIDER } from './video-provider.js';

/**
 * A teleconsultation as it is stored: the record every layer speaks of. Storage adapters map
 * their documents to and from it; the rules in this folder read it. Records the original service
 * wrote are first-class: they may lack our user id for a participant (recovered by the storage
 * adapter from the user-id map), a participant's role, and `durationInSeconds`.
 */

export interface StoredParticipant {
  /** Our platform's user id (the original service's `receivedUserId`). */
  userId: string;
  /**
   * The participant's identity on the video provider hosting the room: the Kaleyra user id
   * (`userBandyerId` in the original documents), LiveKit's token identity. Public names:
   * GraphQL `kaleyraUserId`, REST `bandyerUserId`.
   */
  videoUserId: string;
  /**
   * Null for participants the original service stored (it kept no role): the role then comes
   * from the current privileges (see services/participants/participant-roles.ts), never from a default.
   */
  role: PrivilegeLevel | null;
  /** Personal join link; null until the room exists. */
  accessLinkURL: string | null;
  /** Only in the mode without an auth service. */
  fullName?: string;
  groups?: string[];
  language?: string;
  /** When this participant was first handed their current link (LINK_ISSUED); absent before. */
  linkIssuedAt?: Date;
  /** The waiting room: absent while NOT_ARRIVED (see waiting-room.ts). */
  attendance?: Attendance;
}

/** A participant whose role is known: what a Kaleyra room is built from. */
export type RoomParticipant = StoredParticipant & { role: PrivilegeLevel };

export type TeleconsultationState = 'active' | 'trashed';

/** Whether Kaleyra records the call: Kaleyra's own values. */
export const RECORDING_TYPES = ['none', 'manual', 'automatic'] as const;
export type RecordingType = (typeof RECORDING_TYPES)[number];

export interface TeleconsultationData {
  startDate: Date;
  /** Absent only in documents of the original service that never had one. */
  endDate: Date | null;
  /** Not stored by the original service: read it through `scheduleOf`. */
  durationInSeconds: number | null;
  participantsNumber: number;
  participants: StoredParticipant[];
  /** The provider's room id (`bandyerRoomId`); null while participants are missing. */
  roomId: string | null;
  /**
   * The video provider that hosts (or will host) the room: `VIDEO_PROVIDER` when the record was
   * created. Absent in records written before providers existed, which are Kaleyra's: read it
   * through `providerOf`.
   */
  provider?: string;
  state: TeleconsultationState;
  /** How the call is recorded; null (records written before it existed): DEFAULT_RECORDING_TYPE. */
  recording: RecordingType | null;
  /**
   * The calendar event's SEQUENCE (RFC 5545): 0 at creation, +1 on every change of date or
   * duration and on cancellation (see calendarSequenceAfter). 0 for records written before it.
   */
  calendarSequence: number;
  /** Set by create or update; absent: the config file's `admission` default (see admissionOf). */
  admission?: AdmissionMode;
  /** A PLUS participant's announcement that they are running late; absent: none. */
  hostDelay?: HostDelay;
}

export interface TeleconsultationRecord extends TeleconsultationData {
  id: string;
  /** The sequence of the visit's last event (0: none yet, or a record of the original service). */
  eventSequence: number;
  /** Optimistic-concurrency version: starts at 1, +1 on every successful update (0: never written by us). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** When a visit starts and ends. `durationInSeconds` null: open-ended (a legacy record without end). */
export interface RecordSchedule {
  startDate: Date;
  endDate: Date | null;
  durationInSeconds: number | null;
}

/**
 * The one place that knows a record's schedule: the stored duration, else the one its dates give
 * (the original service stored only `endDate`), else none.
 */
export function scheduleOf(
  record: Pick<TeleconsultationData, 'startDate' | 'endDate' | 'durationInSeconds'>,
): RecordSchedule {
  const { startDate } = record;
  if (record.durationInSeconds != null) {
    return {
      startDate,
      endDate: record.endDate ?? new Date(startDate.getTime() + record.durationInSeconds * 1000),
      durationInSeconds: record.durationInSeconds,
    };
  }
  if (record.endDate) {
    return {
      startDate,
      endDate: record.endDate,
      durationInSeconds: Math.floor((record.endDate.getTime() - startDate.getTime()) / 1000),
    };
  }
  return { startDate, endDate: null, durationInSeconds: null };
}

/**
 * The data part of a record, to derive the next version of it from. The schedule is written in
 * full (a record of the original service gains its duration the first time we store it).
 */
export function dataOf(record: TeleconsultationRecord): TeleconsultationData {
  const { endDate, durationInSeconds } = scheduleOf(record);
  return {
    startDate: record.startDate,
    endDate,
    durationInSeconds,
    participantsNumber: record.participantsNumber,
    participants: record.participants,
    roomId: record.roomId,
    state: record.state,
    recording: record.recording,
    calendarSequence: record.calendarSequence,
    ...(record.provider !== undefined ? { provider: record.provider } : {}),
    ...(record.admission ? { admission: record.admission } : {}),
    ...(record.hostDelay ? { hostDelay: record.hostDelay } : {}),
  };
}

/** The provider that hosts the record's room: the stored one, else Kaleyra (records of before). */
export function providerOf(record: Pick<TeleconsultationData, 'provider'>): string {
  return record.provider ?? LEGACY_VIDEO_PROVIDER;
}

/**
 * The SEQUENCE a calendar event needs after a change: calendar clients replace an event only
 * when its sequence grows, so every move of the visit in time and its cancellation raise it.
 */
export function calendarSequenceAfter(current: TeleconsultationData, next: TeleconsultationData): number {
  const before = scheduleOf(current);
  const after = scheduleOf(next);
  const moved =
    before.startDate.getTime() !== after.startDate.getTime() ||
    (before.endDate?.getTime() ?? null) !== (after.endDate?.getTime() ?? null);
  const cancelled = current.state === 'active' && next.state === 'trashed';
  return current.calendarSequence + (moved || cancelled ? 1 : 0);
}

/** Every expected participant is known: the visit needs its room. */
export function isComplete(data: Pick<TeleconsultationData, 'participants' | 'participantsNumber'>): boolean {
  return data.participants.length === data.participantsNumber;
}
