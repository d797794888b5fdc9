import { registerEnumType } from 'type-graphql';

export enum TeleconsultationStatus {
  WAITING_FOR_PARTICIPANTS = 'WAITING_FOR_PARTICIPANTS',
  SCHEDULED = 'SCHEDULED',
  LOCKED = 'LOCKED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(TeleconsultationStatus, {
  name: 'TeleconsultationStatus',
  valuesConfig: {
    WAITING_FOR_PARTICIPANTS: { description: 'Fewer participants known than expected: no room yet.' },
    SCHEDULED: { description: 'The room exists and can still be changed.' },
    LOCKED: { description: 'Inside the immutable period or started: join links are handed out.' },
    CANCELLED: { description: 'Deleted.' },
  },
});

export enum PrivilegeLevel {
  BASIC = 'BASIC',
  PLUS = 'PLUS',
}

registerEnumType(PrivilegeLevel, {
  name: 'PrivilegeLevel',
  description: 'PLUS participants are room admins.',
});

export enum JoinState {
  WAITING_FOR_PARTICIPANTS = 'WAITING_FOR_PARTICIPANTS',
  NOT_YET = 'NOT_YET',
  OPEN = 'OPEN',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(JoinState, {
  name: 'JoinState',
  description: 'Whether the caller can join now (accessLinkURL is non-null exactly when OPEN).',
  valuesConfig: {
    WAITING_FOR_PARTICIPANTS: { description: 'Fewer participants known than expected: no room yet.' },
    NOT_YET: { description: "Before the caller's canJoinFrom." },
    OPEN: { description: 'From canJoinFrom until canJoinUntil (if any): the caller gets their link.' },
    ENDED: { description: 'From canJoinUntil on: the room no longer takes anyone.' },
    CANCELLED: { description: 'Deleted.' },
  },
});

export enum RecordingMode {
  NONE = 'NONE',
  MANUAL = 'MANUAL',
  AUTOMATIC = 'AUTOMATIC',
}

registerEnumType(RecordingMode, {
  name: 'RecordingMode',
  description: 'Whether Kaleyra records the call (its recording: none, manual, automatic).',
  valuesConfig: {
    NONE: { description: 'Not recorded.' },
    MANUAL: { description: 'A participant may start and stop the recording.' },
    AUTOMATIC: { description: 'Recorded from the start.' },
  },
});
