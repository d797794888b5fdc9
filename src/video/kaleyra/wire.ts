import { z } from 'zod';
import { TOOL_NAMES, type Tools } from '../../domain/privileges.js';
import { isSafePathSegment, pathSegment } from '../../shared/path-segment.js';
import type {
  CompanySettings,
  CompanySettingsChanges,
  CreatedRoom,
  CreateRoomInput,
  KaleyraRoom,
  ListedRoom,
  ListRoomsInput,
  RoomListPage,
  RoomSession,
  SdkCredentials,
  VirtualBackground,
  VirtualBackgroundFile,
} from './api.js';

/**
 * The Kaleyra Video v2 wire contract: every path and JSON shape the client sends or reads, and the
 * mapping to and from our domain. Mirrors the Kaleyra contract (docs/specs/kaleyra-contract.md);
 * each item says whether Kaleyra **documents** it or we **assume** it, so that correcting an
 * assumption is a change to this file (and that page) only. The sandbox (dev/kaleyra-sandbox/)
 * implements the same contract from here.
 */

// ---------------------------------------------------------------------------------------------
// Transport

/** Header carrying BANDYER_API_SECRET_KEY on every request; wrong or missing gives 401. documented */
export const API_KEY_HEADER = 'apikey';

/** Error body. assumed (Kaleyra answers JSON; the field names are ours). */
export interface WireErrorBody {
  error: string;
  message: string;
}

/** Lenient: a proxy in front of Kaleyra may answer HTML or another JSON shape. */
export const wireErrorBodySchema = z.object({
  error: z.string().optional(),
  message: z.string().optional(),
});

/** Throttling status documented; `Retry-After` (seconds) assumed. */
export const THROTTLED_STATUS = 429;

// ---------------------------------------------------------------------------------------------
// Routes. Templates are relative to BANDYER_BASE_URL (got's prefixUrl wants no leading slash);
// `:name` segments and the query parameters a route declares are filled by `routePath`.

export interface WireRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  template: string;
  /** The query parameters the route takes; any other name is a programming error. */
  query?: readonly string[];
}

export const kaleyraRoutes = {
  /** documented */
  createUser: { method: 'POST', template: 'v2/users' },
  /** assumed */
  updateUserRole: { method: 'PATCH', template: 'v2/users/:user_id' },
  /** documented */
  createRoom: { method: 'POST', template: 'v2/rooms' },
  /** assumed */
  listRooms: { method: 'GET', template: 'v2/rooms', query: ['created_after', 'limit', 'cursor'] },
  /** fields documented through the original service, path assumed */
  getRoom: { method: 'GET', template: 'v2/rooms/:room_id' },
  /** assumed */
  deleteRoom: { method: 'DELETE', template: 'v2/rooms/:room_id' },
  /** assumed */
  deleteRoomUploads: { method: 'DELETE', template: 'v2/rooms/:room_id/uploads' },
  /** assumed (the original 2.1 read transcriptions; Kaleyra's paths are not public) */
  listSessions: { method: 'GET', template: 'v2/rooms/:room_id/sessions' },
  /** assumed; the body may be tens of MB: read as a stream (TRANSCRIPTION_MAX_FILE_SIZE) */
  getTranscription: { method: 'GET', template: 'v2/rooms/:room_id/sessions/:session_id/transcription' },
  /** documented in v1 as /rest/sdk/credentials; v2 path assumed */
  createCredentials: { method: 'POST', template: 'v2/sdk/credentials' },
  /** documented that it exists (v2 authentication page); fields from the v1 update body */
  getCompany: { method: 'GET', template: 'v2/company' },
  /** assumed (v1: POST /rest/company/update with the same fields, documented) */
  updateCompany: { method: 'PATCH', template: 'v2/company' },
  /** assumed; multipart/form-data, see VIRTUAL_BACKGROUND_FILE_FIELD */
  uploadVirtualBackground: { method: 'POST', template: 'v2/company/virtual_backgrounds' },
  /** assumed */
  listVirtualBackgrounds: { method: 'GET', template: 'v2/company/virtual_backgrounds' },
  /** assumed */
  deleteVirtualBackground: { method: 'DELETE', template: 'v2/company/virtual_backgrounds/:alias' },
} as const satisfies Record<string, WireRoute>;

export type KaleyraOperation = keyof typeof kaleyraRoutes;

/**
 * Fills `:name` segments, each through `pathSegment` (percent-encoded; empty values, dot segments
 * and text that is not well-formed throw UnsafePathSegmentError, never sent) so an id can never
 * change the path, and appends the query parameters that are set. A parameter the route does not
 * declare throws: the names live in `kaleyraRoutes`, not at call sites.
 */
export function routePath(
  route: WireRoute,
  params: Record<string, string> = {},
  query: Record<string, string | undefined> = {},
): string {
  const path = route.template.replace(/:([a-z_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${route.template}`);
    return pathSegment(name, value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (!route.query?.includes(name))
      throw new Error(`unknown query parameter ${name} for ${route.template}`);
    if (value !== undefined) search.append(name, value);
  }
  const encoded = search.toString();
  return encoded === '' ? path : `${path}?${encoded}`;
}

// ---------------------------------------------------------------------------------------------
// Users

/** Kaleyra user ids. documented */
export const KALEYRA_USER_ID_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/;

export const USER_ROLES = ['basic', 'plus'] as const;
export type WireUserRole = (typeof USER_ROLES)[number];

/** `id` optional on Kaleyra's side, `role` required. documented */
export interface WireCreateUserRequest {
  id?: string;
  role: WireUserRole;
}

/** 201 body. assumed. 409 when the id exists: assumed, and what makes creation idempotent. */
export interface WireCreateUserResponse {
  id: string;
  role: WireUserRole;
}

/** assumed */
export const USER_ALREADY_EXISTS_STATUS = 409;

/** PATCH body: Kaleyra keeps one role per user. assumed */
export interface WireUpdateUserRoleRequest {
  role: WireUserRole;
}

/** 200 body of the role change; 404 when the user is unknown. assumed */
export const wireUserSchema = z.object({
  id: z.string().min(1),
  role: z.string(),
});
export type WireUser = z.infer<typeof wireUserSchema>;

// ---------------------------------------------------------------------------------------------
// Rooms

/** Snake_case tool names on the wire. documented */
export const WIRE_TOOL_NAMES = {
  chat: 'chat',
  screenSharing: 'screen_sharing',
  fileUpload: 'file_upload',
  whiteboard: 'whiteboard',
  snapshot: 'snapshot',
  liveEdit: 'live_edit',
  livePointer: 'live_pointer',
  presentToEveryone: 'present_to_everyone',
} as const satisfies Record<keyof Tools, string>;

export type WireToolName = (typeof WIRE_TOOL_NAMES)[keyof Tools];

/** Absent means all tools on, `{}` all off; we always send all eight explicitly. documented */
export type WireTools = Partial<Record<WireToolName, boolean>>;

export interface WireRoomParticipant {
  user_id: string;
  is_admin: boolean;
  tools?: WireTools;
}

/** documented */
export const RECORDING_VALUES = ['none', 'manual', 'automatic'] as const;
/** documented */
export const CALL_TYPE_VALUES = ['audio_video', 'audio_upgradable', 'audio_only'] as const;

/**
 * 2 to 25 participants, at least one plus user, all existing. documented. The numbers are the
 * domain's MIN_PARTICIPANTS and MAX_PARTICIPANTS: one copy of the limit.
 */
/** Seconds; absent means unlimited. documented */
export const MIN_ROOM_DURATION_SECONDS = 60;

export interface WireCreateRoomRequest {
  participants: WireRoomParticipant[];
  duration?: number;
  /** The room closes when fewer than two participants remain. assumed name */
  live: boolean;
  recording?: (typeof RECORDING_VALUES)[number];
  call_type?: (typeof CALL_TYPE_VALUES)[number];
  description?: string;
}

/** 201 body, one personal join link per participant. assumed shape (v1: room.user_urls[]) */
export const wireCreateRoomResponseSchema = z.object({
  // Later a path segment (GET, DELETE v2/rooms/:room_id): a room id that cannot be one breaks the contract.
  room_id: z.string().min(1).refine(isSafePathSegment),
  participants: z.array(z.object({ user_id: z.string(), url: z.string().min(1) })),
});
export type WireCreateRoomResponse = z.infer<typeof wireCreateRoomResponseSchema>;

/** GET room body. fields documented through the original service's `details` */
export const wireRoomSchema = z.object({
  room_id: z.string().min(1),
  status: z.string().optional(),
  disabled: z.boolean().optional(),
  creation_date: z.string().optional(),
  duration: z.number().nullable().optional(),
  duration_used: z.number().nullable().optional(),
  live: z.boolean().optional(),
  recording: z.string().optional(),
  recording_status: z.string().optional(),
  call_type: z.string().optional(),
  description: z.string().nullable().optional(),
});
export type WireRoom = z.infer<typeof wireRoomSchema>;

/** Page size of the room listing. assumed */
export const MIN_ROOM_LIST_LIMIT = 1;
export const MAX_ROOM_LIST_LIMIT = 100;

/** Query of the room listing, as sent. `cursor` is Kaleyra's opaque `next_cursor`. assumed */
export type WireListRoomsQuery = {
  created_after: string;
  limit?: string;
  cursor?: string;
};

/** A listed room. assumed; our operation marker travels in `description`. */
export const wireListedRoomSchema = z.object({
  room_id: z.string().min(1),
  description: z.string().nullable().optional(),
  creation_date: z.iso.datetime({ offset: true }),
  status: z.string().optional(),
});

/** GET /v2/rooms body; `next_cursor` null on the last page. assumed */
export const wireRoomListSchema = z.object({
  rooms: z.array(wireListedRoomSchema),
  next_cursor: z.string().nullable().optional(),
});
export type WireRoomList = z.infer<typeof wireRoomListSchema>;

/** DELETE uploads body. assumed */
export const wireDeleteUploadsResponseSchema = z.object({
  total: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
});
export type WireDeleteUploadsResponse = z.infer<typeof wireDeleteUploadsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Sessions and transcriptions. All assumed: the shape is ours (docs/specs/kaleyra-contract.md).

/** What became of a session's transcription. assumed */
export const TRANSCRIPTION_STATUSES = ['none', 'processing', 'completed', 'failed'] as const;
export type WireTranscriptionStatus = (typeof TRANSCRIPTION_STATUSES)[number];

/**
 * Session ids as we accept them before sending one upstream: Kaleyra's id characters, at most 128,
 * not starting with a dot (so `.` and `..` can never become path segments). assumed
 */
export const KALEYRA_SESSION_ID_PATTERN = /^[a-zA-Z0-9_-][a-zA-Z0-9._-]{0,127}$/;

export const wireSessionSchema = z.object({
  session_id: z.string().min(1),
  room_id: z.string(),
  start_date: z.iso.datetime({ offset: true }),
  end_date: z.iso.datetime({ offset: true }).nullable(),
  transcription_status: z.enum(TRANSCRIPTION_STATUSES),
});
export type WireSession = z.infer<typeof wireSessionSchema>;

/** GET /v2/rooms/{room_id}/sessions body; 404 for an unknown room. */
export const wireSessionListSchema = z.object({ sessions: z.array(wireSessionSchema) });
export type WireSessionList = z.infer<typeof wireSessionListSchema>;

/** The transcription while it is being made: 409 `{ "error": "transcription not ready" }`. */
export const TRANSCRIPTION_NOT_READY_STATUS = 409;

/** The transcription's media type: its body is passed on as it comes, never parsed on the REST path. */
export const TRANSCRIPTION_MEDIA_TYPE = 'application/json';

/**
 * The transcription document (200), as Kaleyra sends it; 404 when the room, the session or its
 * transcription does not exist. The gateway passes it on unchanged; the sandbox writes it.
 */
export interface WireTranscription {
  session_id: string;
  room_id: string;
  language: string;
  segments: Array<{ user_id: string; start_ms: number; end_ms: number; text: string }>;
}

// ---------------------------------------------------------------------------------------------
// SDK credentials

/** documented in v1 */
export const MIN_CREDENTIALS_EXPIRES_IN_SECONDS = 360;
export const MAX_CREDENTIALS_EXPIRES_IN_SECONDS = 86400;

export interface WireCreateCredentialsRequest {
  user_id: string;
  expires_in: number;
}

/** 201 body. documented in v1 */
export const wireCredentialsResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_at: z.iso.datetime({ offset: true }),
  user_id: z.string(),
});
export type WireCredentialsResponse = z.infer<typeof wireCredentialsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Company settings and virtual backgrounds

/** `default_background` inside the company: named `alias` here, `background_alias` in the list. */
export const wireDefaultBackgroundSchema = z.object({
  alias: z.string().min(1),
  url: z.string().min(1),
  creation_date: z.iso.datetime({ offset: true }),
});

/**
 * GET /v2/company body, also the answer to PATCH. Existence documented, field names from the v1
 * update body; which fields may be null or absent is assumed, so all but `name` are lenient.
 */
export const wireCompanySchema = z.object({
  name: z.string(),
  default_language: z.string().nullable().optional(),
  default_background: wireDefaultBackgroundSchema.nullable().optional(),
  end_call_redirect_url: z.string().nullable().optional(),
  user_details_provider_url: z.string().nullable().optional(),
  end_call_redirect_timeout_ms: z.number().nullable().optional(),
});
export type WireCompany = z.infer<typeof wireCompanySchema>;

/**
 * PATCH /v2/company body: any subset. 400 for an unknown alias or a language outside the link
 * languages. `background_alias: null` clears the default background; null clearing the other
 * nullable fields is assumed.
 */
export interface WireUpdateCompanyRequest {
  default_language?: string;
  background_alias?: string | null;
  end_call_redirect_url?: string | null;
  end_call_redirect_timeout_ms?: number | null;
  user_details_provider_url?: string | null;
}

/** Multipart field holding the uploaded image. assumed */
export const VIRTUAL_BACKGROUND_FILE_FIELD = 'file';
/** "At most 10 MB", read as MiB; larger answers 413. assumed */
export const MAX_VIRTUAL_BACKGROUND_BYTES = 10 * 1024 * 1024;
/** JPEG or PNG; another type answers 400. assumed */
export const VIRTUAL_BACKGROUND_TYPES = ['image/jpeg', 'image/png'] as const;
export type VirtualBackgroundType = (typeof VIRTUAL_BACKGROUND_TYPES)[number];

/** 201 body of an upload, and one item of the list. assumed (the original service's `virtual_background`) */
export const wireVirtualBackgroundSchema = z.object({
  background_alias: z.string().min(1),
  url: z.string().min(1),
  creation_date: z.iso.datetime({ offset: true }),
});
export type WireVirtualBackground = z.infer<typeof wireVirtualBackgroundSchema>;

export const wireVirtualBackgroundListSchema = z.array(wireVirtualBackgroundSchema);

// ---------------------------------------------------------------------------------------------
// Mapping to and from the domain

export function toWireTools(tools: Tools): WireTools {
  const wire: WireTools = {};
  for (const name of TOOL_NAMES) wire[WIRE_TOOL_NAMES[name]] = tools[name];
  return wire;
}

/** Applies Kaleyra's defaults: absent tools means all on, a missing key means off. */
export function fromWireTools(wire: WireTools | undefined): Tools {
  const tools = {} as Tools;
  for (const name of TOOL_NAMES)
    tools[name] = wire === undefined ? true : wire[WIRE_TOOL_NAMES[name]] === true;
  return tools;
}

export function toWireCreateRoomRequest(input: CreateRoomInput): WireCreateRoomRequest {
  const wire: WireCreateRoomRequest = {
    participants: input.participants.map((participant) => ({
      user_id: participant.kaleyraUserId,
      is_admin: participant.isAdmin,
      tools: toWireTools(participant.tools),
    })),
    live: input.live,
  };
  if (input.durationInSeconds !== undefined) wire.duration = input.durationInSeconds;
  if (input.recording !== undefined) wire.recording = input.recording;
  if (input.callType !== undefined) wire.call_type = input.callType;
  if (input.description !== undefined) wire.description = input.description;
  return wire;
}

export function fromWireCreatedRoom(wire: WireCreateRoomResponse): CreatedRoom {
  return {
    roomId: wire.room_id,
    links: new Map(wire.participants.map((participant) => [participant.user_id, participant.url])),
  };
}

export function fromWireRoom(wire: WireRoom): KaleyraRoom {
  const room: KaleyraRoom = { roomId: wire.room_id };
  if (wire.status !== undefined) room.status = wire.status;
  if (wire.disabled !== undefined) room.disabled = wire.disabled;
  if (wire.creation_date !== undefined) {
    const creationDate = new Date(wire.creation_date);
    if (!Number.isNaN(creationDate.getTime())) room.creationDate = creationDate;
  }
  if (typeof wire.duration === 'number') room.durationInSeconds = wire.duration;
  if (typeof wire.duration_used === 'number') room.durationUsedInSeconds = wire.duration_used;
  if (wire.live !== undefined) room.live = wire.live;
  if (wire.recording !== undefined) room.recording = wire.recording;
  if (wire.recording_status !== undefined) room.recordingStatus = wire.recording_status;
  if (wire.call_type !== undefined) room.callType = wire.call_type;
  if (typeof wire.description === 'string') room.description = wire.description;
  return room;
}

export function fromWireSession(wire: WireSession): RoomSession {
  return {
    sessionId: wire.session_id,
    startedAt: new Date(wire.start_date),
    endedAt: wire.end_date === null ? null : new Date(wire.end_date),
    transcriptionStatus: wire.transcription_status,
  };
}

export function fromWireCredentials(wire: WireCredentialsResponse): SdkCredentials {
  return {
    accessToken: wire.access_token,
    expiresAt: new Date(wire.expires_at),
    kaleyraUserId: wire.user_id,
  };
}

export function toWireListRoomsQuery(input: ListRoomsInput): WireListRoomsQuery {
  const query: WireListRoomsQuery = { created_after: input.createdAfter.toISOString() };
  if (input.limit !== undefined) query.limit = String(input.limit);
  if (input.cursor !== undefined && input.cursor !== null) query.cursor = input.cursor;
  return query;
}

export function fromWireRoomList(wire: WireRoomList): RoomListPage {
  return {
    rooms: wire.rooms.map((room) => {
      const listed: ListedRoom = {
        roomId: room.room_id,
        description: room.description ?? null,
        creationDate: new Date(room.creation_date),
      };
      if (room.status !== undefined) listed.status = room.status;
      return listed;
    }),
    // An empty cursor would ask for the first page again: the walk would never end.
    nextCursor: wire.next_cursor ? wire.next_cursor : null,
  };
}

export function fromWireCompany(wire: WireCompany): CompanySettings {
  const background = wire.default_background ?? null;
  return {
    name: wire.name,
    defaultLanguage: wire.default_language ?? null,
    defaultBackground:
      background === null
        ? null
        : { alias: background.alias, url: background.url, creationDate: new Date(background.creation_date) },
    endCallRedirectUrl: wire.end_call_redirect_url ?? null,
    userDetailsProviderUrl: wire.user_details_provider_url ?? null,
    endCallRedirectTimeoutMs: wire.end_call_redirect_timeout_ms ?? null,
  };
}

/** Sends only what the caller set: an absent field stays as it is on Kaleyra, null clears it. */
export function toWireUpdateCompanyRequest(changes: CompanySettingsChanges): WireUpdateCompanyRequest {
  const wire: WireUpdateCompanyRequest = {};
  if (changes.defaultLanguage !== undefined) wire.default_language = changes.defaultLanguage;
  if (changes.backgroundAlias !== undefined) wire.background_alias = changes.backgroundAlias;
  if (changes.endCallRedirectUrl !== undefined) wire.end_call_redirect_url = changes.endCallRedirectUrl;
  if (changes.endCallRedirectTimeoutMs !== undefined)
    wire.end_call_redirect_timeout_ms = changes.endCallRedirectTimeoutMs;
  if (changes.userDetailsProviderUrl !== undefined)
    wire.user_details_provider_url = changes.userDetailsProviderUrl;
  return wire;
}

export function fromWireVirtualBackground(wire: WireVirtualBackground): VirtualBackground {
  return { alias: wire.background_alias, url: wire.url, creationDate: new Date(wire.creation_date) };
}

/** The upload's multipart body: one file in VIRTUAL_BACKGROUND_FILE_FIELD. got encodes it. */
export function toWireVirtualBackgroundForm(file: VirtualBackgroundFile): FormData {
  const form = new FormData();
  form.append(
    VIRTUAL_BACKGROUND_FILE_FIELD,
    new Blob([file.data], { type: file.contentType }),
    file.fileName,
  );
  return form;
}
