/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Who lets a BASIC participant into the call once their join window opens. */
export type AdmissionMode =
  /** Nobody: the link appears when the window opens (the default). */
  | 'AUTOMATIC'
  /** A PLUS participant (or the back office) admits each one; PLUS participants are never held. */
  | 'HOST_ADMITS';

/** Where a participant stands in the visit's waiting room. */
export type AttendanceState =
  /** Let in (a PLUS participant who checks in is admitted at once). */
  | 'ADMITTED'
  /** Turned away; only a re-admission lets them in. */
  | 'DENIED'
  /** Has not checked in. */
  | 'NOT_ARRIVED'
  /** Never checked in by the start plus noShowAfterMs (HOST_ADMITS visits). */
  | 'NO_SHOW'
  /** Checked in; waiting to be admitted. */
  | 'WAITING';

/** Every field is optional; null clears a value. */
export type CompanySettingsInput = {
  /** An uploaded background's alias (see virtualBackgrounds); null removes the default background. */
  defaultBackgroundAlias?: string | null | undefined;
  /** en, it, pl, fr, de or es. */
  defaultLanguage?: string | null | undefined;
  /** From 0 to 600000. */
  endCallRedirectTimeoutMs?: number | null | undefined;
  /** An http(s) URL participants are sent to when the call ends. */
  endCallRedirectUrl?: string | null | undefined;
};

export type CreateTeleconsultationInput = {
  /** Who lets BASIC participants in. Default: the config file's admission for the groups of the visit's PLUS participants. */
  admission?: AdmissionMode | null | undefined;
  /** At least 300 (five minutes). */
  durationInSeconds?: number | null | undefined;
  /** Exactly one of endDate and durationInSeconds. */
  endDate?: string | null | undefined;
  participants: Array<ParticipantInput>;
  /** Expected participants; defaults to the number given. */
  participantsNumber?: number | null | undefined;
  /** Default: DEFAULT_RECORDING_TYPE. */
  recording?: RecordingMode | null | undefined;
  startDate: string;
};

/** Where a webhook delivery stands. */
export type DeliveryState =
  /** Given up on after 24 h of retries (or its endpoint is no longer configured). */
  | 'DEAD'
  /** The endpoint answered 2xx. */
  | 'DELIVERED'
  /** Not delivered yet: waiting for its turn, being sent, or waiting to retry. */
  | 'PENDING';

/** What the frontend's pre-call test found: shown to the host in the waiting room. */
export type DeviceCheckInput = {
  camera?: DeviceCheckResult;
  microphone?: DeviceCheckResult;
  /** Measured bandwidth in kbit/s; 0 to 10,000,000. */
  networkKbps?: number | null | undefined;
  speaker?: DeviceCheckResult;
};

/** What the frontend's pre-call test found for one device. */
export type DeviceCheckResult =
  | 'FAILED'
  | 'OK'
  | 'UNTESTED';

/** Whether the caller can join now (accessLinkURL is non-null exactly when OPEN). */
export type JoinState =
  /** Deleted. */
  | 'CANCELLED'
  /** HOST_ADMITS: a PLUS participant turned the caller away. */
  | 'DENIED'
  /** From canJoinUntil on: the room no longer takes anyone. */
  | 'ENDED'
  /** Before the caller's canJoinFrom; for a reader who is no participant (so has no link), until the visit's close. */
  | 'NOT_YET'
  /** From canJoinFrom until canJoinUntil (if any): the caller gets their link. */
  | 'OPEN'
  /** HOST_ADMITS: the window is open but no PLUS participant has admitted the caller yet (check in, then wait). */
  | 'WAITING_FOR_ADMISSION'
  /** Fewer participants known than expected: no room yet. */
  | 'WAITING_FOR_PARTICIPANTS';

export type ParticipantInput = {
  /** Required when no AUTH_SERVICE is configured; ignored otherwise. */
  fullName?: string | null | undefined;
  /** Required when no AUTH_SERVICE is configured; ignored otherwise. */
  groups?: Array<string> | null | undefined;
  /** Join-link language: en, it, pl, fr, de or es. */
  language?: string | null | undefined;
  /** The participant's id in our platform (receivedUserId). */
  userId: string | number;
};

/** PLUS participants are room admins. */
export type PrivilegeLevel =
  | 'BASIC'
  | 'PLUS';

/** Whether Kaleyra records the call (its recording: none, manual, automatic). */
export type RecordingMode =
  /** Recorded from the start. */
  | 'AUTOMATIC'
  /** A participant may start and stop the recording. */
  | 'MANUAL'
  /** Not recorded. */
  | 'NONE';

/** What happened to a teleconsultation. */
export type TeleconsultationEventType =
  /** Cancelled. */
  | 'CANCELLED'
  /** Scheduled. */
  | 'CREATED'
  /** A PLUS participant announced they are running late (delayMinutes; 0 clears). */
  | 'HOST_DELAYED'
  /** A participant (participantIds) was handed their join link for the first time. */
  | 'LINK_ISSUED'
  /** Participants were added (participantIds). */
  | 'PARTICIPANTS_ADDED'
  /** A PLUS participant or the back office (actorId) admitted a participant (participantIds). */
  | 'PARTICIPANT_ADMITTED'
  /** A participant (participantIds) checked in to the waiting room. */
  | 'PARTICIPANT_CHECKED_IN'
  /** A PLUS participant or the back office (actorId) turned a participant (participantIds) away; the reason is not in the event. */
  | 'PARTICIPANT_DENIED'
  /** A BASIC participant (participantIds) never checked in by the start plus noShowAfterMs. */
  | 'PARTICIPANT_NO_SHOW'
  /** The Kaleyra room was created (every expected participant known). */
  | 'ROOM_CREATED'
  /** The Kaleyra room was replaced by a new one (rooms cannot be edited). */
  | 'ROOM_REPLACED'
  /** A session's transcription (sessionId) was handed to the caller (actorId), each time: who and which session, never its text. */
  | 'TRANSCRIPTION_READ'
  /** Dates, duration, expected number, participants or recording changed (changedFields). */
  | 'UPDATED'
  /** The files uploaded in the call were deleted. */
  | 'UPLOADS_DELETED';

export type TeleconsultationStatus =
  /** Deleted. */
  | 'CANCELLED'
  /** Inside the immutable period or started: join links are handed out. */
  | 'LOCKED'
  /** The room exists and can still be changed. */
  | 'SCHEDULED'
  /** Fewer participants known than expected: no room yet. */
  | 'WAITING_FOR_PARTICIPANTS';

/** What became of a session's transcription on Kaleyra. */
export type TranscriptionStatus =
  /** Ready: `transcription` returns it. */
  | 'COMPLETED'
  /** Kaleyra could not make it: there is none to read. */
  | 'FAILED'
  /** None was made. */
  | 'NONE'
  /** Being made: `transcription` answers CONFLICT (TRANSCRIPTION_NOT_READY). */
  | 'PROCESSING';

/** Every field is optional; participants replaces the list. */
export type UpdateTeleconsultationInput = {
  /** Who lets BASIC participants in (only while the visit can still change; the room is kept). */
  admission?: AdmissionMode | null | undefined;
  durationInSeconds?: number | null | undefined;
  endDate?: string | null | undefined;
  participants?: Array<ParticipantInput> | null | undefined;
  participantsNumber?: number | null | undefined;
  /** A change replaces the room, like any other room change (only while the visit can still change). */
  recording?: RecordingMode | null | undefined;
  startDate?: string | null | undefined;
};

/** What a video provider may offer beyond rooms, links, roles, tools and join windows. An operation needing one the provider lacks is refused before any side effect (NOT_IMPLEMENTED, PROVIDER_CAPABILITY_UNAVAILABLE). */
export type VideoCapability =
  /** The company's settings (default language and background, end-of-call redirect). */
  | 'COMPANY_SETTINGS'
  /** Rooms that record their calls (a recording other than 'none'). */
  | 'RECORDING'
  /** Access tokens for the provider's mobile SDKs (createCredentials). */
  | 'SDK_CREDENTIALS'
  /** A room's sessions and their transcriptions. */
  | 'TRANSCRIPTION'
  /** Deleting the files shared in a visit's room (deleteUploads). */
  | 'UPLOADS_DELETION'
  /** Uploaded virtual backgrounds, and links that show one. */
  | 'VIRTUAL_BACKGROUNDS';

export type MyTeleconsultationsQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
  states?: Array<TeleconsultationStatus> | TeleconsultationStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyTeleconsultationsQuery = { myTeleconsultations: { edges: Array<{ cursor: string, node: { id: string, status: TeleconsultationStatus, startDate: string, joinState: JoinState, accessLinkURL: string | null, participants: Array<{ userId: string }> } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type CompanySettingsFieldsFragment = { name: string, defaultLanguage: string | null, endCallRedirectUrl: string | null, endCallRedirectTimeoutMs: number | null, userDetailsProviderUrl: string | null, defaultBackground: { alias: string, url: string, createdAt: string } | null };

export type CompanySettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type CompanySettingsQuery = { companySettings: { name: string, defaultLanguage: string | null, endCallRedirectUrl: string | null, endCallRedirectTimeoutMs: number | null, userDetailsProviderUrl: string | null, defaultBackground: { alias: string, url: string, createdAt: string } | null } };

export type VirtualBackgroundsQueryVariables = Exact<{ [key: string]: never; }>;


export type VirtualBackgroundsQuery = { virtualBackgrounds: Array<{ alias: string, url: string, createdAt: string }> };

export type UpdateCompanySettingsMutationVariables = Exact<{
  input: CompanySettingsInput;
}>;


export type UpdateCompanySettingsMutation = { updateCompanySettings: { name: string, defaultLanguage: string | null, endCallRedirectUrl: string | null, endCallRedirectTimeoutMs: number | null, userDetailsProviderUrl: string | null, defaultBackground: { alias: string, url: string, createdAt: string } | null } };

export type DeleteVirtualBackgroundMutationVariables = Exact<{
  alias: string;
}>;


export type DeleteVirtualBackgroundMutation = { deleteVirtualBackground: boolean };

export type CreateCredentialsMutationVariables = Exact<{
  expiresIn?: number | null | undefined;
}>;


export type CreateCredentialsMutation = { createCredentials: { accessToken: string, expiresAt: string, kaleyraUserId: string } };

export type TeleconsultationHistoryQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TeleconsultationHistoryQuery = { teleconsultation: { id: string, history: { edges: Array<{ cursor: string, node: { id: string, sequence: number, type: TeleconsultationEventType, occurredAt: string, actorId: string | null, changedFields: Array<string>, participantIds: Array<string> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type WebhookDeliveriesQueryVariables = Exact<{
  state?: DeliveryState | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookDeliveries: { edges: Array<{ cursor: string, node: { id: string, eventId: string, eventType: TeleconsultationEventType, teleconsultationId: string, sequence: number, endpointUrl: string | null, state: DeliveryState, attempts: number, lastStatus: number | null, lastError: string | null, createdAt: string, nextAttemptAt: string | null, deliveredAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type VisitHistoryQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type VisitHistoryQuery = { teleconsultationHistory: { edges: Array<{ cursor: string, node: { id: string, sequence: number, type: TeleconsultationEventType, occurredAt: string, actorId: string | null, changedFields: Array<string>, participantIds: Array<string> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type EventFieldsFragment = { id: string, sequence: number, type: TeleconsultationEventType, occurredAt: string, actorId: string | null, changedFields: Array<string>, participantIds: Array<string> };

export type TeleconsultationFieldsFragment = { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, canJoinFrom: string | null, canJoinUntil: string | null, joinState: JoinState, recording: RecordingMode, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> };

export type CreateTeleconsultationWithoutNamesMutationVariables = Exact<{
  input: CreateTeleconsultationInput;
}>;


export type CreateTeleconsultationWithoutNamesMutation = { createTeleconsultation: { id: string, participants: Array<{ userId: string, groups: Array<string>, role: PrivilegeLevel }> } };

export type ParticipantNamesTwiceQueryVariables = Exact<{
  id: string | number;
}>;


export type ParticipantNamesTwiceQuery = { first: { participants: Array<{ userId: string, fullName: string | null }> } | null, second: { participants: Array<{ userId: string, fullName: string | null }> } | null };

export type ServiceConfigQueryVariables = Exact<{ [key: string]: never; }>;


export type ServiceConfigQuery = { serviceConfig: { groupsWithBackgroundList: Array<string>, environment: string | null, mode: string | null, privileges: { basic: { groups: Array<string>, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }, plus: { groups: Array<string>, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } } }, theme: { light: { primaryColor: string, accentColor: string } | null, dark: { primaryColor: string, accentColor: string } | null } | null, companyLogo: { url: string | null } | null } };

export type ServiceConfigProviderQueryVariables = Exact<{ [key: string]: never; }>;


export type ServiceConfigProviderQuery = { serviceConfig: { provider: { name: string, capabilities: Array<VideoCapability> } } };

export type TeleconsultationQueryVariables = Exact<{
  id: string | number;
  language?: string | null | undefined;
  useBackground?: boolean | null | undefined;
}>;


export type TeleconsultationQuery = { teleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, canJoinFrom: string | null, canJoinUntil: string | null, joinState: JoinState, recording: RecordingMode, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } | null };

export type TeleconsultationWithDetailsQueryVariables = Exact<{
  id: string | number;
}>;


export type TeleconsultationWithDetailsQuery = { teleconsultation: { id: string, status: TeleconsultationStatus, details: { status: string | null, disabled: boolean | null, creationDate: string | null, durationInSeconds: number | null, durationUsedInSeconds: number | null, live: boolean | null, recording: string | null, recordingStatus: string | null, callType: string | null, description: string | null } | null } | null };

export type CreateTeleconsultationMutationVariables = Exact<{
  input: CreateTeleconsultationInput;
}>;


export type CreateTeleconsultationMutation = { createTeleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, canJoinFrom: string | null, canJoinUntil: string | null, joinState: JoinState, recording: RecordingMode, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type AddParticipantsMutationVariables = Exact<{
  id: string | number;
  participants: Array<ParticipantInput> | ParticipantInput;
}>;


export type AddParticipantsMutation = { addParticipants: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, canJoinFrom: string | null, canJoinUntil: string | null, joinState: JoinState, recording: RecordingMode, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type UpdateTeleconsultationMutationVariables = Exact<{
  id: string | number;
  input: UpdateTeleconsultationInput;
}>;


export type UpdateTeleconsultationMutation = { updateTeleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, canJoinFrom: string | null, canJoinUntil: string | null, joinState: JoinState, recording: RecordingMode, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type DeleteTeleconsultationMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteTeleconsultationMutation = { deleteTeleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, canJoinFrom: string | null, canJoinUntil: string | null, joinState: JoinState, recording: RecordingMode, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type DeleteTeleconsultationUploadsMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteTeleconsultationUploadsMutation = { deleteTeleconsultationUploads: { enabled: boolean, total: number, deleted: number } };

export type TeleconsultationCalendarEventQueryVariables = Exact<{
  id: string | number;
}>;


export type TeleconsultationCalendarEventQuery = { teleconsultation: { id: string, calendarEvent: string } | null };

export type TeleconsultationSessionsQueryVariables = Exact<{
  id: string | number;
}>;


export type TeleconsultationSessionsQuery = { teleconsultation: { id: string, roomId: string | null, sessions: Array<{ id: string, startedAt: string, endedAt: string | null, transcriptionStatus: TranscriptionStatus }> | null } | null };

export type TranscriptionQueryVariables = Exact<{
  teleconsultationId: string | number;
  sessionId: string | number;
}>;


export type TranscriptionQuery = { transcription: unknown };

export type TranscriptionReadsQueryVariables = Exact<{
  id: string | number;
}>;


export type TranscriptionReadsQuery = { teleconsultationHistory: { edges: Array<{ node: { id: string, sequence: number, type: TeleconsultationEventType, actorId: string | null, participantIds: Array<string>, sessionId: string | null } }> } };

export type CheckInMutationVariables = Exact<{
  teleconsultationId: string | number;
  device?: DeviceCheckInput | null | undefined;
}>;


export type CheckInMutation = { checkIn: { userId: string, attendance: AttendanceState | null, checkedInAt: string | null } };

export type AdmitParticipantMutationVariables = Exact<{
  teleconsultationId: string | number;
  userId: string | number;
}>;


export type AdmitParticipantMutation = { admitParticipant: { userId: string, attendance: AttendanceState | null, checkedInAt: string | null } };

export type DenyParticipantMutationVariables = Exact<{
  teleconsultationId: string | number;
  userId: string | number;
  reason?: string | null | undefined;
}>;


export type DenyParticipantMutation = { denyParticipant: { userId: string, attendance: AttendanceState | null } };

export type AdmitAllMutationVariables = Exact<{
  teleconsultationId: string | number;
}>;


export type AdmitAllMutation = { admitAll: Array<{ userId: string, attendance: AttendanceState | null }> };

export type AnnounceDelayMutationVariables = Exact<{
  teleconsultationId: string | number;
  minutes: number;
}>;


export type AnnounceDelayMutation = { announceDelay: { id: string, hostDelayMinutes: number | null, expectedStartDate: string } };

export type WaitingRoomViewQueryVariables = Exact<{
  id: string | number;
}>;


export type WaitingRoomViewQuery = { teleconsultation: { id: string, admission: AdmissionMode, joinState: JoinState, accessLinkURL: string | null, hostDelayMinutes: number | null, expectedStartDate: string, checkInOpensAt: string | null, participants: Array<{ userId: string, attendance: AttendanceState | null, checkedInAt: string | null }> } | null };

export type WaitingRoomOfHostQueryVariables = Exact<{
  id: string | number;
}>;


export type WaitingRoomOfHostQuery = { teleconsultation: { id: string, waitingRoom: Array<{ userId: string, attendance: AttendanceState, checkedInAt: string, device: { camera: DeviceCheckResult, microphone: DeviceCheckResult, speaker: DeviceCheckResult, networkKbps: number | null } | null }> | null } | null };

export type AttendanceHistoryQueryVariables = Exact<{
  id: string | number;
}>;


export type AttendanceHistoryQuery = { teleconsultationHistory: { edges: Array<{ node: { type: TeleconsultationEventType, actorId: string | null, participantIds: Array<string>, delayMinutes: number | null } }> } };

export type CreateWithAdmissionMutationVariables = Exact<{
  input: CreateTeleconsultationInput;
}>;


export type CreateWithAdmissionMutation = { createTeleconsultation: { id: string, admission: AdmissionMode, roomId: string | null } };

export const CompanySettingsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySettingsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CompanySettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"defaultBackground"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alias"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endCallRedirectUrl"}},{"kind":"Field","name":{"kind":"Name","value":"endCallRedirectTimeoutMs"}},{"kind":"Field","name":{"kind":"Name","value":"userDetailsProviderUrl"}}]}}]} as unknown as DocumentNode<CompanySettingsFieldsFragment, unknown>;
export const EventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TeleconsultationEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"changedFields"}},{"kind":"Field","name":{"kind":"Name","value":"participantIds"}}]}}]} as unknown as DocumentNode<EventFieldsFragment, unknown>;
export const TeleconsultationFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinFrom"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinUntil"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationFieldsFragment, unknown>;
export const MyTeleconsultationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyTeleconsultations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"states"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TeleconsultationStatus"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myTeleconsultations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"states"},"value":{"kind":"Variable","name":{"kind":"Name","value":"states"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<MyTeleconsultationsQuery, MyTeleconsultationsQueryVariables>;
export const CompanySettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompanySettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companySettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompanySettingsFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySettingsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CompanySettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"defaultBackground"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alias"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endCallRedirectUrl"}},{"kind":"Field","name":{"kind":"Name","value":"endCallRedirectTimeoutMs"}},{"kind":"Field","name":{"kind":"Name","value":"userDetailsProviderUrl"}}]}}]} as unknown as DocumentNode<CompanySettingsQuery, CompanySettingsQueryVariables>;
export const VirtualBackgroundsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VirtualBackgrounds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"virtualBackgrounds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alias"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<VirtualBackgroundsQuery, VirtualBackgroundsQueryVariables>;
export const UpdateCompanySettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCompanySettings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompanySettingsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCompanySettings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompanySettingsFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySettingsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CompanySettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"defaultBackground"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alias"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endCallRedirectUrl"}},{"kind":"Field","name":{"kind":"Name","value":"endCallRedirectTimeoutMs"}},{"kind":"Field","name":{"kind":"Name","value":"userDetailsProviderUrl"}}]}}]} as unknown as DocumentNode<UpdateCompanySettingsMutation, UpdateCompanySettingsMutationVariables>;
export const DeleteVirtualBackgroundDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteVirtualBackground"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"alias"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteVirtualBackground"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"alias"},"value":{"kind":"Variable","name":{"kind":"Name","value":"alias"}}}]}]}}]} as unknown as DocumentNode<DeleteVirtualBackgroundMutation, DeleteVirtualBackgroundMutationVariables>;
export const CreateCredentialsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCredentials"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expiresIn"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCredentials"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"expiresIn"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expiresIn"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}}]}}]}}]} as unknown as DocumentNode<CreateCredentialsMutation, CreateCredentialsMutationVariables>;
export const TeleconsultationHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeleconsultationHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TeleconsultationEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"changedFields"}},{"kind":"Field","name":{"kind":"Name","value":"participantIds"}}]}}]} as unknown as DocumentNode<TeleconsultationHistoryQuery, TeleconsultationHistoryQueryVariables>;
export const WebhookDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"state"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DeliveryState"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"state"},"value":{"kind":"Variable","name":{"kind":"Name","value":"state"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"teleconsultationId"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"endpointUrl"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const VisitHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VisitHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultationHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TeleconsultationEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"changedFields"}},{"kind":"Field","name":{"kind":"Name","value":"participantIds"}}]}}]} as unknown as DocumentNode<VisitHistoryQuery, VisitHistoryQueryVariables>;
export const CreateTeleconsultationWithoutNamesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTeleconsultationWithoutNames"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTeleconsultationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<CreateTeleconsultationWithoutNamesMutation, CreateTeleconsultationWithoutNamesMutationVariables>;
export const ParticipantNamesTwiceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ParticipantNamesTwice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"first"},"name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"second"},"name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}}]}}]}}]} as unknown as DocumentNode<ParticipantNamesTwiceQuery, ParticipantNamesTwiceQueryVariables>;
export const ServiceConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServiceConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"privileges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"plus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"theme"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"light"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"primaryColor"}},{"kind":"Field","name":{"kind":"Name","value":"accentColor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dark"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"primaryColor"}},{"kind":"Field","name":{"kind":"Name","value":"accentColor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"companyLogo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupsWithBackgroundList"}},{"kind":"Field","name":{"kind":"Name","value":"environment"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}}]}}]}}]} as unknown as DocumentNode<ServiceConfigQuery, ServiceConfigQueryVariables>;
export const ServiceConfigProviderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServiceConfigProvider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"}}]}}]}}]}}]} as unknown as DocumentNode<ServiceConfigProviderQuery, ServiceConfigProviderQueryVariables>;
export const TeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Teleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"language"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"useBackground"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"language"},"value":{"kind":"Variable","name":{"kind":"Name","value":"language"}}},{"kind":"Argument","name":{"kind":"Name","value":"useBackground"},"value":{"kind":"Variable","name":{"kind":"Name","value":"useBackground"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinFrom"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinUntil"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationQuery, TeleconsultationQueryVariables>;
export const TeleconsultationWithDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeleconsultationWithDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabled"}},{"kind":"Field","name":{"kind":"Name","value":"creationDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"durationUsedInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"live"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"recordingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"callType"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationWithDetailsQuery, TeleconsultationWithDetailsQueryVariables>;
export const CreateTeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTeleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTeleconsultationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinFrom"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinUntil"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<CreateTeleconsultationMutation, CreateTeleconsultationMutationVariables>;
export const AddParticipantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddParticipants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"participants"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ParticipantInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addParticipants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"participants"},"value":{"kind":"Variable","name":{"kind":"Name","value":"participants"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinFrom"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinUntil"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<AddParticipantsMutation, AddParticipantsMutationVariables>;
export const UpdateTeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateTeleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateTeleconsultationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinFrom"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinUntil"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateTeleconsultationMutation, UpdateTeleconsultationMutationVariables>;
export const DeleteTeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTeleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinFrom"}},{"kind":"Field","name":{"kind":"Name","value":"canJoinUntil"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteTeleconsultationMutation, DeleteTeleconsultationMutationVariables>;
export const DeleteTeleconsultationUploadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTeleconsultationUploads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTeleconsultationUploads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}}]}}]}}]} as unknown as DocumentNode<DeleteTeleconsultationUploadsMutation, DeleteTeleconsultationUploadsMutationVariables>;
export const TeleconsultationCalendarEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeleconsultationCalendarEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"calendarEvent"}}]}}]}}]} as unknown as DocumentNode<TeleconsultationCalendarEventQuery, TeleconsultationCalendarEventQueryVariables>;
export const TeleconsultationSessionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeleconsultationSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"sessions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionStatus"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationSessionsQuery, TeleconsultationSessionsQueryVariables>;
export const TranscriptionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Transcription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transcription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teleconsultationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}}]}]}}]} as unknown as DocumentNode<TranscriptionQuery, TranscriptionQueryVariables>;
export const TranscriptionReadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TranscriptionReads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultationHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"participantIds"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TranscriptionReadsQuery, TranscriptionReadsQueryVariables>;
export const CheckInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CheckIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"device"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DeviceCheckInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teleconsultationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"device"},"value":{"kind":"Variable","name":{"kind":"Name","value":"device"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"attendance"}},{"kind":"Field","name":{"kind":"Name","value":"checkedInAt"}}]}}]}}]} as unknown as DocumentNode<CheckInMutation, CheckInMutationVariables>;
export const AdmitParticipantDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdmitParticipant"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"admitParticipant"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teleconsultationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"attendance"}},{"kind":"Field","name":{"kind":"Name","value":"checkedInAt"}}]}}]}}]} as unknown as DocumentNode<AdmitParticipantMutation, AdmitParticipantMutationVariables>;
export const DenyParticipantDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DenyParticipant"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"denyParticipant"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teleconsultationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"attendance"}}]}}]}}]} as unknown as DocumentNode<DenyParticipantMutation, DenyParticipantMutationVariables>;
export const AdmitAllDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdmitAll"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"admitAll"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teleconsultationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"attendance"}}]}}]}}]} as unknown as DocumentNode<AdmitAllMutation, AdmitAllMutationVariables>;
export const AnnounceDelayDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnnounceDelay"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"minutes"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"announceDelay"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teleconsultationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teleconsultationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"minutes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"minutes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"hostDelayMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"expectedStartDate"}}]}}]}}]} as unknown as DocumentNode<AnnounceDelayMutation, AnnounceDelayMutationVariables>;
export const WaitingRoomViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WaitingRoomView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"admission"}},{"kind":"Field","name":{"kind":"Name","value":"joinState"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"hostDelayMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"expectedStartDate"}},{"kind":"Field","name":{"kind":"Name","value":"checkInOpensAt"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"attendance"}},{"kind":"Field","name":{"kind":"Name","value":"checkedInAt"}}]}}]}}]}}]} as unknown as DocumentNode<WaitingRoomViewQuery, WaitingRoomViewQueryVariables>;
export const WaitingRoomOfHostDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WaitingRoomOfHost"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"waitingRoom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"attendance"}},{"kind":"Field","name":{"kind":"Name","value":"checkedInAt"}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"camera"}},{"kind":"Field","name":{"kind":"Name","value":"microphone"}},{"kind":"Field","name":{"kind":"Name","value":"speaker"}},{"kind":"Field","name":{"kind":"Name","value":"networkKbps"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WaitingRoomOfHostQuery, WaitingRoomOfHostQueryVariables>;
export const AttendanceHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AttendanceHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultationHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"participantIds"}},{"kind":"Field","name":{"kind":"Name","value":"delayMinutes"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AttendanceHistoryQuery, AttendanceHistoryQueryVariables>;
export const CreateWithAdmissionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWithAdmission"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTeleconsultationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"admission"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}}]}}]}}]} as unknown as DocumentNode<CreateWithAdmissionMutation, CreateWithAdmissionMutationVariables>;