import { z } from 'zod';
import { TOOL_NAMES, type Tools } from '../domain/privileges.js';
import type { CreatedRoom, CreateRoomInput, KaleyraRoom, SdkCredentials } from './port.js';

/**
 * The Kaleyra Video v2 wire contract: every path and JSON shape the client sends or reads, and the
 * mapping to and from our domain. Mirrors the team's Kaleyra contract
 * (shared/spec/kaleyra-contract.md); each item says whether Kaleyra **documents** it or we
 * **assume** it, so that correcting an assumption is a
 * change to this file only. The sandbox (sandbox/) implements the same contract from here.
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
// `:name` segments are filled by `routePath`.

export interface WireRoute {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
}

export const kaleyraRoutes = {
  /** documented */
  createUser: { method: 'POST', template: 'v2/users' },
  /** documented */
  createRoom: { method: 'POST', template: 'v2/rooms' },
  /** fields documented through the original service, path assumed */
  getRoom: { method: 'GET', template: 'v2/rooms/:room_id' },
  /** assumed */
  deleteRoom: { method: 'DELETE', template: 'v2/rooms/:room_id' },
  /** assumed */
  deleteRoomUploads: { method: 'DELETE', template: 'v2/rooms/:room_id/uploads' },
  /** documented in v1 as /rest/sdk/credentials; v2 path assumed */
  createCredentials: { method: 'POST', template: 'v2/sdk/credentials' },
} as const satisfies Record<string, WireRoute>;

export type KaleyraOperation = keyof typeof kaleyraRoutes;

/** Fills `:name` segments, percent-encoding each value so an id can never change the path. */
export function routePath(route: WireRoute, params: Record<string, string> = {}): string {
  return route.template.replace(/:([a-z_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${route.template}`);
    return encodeURIComponent(value);
  });
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
  room_id: z.string().min(1),
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

/** DELETE uploads body. assumed */
export const wireDeleteUploadsResponseSchema = z.object({
  total: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
});
export type WireDeleteUploadsResponse = z.infer<typeof wireDeleteUploadsResponseSchema>;

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

export function fromWireCredentials(wire: WireCredentialsResponse): SdkCredentials {
  return {
    accessToken: wire.access_token,
    expiresAt: new Date(wire.expires_at),
    kaleyraUserId: wire.user_id,
  };
}
