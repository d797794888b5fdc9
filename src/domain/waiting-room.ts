import {
  type AdmissionMode,
  ATTENDANCE_STATES,
  type Attendance,
  type AttendanceState,
  type AttendanceTransition,
  DEVICE_CHECK_RESULTS,
  type DeviceCheck,
  type StoredAttendanceState,
} from './attendance.js';
import { BadUserInputError, ConflictError } from './errors.js';
import type { PrivilegeLevel, Privileges } from './privileges.js';
import type { StoredParticipant, TeleconsultationData } from './teleconsultation-record.js';

export * from './attendance.js';

/**
 * The waiting room (docs/specs/waiting-room.md): who has announced they are there, who a PLUS
 * participant let in or turned away, who never came. Pure rules over the record; every transition
 * is written by the services like any change (version-checked, its event in the same write).
 */

/** The config file's `admission`, `noShowAfterMs` and `checkInOpensBeforeMs`. */
export interface WaitingRoomSettings {
  admission: { default: AdmissionMode; byPlusGroup: Readonly<Record<string, AdmissionMode>> };
  /** After the start plus this long, a BASIC participant who never checked in is a no-show. */
  noShowAfterMs: number;
  /** Check-in opens this long before the participant's join window. */
  checkInOpensBeforeMs: number;
}

export const DEFAULT_NO_SHOW_AFTER_MS = 15 * 60_000;
export const DEFAULT_CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
export const MAX_DELAY_MINUTES = 240;
export const MAX_DENIED_REASON_LENGTH = 500;
/** Transitions kept per participant: a host and a patient cannot grow a record without end. */
export const MAX_TRANSITIONS = 20;

export const DEFAULT_WAITING_ROOM_SETTINGS: WaitingRoomSettings = {
  admission: { default: 'AUTOMATIC', byPlusGroup: {} },
  noShowAfterMs: DEFAULT_NO_SHOW_AFTER_MS,
  checkInOpensBeforeMs: DEFAULT_CHECK_IN_OPENS_BEFORE_MS,
};

/**
 * The visit's admission: its own when create or update set one, else the config's default for
 * the groups of its PLUS participants (HOST_ADMITS when any of their groups says so, the
 * stricter wins), else the config's default.
 */
export function admissionOf(
  data: Pick<TeleconsultationData, 'admission' | 'participants'>,
  settings: WaitingRoomSettings,
): AdmissionMode {
  if (data.admission) return data.admission;
  const byGroup = settings.admission.byPlusGroup;
  // Loops, not filter/flatMap: this runs on every read of a visit.
  let automatic = false;
  for (const participant of data.participants) {
    if (participant.role !== 'plus' || !participant.groups) continue;
    for (const group of participant.groups) {
      const mode: AdmissionMode | undefined = byGroup[group];
      if (mode === 'HOST_ADMITS') return 'HOST_ADMITS';
      if (mode === 'AUTOMATIC') automatic = true;
    }
  }
  if (automatic) return 'AUTOMATIC';
  return settings.admission.default;
}

export function attendanceStateOf(participant: Pick<StoredParticipant, 'attendance'>): AttendanceState {
  return participant.attendance?.state ?? 'NOT_ARRIVED';
}

/** A participant's level: the stored role, else (a legacy record) the one their groups give. */
export function levelOf(
  participant: Pick<StoredParticipant, 'role' | 'groups'>,
  privileges: Privileges | null,
): PrivilegeLevel {
  if (participant.role !== null) return participant.role;
  const groups = participant.groups ?? [];
  return privileges?.plus.groups.some((group) => groups.includes(group)) ? 'plus' : 'basic';
}

/**
 * Whether the participant's link is held back: under HOST_ADMITS, a BASIC participant not
 * admitted. PLUS participants are never held.
 */
export function isHeld(
  participant: Pick<StoredParticipant, 'role' | 'groups' | 'attendance'>,
  admission: AdmissionMode,
  privileges: Privileges | null,
): boolean {
  return (
    admission === 'HOST_ADMITS' &&
    levelOf(participant, privileges) === 'basic' &&
    attendanceStateOf(participant) !== 'ADMITTED'
  );
}

/** The window in which a participant may check in, as the caller's view computes it. */
export interface CheckInWindow {
  /** canJoinFrom minus checkInOpensBeforeMs. */
  opensAt: Date;
  /** canJoinUntil, else the end; null: never (a legacy record without end). */
  closesAt: Date | null;
}

function transitioned(
  current: Attendance | undefined,
  state: StoredAttendanceState,
  at: Date,
  by: string | null,
  extra: Partial<Pick<Attendance, 'checkedInAt' | 'device' | 'deniedReason'>> = {},
): Attendance {
  const { deniedReason: _dropped, ...kept } = current ?? { checkedInAt: null, transitions: [] };
  const next: Attendance = {
    ...kept,
    ...extra,
    state,
    checkedInAt: extra.checkedInAt !== undefined ? extra.checkedInAt : (current?.checkedInAt ?? null),
    transitions: [...(current?.transitions ?? []), { state, at, by }].slice(-MAX_TRANSITIONS),
  };
  if (extra.deniedReason === undefined) delete next.deniedReason;
  return next;
}

function withParticipant(
  data: TeleconsultationData,
  userId: string,
  change: (participant: StoredParticipant) => StoredParticipant,
): TeleconsultationData {
  return { ...data, participants: data.participants.map((p) => (p.userId === userId ? change(p) : p)) };
}

/**
 * The caller checks themselves in: WAITING (a BASIC participant), or ADMITTED at once (a PLUS
 * participant, never held). Refused before the window opens, after it closes, twice, and for a
 * participant who was denied (only a re-admission lets them back).
 */
export function checkIn(
  data: TeleconsultationData,
  participant: StoredParticipant,
  device: DeviceCheck | null,
  window: CheckInWindow,
  now: Date,
  privileges: Privileges | null,
): TeleconsultationData {
  if (now.getTime() < window.opensAt.getTime()) {
    throw new BadUserInputError(`Check-in opens at ${window.opensAt.toISOString()}.`, {
      reason: 'CHECK_IN_NOT_OPEN',
    });
  }
  if (window.closesAt !== null && now.getTime() >= window.closesAt.getTime()) {
    throw new BadUserInputError(`The visit closed at ${window.closesAt.toISOString()}.`, {
      reason: 'CHECK_IN_CLOSED',
    });
  }
  const state = attendanceStateOf(participant);
  if (state === 'WAITING' || state === 'ADMITTED') {
    throw new BadUserInputError('You have already checked in.', { reason: 'ALREADY_CHECKED_IN' });
  }
  if (state === 'DENIED') {
    throw new BadUserInputError('You were not admitted; only a PLUS participant can let you in.', {
      reason: 'CHECK_IN_DENIED',
    });
  }
  if (device) assertDeviceCheck(device);
  const next = levelOf(participant, privileges) === 'plus' ? 'ADMITTED' : 'WAITING';
  return withParticipant(data, participant.userId, (p) => ({
    ...p,
    attendance: transitioned(p.attendance, next, now, participant.userId, {
      checkedInAt: now,
      ...(device ? { device: { ...device } } : {}),
    }),
  }));
}

function assertDeviceCheck(device: DeviceCheck): void {
  const kbps = device.networkKbps;
  if (kbps !== null && (!Number.isInteger(kbps) || kbps < 0 || kbps > 10_000_000)) {
    throw new BadUserInputError('networkKbps is a whole number from 0 to 10,000,000.', {
      reason: 'INVALID_DEVICE_CHECK',
      field: ['device', 'networkKbps'],
    });
  }
}

/** The participant a PLUS participant admits or denies: one of the visit's, and BASIC. */
export function heldParticipant(
  data: TeleconsultationData,
  userId: string,
  privileges: Privileges | null,
): StoredParticipant {
  const participant = data.participants.find((p) => p.userId === userId);
  if (!participant) {
    throw new BadUserInputError(`${userId} is not a participant of this visit.`, {
      reason: 'NOT_A_PARTICIPANT',
      field: ['userId'],
    });
  }
  if (levelOf(participant, privileges) === 'plus') {
    throw new BadUserInputError(`${userId} is a PLUS participant: never held, nothing to admit or deny.`, {
      reason: 'PLUS_PARTICIPANT',
      field: ['userId'],
    });
  }
  return participant;
}

/** WAITING or DENIED (a re-admission) → ADMITTED. */
export function admit(
  data: TeleconsultationData,
  userId: string,
  actorId: string | null,
  now: Date,
  privileges: Privileges | null,
): TeleconsultationData {
  const participant = heldParticipant(data, userId, privileges);
  const state = attendanceStateOf(participant);
  if (state !== 'WAITING' && state !== 'DENIED') {
    throw new BadUserInputError(`${userId} is not waiting (${state}).`, {
      reason: 'NOT_WAITING',
      field: ['userId'],
    });
  }
  return withParticipant(data, userId, (p) => ({
    ...p,
    attendance: transitioned(p.attendance, 'ADMITTED', now, actorId),
  }));
}

/** WAITING or ADMITTED → DENIED, with the host's reason (never in an event). */
export function deny(
  data: TeleconsultationData,
  userId: string,
  reason: string | null,
  actorId: string | null,
  now: Date,
  privileges: Privileges | null,
): TeleconsultationData {
  if (reason !== null && reason.length > MAX_DENIED_REASON_LENGTH) {
    throw new BadUserInputError(`reason is longer than ${MAX_DENIED_REASON_LENGTH} characters.`, {
      reason: 'DENIED_REASON_TOO_LONG',
      field: ['reason'],
    });
  }
  const participant = heldParticipant(data, userId, privileges);
  const state = attendanceStateOf(participant);
  if (state !== 'WAITING' && state !== 'ADMITTED') {
    throw new BadUserInputError(`${userId} is not waiting (${state}).`, {
      reason: 'NOT_WAITING',
      field: ['userId'],
    });
  }
  const trimmed = reason?.trim();
  return withParticipant(data, userId, (p) => ({
    ...p,
    attendance: transitioned(p.attendance, 'DENIED', now, actorId, trimmed ? { deniedReason: trimmed } : {}),
  }));
}

/** Everyone WAITING → ADMITTED, in check-in order; the ids admitted. */
export function admitAll(
  data: TeleconsultationData,
  actorId: string | null,
  now: Date,
): { data: TeleconsultationData; admitted: string[] } {
  const admitted = waitingInOrder(data.participants).map((p) => p.userId);
  let next = data;
  for (const userId of admitted) {
    next = withParticipant(next, userId, (p) => ({
      ...p,
      attendance: transitioned(p.attendance, 'ADMITTED', now, actorId),
    }));
  }
  return { data: next, admitted };
}

/** The participants WAITING, earliest check-in first. */
export function waitingInOrder(participants: readonly StoredParticipant[]): StoredParticipant[] {
  return participants
    .filter((p) => p.attendance?.state === 'WAITING')
    .sort(
      (a, b) => (a.attendance?.checkedInAt?.getTime() ?? 0) - (b.attendance?.checkedInAt?.getTime() ?? 0),
    );
}

/** From when a visit's no-shows are marked: its start plus noShowAfterMs. */
export function noShowDueAt(
  data: Pick<TeleconsultationData, 'startDate'>,
  settings: WaitingRoomSettings,
): Date {
  return new Date(data.startDate.getTime() + settings.noShowAfterMs);
}

/**
 * BASIC participants who never checked in become NO_SHOW once noShowDueAt has passed (under
 * HOST_ADMITS only: under AUTOMATIC frontends need not check in, so absence proves nothing).
 */
export function markNoShows(
  data: TeleconsultationData,
  now: Date,
  settings: WaitingRoomSettings,
  privileges: Privileges | null,
): { data: TeleconsultationData; marked: string[] } {
  if (data.state === 'trashed' || admissionOf(data, settings) !== 'HOST_ADMITS') return { data, marked: [] };
  if (now.getTime() < noShowDueAt(data, settings).getTime()) return { data, marked: [] };
  const marked = data.participants
    .filter((p) => p.attendance === undefined && levelOf(p, privileges) === 'basic')
    .map((p) => p.userId);
  let next = data;
  for (const userId of marked) {
    next = withParticipant(next, userId, (p) => ({
      ...p,
      attendance: transitioned(undefined, 'NO_SHOW', now, null, { checkedInAt: null }),
    }));
  }
  return { data: next, marked };
}

/** A PLUS participant says they will be late: 0 to 240 minutes, 0 clears it. */
export function announceDelay(
  data: TeleconsultationData,
  minutes: number,
  actorId: string | null,
  now: Date,
): TeleconsultationData {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_DELAY_MINUTES) {
    throw new BadUserInputError(`minutes is a whole number from 0 to ${MAX_DELAY_MINUTES}.`, {
      reason: 'DELAY_OUT_OF_RANGE',
      field: ['minutes'],
    });
  }
  const { hostDelay: _cleared, ...rest } = data;
  return minutes === 0 ? rest : { ...rest, hostDelay: { minutes, announcedAt: now, by: actorId } };
}

/** When the visit is now expected to start: the start (or the announcement, if later) plus the delay. */
export function expectedStartOf(data: Pick<TeleconsultationData, 'startDate' | 'hostDelay'>): Date {
  const delay = data.hostDelay;
  if (!delay) return data.startDate;
  const from = Math.max(data.startDate.getTime(), delay.announcedAt.getTime());
  return new Date(from + delay.minutes * 60_000);
}

/**
 * A participant's attendance changed under a host's decision: the decision was made on what they
 * saw, so it is refused rather than applied to a state they never saw.
 */
export function attendanceConflict(userId: string): ConflictError {
  return new ConflictError(`${userId}'s attendance was changed meanwhile by someone else; look again.`, {
    reason: 'ATTENDANCE_CHANGED',
  });
}

/** Attendance carried over when a participant list is replaced: who stays keeps theirs. */
export function keepAttendance(
  replaced: readonly StoredParticipant[],
  current: readonly StoredParticipant[],
): StoredParticipant[] {
  const byId = new Map(current.map((p) => [p.userId, p.attendance]));
  return replaced.map((p) => {
    const attendance = byId.get(p.userId);
    return attendance ? { ...p, attendance } : p;
  });
}

/** A deep copy (stores keep nothing a caller could change afterwards). */
export function copyAttendance(attendance: Attendance): Attendance {
  return {
    state: attendance.state,
    checkedInAt: attendance.checkedInAt === null ? null : new Date(attendance.checkedInAt),
    ...(attendance.device ? { device: { ...attendance.device } } : {}),
    ...(attendance.deniedReason !== undefined ? { deniedReason: attendance.deniedReason } : {}),
    transitions: attendance.transitions.map((t) => ({ state: t.state, at: new Date(t.at), by: t.by })),
  };
}

/**
 * An attendance as a database may hold it (written by us, or damaged): the valid part, or
 * undefined when it is not one (the participant then reads as NOT_ARRIVED).
 */
export function attendanceFrom(value: unknown): Attendance | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stored = value as Record<string, unknown>;
  const state = ATTENDANCE_STATES.find((s) => s !== 'NOT_ARRIVED' && s === stored.state);
  if (state === undefined || state === 'NOT_ARRIVED') return undefined;
  const transitions = Array.isArray(stored.transitions) ? stored.transitions : [];
  return copyAttendance({
    state,
    checkedInAt: stored.checkedInAt instanceof Date ? stored.checkedInAt : null,
    ...(isDeviceCheck(stored.device) ? { device: stored.device } : {}),
    ...(typeof stored.deniedReason === 'string' ? { deniedReason: stored.deniedReason } : {}),
    transitions: transitions.filter(
      (t): t is AttendanceTransition =>
        t !== null && typeof t === 'object' && t.at instanceof Date && typeof t.state === 'string',
    ),
  });
}

function isDeviceCheck(value: unknown): value is DeviceCheck {
  if (value === null || typeof value !== 'object') return false;
  const device = value as Record<string, unknown>;
  const result = (v: unknown) => (DEVICE_CHECK_RESULTS as readonly unknown[]).includes(v);
  return (
    result(device.camera) &&
    result(device.microphone) &&
    result(device.speaker) &&
    (device.networkKbps === null || typeof device.networkKbps === 'number')
  );
}
