import { createHash, randomBytes } from 'node:crypto';
import type { CreatedRoom, CreateRoomInput, ListedRoom, VideoProvider, VideoRoom } from '../port.js';
import type { LivekitRoom, LivekitRoomService } from './client.js';
import { LivekitNotFoundError } from './errors.js';
import { livekitJoinLink } from './join-link.js';
import { type SigningKey, signJoinToken } from './tokens.js';

/** `VIDEO_PROVIDER=livekit`'s name, stored on the records whose rooms LiveKit hosts. */
export const LIVEKIT = 'livekit';

/**
 * How long LiveKit keeps a room open with nobody in it, or after the last one left: longer than
 * any visit can be ahead (MAX_START_AHEAD_DAYS, at most 3660 days, is checked by the services; a
 * uint32 of seconds holds 136 years). LiveKit's own timers are only a backstop: the gateway deletes
 * the room itself (cancel, replace, the end of its last join window), and a room LiveKit closed
 * early could not be joined again (servers run with `room.auto_create: false`).
 */
export const ROOM_TIMEOUT_SECONDS = 3700 * 24 * 3600;

/** Platform ids already in a readable alphabet stay readable (`tg.` + id), as Kaleyra's ids. */
const READABLE_PLATFORM_ID = /^[a-zA-Z0-9._-]{1,100}$/;

/**
 * The identity of one of our users in a LiveKit room (a token's `sub`): stable and injective,
 * derived without asking anyone. Ids in `[a-zA-Z0-9._-]` stay readable (`tg.` + id); anything else
 * (an e-mail address, unicode) is `tgh.` + base64url(sha256(UTF-8 id)), so no address reaches
 * LiveKit's logs or the other participants.
 */
export function livekitIdentityFor(platformUserId: string): string {
  if (READABLE_PLATFORM_ID.test(platformUserId)) return `tg.${platformUserId}`;
  return `tgh.${createHash('sha256').update(platformUserId, 'utf8').digest('base64url')}`;
}

/** Room metadata: our marker, in a JSON object a frontend may read other keys beside. */
const MARKER_KEY = 'teleconsultationGateway';

export function metadataOf(marker: string | undefined): string {
  return marker === undefined ? '' : JSON.stringify({ [MARKER_KEY]: marker });
}

export function markerOf(metadata: string): string | null {
  try {
    const parsed: unknown = JSON.parse(metadata);
    const marker = (parsed as Record<string, unknown> | null)?.[MARKER_KEY];
    return typeof marker === 'string' ? marker : null;
  } catch {
    return null;
  }
}

export interface LivekitProviderOptions {
  key: SigningKey;
  /** LIVEKIT_WS_URL */
  wsUrl: string;
  /** LIVEKIT_JOIN_URL */
  joinUrlTemplate: string;
  /** LIVEKIT_TOKEN_TTL_MS: a token's lifetime when the join window has no end. */
  unboundedTokenTtlMs: number;
  /** Room names; default `tg-` + 24 random hex digits. */
  roomName?: () => string;
}

/**
 * LiveKit behind the video port: rooms, links, roles, tools, join windows and clean-up; none of
 * the optional capabilities (company settings, backgrounds, recording, transcription, uploads, SDK
 * credentials). LiveKit keeps no users: a participant's identity and role travel in their token,
 * signed when their link is handed out.
 */
export function livekitProvider(client: LivekitRoomService, options: LivekitProviderOptions): VideoProvider {
  const roomName = options.roomName ?? (() => `tg-${randomBytes(12).toString('hex')}`);
  // What a record stores as a participant's link: the meeting page without a token (never a secret).
  const storedLink = livekitJoinLink(options.joinUrlTemplate, '', options.wsUrl);
  return {
    name: LIVEKIT,
    identityFor: livekitIdentityFor,
    // A token opens the room once; the room itself goes when the last join window closes.
    roomsEndWithJoinWindow: true,

    createRoom: async (input: CreateRoomInput, logger): Promise<CreatedRoom> => {
      const room = await client.createRoom(
        {
          name: roomName(),
          maxParticipants: input.participants.length,
          emptyTimeoutSeconds: ROOM_TIMEOUT_SECONDS,
          departureTimeoutSeconds: ROOM_TIMEOUT_SECONDS,
          metadata: metadataOf(input.marker),
        },
        logger,
      );
      return {
        roomId: room.name,
        links: new Map(input.participants.map((participant) => [participant.videoUserId, storedLink])),
      };
    },

    getRoom: async (roomId: string, logger): Promise<VideoRoom> => {
      const [room] = await client.listRooms([roomId], logger);
      if (room === undefined)
        throw new LivekitNotFoundError(`LiveKit ListRooms: no room ${roomId}`, 'getRoom');
      return {
        roomId: room.name,
        creationDate: room.creationTime,
        status: room.numParticipants > 0 ? 'live' : 'idle',
      };
    },

    deleteRoom: (roomId: string, logger) => client.deleteRoom(roomId, logger),

    // LiveKit lists every room at once (it keeps only the live ones): one page, oldest first.
    listRooms: async ({ createdAfter }, logger) => {
      const rooms = await client.listRooms(undefined, logger);
      return {
        rooms: rooms
          .filter((room) => room.creationTime.getTime() >= createdAfter.getTime())
          .sort((a, b) => a.creationTime.getTime() - b.creationTime.getTime() || (a.name < b.name ? -1 : 1))
          .map(listed),
        nextCursor: null,
      };
    },

    joinLink: ({ roomId, participant, joinUntil, now }) => {
      const expiresAt = joinUntil ?? new Date(now.getTime() + options.unboundedTokenTtlMs);
      const token = signJoinToken(options.key, {
        room: roomId,
        identity: participant.videoUserId,
        ...(participant.displayName ? { displayName: participant.displayName } : {}),
        admin: participant.role === 'plus',
        tools: participant.tools,
        notBefore: now,
        expiresAt,
      });
      return livekitJoinLink(options.joinUrlTemplate, token, options.wsUrl);
    },
  };
}

function listed(room: LivekitRoom): ListedRoom {
  return { roomId: room.name, marker: markerOf(room.metadata), creationDate: room.creationTime };
}
