/**
 * JSON Schemas of the original REST API (docs/specs/original-rest-api.md): Fastify validates request
 * bodies with them (strictly: a string is never read as a number), serialises answers with them,
 * and @fastify/swagger turns them into the committed schema/openapi.json. Unknown body fields are
 * accepted and ignored, as the original's clients may send extras.
 */

import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { EVENT_TYPES } from '../../domain/events.js';

/** A participant as the original took it: `userId` (or its older name `userExternalId`), `groups` or `group`. */
export const participantSchema = {
  $id: 'Participant',
  type: 'object',
  description:
    'A participant. Without AUTH_SERVICE, fullName and groups (or group) are required; with it, only the id is read.',
  properties: {
    userId: { type: 'string', minLength: 1, description: "The participant's id in our platform." },
    userExternalId: {
      type: 'string',
      minLength: 1,
      description: 'Older name of userId (1.x documentation).',
    },
    fullName: { type: 'string' },
    groups: { type: 'array', items: { type: 'string' } },
    group: { type: 'string', description: 'One group (the 1.x sequence diagram); same as groups: [group].' },
    language: {
      type: 'string',
      description: 'Join-link language: en, it, pl, fr, de or es (it-IT is read as it).',
    },
  },
  anyOf: [{ required: ['userId'] }, { required: ['userExternalId'] }],
} as const;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description:
    "The original's error body ({ error }), with our stable code beside it (the GraphQL API's extensions.code) and, when known, the reason and the offending field.",
  required: ['error', 'code'],
  properties: {
    error: { type: 'string' },
    code: { type: 'string' },
    reason: { type: 'string' },
    field: { type: 'array', items: { type: ['string', 'integer'] } },
  },
} as const;

const participants = {
  description:
    'Either an array of platform user ids (only with AUTH_SERVICE: names and groups come from it; the expected number is its length), or { number, data }.',
  oneOf: [
    { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    {
      type: 'object',
      required: ['data'],
      properties: {
        number: {
          type: 'integer',
          minimum: 1,
          description: 'How many participants are expected in all; default: as many as given.',
        },
        data: { type: 'array', items: { $ref: 'Participant#' } },
      },
    },
  ],
} as const;

const schedule = {
  start_date: { type: 'string', format: 'date-time' },
  end_date: {
    type: 'string',
    format: 'date-time',
    description: 'Exactly one of end_date and duration_in_seconds.',
  },
  duration_in_seconds: { type: 'integer', minimum: 1, description: 'At least 300 (five minutes).' },
  recording: {
    type: 'string',
    enum: ['none', 'manual', 'automatic'],
    description:
      'How Kaleyra records the call; default DEFAULT_RECORDING_TYPE. Changing it replaces the room.',
  },
} as const;

export const createBodySchema = {
  type: 'object',
  required: ['participants', 'start_date'],
  properties: { participants, ...schedule },
} as const;

export const updateBodySchema = {
  type: 'object',
  description: 'The fields of POST /teleconsultation, all optional; participants replaces the list.',
  properties: { participants, ...schedule },
} as const;

export const credentialsBodySchema = {
  type: ['object', 'null'],
  properties: {
    expiresIn: {
      type: 'integer',
      description: 'Token lifetime in seconds, from 360 to 86400; default 3600.',
    },
  },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', description: 'The teleconsultation id (the roomId POST answered).' } },
} as const;

export const transcriptionParamsSchema = {
  type: 'object',
  required: ['roomId', 'sessionId'],
  properties: {
    roomId: {
      type: 'string',
      description:
        "The visit's Kaleyra room id (what the record stores as bandyerRoomId), not the record id.",
    },
    sessionId: { type: 'string', description: "Kaleyra's id of one session (meeting) in that room." },
  },
} as const;

/** Kaleyra's transcription document, passed on as Kaleyra sends it (never re-serialised). */
export const transcriptionSchema = {
  type: 'object',
  description:
    "The transcription as Kaleyra makes it, passed through unchanged (streamed, at most TRANSCRIPTION_MAX_FILE_SIZE). The shape is Kaleyra's, assumed.",
  properties: {
    session_id: { type: 'string' },
    room_id: { type: 'string' },
    language: { type: 'string' },
    segments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          user_id: { type: 'string', description: "The speaker's Kaleyra user id." },
          start_ms: { type: 'integer' },
          end_ms: { type: 'integer' },
          text: { type: 'string' },
        },
      },
    },
  },
} as const;

export const readQuerySchema = {
  type: 'object',
  properties: {
    language: {
      type: 'string',
      description: "The link's language (it, en, …); otherwise the participant's.",
    },
    useBackground: { type: 'boolean', description: 'The link opens with the virtual background.' },
  },
} as const;

export const historyQuerySchema = {
  type: 'object',
  properties: {
    first: { type: 'integer', description: 'Page size, 1 to 100 (default 50).' },
    after: { type: 'string', description: 'The endCursor of the previous page.' },
  },
} as const;

export const historySchema = {
  type: 'object',
  required: ['events', 'hasNextPage', 'endCursor'],
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'sequence', 'type', 'occurredAt', 'actorId', 'changedFields', 'participantIds'],
        properties: {
          id: { type: 'string' },
          sequence: { type: 'integer', description: '1, 2, 3… per teleconsultation, with no gaps.' },
          type: {
            type: 'string',
            enum: [...EVENT_TYPES],
          },
          occurredAt: { type: 'string', format: 'date-time' },
          actorId: { type: ['string', 'null'], description: 'Who did it; null for the system.' },
          changedFields: { type: 'array', items: { type: 'string' } },
          participantIds: { type: 'array', items: { type: 'string' } },
          sessionId: {
            type: 'string',
            description: 'TRANSCRIPTION_READ only: the session whose transcription was read.',
          },
          delayMinutes: {
            type: 'integer',
            description: 'HOST_DELAYED only: the minutes announced (0: the delay was cleared).',
          },
        },
      },
    },
    hasNextPage: { type: 'boolean' },
    endCursor: { type: ['string', 'null'], description: 'Pass it as `after` for the next page.' },
  },
} as const;

export const createdSchema = {
  type: 'object',
  required: ['roomId'],
  properties: {
    roomId: { type: 'string', description: "The stored teleconsultation's id (not the Kaleyra room)." },
  },
} as const;

const attendanceState = {
  type: 'string',
  enum: ['NOT_ARRIVED', 'WAITING', 'ADMITTED', 'DENIED', 'NO_SHOW'],
} as const;

export const readSchema = {
  type: 'object',
  required: ['bandyerUserId', 'accessLinkURL', 'participantsBandyerCall', 'details'],
  properties: {
    bandyerUserId: {
      type: ['string', 'null'],
      description: "The caller's Kaleyra id (null when the caller is not a participant).",
    },
    accessLinkURL: {
      type: ['string', 'null'],
      description:
        "The caller's own join link: null until the room exists and the immutable period has begun.",
    },
    attendance: {
      ...attendanceState,
      description:
        "The caller's own place in the waiting room. Present when the visit's admission is HOST_ADMITS or the caller has checked in; absent otherwise, so the original's body is unchanged for frontends that never check in.",
    },
    participantsBandyerCall: {
      type: 'array',
      description: 'Every participant of the call, the caller included.',
      items: {
        type: 'object',
        required: ['bandyerUserId', 'fullName'],
        properties: { bandyerUserId: { type: 'string' }, fullName: { type: ['string', 'null'] } },
      },
    },
    details: {
      description: 'The live Kaleyra room in camelCase; null while there is no room (or Kaleyra cannot say).',
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            recording: { type: ['string', 'null'] },
            recordingStatus: { type: ['string', 'null'] },
            callType: { type: ['string', 'null'] },
            description: { type: ['string', 'null'] },
            status: { type: ['string', 'null'] },
            disabled: { type: ['boolean', 'null'] },
            creationDate: { type: ['string', 'null'], format: 'date-time' },
            durationInSeconds: { type: ['integer', 'null'] },
            durationUsedInSeconds: { type: ['integer', 'null'] },
            live: { type: ['boolean', 'null'] },
          },
        },
      ],
    },
  },
} as const;

const deviceResult = { type: 'string', enum: ['OK', 'FAILED', 'UNTESTED'] } as const;

export const checkInBodySchema = {
  type: ['object', 'null'],
  properties: {
    device: {
      type: 'object',
      description: "What the frontend's pre-call test found: shown to the host in the waiting room.",
      additionalProperties: false,
      properties: {
        camera: { ...deviceResult, description: 'Default UNTESTED.' },
        microphone: { ...deviceResult, description: 'Default UNTESTED.' },
        speaker: { ...deviceResult, description: 'Default UNTESTED.' },
        networkKbps: {
          type: ['integer', 'null'],
          minimum: 0,
          maximum: 10_000_000,
          description: 'Measured bandwidth in kbit/s.',
        },
      },
    },
  },
} as const;

export const checkedInSchema = {
  type: 'object',
  required: ['attendance', 'checkedInAt'],
  properties: {
    attendance: {
      ...attendanceState,
      description: 'WAITING (a BASIC participant), or ADMITTED at once (a PLUS participant).',
    },
    checkedInAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const uploadsDeletedSchema = {
  type: 'object',
  required: ['total', 'deleted'],
  properties: { total: { type: 'integer' }, deleted: { type: 'integer' } },
} as const;

export const credentialsSchema = {
  type: 'object',
  required: ['accessToken', 'expiresAt', 'bandyerUserId'],
  properties: {
    accessToken: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time' },
    bandyerUserId: { type: 'string', description: "The caller's Kaleyra user id." },
  },
} as const;

export const noContent = { type: 'null', description: 'No content.' } as const;

/** The refusals every route may give, by status. */
export const errorResponses = {
  400: { description: 'Bad input (code BAD_USER_INPUT) or a request Fastify refused.', $ref: 'Error#' },
  401: {
    description:
      'Unauthorized user: the authorization policy refuses the caller (UNAUTHENTICATED, FORBIDDEN).',
    $ref: 'Error#',
  },
  404: { description: 'No such teleconsultation (NOT_FOUND).', $ref: 'Error#' },
  409: {
    description: 'Inside the immutable period, the visit is over, or a concurrent change won.',
    $ref: 'Error#',
  },
  413: { description: 'The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE).', $ref: 'Error#' },
  501: {
    description:
      'The video provider does not offer what the operation needs (NOT_IMPLEMENTED, PROVIDER_CAPABILITY_UNAVAILABLE); nothing was done.',
    $ref: 'Error#',
  },
  502: {
    description: 'Kaleyra or the auth service refused or answered nonsense (UPSTREAM_UNAVAILABLE).',
    $ref: 'Error#',
  },
  503: {
    description:
      "Kaleyra or the auth service is unavailable (UPSTREAM_UNAVAILABLE), or the visit's room lives on a video provider not configured here (PROVIDER_NOT_CONFIGURED).",
    $ref: 'Error#',
  },
  504: {
    description: 'Stopped at REQUEST_TIMEOUT_MS before anything changed (REQUEST_TIMEOUT).',
    $ref: 'Error#',
  },
} as const;

/** The refusals a route may give, for its `response`: `errorResponsesFor(400, 401, 504)`. */
export function errorResponsesFor<K extends keyof typeof errorResponses>(
  ...statuses: K[]
): Pick<typeof errorResponses, K> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponses[status]])) as Pick<
    typeof errorResponses,
    K
  >;
}

export const settingsBodySchema = {
  type: 'object',
  description:
    "What to change; fields left out stay as they are, null clears a value (the original's body is { background_alias }).",
  properties: {
    background_alias: {
      type: ['string', 'null'],
      description: "An uploaded background's alias; null removes the default background.",
    },
    default_language: { type: 'string', description: 'en, it, pl, fr, de or es.' },
    end_call_redirect_url: { type: ['string', 'null'] },
    end_call_redirect_timeout_ms: { type: ['integer', 'null'] },
  },
} as const;

const backgroundSchema = {
  type: 'object',
  required: ['background_alias', 'url', 'creation_date'],
  properties: {
    background_alias: { type: 'string' },
    url: { type: 'string' },
    creation_date: { type: 'string', format: 'date-time' },
  },
} as const;

export const uploadedResponseSchema = {
  type: 'object',
  required: ['virtual_background'],
  properties: { virtual_background: backgroundSchema },
} as const;

export const companyResponseSchema = {
  type: 'object',
  required: ['company'],
  properties: {
    company: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        default_language: { type: ['string', 'null'] },
        default_background: {
          anyOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['alias', 'url', 'creation_date'],
              properties: {
                alias: { type: 'string' },
                url: { type: 'string' },
                creation_date: { type: 'string', format: 'date-time' },
              },
            },
          ],
        },
        end_call_redirect_url: { type: ['string', 'null'] },
        user_details_provider_url: { type: ['string', 'null'] },
        end_call_redirect_timeout_ms: { type: ['integer', 'null'] },
      },
    },
  },
} as const;

export const uploadBodySchema = {
  type: 'object',
  required: ['virtual_background'],
  properties: {
    virtual_background: {
      type: 'string',
      format: 'binary',
      description: 'One JPEG or PNG image, at most 10 MB.',
    },
  },
} as const;

/** How the schemas above become types: `Participant#` is participantSchema. */
export type RestSchemaOptions = { references: [typeof participantSchema] };

/** The value a schema above validates, as the routes' type provider types a request with it. */
export type FromRestSchema<S extends JSONSchema> = FromSchema<S, RestSchemaOptions>;

export type RestParticipant = FromRestSchema<typeof participantSchema>;
export type RestCreateBody = FromRestSchema<typeof createBodySchema>;
export type RestUpdateBody = FromRestSchema<typeof updateBodySchema>;
export type RestSettingsBody = FromRestSchema<typeof settingsBodySchema>;
