/**
 * Every machine-readable `reason` an error can carry, with what it means. One list: the errors
 * take their reason from it (a typo fails to compile), the GraphQL schema publishes it as the
 * `ErrorReason` enum, and docs/graphql-api.md's table of reasons is written from it
 * (npm run docs:tables).
 */
export const ERROR_REASONS = {
  // BAD_USER_INPUT: the schedule
  MISSING_START: 'startDate is required.',
  MISSING_END_OR_DURATION: 'Neither endDate nor durationInSeconds was given.',
  END_AND_DURATION: 'Both endDate and durationInSeconds were given.',
  END_BEFORE_START: 'endDate is not after startDate.',
  DURATION_TOO_SHORT: 'The visit would last less than five minutes.',
  DURATION_TOO_LONG: 'The visit would last longer than MAX_DURATION_SECONDS (24 hours by default).',
  START_TOO_FAR_AHEAD: 'startDate is further ahead than MAX_START_AHEAD_DAYS (366 days by default).',
  ENDS_IN_THE_PAST: 'The visit would already be over.',
  // BAD_USER_INPUT: participants
  EMPTY_USER_ID: 'A participant userId is empty.',
  INVALID_USER_ID:
    'A participant userId has surrounding whitespace or control characters, is "." or "..", is not well-formed Unicode, or is too long.',
  DUPLICATE_PARTICIPANT: 'A participant is listed twice.',
  MISSING_FULL_NAME: 'A participant has no fullName and no auth service provides one.',
  MISSING_GROUPS: 'A participant has no groups and no auth service provides them.',
  NO_PRIVILEGE_GROUP: 'A participant (or the caller) is in no group of any privilege profile.',
  NO_PLUS_PARTICIPANT: 'The room would have no participant with the plus privilege level.',
  PARTICIPANTS_NUMBER_OUT_OF_RANGE: 'participantsNumber is not between 2 and 25.',
  TOO_MANY_PARTICIPANTS: 'More participants given than expected.',
  UNKNOWN_USER: 'The auth service does not know a participant.',
  IDS_WITHOUT_AUTH_SERVICE:
    'REST participants given as user ids alone, but no AUTH_SERVICE can say who they are.',
  UNSUPPORTED_LANGUAGE: 'A language join links do not support.',
  // BAD_USER_INPUT: company settings and virtual backgrounds
  UNKNOWN_BACKGROUND: 'No uploaded virtual background has this alias.',
  INVALID_BACKGROUND_ALIAS:
    'A virtual background alias is empty, a dot segment ("." or "..", also percent-encoded) or not well-formed Unicode: it cannot name one image in a URL.',
  INVALID_COMPANY_SETTING: 'A company setting is not one Kaleyra accepts (a URL, a timeout).',
  MISSING_FILE: 'The upload carries no file in the virtual_background field.',
  TOO_MANY_FILES: 'The upload carries more than one file.',
  UNSUPPORTED_IMAGE_TYPE:
    'The uploaded file is not a JPEG or PNG image (judged by its content, not its name).',
  INVALID_IMAGE:
    'The uploaded file starts like a JPEG or PNG but is not one: truncated, corrupt, or something else behind the signature.',
  UPLOAD_TOO_LARGE: 'The uploaded file is larger than 10 MB.',
  // BAD_USER_INPUT: the agenda
  PAGE_SIZE_OUT_OF_RANGE: 'first is not between 1 and 100.',
  INVALID_DATE_RANGE: 'to is not after from.',
  INVALID_CURSOR: 'after is not a cursor the agenda gave (or it was altered).',
  // BAD_USER_INPUT: credentials
  EXPIRES_IN_OUT_OF_RANGE: 'expiresIn is outside 360 to 86400 seconds.',
  UNKNOWN_CALLER: 'The caller has no Kaleyra user and none can be created for them.',
  // BAD_USER_INPUT: any text
  ILL_FORMED_TEXT:
    'A string is not well-formed Unicode (a lone surrogate): no header, URL or database can carry it.',
  // BAD_USER_INPUT: the caller's headers
  CALLER_GROUPS_OVER_LIMIT: "The caller's groups header lists too many groups or too long a name.",
  INVALID_CALLER_ID:
    "The caller's identity is ambiguous or malformed: a repeated identity header, bytes that are not UTF-8, or an id that cannot mean one user.",
  // UNAUTHENTICATED, FORBIDDEN
  NO_CALLER_ID: 'The request does not say who is calling, and the operation needs to know.',
  MALFORMED_UPLOAD:
    'The multipart/form-data body is malformed (no boundary, a part cut off, an early end) or carries more fields than an upload.',
  POLICY_DENIED: 'The authorization policy of the operation refuses this caller.',
  ORIGIN_NOT_ALLOWED:
    "A browser page of another site opened the subscriptions WebSocket, or sent a REST request it can send without a CORS preflight (its Origin is not the gateway's host nor in SUBSCRIPTIONS_ALLOWED_ORIGINS).",
  // NOT_FOUND
  TELECONSULTATION_NOT_FOUND: 'No such teleconsultation, or it was cancelled.',
  TRANSCRIPTION_NOT_FOUND:
    "No such session in the visit's room, or it has no transcription (none was made, or it failed).",
  // TELECONSULTATION_LOCKED
  IMMUTABLE_PERIOD: 'The change came inside the immutable period.',
  VISIT_OVER: 'The visit is over: it accepts no changes (it can still be cancelled).',
  // CONFLICT
  VERSION_CONFLICT: 'Concurrent changes kept winning; retry.',
  TRANSCRIPTION_NOT_READY: 'Kaleyra is still making the transcription; ask again later.',
  // PAYLOAD_TOO_LARGE
  TRANSCRIPTION_TOO_LARGE: 'The transcription is larger than TRANSCRIPTION_MAX_FILE_SIZE (50 MB by default).',
  // NOT_IMPLEMENTED
  PROVIDER_CAPABILITY_UNAVAILABLE:
    'The video provider hosting the room (or VIDEO_PROVIDER) does not offer what the operation needs (serviceConfig.provider.capabilities lists what it offers); nothing was done.',
  // UPSTREAM_UNAVAILABLE
  KALEYRA_UNAVAILABLE: 'Kaleyra failed or timed out.',
  KALEYRA_REJECTED: 'Kaleyra refused the request.',
  KALEYRA_INCOMPLETE_ROOM: 'Kaleyra created a room without a link for every participant.',
  KALEYRA_UNSAFE_LINK: 'Kaleyra returned a join link that is not an https URL; the room was deleted.',
  PROVIDER_NOT_CONFIGURED:
    "The visit's room lives on another video provider than VIDEO_PROVIDER, and that provider's credentials are not configured: the visit can be read, not changed.",
  AUTH_SERVICE_UNAVAILABLE: 'The auth service failed, timed out or answered something unexpected.',
  AUTH_SERVICE_REJECTED: 'The auth service refused the lookup.',
} as const satisfies Record<string, string>;

export type ErrorReason = keyof typeof ERROR_REASONS;
