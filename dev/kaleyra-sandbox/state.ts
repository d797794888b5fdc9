import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/domain/clock.js';
import { LINK_LANGUAGES, MAX_PARTICIPANTS, MIN_PARTICIPANTS } from '../../src/domain/teleconsultation.js';
import { isRecord } from '../../src/shared/is-record.js';
import {
  CALL_TYPE_VALUES,
  KALEYRA_USER_ID_PATTERN,
  MAX_CREDENTIALS_EXPIRES_IN_SECONDS,
  MAX_ROOM_LIST_LIMIT,
  MAX_VIRTUAL_BACKGROUND_BYTES,
  MIN_CREDENTIALS_EXPIRES_IN_SECONDS,
  MIN_ROOM_DURATION_SECONDS,
  MIN_ROOM_LIST_LIMIT,
  RECORDING_VALUES,
  USER_ROLES,
  VIRTUAL_BACKGROUND_FILE_FIELD,
  type VirtualBackgroundType,
  WIRE_TOOL_NAMES,
  type WireCompany,
  type WireCreateRoomResponse,
  type WireCredentialsResponse,
  type WireDeleteUploadsResponse,
  type WireErrorBody,
  type WireRoom,
  type WireRoomList,
  type WireToolName,
  type WireTools,
  type WireUpdateCompanyRequest,
  type WireUser,
  type WireUserRole,
  type WireVirtualBackground,
} from '../../src/video/kaleyra/wire.js';
import type { ReceivedMultipart } from './multipart-upload.js';

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

export interface SandboxCompany {
  name: string;
  defaultLanguage: (typeof LINK_LANGUAGES)[number];
  defaultBackgroundAlias: string | null;
  endCallRedirectUrl: string | null;
  userDetailsProviderUrl: string | null;
  endCallRedirectTimeoutMs: number | null;
}

/** An uploaded background, without its bytes. */
export interface SandboxVirtualBackground {
  alias: string;
  url: string;
  creationDate: Date;
  fileName: string;
  /** Detected from the content, whatever the upload declared. */
  contentType: VirtualBackgroundType;
  size: number;
  /** Of the stored bytes: shows the image arrived intact. */
  sha256: string;
}

/** Page size when the listing names none. The sandbox's choice (the client always sends one). */
const DEFAULT_ROOM_LIST_LIMIT = 20;

const isoDateTime = z.iso.datetime({ offset: true });

/** Where a room stands in the listing's order: creation date, then room id. */
type RoomListKey = [creationTime: number, roomId: string];

function compareRoomListKeys([timeA, idA]: RoomListKey, [timeB, idB]: RoomListKey): number {
  if (timeA !== timeB) return timeA - timeB;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** Opaque to clients: the key of the last room served, so a page survives rooms coming and going. */
function encodeRoomListCursor([time, roomId]: RoomListKey): string {
  return base64urlJson([new Date(time).toISOString(), roomId]);
}

function decodeRoomListCursor(cursor: string): RoomListKey | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [date, roomId] = decoded as unknown[];
    if (typeof date !== 'string' || typeof roomId !== 'string' || !isoDateTime.safeParse(date).success)
      return undefined;
    return [Date.parse(date), roomId];
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const httpUrl = z.string().refine(isHttpUrl);

/** PATCH /v2/company: any subset of the fields, nothing else; null clears the nullable ones. */
const companyChangesSchema = z.strictObject({
  default_language: z.enum(LINK_LANGUAGES).optional(),
  background_alias: z.string().nullable().optional(),
  end_call_redirect_url: httpUrl.nullable().optional(),
  end_call_redirect_timeout_ms: z.number().int().nonnegative().nullable().optional(),
  user_details_provider_url: httpUrl.nullable().optional(),
}) satisfies z.ZodType<WireUpdateCompanyRequest>;

/** The sandbox's error code and message for a refused company field. */
const companyFieldErrors: Record<keyof WireUpdateCompanyRequest, [string, string]> = {
  default_language: ['invalid_language', `default_language must be one of ${LINK_LANGUAGES.join(', ')}`],
  background_alias: ['unknown_background', 'background_alias must name an uploaded background, or be null'],
  end_call_redirect_url: ['invalid_url', 'end_call_redirect_url must be an http(s) URL or null'],
  end_call_redirect_timeout_ms: [
    'invalid_timeout',
    'end_call_redirect_timeout_ms must be a non-negative integer or null',
  ],
  user_details_provider_url: ['invalid_url', 'user_details_provider_url must be an http(s) URL or null'],
};

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
  private readonly backgroundsByAlias = new Map<
    string,
    { background: SandboxVirtualBackground; data: Buffer }
  >();
  private readonly companySettings: SandboxCompany = {
    name: 'Sandbox Company',
    defaultLanguage: 'en',
    defaultBackgroundAlias: null,
    endCallRedirectUrl: null,
    userDetailsProviderUrl: null,
    endCallRedirectTimeoutMs: null,
  };

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

  hasRoom(roomId: string): boolean {
    return this.roomsById.has(roomId);
  }

  company(): SandboxCompany {
    return { ...this.companySettings };
  }

  backgrounds(): SandboxVirtualBackground[] {
    return [...this.backgroundsByAlias.values()].map(({ background }) => structuredClone(background));
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

  updateUserRole(userId: string, body: unknown): SandboxReply {
    if (!isRecord(body)) return badRequest('invalid_body', 'Body must be a JSON object');
    const others = Object.keys(body).filter((field) => field !== 'role');
    if (others.length > 0)
      return badRequest('unknown_field', `Only role can change, not ${others.join(', ')}`);
    if (!oneOf(USER_ROLES, body.role)) return badRequest('invalid_role', 'role must be one of basic, plus');
    const user = this.usersById.get(userId);
    if (user === undefined) return rejection(404, 'user_not_found', `User ${userId} does not exist`);
    user.role = body.role;
    return { status: 200, body: { ...user } satisfies WireUser };
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

  /** Rooms created at or after `created_after`, by creation date then room id, a page at a time. */
  listRooms(query: URLSearchParams): SandboxReply {
    const createdAfterText = query.get('created_after');
    if (createdAfterText !== null && !isoDateTime.safeParse(createdAfterText).success) {
      return badRequest('invalid_created_after', 'created_after must be an ISO 8601 date and time');
    }
    const createdAfter = createdAfterText === null ? Number.NEGATIVE_INFINITY : Date.parse(createdAfterText);
    const limitText = query.get('limit');
    const limit =
      limitText === null ? DEFAULT_ROOM_LIST_LIMIT : /^\d+$/.test(limitText) ? Number(limitText) : undefined;
    if (limit === undefined || limit < MIN_ROOM_LIST_LIMIT || limit > MAX_ROOM_LIST_LIMIT) {
      return badRequest(
        'invalid_limit',
        `limit must be an integer from ${MIN_ROOM_LIST_LIMIT} to ${MAX_ROOM_LIST_LIMIT}`,
      );
    }
    const cursorText = query.get('cursor');
    const after = cursorText === null ? undefined : decodeRoomListCursor(cursorText);
    if (cursorText !== null && after === undefined) {
      return badRequest('invalid_cursor', 'cursor is not one this server gave');
    }

    const keyOf = (room: SandboxRoom): RoomListKey => [room.creationDate.getTime(), room.roomId];
    const matching = [...this.roomsById.values()]
      .filter(
        (room) =>
          room.creationDate.getTime() >= createdAfter &&
          (after === undefined || compareRoomListKeys(keyOf(room), after) > 0),
      )
      .sort((a, b) => compareRoomListKeys(keyOf(a), keyOf(b)));
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    const reply: WireRoomList = {
      rooms: page.map((room) => ({
        room_id: room.roomId,
        description: room.description,
        creation_date: room.creationDate.toISOString(),
        status: 'active',
      })),
      next_cursor: matching.length > limit && last !== undefined ? encodeRoomListCursor(keyOf(last)) : null,
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

  getCompany(): SandboxReply {
    return { status: 200, body: this.wireCompany() };
  }

  /** Validates every field before changing any: a refused PATCH changes nothing. */
  updateCompany(body: unknown): SandboxReply {
    if (!isRecord(body)) return badRequest('invalid_body', 'Body must be a JSON object');
    const parsed = companyChangesSchema.safeParse(body);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      if (issue?.code === 'unrecognized_keys') {
        return badRequest('unknown_field', `Unknown company fields: ${issue.keys.join(', ')}`);
      }
      const field = Object.entries(companyFieldErrors).find(([name]) => name === issue?.path[0]);
      const [code, message] = field?.[1] ?? ['invalid_body', 'Body is not a company change'];
      return badRequest(code, message);
    }
    const changes = parsed.data;
    const alias = changes.background_alias;
    if (typeof alias === 'string' && !this.backgroundsByAlias.has(alias)) {
      return badRequest('unknown_background', `No virtual background ${alias}`);
    }

    const company = this.companySettings;
    if (changes.default_language !== undefined) company.defaultLanguage = changes.default_language;
    if (alias !== undefined) company.defaultBackgroundAlias = alias;
    if (changes.end_call_redirect_url !== undefined)
      company.endCallRedirectUrl = changes.end_call_redirect_url;
    if (changes.user_details_provider_url !== undefined)
      company.userDetailsProviderUrl = changes.user_details_provider_url;
    if (changes.end_call_redirect_timeout_ms !== undefined)
      company.endCallRedirectTimeoutMs = changes.end_call_redirect_timeout_ms;
    return { status: 200, body: this.wireCompany() };
  }

  /** Exactly one JPEG or PNG (by content) in field `file`, at most MAX_VIRTUAL_BACKGROUND_BYTES. */
  uploadVirtualBackground(upload: ReceivedMultipart): SandboxReply {
    if (upload.files.some((file) => file.tooLarge)) {
      return rejection(413, 'file_too_large', `The file exceeds ${MAX_VIRTUAL_BACKGROUND_BYTES} bytes`);
    }
    if (upload.malformed !== undefined) {
      return badRequest('invalid_multipart', `Body is not valid multipart/form-data: ${upload.malformed}`);
    }
    const [file, ...others] = upload.files;
    if (others.length > 0) return badRequest('too_many_files', 'Send exactly one file');
    if (file === undefined || file.field !== VIRTUAL_BACKGROUND_FILE_FIELD) {
      return badRequest('missing_file', `Send one file in field ${VIRTUAL_BACKGROUND_FILE_FIELD}`);
    }
    if (file.detectedType === null || file.data === undefined) {
      return badRequest('invalid_file_type', 'The file must be a JPEG or PNG image');
    }
    const alias = `bg_${randomToken(9)}`;
    const extension = file.detectedType === 'image/png' ? 'png' : 'jpg';
    const background: SandboxVirtualBackground = {
      alias,
      url: `https://${this.linkHost}/virtual_backgrounds/${alias}.${extension}`,
      creationDate: this.clock.now(),
      fileName: file.fileName,
      contentType: file.detectedType,
      size: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
    };
    this.backgroundsByAlias.set(alias, { background, data: file.data });
    return { status: 201, body: wireVirtualBackground(background) };
  }

  listVirtualBackgrounds(): SandboxReply {
    return {
      status: 200,
      body: [...this.backgroundsByAlias.values()].map(({ background }) => wireVirtualBackground(background)),
    };
  }

  /** Deleting the company's default background leaves the company without one. */
  deleteVirtualBackground(alias: string): SandboxReply {
    if (!this.backgroundsByAlias.delete(alias)) {
      return rejection(404, 'background_not_found', `No virtual background ${alias}`);
    }
    if (this.companySettings.defaultBackgroundAlias === alias)
      this.companySettings.defaultBackgroundAlias = null;
    return { status: 204 };
  }

  private wireCompany(): WireCompany {
    const company = this.companySettings;
    const stored =
      company.defaultBackgroundAlias === null
        ? undefined
        : this.backgroundsByAlias.get(company.defaultBackgroundAlias)?.background;
    return {
      name: company.name,
      default_language: company.defaultLanguage,
      default_background:
        stored === undefined
          ? null
          : { alias: stored.alias, url: stored.url, creation_date: stored.creationDate.toISOString() },
      end_call_redirect_url: company.endCallRedirectUrl,
      user_details_provider_url: company.userDetailsProviderUrl,
      end_call_redirect_timeout_ms: company.endCallRedirectTimeoutMs,
    };
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

function wireVirtualBackground(background: SandboxVirtualBackground): WireVirtualBackground {
  return {
    background_alias: background.alias,
    url: background.url,
    creation_date: background.creationDate.toISOString(),
  };
}

export function roomNotFound(roomId: string): SandboxReply {
  return rejection(404, 'room_not_found', `Room ${roomId} does not exist`);
}
