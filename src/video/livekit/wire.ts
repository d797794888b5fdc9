/**
 * LiveKit's server API as the gateway uses it: Twirp over HTTP, five RoomService methods, JSON
 * bodies, and the video grant each method's bearer token must carry. The client (client.ts) and
 * the sandbox (dev/livekit-sandbox/) both read this file, so they cannot drift apart.
 * Protobuf JSON: servers accept camelCase and snake_case names; we send camelCase and read both.
 */
import { z } from 'zod';

/** Twirp's route prefix of LiveKit's room service: `POST {LIVEKIT_URL}/twirp/livekit.RoomService/<Method>`. */
export const ROOM_SERVICE_PREFIX = 'twirp/livekit.RoomService/';

export const ROOM_SERVICE_METHODS = [
  'CreateRoom',
  'DeleteRoom',
  'ListRooms',
  'UpdateRoomMetadata',
  'RemoveParticipant',
] as const;
export type RoomServiceMethod = (typeof ROOM_SERVICE_METHODS)[number];

/** The path of a method, relative to LIVEKIT_URL. */
export function roomServicePath(method: RoomServiceMethod): string {
  return `${ROOM_SERVICE_PREFIX}${method}`;
}

/** The claims of LiveKit's `video` grant that the gateway signs (server calls and join tokens). */
export interface VideoGrant {
  roomCreate?: boolean;
  roomList?: boolean;
  roomAdmin?: boolean;
  roomJoin?: boolean;
  room?: string;
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
  canPublishSources?: TrackSourceName[];
}

/** `canPublishSources` values, as they appear in a JWT. */
export const TRACK_SOURCES = ['camera', 'microphone', 'screen_share', 'screen_share_audio'] as const;
export type TrackSourceName = (typeof TRACK_SOURCES)[number];

/**
 * The grant a server token needs for each method (LiveKit's own rule, and the sandbox's check):
 * room creation and deletion need `roomCreate`, the listing `roomList`, per-room calls `roomAdmin`
 * for that room.
 */
export function grantFor(method: RoomServiceMethod, room: string | undefined): VideoGrant {
  switch (method) {
    case 'CreateRoom':
    case 'DeleteRoom':
      return { roomCreate: true };
    case 'ListRooms':
      return { roomList: true };
    case 'UpdateRoomMetadata':
    case 'RemoveParticipant':
      return { roomAdmin: true, room: room ?? '' };
  }
}

// Requests, as we send them (camelCase; defaults omitted like protobuf's own JSON writer).

export interface WireCreateRoomRequest {
  name: string;
  /** Seconds a room stays open with nobody in it. */
  emptyTimeout?: number;
  /** Seconds a room stays open after the last participant left. */
  departureTimeout?: number;
  maxParticipants?: number;
  metadata?: string;
}
export interface WireDeleteRoomRequest {
  room: string;
}
export interface WireListRoomsRequest {
  names?: string[];
}
export interface WireUpdateRoomMetadataRequest {
  room: string;
  metadata: string;
}
export interface WireRemoveParticipantRequest {
  room: string;
  identity: string;
}

/** int64 fields travel as strings in protobuf JSON; some writers send numbers. */
const int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((value) => Number(value));
const uint32 = z.number().int().nonnegative();

/**
 * A protobuf JSON object read with either naming: snake_case keys become camelCase before the
 * schema sees them (a key given both ways keeps the camelCase one).
 */
export function camelCaseKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    if (camel !== key && Object.hasOwn(value, camel)) continue;
    out[camel] = field;
  }
  return out;
}

const protoJson = <S extends z.ZodType>(schema: S) => z.preprocess(camelCaseKeys, schema);

/** LiveKit's Room, the fields we read (defaults are omitted on the wire, hence the defaults). */
export const wireRoomSchema = protoJson(
  z.object({
    sid: z.string().default(''),
    name: z.string(),
    emptyTimeout: uint32.default(0),
    departureTimeout: uint32.default(0),
    maxParticipants: uint32.default(0),
    creationTime: int64.default(0),
    metadata: z.string().default(''),
    numParticipants: uint32.default(0),
  }),
);
export type WireRoom = z.output<typeof wireRoomSchema>;

export const wireListRoomsResponseSchema = protoJson(
  z.object({ rooms: z.array(z.unknown()).default([]) }).transform(({ rooms }, ctx) => {
    const parsed: WireRoom[] = [];
    for (const room of rooms) {
      const one = wireRoomSchema.safeParse(room);
      if (!one.success) {
        ctx.issues.push({ code: 'custom', input: room, message: 'not a Room' });
        return z.NEVER;
      }
      parsed.push(one.data);
    }
    return parsed;
  }),
);

/** DeleteRoom and RemoveParticipant answer an empty message. */
export const wireEmptySchema = z.object({}).loose();

/** Twirp's error body: `{ code, msg, meta? }` with a non-2xx status. */
export const wireTwirpErrorSchema = z.object({
  code: z.string(),
  msg: z.string().optional(),
  meta: z.record(z.string(), z.string()).optional(),
});
export type WireTwirpError = z.infer<typeof wireTwirpErrorSchema>;

/** Twirp's error codes and the HTTP status each travels with (twirp's own table). */
export const TWIRP_ERROR_STATUS = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500,
} as const;
export type TwirpErrorCode = keyof typeof TWIRP_ERROR_STATUS;
