import { lockedFrom } from './teleconsultation.js';
import type { RecordSchedule } from './teleconsultation-record.js';

/**
 * When each participant may join: a window per group opens the room to its members some time
 * before the start (doctors ten minutes early, patients five), and the room closes to everyone
 * some time after the end. A link is never handed out before lockedFrom: until then the room may
 * still be replaced, and a link handed out would die.
 */
export interface JoinWindow {
  groups: string[];
  opensBeforeStartMs: number;
}

export interface JoinRules {
  windows: JoinWindow[];
  /** Null: the room never closes to participants (the original's behaviour). */
  closesAfterEndMs: number | null;
}

export const NO_JOIN_WINDOWS: JoinRules = { windows: [], closesAfterEndMs: null };

/** No window may open more than a day early: a configuration saying so is a mistake. */
export const MAX_OPENS_BEFORE_START_MS = 24 * 60 * 60 * 1000;

export type JoinState =
  | 'WAITING_FOR_PARTICIPANTS'
  | 'NOT_YET'
  | 'OPEN'
  | 'ENDED'
  | 'CANCELLED'
  /** HOST_ADMITS: the window is open, the caller not admitted (yet). */
  | 'WAITING_FOR_ADMISSION'
  /** HOST_ADMITS: the caller was turned away. */
  | 'DENIED';

/**
 * From when a participant in `groups` may join: the latest of lockedFrom and the start minus the
 * widest window among those matching their groups; lockedFrom when none matches.
 */
export function canJoinFrom(
  startDate: Date,
  groups: readonly string[],
  immutablePeriodMs: number,
  rules: JoinRules,
): Date {
  const locked = lockedFrom(startDate, immutablePeriodMs).getTime();
  const widest = rules.windows
    .filter((window) => window.groups.some((group) => groups.includes(group)))
    .reduce<number | null>((max, window) => Math.max(max ?? 0, window.opensBeforeStartMs), null);
  if (widest === null) return new Date(locked);
  return new Date(Math.max(locked, startDate.getTime() - widest));
}

/** Until when anyone may join: the end plus the close delay, or never (null). */
export function canJoinUntil(schedule: RecordSchedule, rules: JoinRules): Date | null {
  if (rules.closesAfterEndMs === null || schedule.endDate === null) return null;
  return new Date(schedule.endDate.getTime() + rules.closesAfterEndMs);
}

export function joinStateOf(
  subject: { state: 'active' | 'trashed'; roomId: string | null },
  from: Date,
  until: Date | null,
  now: Date,
): JoinState {
  if (subject.state === 'trashed') return 'CANCELLED';
  if (subject.roomId === null) return 'WAITING_FOR_PARTICIPANTS';
  if (until !== null && now.getTime() >= until.getTime()) return 'ENDED';
  return now.getTime() >= from.getTime() ? 'OPEN' : 'NOT_YET';
}
