import type { StoredParticipant } from '../../domain/teleconsultation-record.js';

/**
 * A participant's attendance in the waiting room (docs/specs/waiting-room.md, issue #27):
 * NOT_ARRIVED → WAITING (checked in) → ADMITTED | DENIED; NO_SHOW when nobody checked in in time.
 */
export const ATTENDANCES = ['NOT_ARRIVED', 'WAITING', 'ADMITTED', 'DENIED', 'NO_SHOW'] as const;
export type Attendance = (typeof ATTENDANCES)[number];

/**
 * THE WAITING-ROOM SEAM. The stored participant does not carry its attendance yet (#27 adds it):
 * this reads `participant.attendance` when a record has one of the values above and answers null
 * otherwise, so the FHIR statuses (arrived, noshow, tentative) apply exactly when records carry
 * attendance, and everything else maps as without a waiting room. When #27 lands with another
 * shape, this one function changes.
 */
export function attendanceOf(participant: StoredParticipant): Attendance | null {
  const value = (participant as { attendance?: unknown }).attendance;
  return typeof value === 'string' && (ATTENDANCES as readonly string[]).includes(value)
    ? (value as Attendance)
    : null;
}
