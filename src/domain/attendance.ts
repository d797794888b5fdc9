/**
 * The waiting room's stored shapes (the record carries them): admission modes, a participant's
 * attendance, a host's delay. The rules over them are in waiting-room.ts.
 */

/** AUTOMATIC: links appear at the join window (the original's behaviour); HOST_ADMITS: a PLUS participant admits each BASIC one. */
export const ADMISSION_MODES = ['AUTOMATIC', 'HOST_ADMITS'] as const;
export type AdmissionMode = (typeof ADMISSION_MODES)[number];

export const ATTENDANCE_STATES = ['NOT_ARRIVED', 'WAITING', 'ADMITTED', 'DENIED', 'NO_SHOW'] as const;
export type AttendanceState = (typeof ATTENDANCE_STATES)[number];
/** The states that are stored: NOT_ARRIVED is the absence of an attendance. */
export type StoredAttendanceState = Exclude<AttendanceState, 'NOT_ARRIVED'>;

export const DEVICE_CHECK_RESULTS = ['OK', 'FAILED', 'UNTESTED'] as const;
export type DeviceCheckResult = (typeof DEVICE_CHECK_RESULTS)[number];

/** What the frontend's pre-call test found, shown to the host. */
export interface DeviceCheck {
  camera: DeviceCheckResult;
  microphone: DeviceCheckResult;
  speaker: DeviceCheckResult;
  /** Measured bandwidth; null when not measured. */
  networkKbps: number | null;
}

/** One transition: to which state, when, and who made it (null: the system, e.g. a no-show). */
export interface AttendanceTransition {
  state: StoredAttendanceState;
  at: Date;
  by: string | null;
}

export interface Attendance {
  state: StoredAttendanceState;
  /** When the participant last checked in; null for a no-show who never did. */
  checkedInAt: Date | null;
  /** The device check of the last check-in. */
  device?: DeviceCheck;
  /** What the PLUS participant who denied them said (shown to PLUS participants only). */
  deniedReason?: string;
  /** Every transition, oldest first (at most MAX_TRANSITIONS: the latest are kept). */
  transitions: AttendanceTransition[];
}

/** A PLUS participant's announcement that they will be late. */
export interface HostDelay {
  minutes: number;
  announcedAt: Date;
  by: string | null;
}
