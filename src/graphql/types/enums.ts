import { registerEnumType } from 'type-graphql';
import { VIDEO_CAPABILITIES } from '../../domain/video-provider.js';

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
  WAITING_FOR_ADMISSION = 'WAITING_FOR_ADMISSION',
  DENIED = 'DENIED',
}

registerEnumType(JoinState, {
  name: 'JoinState',
  description: 'Whether the caller can join now (accessLinkURL is non-null exactly when OPEN).',
  valuesConfig: {
    WAITING_FOR_PARTICIPANTS: { description: 'Fewer participants known than expected: no room yet.' },
    NOT_YET: {
      description:
        "Before the caller's canJoinFrom; for a reader who is no participant (so has no link), until the visit's close.",
    },
    OPEN: { description: 'From canJoinFrom until canJoinUntil (if any): the caller gets their link.' },
    WAITING_FOR_ADMISSION: {
      description:
        'HOST_ADMITS: the window is open but no PLUS participant has admitted the caller yet (check in, then wait).',
    },
    DENIED: { description: 'HOST_ADMITS: a PLUS participant turned the caller away.' },
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

export enum TeleconsultationEventType {
  CREATED = 'CREATED',
  PARTICIPANTS_ADDED = 'PARTICIPANTS_ADDED',
  UPDATED = 'UPDATED',
  ROOM_CREATED = 'ROOM_CREATED',
  ROOM_REPLACED = 'ROOM_REPLACED',
  CANCELLED = 'CANCELLED',
  UPLOADS_DELETED = 'UPLOADS_DELETED',
  LINK_ISSUED = 'LINK_ISSUED',
  TRANSCRIPTION_READ = 'TRANSCRIPTION_READ',
  PARTICIPANT_CHECKED_IN = 'PARTICIPANT_CHECKED_IN',
  PARTICIPANT_ADMITTED = 'PARTICIPANT_ADMITTED',
  PARTICIPANT_DENIED = 'PARTICIPANT_DENIED',
  PARTICIPANT_NO_SHOW = 'PARTICIPANT_NO_SHOW',
  HOST_DELAYED = 'HOST_DELAYED',
}

registerEnumType(TeleconsultationEventType, {
  name: 'TeleconsultationEventType',
  description: 'What happened to a teleconsultation.',
  valuesConfig: {
    CREATED: { description: 'Scheduled.' },
    PARTICIPANTS_ADDED: { description: 'Participants were added (participantIds).' },
    UPDATED: {
      description: 'Dates, duration, expected number, participants or recording changed (changedFields).',
    },
    ROOM_CREATED: { description: 'The Kaleyra room was created (every expected participant known).' },
    ROOM_REPLACED: { description: 'The Kaleyra room was replaced by a new one (rooms cannot be edited).' },
    CANCELLED: { description: 'Cancelled.' },
    UPLOADS_DELETED: { description: 'The files uploaded in the call were deleted.' },
    LINK_ISSUED: {
      description: 'A participant (participantIds) was handed their join link for the first time.',
    },
    TRANSCRIPTION_READ: {
      description:
        "A session's transcription (sessionId) was handed to the caller (actorId), each time: who and which session, never its text.",
    },
    PARTICIPANT_CHECKED_IN: { description: 'A participant (participantIds) checked in to the waiting room.' },
    PARTICIPANT_ADMITTED: {
      description: 'A PLUS participant or the back office (actorId) admitted a participant (participantIds).',
    },
    PARTICIPANT_DENIED: {
      description:
        'A PLUS participant or the back office (actorId) turned a participant (participantIds) away; the reason is not in the event.',
    },
    PARTICIPANT_NO_SHOW: {
      description: 'A BASIC participant (participantIds) never checked in by the start plus noShowAfterMs.',
    },
    HOST_DELAYED: {
      description: 'A PLUS participant announced they are running late (delayMinutes; 0 clears).',
    },
  },
});

export enum AdmissionMode {
  AUTOMATIC = 'AUTOMATIC',
  HOST_ADMITS = 'HOST_ADMITS',
}

registerEnumType(AdmissionMode, {
  name: 'AdmissionMode',
  description: 'Who lets a BASIC participant into the call once their join window opens.',
  valuesConfig: {
    AUTOMATIC: { description: 'Nobody: the link appears when the window opens (the default).' },
    HOST_ADMITS: {
      description:
        'A PLUS participant (or the back office) admits each one; PLUS participants are never held.',
    },
  },
});

export enum AttendanceState {
  NOT_ARRIVED = 'NOT_ARRIVED',
  WAITING = 'WAITING',
  ADMITTED = 'ADMITTED',
  DENIED = 'DENIED',
  NO_SHOW = 'NO_SHOW',
}

registerEnumType(AttendanceState, {
  name: 'AttendanceState',
  description: "Where a participant stands in the visit's waiting room.",
  valuesConfig: {
    NOT_ARRIVED: { description: 'Has not checked in.' },
    WAITING: { description: 'Checked in; waiting to be admitted.' },
    ADMITTED: { description: 'Let in (a PLUS participant who checks in is admitted at once).' },
    DENIED: { description: 'Turned away; only a re-admission lets them in.' },
    NO_SHOW: { description: 'Never checked in by the start plus noShowAfterMs (HOST_ADMITS visits).' },
  },
});

export enum DeviceCheckResult {
  OK = 'OK',
  FAILED = 'FAILED',
  UNTESTED = 'UNTESTED',
}

registerEnumType(DeviceCheckResult, {
  name: 'DeviceCheckResult',
  description: "What the frontend's pre-call test found for one device.",
});

export enum DeliveryState {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}

registerEnumType(DeliveryState, {
  name: 'DeliveryState',
  description: 'Where a webhook delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: waiting for its turn, being sent, or waiting to retry.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    DEAD: { description: 'Given up on after 24 h of retries (or its endpoint is no longer configured).' },
  },
});

export enum VideoCapability {
  COMPANY_SETTINGS = 'COMPANY_SETTINGS',
  VIRTUAL_BACKGROUNDS = 'VIRTUAL_BACKGROUNDS',
  RECORDING = 'RECORDING',
  TRANSCRIPTION = 'TRANSCRIPTION',
  UPLOADS_DELETION = 'UPLOADS_DELETION',
  SDK_CREDENTIALS = 'SDK_CREDENTIALS',
}

registerEnumType(VideoCapability, {
  name: 'VideoCapability',
  description:
    'What a video provider may offer beyond rooms, links, roles, tools and join windows. An operation needing one the provider lacks is refused before any side effect (NOT_IMPLEMENTED, PROVIDER_CAPABILITY_UNAVAILABLE).',
  valuesConfig: Object.fromEntries(
    Object.entries(VIDEO_CAPABILITIES).map(([name, description]) => [name, { description }]),
  ),
});
