import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/domain/clock.js';
import {
  camelCaseKeys,
  TWIRP_ERROR_STATUS,
  type TwirpErrorCode,
  type VideoGrant,
  type WireTwirpError,
} from '../../src/video/livekit/wire.js';

/** What a sandbox method answers; the server turns it into an HTTP response. */
export interface SandboxReply {
  status: number;
  body: unknown;
}

export interface SandboxParticipant {
  identity: string;
  name: string | undefined;
  /** The grant of the token it joined with. */
  grant: VideoGrant;
  joinedAt: Date;
}

export interface SandboxLivekitRoom {
  sid: string;
  name: string;
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  creationTime: Date;
  metadata: string;
  participants: SandboxParticipant[];
}

/** LiveKit's defaults for a room created without them. */
const DEFAULT_EMPTY_TIMEOUT_SECONDS = 300;
const DEFAULT_DEPARTURE_TIMEOUT_SECONDS = 20;
/** LiveKit's default limit on room metadata (`limit.max_metadata_size`). */
export const MAX_METADATA_BYTES = 64000;
const MAX_ROOM_NAME_LENGTH = 256;
const UINT32_MAX = 2 ** 32 - 1;

export function twirpError(code: TwirpErrorCode, msg: string): SandboxReply {
  return { status: TWIRP_ERROR_STATUS[code], body: { code, msg } satisfies WireTwirpError };
}

const uint32 = z.number().int().min(0).max(UINT32_MAX);
const roomName = z.string().min(1).max(MAX_ROOM_NAME_LENGTH);
const metadata = z.string().refine((value) => Buffer.byteLength(value) <= MAX_METADATA_BYTES, {
  error: `metadata exceeds ${MAX_METADATA_BYTES} bytes`,
});

/** Request bodies, camelCase after `camelCaseKeys`; unknown fields are dropped, as Twirp's servers do. */
const createRoomSchema = z.object({
  name: roomName,
  emptyTimeout: uint32.optional(),
  departureTimeout: uint32.optional(),
  maxParticipants: uint32.optional(),
  metadata: metadata.optional(),
});
const roomSchema = z.object({ room: roomName });
const listRoomsSchema = z.object({ names: z.array(z.string()).optional() });
const updateMetadataSchema = z.object({ room: roomName, metadata });
const removeParticipantSchema = z.object({ room: roomName, identity: z.string().min(1) });

function parse<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { data: z.output<S> } | { reply: SandboxReply } {
  const parsed = schema.safeParse(camelCaseKeys(body ?? {}));
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  return { reply: twirpError('invalid_argument', `${field}: ${issue?.message ?? 'invalid'}`) };
}

/** LiveKit's rooms, in memory: what the five RoomService methods and a joining participant change. */
export class SandboxLivekitState {
  private readonly byName = new Map<string, SandboxLivekitRoom>();

  constructor(
    private readonly clock: Clock,
    private readonly names: 'camelCase' | 'snake_case',
  ) {}

  rooms(): SandboxLivekitRoom[] {
    return [...this.byName.values()].map((room) => ({
      ...room,
      participants: room.participants.map((participant) => ({ ...participant })),
    }));
  }

  room(name: string): SandboxLivekitRoom | undefined {
    return this.byName.get(name);
  }

  createRoom(body: unknown): SandboxReply {
    const request = parse(createRoomSchema, body);
    if ('reply' in request) return request.reply;
    const { name } = request.data;
    // LiveKit's create-or-get: a known name answers the room as it is.
    const existing = this.byName.get(name);
    if (existing !== undefined) return this.answer(existing);
    const room: SandboxLivekitRoom = {
      sid: `RM_${randomBytes(6).toString('hex')}`,
      name,
      emptyTimeout: request.data.emptyTimeout ?? DEFAULT_EMPTY_TIMEOUT_SECONDS,
      departureTimeout: request.data.departureTimeout ?? DEFAULT_DEPARTURE_TIMEOUT_SECONDS,
      maxParticipants: request.data.maxParticipants ?? 0,
      creationTime: this.clock.now(),
      metadata: request.data.metadata ?? '',
      participants: [],
    };
    this.byName.set(name, room);
    return this.answer(room);
  }

  deleteRoom(body: unknown): SandboxReply {
    const request = parse(roomSchema, body);
    if ('reply' in request) return request.reply;
    if (!this.byName.delete(request.data.room)) return roomNotFound(request.data.room);
    return { status: 200, body: {} };
  }

  listRooms(body: unknown): SandboxReply {
    const request = parse(listRoomsSchema, body);
    if ('reply' in request) return request.reply;
    const { names } = request.data;
    const rooms = [...this.byName.values()].filter(
      (room) => names === undefined || names.length === 0 || names.includes(room.name),
    );
    return { status: 200, body: { rooms: rooms.map((room) => this.wireRoom(room)) } };
  }

  updateRoomMetadata(body: unknown): SandboxReply {
    const request = parse(updateMetadataSchema, body);
    if ('reply' in request) return request.reply;
    const room = this.byName.get(request.data.room);
    if (room === undefined) return roomNotFound(request.data.room);
    room.metadata = request.data.metadata;
    return this.answer(room);
  }

  removeParticipant(body: unknown): SandboxReply {
    const request = parse(removeParticipantSchema, body);
    if ('reply' in request) return request.reply;
    const room = this.byName.get(request.data.room);
    if (room === undefined) return roomNotFound(request.data.room);
    const index = room.participants.findIndex(
      (participant) => participant.identity === request.data.identity,
    );
    if (index === -1) return twirpError('not_found', 'participant not found');
    room.participants.splice(index, 1);
    return { status: 200, body: {} };
  }

  /**
   * A participant connecting with a verified join token. Like a LiveKit server configured with
   * `room.auto_create: false`: a token cannot bring a deleted room back. A second connection with
   * the same identity replaces the first, as in LiveKit.
   */
  join(participant: Omit<SandboxParticipant, 'joinedAt'>): SandboxReply {
    const roomName = participant.grant.room ?? '';
    if (participant.grant.roomJoin !== true)
      return twirpError('permission_denied', 'token has no roomJoin grant');
    if (participant.identity === '') return twirpError('unauthenticated', 'token has no identity');
    const room = this.byName.get(roomName);
    if (room === undefined) return roomNotFound(roomName);
    const others = room.participants.filter((present) => present.identity !== participant.identity);
    if (room.maxParticipants > 0 && others.length >= room.maxParticipants) {
      return twirpError('resource_exhausted', 'room is full');
    }
    const joined = { ...participant, joinedAt: this.clock.now() };
    room.participants = [...others, joined];
    return {
      status: 200,
      body: { room: room.name, identity: joined.identity, name: joined.name, grant: joined.grant },
    };
  }

  private answer(room: SandboxLivekitRoom): SandboxReply {
    return { status: 200, body: this.wireRoom(room) };
  }

  /** A Room in protobuf JSON: int64 as a string, in the naming the sandbox was started with. */
  private wireRoom(room: SandboxLivekitRoom): Record<string, unknown> {
    const camel: Record<string, unknown> = {
      sid: room.sid,
      name: room.name,
      emptyTimeout: room.emptyTimeout,
      departureTimeout: room.departureTimeout,
      maxParticipants: room.maxParticipants,
      creationTime: String(Math.floor(room.creationTime.getTime() / 1000)),
      creationTimeMs: String(room.creationTime.getTime()),
      metadata: room.metadata,
      numParticipants: room.participants.length,
    };
    if (this.names === 'camelCase') return camel;
    return Object.fromEntries(
      Object.entries(camel).map(([key, value]) => [
        key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        value,
      ]),
    );
  }
}

export function roomNotFound(name: string): SandboxReply {
  return twirpError('not_found', `requested room does not exist: ${name}`);
}
