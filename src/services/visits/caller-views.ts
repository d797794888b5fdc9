import type { Clock } from '../../domain/clock.js';
import {
  canJoinFrom,
  canJoinUntil,
  type JoinRules,
  type JoinState,
  joinStateOf,
} from '../../domain/join-window.js';
import type { Privileges } from '../../domain/privileges.js';
import type { TeleconsultationRules } from '../../domain/settings.js';
import {
  isLocked,
  linkLanguage,
  lockedFrom,
  statusOf,
  type TeleconsultationStatus,
} from '../../domain/teleconsultation.js';
import {
  providerOf,
  type RecordingType,
  type RecordSchedule,
  type StoredParticipant,
  scheduleOf,
} from '../../domain/teleconsultation-record.js';
import {
  type AdmissionMode,
  type AttendanceState,
  admissionOf,
  attendanceStateOf,
  type CheckInWindow,
  DEFAULT_WAITING_ROOM_SETTINGS,
  expectedStartOf,
  isHeld,
  type WaitingRoomSettings,
} from '../../domain/waiting-room.js';
import type { StoredTeleconsultation } from '../../storage/ports.js';
import type { VideoProvider, VideoProviders } from '../../video/port.js';

/** A record as the store returns it (the visit and its unpublished events). */
export type { StoredTeleconsultation };

export interface LinkOptions {
  language?: string | null;
  useBackground?: boolean | null;
}

/** What a background in a join link shows: the company's default image, or the camera blurred. */
export type BackgroundMode = 'image' | 'blur';

/** A teleconsultation as one caller sees it. */
export interface TeleconsultationView {
  record: StoredTeleconsultation;
  /** The record's schedule (a legacy record's duration comes from its dates). */
  schedule: RecordSchedule;
  status: TeleconsultationStatus;
  locked: boolean;
  lockedFrom: Date;
  /** The caller's own participant entry, when the caller is a participant. */
  caller: StoredParticipant | null;
  /** From when the caller may join (their group's window, never before lockedFrom); null for a non-participant. */
  canJoinFrom: Date | null;
  /** Until when anyone may join; null: no end. */
  canJoinUntil: Date | null;
  /**
   * Whether the caller can join now. For a caller who is not a participant (the back office,
   * when a policy lets it read) it follows the visit from lockedFrom; they never get a link.
   */
  joinState: JoinState;
  /** The caller's own join link, exactly while joinState is OPEN. */
  accessLinkURL: string | null;
  /** How the call is recorded: the record's, else DEFAULT_RECORDING_TYPE. */
  recording: RecordingType;
  /** The visit's admission: its own, else the config's default for its PLUS participants' groups. */
  admission: AdmissionMode;
  /** The caller's own attendance; null for a non-participant. */
  attendance: AttendanceState | null;
  /** When the caller may check in; null for a non-participant. */
  checkIn: CheckInWindow | null;
  /** The delay a PLUS participant announced, in minutes; null when none. */
  hostDelayMinutes: number | null;
  /** The start, moved by the announced delay. */
  expectedStartDate: Date;
}

/**
 * Whom the view hands a link they were never handed before (LINK_ISSUED is owed once its answer
 * carries the link): the caller's id, or null.
 */
export function firstHandOutIn(view: TeleconsultationView): string | null {
  const { caller } = view;
  if (view.accessLinkURL === null || caller === null || caller.linkIssuedAt !== undefined) return null;
  return caller.userId;
}

export interface CallerViewsDeps {
  clock: Clock;
  rules: TeleconsultationRules;
  groupsWithBackgroundList: readonly string[];
  join: JoinRules;
  /** A link is handed out by the provider hosting the record's room. */
  video: VideoProviders;
  /** The tools of each privilege level, for providers whose links carry them; who is PLUS (legacy records). */
  privileges: Privileges;
  /** The waiting room's settings; absent: DEFAULT_WAITING_ROOM_SETTINGS (AUTOMATIC). */
  waitingRoom?: WaitingRoomSettings;
}

/** What a caller sees of a record at a given instant: status, lock, and their own join link. */
export class CallerViews {
  private readonly clock: Clock;
  private readonly rules: TeleconsultationRules;
  private readonly groupsWithBackgroundList: readonly string[];
  private readonly join: JoinRules;
  private readonly waitingRoom: WaitingRoomSettings;

  constructor(private readonly deps: CallerViewsDeps) {
    this.clock = deps.clock;
    this.rules = deps.rules;
    this.groupsWithBackgroundList = deps.groupsWithBackgroundList;
    this.join = deps.join;
    this.waitingRoom = deps.waitingRoom ?? DEFAULT_WAITING_ROOM_SETTINGS;
  }

  /** The visit's admission mode, as every view states it. */
  admissionOf(record: StoredTeleconsultation): AdmissionMode {
    return admissionOf(record, this.waitingRoom);
  }

  /**
   * The caller's view. `background`: what a background in their link shows, when they get one
   * (the company's settings decide: see wantsBackground).
   */
  viewFor(
    record: StoredTeleconsultation,
    callerId: string | null,
    options: LinkOptions,
    background: BackgroundMode = 'blur',
  ): TeleconsultationView {
    const now = this.clock.now();
    const { immutablePeriodMs } = this.rules;
    const caller = callerId ? (record.participants.find((p) => p.userId === callerId) ?? null) : null;
    const locked = record.state === 'active' && isLocked(record, immutablePeriodMs, now);
    const schedule = scheduleOf(record);
    const visitLockedFrom = lockedFrom(record.startDate, immutablePeriodMs);
    const from = caller
      ? canJoinFrom(record.startDate, caller.groups ?? [], immutablePeriodMs, this.join)
      : null;
    const until = canJoinUntil(schedule, this.join);
    const state = joinStateOf(record, from ?? visitLockedFrom, until, now);
    // OPEN means "your link is here": a reader with no link of their own (the back office, when a
    // policy lets it read) is never OPEN; until the visit's close they are NOT_YET, with no
    // canJoinFrom, for there is no instant at which they can join.
    // A record whose provider is not configured here is readable, but no link of it can be made.
    const provider = this.deps.video.named(providerOf(record));
    const admission = this.admissionOf(record);
    // Under HOST_ADMITS a BASIC participant is OPEN only once admitted: the link rule extends
    // here, for every read path.
    const joinState =
      state === 'OPEN' && !(caller?.accessLinkURL && provider)
        ? 'NOT_YET'
        : state === 'OPEN' && caller && isHeld(caller, admission, this.deps.privileges)
          ? attendanceStateOf(caller) === 'DENIED'
            ? 'DENIED'
            : 'WAITING_FOR_ADMISSION'
          : state;
    return {
      record,
      schedule,
      status: statusOf(record, immutablePeriodMs, now),
      locked,
      lockedFrom: visitLockedFrom,
      caller,
      canJoinFrom: from,
      canJoinUntil: until,
      joinState,
      accessLinkURL:
        joinState === 'OPEN' && caller?.accessLinkURL && provider
          ? this.joinLink(provider, record, caller, until, now, options, background)
          : null,
      recording: record.recording ?? this.rules.defaultRecording,
      admission,
      attendance: caller ? attendanceStateOf(caller) : null,
      checkIn:
        from === null
          ? null
          : {
              opensAt: new Date(from.getTime() - this.waitingRoom.checkInOpensBeforeMs),
              closesAt: until ?? schedule.endDate,
            },
      hostDelayMinutes: record.hostDelay?.minutes ?? null,
      expectedStartDate: expectedStartOf(record),
    };
  }

  /** The view hands the caller a link with a background: the argument, else their group. */
  wantsBackground(view: TeleconsultationView, options: LinkOptions): boolean {
    if (view.accessLinkURL === null || view.caller === null) return false;
    return options.useBackground ?? this.inBackgroundGroups(view.caller);
  }

  private inBackgroundGroups(caller: StoredParticipant): boolean {
    return (caller.groups ?? []).some((group) => this.groupsWithBackgroundList.includes(group));
  }

  private joinLink(
    provider: VideoProvider,
    record: StoredTeleconsultation,
    caller: StoredParticipant,
    joinUntil: Date | null,
    now: Date,
    options: LinkOptions,
    background: BackgroundMode,
  ): string {
    const language = options.language ? linkLanguage(options.language, ['language']) : caller.language;
    // A background only where the provider offers them.
    const useBackground =
      (options.useBackground ?? this.inBackgroundGroups(caller)) && provider.virtualBackgrounds !== undefined;
    return provider.joinLink({
      roomId: record.roomId as string,
      storedLink: caller.accessLinkURL as string,
      participant: {
        videoUserId: caller.videoUserId,
        ...(caller.fullName ? { displayName: caller.fullName } : {}),
        role: caller.role,
        tools: { ...this.deps.privileges[caller.role ?? 'basic'].tools },
      },
      joinUntil,
      now,
      ...(language ? { language } : {}),
      ...(useBackground ? { virtualBackground: background } : {}),
    });
  }
}
