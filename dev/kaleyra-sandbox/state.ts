import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/domain/clock.js';
import { MAX_PARTICIPANTS, MIN_PARTICIPANTS } from '../../src/domain/teleconsultation.js';
import { isRecord } from '../../src/shared/is-record.js';
import {
  CALL_TYPE_VALUES,
  KALEYRA_USER_ID_PATTERN,
  MAX_CREDENTIALS_EXPIRES_IN_SECONDS,
  MIN_CREDENTIALS_EXPIRES_IN_SECONDS,
  MIN_ROOM_DURATION_SECONDS,
  RECORDING_VALUES,
  USER_ROLES,
  WIRE_TOOL_NAMES,
  type WireCreateRoomResponse,
  type WireCredentialsResponse,
  type WireDeleteUploadsResponse,
  type WireErrorBody,
  type WireRoom,
  type WireToolName,
  type WireTools,
  type WireUserRole,
} from '../../src/kaleyra/wire.js';

/** What a sandbox route answers; the server turns it into an HTTP response. */
export interface SandboxReply {
  status: number;
  body?: unknown;
}

export interface SandboxUser {
  id: string;
  role: WireUserRole;
}

export interface SandboxRoomParticipant {
  userId: string;
  isAdmin: boolean;
  /** As sent: undefined means all tools on. */
  tools: WireTools | undefined;
  url: string;
}

export interface SandboxRoom {
  roomId: string;
  participants: SandboxRoomParticipant[];
  creationDate: Date;
  duration: number | null;
  live: boolean;
  recording: (typeof RECORDING_VALUES)[number];
  callType: (typeof CALL_TYPE_VALUES)[number];
  description: string | null;
  uploads: number;
}

const KNOWN_TOOLS = new Set<string>(Object.values(WIRE_TOOL_NAMES));

function rejection(status: number, error: string, message: string): SandboxReply {
  return { status, body: { error, message } satisfies WireErrorBody };
}

const badRequest = (error: string, message: string) => rejection(400, error, message);


function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Kaleyra's resources in memory, with its documented validation. Error codes are the sandbox's
 * own (Kaleyra documents the rules, not the codes); statuses follow the contract.
 */
export class SandboxKaleyraState {
  private readonly usersById = new Map<string, SandboxUser>();
  private readonly roomsById = new Map<string, SandboxRoom>();

  constructor(
    private readonly clock: Clock,
    private readonly linkHost: string,
  ) {}

  users(): SandboxUser[] {
    return [...this.usersById.values()].map((user) => ({ ...user }));
  }

  rooms(): SandboxRoom[] {
    return [...this.roomsById.values()].map((room) => structuredClone(room));
  }

  createUser(body: unknown): SandboxReply {
    if (!isRecord(body)) return badRequest('invalid_body', 'Body must be a JSON object');
    if (!oneOf(USER_ROLES, body.role)) return badRequest('invalid_role', 'role must be one of basic, plus');
    let id: string;
    if (body.id === undefined) {
      id = `u_${randomToken(12)}`;
    } else if (typeof body.id !== 'string' || !KALEYRA_USER_ID_PATTERN.test(body.id)) {
      return badRequest('invalid_user_id', 'id must match [a-zA-Z0-9._-]{1,128}');
    } else {
      id = body.id;
    }
    if (this.usersById.has(id)) return rejection(409, 'user_already_exists', `User ${id} already exists`);
    const user: SandboxUser = { id, role: body.role };
    this.usersById.set(id, user);
    return { status: 201, body: { ...user } };
  }

  createRoom(body: unknown): SandboxReply {
    if (!isRecord(body)) return badRequest('invalid_body', 'Body must be a JSON object');
    const { participants } = body;
    if (
      !Array.isArray(participants) ||
      participants.length < MIN_PARTICIPANTS ||
      participants.length > MAX_PARTICIPANTS
    ) {
      return badRequest(
        'invalid_participants',
        `participants must be an array of ${MIN_PARTICIPANTS} to ${MAX_PARTICIPANTS} entries`,
      );
    }
    const accepted: Array<Omit<SandboxRoomParticipant, 'url'>> = [];
    for (const [index, participant] of participants.entries()) {
      if (!isRecord(participant) || typeof participant.user_id !== 'string') {
        return badRequest('invalid_participants', `participants[${index}].user_id must be a string`);
      }
      if (participant.is_admin !== undefined && typeof participant.is_admin !== 'boolean') {
        return badRequest('invalid_participants', `participants[${index}].is_admin must be a boolean`);
      }
      if (!this.usersById.has(participant.user_id)) {
        return badRequest('user_not_found', `User ${participant.user_id} does not exist`);
      }
      if (accepted.some((other) => other.userId === participant.user_id)) {
        return badRequest('duplicate_participant', `User ${participant.user_id} appears twice`);
      }
      const tools = participant.tools;
      if (tools !== undefined) {
        if (!isRecord(tools))
          return badRequest('invalid_tools', `participants[${index}].tools must be an object`);
        for (const [name, enabled] of Object.entries(tools)) {
          if (!KNOWN_TOOLS.has(name)) return badRequest('invalid_tools', `Unknown tool ${name}`);
          if (typeof enabled !== 'boolean')
            return badRequest('invalid_tools', `Tool ${name} must be a boolean`);
        }
      }
      accepted.push({
        userId: participant.user_id,
        isAdmin: participant.is_admin === true,
        tools: tools === undefined ? undefined : (tools as Partial<Record<WireToolName, boolean>>),
      });
    }
    if (!accepted.some((participant) => this.usersById.get(participant.userId)?.role === 'plus')) {
      return badRequest('no_plus_participant', 'At least one participant must be a plus user');
    }
    const { duration } = body;
    if (
      duration !== undefined &&
      (typeof duration !== 'number' || !Number.isInteger(duration) || duration < MIN_ROOM_DURATION_SECONDS)
    ) {
      return badRequest(
        'invalid_duration',
        `duration must be an integer of at least ${MIN_ROOM_DURATION_SECONDS}`,
      );
    }
    if (body.live !== undefined && typeof body.live !== 'boolean') {
      return badRequest('invalid_live', 'live must be a boolean');
    }
    if (body.recording !== undefined && !oneOf(RECORDING_VALUES, body.recording)) {
      return badRequest('invalid_recording', `recording must be one of ${RECORDING_VALUES.join(', ')}`);
    }
    if (body.call_type !== undefined && !oneOf(CALL_TYPE_VALUES, body.call_type)) {
      return badRequest('invalid_call_type', `call_type must be one of ${CALL_TYPE_VALUES.join(', ')}`);
    }
    if (body.description !== undefined && typeof body.description !== 'string') {
      return badRequest('invalid_description', 'description must be a string');
    }

    const roomId = `room_${randomToken(9)}`;
    const room: SandboxRoom = {
      roomId,
      // A fresh random token per participant and room: links are unique and unguessable.
      participants: accepted.map((participant) => ({
        ...participant,
        url: `https://${this.linkHost}/connect/direct-rest-call-handler/${randomToken(24)}`,
      })),
      creationDate: this.clock.now(),
      duration: duration ?? null,
      live: body.live === true,
      recording: (body.recording as SandboxRoom['recording'] | undefined) ?? 'none',
      callType: (body.call_type as SandboxRoom['callType'] | undefined) ?? 'audio_video',
      description: (body.description as string | undefined) ?? null,
      uploads: 0,
    };
    this.roomsById.set(roomId, room);
    const reply: WireCreateRoomResponse = {
      room_id: roomId,
      participants: room.participants.map((participant) => ({
        user_id: participant.userId,
        url: participant.url,
      })),
    };
    return { status: 201, body: reply };
  }

  getRoom(roomId: string): SandboxReply {
    const room = this.roomsById.get(roomId);
    if (room === undefined) return roomNotFound(roomId);
    const reply: WireRoom = {
      room_id: room.roomId,
      status: 'active',
      disabled: false,
      creation_date: room.creationDate.toISOString(),
      duration: room.duration,
      duration_used: 0,
      live: room.live,
      recording: room.recording,
      recording_status: 'stopped',
      call_type: room.callType,
      description: room.description,
    };
    return { status: 200, body: reply };
  }

  deleteRoom(roomId: string): SandboxReply {
    if (!this.roomsById.delete(roomId)) return roomNotFound(roomId);
    return { status: 204 };
  }

  deleteRoomUploads(roomId: string): SandboxReply {
    const room = this.roomsById.get(roomId);
    if (room === undefined) return roomNotFound(roomId);
    const reply: WireDeleteUploadsResponse = { total: room.uploads, deleted: room.uploads };
    room.uploads = 0;
    return { status: 200, body: reply };
  }

  /** Control API: simulates participants uploading files during the call. Returns the new total. */
  addUploads(roomId: string, count: number): number | undefined {
    const room = this.roomsById.get(roomId);
    if (room === undefined) return undefined;
    room.uploads += count;
    return room.uploads;
  }

  createCredentials(body: unknown): SandboxReply {
    if (!isRecord(body)) return badRequest('invalid_body', 'Body must be a JSON object');
    const { user_id: userId, expires_in: expiresIn } = body;
    if (typeof userId !== 'string') return badRequest('invalid_user_id', 'user_id must be a string');
    if (
      typeof expiresIn !== 'number' ||
      !Number.isInteger(expiresIn) ||
      expiresIn < MIN_CREDENTIALS_EXPIRES_IN_SECONDS ||
      expiresIn > MAX_CREDENTIALS_EXPIRES_IN_SECONDS
    ) {
      return badRequest(
        'invalid_expires_in',
        `expires_in must be an integer from ${MIN_CREDENTIALS_EXPIRES_IN_SECONDS} to ${MAX_CREDENTIALS_EXPIRES_IN_SECONDS}`,
      );
    }
    if (!this.usersById.has(userId)) return badRequest('user_not_found', `User ${userId} does not exist`);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + expiresIn * 1000);
    // JWT-shaped but unsigned: nothing may trust it, and clients that peek at `exp` still can.
    const accessToken = [
      base64urlJson({ alg: 'none', typ: 'JWT' }),
      base64urlJson({
        sub: userId,
        iat: Math.floor(now.getTime() / 1000),
        exp: Math.floor(expiresAt.getTime() / 1000),
        jti: randomToken(12),
      }),
      '',
    ].join('.');
    const reply: WireCredentialsResponse = {
      access_token: accessToken,
      expires_at: expiresAt.toISOString(),
      user_id: userId,
    };
    return { status: 201, body: reply };
  }
}

function roomNotFound(roomId: string): SandboxReply {
  return rejection(404, 'room_not_found', `Room ${roomId} does not exist`);
}
