/**
 * The JWTs LiveKit accepts, signed here: HS256 with the API secret, `iss` = API key, a `video`
 * grant; a short-lived server token per Twirp call, and a participant's join token when a link is
 * handed out. Signed synchronously with node:crypto's HMAC: a join link is minted on every read of
 * the waiting room (the port's `joinLink` is synchronous and local), and an HS256 JWT is one HMAC
 * over two base64url JSON parts. Every time claim comes from the caller's clock, so a token's
 * claims are exact and testable; the tests verify the tokens with `jose` and with LiveKit's own
 * `TokenVerifier`.
 */
import { createHmac } from 'node:crypto';
import type { Tools } from '../../domain/privileges.js';
import type { TrackSourceName, VideoGrant } from './wire.js';

export interface SigningKey {
  /** LIVEKIT_API_KEY: the token's issuer. */
  apiKey: string;
  /** LIVEKIT_API_SECRET: the HMAC key (its UTF-8 bytes, as LiveKit reads it). Never logged. */
  apiSecret: string;
}

/** How long a server token lives: long enough for a call and its retries, as LiveKit's SDK (10 min). */
export const SERVER_TOKEN_TTL_SECONDS = 600;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** A compact JWS: header.payload.HMAC-SHA256 (RFC 7515, RFC 7519). */
function sign(key: SigningKey, claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify({ iss: key.apiKey, ...claims })).toString('base64url');
  const signature = createHmac('sha256', key.apiSecret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** A bearer token for one server API call: only the grant that call needs, no identity. */
export function signServerToken(key: SigningKey, grant: VideoGrant, now: Date): string {
  const issued = seconds(now);
  return sign(key, { nbf: issued, exp: issued + SERVER_TOKEN_TTL_SECONDS, video: grant });
}

export interface JoinTokenInput {
  room: string;
  /** The participant's identity in the room (`sub`): our user id, never a name. */
  identity: string;
  /** Shown to the others in the call (`name`); without it, LiveKit's frontends show the identity. */
  displayName?: string;
  /** PLUS participants administer the room (`roomAdmin`). */
  admin: boolean;
  tools: Tools;
  /** The start of the participant's join window (`nbf`). */
  notBefore: Date;
  /** The end of the participant's join window (`exp`): LiveKit refuses the first connection after it. */
  expiresAt: Date;
}

/** The sources a participant may publish: camera and microphone always, the screen with screen sharing. */
export function publishSources(tools: Tools): TrackSourceName[] {
  return tools.screenSharing
    ? ['camera', 'microphone', 'screen_share', 'screen_share_audio']
    : ['camera', 'microphone'];
}

/** The video grant of a join token: the room, and what the privileges and tools allow in it. */
export function joinGrant(input: Pick<JoinTokenInput, 'room' | 'admin' | 'tools'>): VideoGrant {
  return {
    room: input.room,
    roomJoin: true,
    canPublish: true,
    canSubscribe: true,
    // Chat travels as data messages.
    canPublishData: input.tools.chat,
    canPublishSources: publishSources(input.tools),
    roomAdmin: input.admin,
  };
}

/** A participant's join token; minted when the link is handed out, never stored. */
export function signJoinToken(key: SigningKey, input: JoinTokenInput): string {
  if (seconds(input.expiresAt) <= seconds(input.notBefore)) {
    throw new RangeError('a join token must expire after it becomes valid');
  }
  return sign(key, {
    sub: input.identity,
    ...(input.displayName === undefined ? {} : { name: input.displayName }),
    nbf: seconds(input.notBefore),
    exp: seconds(input.expiresAt),
    video: joinGrant(input),
  });
}
