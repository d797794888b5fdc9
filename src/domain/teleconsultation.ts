import { BadUserInputError, type FieldPath, TeleconsultationLockedError } from './errors.js';
import type { PrivilegeLevel, Privileges } from './privileges.js';
import type { RecordSchedule, StoredParticipant } from './teleconsultation-record.js';

/**
 * Pure rules of a teleconsultation: schedule, immutable period, status, participants.
 * Everything here is synchronous and takes `now` as an argument.
 */

/** The original service refused visits shorter than five minutes. */
export const MIN_DURATION_SECONDS = 5 * 60;
/** Kaleyra rooms take 2 to 25 participants (the one copy of that limit: the wire contract uses it). */
export const MIN_PARTICIPANTS = 2;
export const MAX_PARTICIPANTS = 25;
/** Languages Kaleyra's join links understand. */
export const LINK_LANGUAGES = ['en', 'it', 'pl', 'fr', 'de', 'es'] as const;

export type TeleconsultationStatus = 'WAITING_FOR_PARTICIPANTS' | 'SCHEDULED' | 'LOCKED' | 'CANCELLED';

export interface Schedule {
  startDate: Date;
  endDate: Date;
  durationInSeconds: number;
}

export interface ScheduleChange {
  startDate?: Date | null;
  endDate?: Date | null;
  durationInSeconds?: number | null;
}

/**
 * How far a schedule may reach (MAX_DURATION_SECONDS, MAX_START_AHEAD_DAYS): every date and
 * duration stored must be one the API can answer and accept back.
 */
export interface ScheduleLimits {
  maxDurationSeconds: number;
  maxStartAheadMs: number;
}

export const DEFAULT_MAX_DURATION_SECONDS = 24 * 60 * 60;
export const DEFAULT_MAX_START_AHEAD_DAYS = 366;
export const DEFAULT_SCHEDULE_LIMITS: ScheduleLimits = {
  maxDurationSeconds: DEFAULT_MAX_DURATION_SECONDS,
  maxStartAheadMs: DEFAULT_MAX_START_AHEAD_DAYS * 86_400_000,
};

/**
 * Resolves a schedule from a start and exactly one of end date or duration. On update the current
 * schedule (`scheduleOf` the record) fills what the change leaves out; moving the start keeps the
 * duration. A legacy record stored without any end stays open-ended until a change gives one.
 */
export function resolveSchedule(
  change: ScheduleChange,
  current: RecordSchedule | null,
  now: Date,
  path: FieldPath,
  limits: ScheduleLimits = DEFAULT_SCHEDULE_LIMITS,
): RecordSchedule {
  const hasEnd = change.endDate != null;
  const hasDuration = change.durationInSeconds != null;
  if (hasEnd && hasDuration) {
    throw new BadUserInputError('Give either endDate or durationInSeconds, not both.', {
      reason: 'END_AND_DURATION',
      field: [...path, 'endDate'],
    });
  }
  const startDate = change.startDate ?? current?.startDate;
  if (!startDate) {
    throw new BadUserInputError('startDate is required.', {
      reason: 'MISSING_START',
      field: [...path, 'startDate'],
    });
  }
  if (change.startDate && startDate.getTime() > now.getTime() + limits.maxStartAheadMs) {
    throw new BadUserInputError(
      `startDate is more than ${Math.round(limits.maxStartAheadMs / 86_400_000)} days ahead.`,
      { reason: 'START_TOO_FAR_AHEAD', field: [...path, 'startDate'] },
    );
  }
  let durationInSeconds: number;
  if (hasEnd) {
    const endDate = change.endDate as Date;
    if (endDate.getTime() <= startDate.getTime()) {
      throw new BadUserInputError('endDate must be after startDate.', {
        reason: 'END_BEFORE_START',
        field: [...path, 'endDate'],
      });
    }
    durationInSeconds = Math.floor((endDate.getTime() - startDate.getTime()) / 1000);
  } else if (hasDuration) {
    durationInSeconds = change.durationInSeconds as number;
  } else if (current) {
    if (current.durationInSeconds === null) return { startDate, endDate: null, durationInSeconds: null };
    durationInSeconds = current.durationInSeconds;
  } else {
    throw new BadUserInputError('Give one of endDate or durationInSeconds.', {
      reason: 'MISSING_END_OR_DURATION',
      field: [...path, 'durationInSeconds'],
    });
  }
  if (durationInSeconds < MIN_DURATION_SECONDS) {
    throw new BadUserInputError(`A teleconsultation lasts at least ${MIN_DURATION_SECONDS / 60} minutes.`, {
      reason: 'DURATION_TOO_SHORT',
      field: [...path, hasEnd ? 'endDate' : 'durationInSeconds'],
    });
  }
  if (durationInSeconds > limits.maxDurationSeconds) {
    throw new BadUserInputError(`A teleconsultation lasts at most ${limits.maxDurationSeconds} seconds.`, {
      reason: 'DURATION_TOO_LONG',
      field: [...path, hasEnd ? 'endDate' : 'durationInSeconds'],
    });
  }
  const endDate = new Date(startDate.getTime() + durationInSeconds * 1000);
  if (endDate.getTime() <= now.getTime()) {
    throw new BadUserInputError('The teleconsultation would already be over.', {
      reason: 'ENDS_IN_THE_PAST',
      field: [...path, change.startDate ? 'startDate' : hasEnd ? 'endDate' : 'durationInSeconds'],
    });
  }
  return { startDate, endDate, durationInSeconds };
}

/** From this instant on, a teleconsultation with a room accepts no change and hands out links. */
export function lockedFrom(startDate: Date, immutablePeriodMs: number): Date {
  return new Date(startDate.getTime() - immutablePeriodMs);
}

export interface LockSubject {
  startDate: Date;
  roomId: string | null;
}

export function isLocked(subject: LockSubject, immutablePeriodMs: number, now: Date): boolean {
  return (
    subject.roomId !== null && now.getTime() >= lockedFrom(subject.startDate, immutablePeriodMs).getTime()
  );
}

export function statusOf(
  subject: LockSubject & { state: 'active' | 'trashed' },
  immutablePeriodMs: number,
  now: Date,
): TeleconsultationStatus {
  if (subject.state === 'trashed') return 'CANCELLED';
  if (subject.roomId === null) return 'WAITING_FOR_PARTICIPANTS';
  return isLocked(subject, immutablePeriodMs, now) ? 'LOCKED' : 'SCHEDULED';
}

/**
 * The stored facts that give a record a status at an instant, as a store can filter on them.
 * A record is selected when it matches every field given.
 */
export interface StatusSelector {
  state: 'active' | 'trashed';
  /** true: the record has a room; false: it has none. Absent: either. */
  hasRoom?: boolean;
  /** startDate > this instant. */
  startsAfter?: Date;
  /** startDate <= this instant. */
  startsAtOrBefore?: Date;
}

/** What `statusOf` says, turned around: the selectors of the records that have one of `statuses` at `now`. */
export function selectorsOf(
  statuses: ReadonlySet<TeleconsultationStatus>,
  immutablePeriodMs: number,
  now: Date,
): StatusSelector[] {
  // Locked exactly when now >= startDate − immutablePeriodMs, i.e. startDate <= now + immutablePeriodMs.
  const lockBoundary = new Date(now.getTime() + immutablePeriodMs);
  const selectors: StatusSelector[] = [];
  if (statuses.has('CANCELLED')) selectors.push({ state: 'trashed' });
  if (statuses.has('WAITING_FOR_PARTICIPANTS')) selectors.push({ state: 'active', hasRoom: false });
  if (statuses.has('SCHEDULED') && statuses.has('LOCKED')) {
    selectors.push({ state: 'active', hasRoom: true });
  } else if (statuses.has('SCHEDULED')) {
    selectors.push({ state: 'active', hasRoom: true, startsAfter: lockBoundary });
  } else if (statuses.has('LOCKED')) {
    selectors.push({ state: 'active', hasRoom: true, startsAtOrBefore: lockBoundary });
  }
  return selectors;
}

/** A visit that has ended accepts no change (a create whose room was ready too late included). */
export function assertNotOver(subject: { endDate: Date | null }, now: Date): void {
  if (subject.endDate !== null && subject.endDate.getTime() <= now.getTime()) {
    throw new TeleconsultationLockedError(
      `The teleconsultation ended at ${subject.endDate.toISOString()}; it accepts no changes.`,
      { reason: 'VISIT_OVER' },
    );
  }
}

/**
 * A change (other than a cancellation) is refused once the room exists and the immutable period
 * has begun, and once the visit is over, room or not: a visit still waiting for participants
 * never locks, but completing it after its end would hand out links to a visit that is over.
 */
export function assertChangeAllowed(
  subject: LockSubject & { endDate: Date | null },
  immutablePeriodMs: number,
  now: Date,
): void {
  assertNotOver(subject, now);
  if (isLocked(subject, immutablePeriodMs, now)) {
    const from = lockedFrom(subject.startDate, immutablePeriodMs).toISOString();
    throw new TeleconsultationLockedError(`The teleconsultation accepts no changes since ${from}.`, {
      reason: 'IMMUTABLE_PERIOD',
    });
  }
}

/**
 * The same rule as a condition on the stored record, checked by the store in the write itself:
 * no room or a start after `now + immutablePeriodMs`, and no end or an end after `now`.
 */
export function changeableAt(
  now: Date,
  immutablePeriodMs: number,
): { roomlessOrStartsAfter: Date; endsAfter: Date } {
  return { roomlessOrStartsAfter: new Date(now.getTime() + immutablePeriodMs), endsAfter: now };
}

export function assertParticipantsNumber(participantsNumber: number, path: FieldPath): void {
  if (participantsNumber < MIN_PARTICIPANTS || participantsNumber > MAX_PARTICIPANTS) {
    throw new BadUserInputError(
      `A teleconsultation has ${MIN_PARTICIPANTS} to ${MAX_PARTICIPANTS} participants (got ${participantsNumber}).`,
      { reason: 'PARTICIPANTS_NUMBER_OUT_OF_RANGE', field: path },
    );
  }
}

/** Refuses repeated user ids within `incoming` and against those already present. */
export function assertNoDuplicateParticipants(
  incoming: ReadonlyArray<{ userId: string }>,
  existing: ReadonlyArray<{ userId: string }>,
  path: FieldPath,
): void {
  const seen = new Set(existing.map((p) => p.userId));
  incoming.forEach((participant, index) => {
    if (seen.has(participant.userId)) {
      throw new BadUserInputError(`Participant ${participant.userId} is listed twice.`, {
        reason: 'DUPLICATE_PARTICIPANT',
        field: [...path, index, 'userId'],
      });
    }
    seen.add(participant.userId);
  });
}

export function assertNotOverExpected(count: number, participantsNumber: number, path: FieldPath): void {
  if (count > participantsNumber) {
    throw new BadUserInputError(
      `${count} participants given but only ${participantsNumber} expected; raise participantsNumber first.`,
      { reason: 'TOO_MANY_PARTICIPANTS', field: path },
    );
  }
}

/** A room needs at least one PLUS participant (its doctor); checked when the room is due. */
export function assertHasPlusParticipant(
  participants: ReadonlyArray<Pick<StoredParticipant, 'role'>>,
  path: FieldPath,
): void {
  if (!participants.some((p) => p.role === 'plus')) {
    throw new BadUserInputError(
      'A teleconsultation needs at least one participant with the plus privilege level.',
      { reason: 'NO_PLUS_PARTICIPANT', field: path },
    );
  }
}

/** Longest user id accepted: it travels in URLs (the auth service) and headers. */
export const MAX_USER_ID_LENGTH = 256;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * An id that means what it looks like: no surrounding whitespace (the caller's id is read
 * trimmed, so ` patient-1` could never read its own visit), no control characters, not `.` or
 * `..` (they would be path segments, not an id, in a URL), well-formed Unicode (a lone surrogate
 * travels in no header or URL, and `q\ud800` would hash to the same Kaleyra user as `q\ufffd`),
 * and of a sane length.
 */
export function isUsableUserId(id: string): boolean {
  return (
    id.length > 0 &&
    id.length <= MAX_USER_ID_LENGTH &&
    id.isWellFormed() &&
    id === id.trim() &&
    !CONTROL_CHARACTER.test(id) &&
    id !== '.' &&
    id !== '..'
  );
}

export function assertUserId(id: string, path: FieldPath): void {
  if (id.trim() === '') {
    throw new BadUserInputError('userId must not be empty.', { reason: 'EMPTY_USER_ID', field: path });
  }
  if (!isUsableUserId(id)) {
    throw new BadUserInputError(
      `userId ${JSON.stringify(id)} has surrounding whitespace or control characters, is "." or "..", is not well-formed Unicode, or is longer than ${MAX_USER_ID_LENGTH} characters.`,
      { reason: 'INVALID_USER_ID', field: path },
    );
  }
}

/** PLUS when any group is a plus group, else BASIC when any is a basic group, else null. */
export function privilegeLevelOf(groups: readonly string[], privileges: Privileges): PrivilegeLevel | null {
  if (groups.some((g) => privileges.plus.groups.includes(g))) return 'plus';
  if (groups.some((g) => privileges.basic.groups.includes(g))) return 'basic';
  return null;
}

export function requirePrivilegeLevel(
  userId: string,
  groups: readonly string[],
  privileges: Privileges,
  path: FieldPath,
): PrivilegeLevel {
  const level = privilegeLevelOf(groups, privileges);
  if (!level) {
    throw new BadUserInputError(`Participant ${userId} is in no group of any privilege profile.`, {
      reason: 'NO_PRIVILEGE_GROUP',
      field: [...path, 'groups'],
    });
  }
  return level;
}

/** A language tag as clients send them: `it`, `it-IT`, `it_IT`, `es-419`; nothing else. */
const LANGUAGE_TAG = /^([A-Za-z]{2})(?:[-_](?:[A-Za-z]{2}|\d{3}))?$/;

/** Normalises `it-IT` to `it`; refuses malformed tags and languages Kaleyra links do not support. */
export function linkLanguage(language: string, path: FieldPath): string {
  const primary = LANGUAGE_TAG.exec(language.trim())?.[1]?.toLowerCase() ?? '';
  if (!(LINK_LANGUAGES as readonly string[]).includes(primary)) {
    throw new BadUserInputError(
      `Language ${JSON.stringify(language)} is not one of ${LINK_LANGUAGES.join(', ')} (optionally with a region, as in it-IT).`,
      {
        reason: 'UNSUPPORTED_LANGUAGE',
        field: path,
      },
    );
  }
  return primary;
}
