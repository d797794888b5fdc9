import { type AdmissionMode, ATTENDANCE_STATES, type AttendanceState } from '../../domain/attendance.js';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';

/**
 * A participant's attendance in the waiting room (the domain's states):
 * NOT_ARRIVED → WAITING (checked in) → ADMITTED | DENIED; NO_SHOW when nobody checked in in time.
 */
export const ATTENDANCES = ATTENDANCE_STATES;
export type Attendance = AttendanceState;

/**
 * A participant's attendance as FHIR reads it: the waiting room's stored state (#27); without one,
 * NOT_ARRIVED when the visit itself says HOST_ADMITS (the patient is expected to check in), else
 * null: the visit maps as without a waiting room. A visit whose admission comes from the config
 * file's default rather than the record reads as without one (docs/fhir.md).
 */
export function attendanceOf(participant: StoredParticipant, admission?: AdmissionMode): Attendance | null {
  const state = participant.attendance?.state;
  if (state !== undefined && (ATTENDANCES as readonly string[]).includes(state)) return state;
  return admission === 'HOST_ADMITS' && participant.role !== 'plus' ? 'NOT_ARRIVED' : null;
}
