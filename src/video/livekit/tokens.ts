/**
 * The JWTs LiveKit accepts, signed here (HS256 with the API secret, `iss` = API key) with `jose`:
 * a short-lived server token per Twirp call, and a participant's join token when a link is handed
 * out. Every time claim comes from the caller's clock, so a token's claims are exact and testable.
 */
import { SignJWT } from 'jose';
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

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function sign(key: SigningKey, claims: Record<string, unknown>): SignJWT {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(key.apiKey);
}

function secretBytes(key: SigningKey): Uint8Array {
  return new TextEncoder().encode(key.apiSecret);
}

/** A bearer token for one server API call: only the grant that call needs, no identity. */
export function signServerToken(key: SigningKey, grant: VideoGrant, now: Date): Promise<string> {
  const issued = seconds(now);
  return sign(key, { video: grant })
    .setNotBefore(issued)
    .setExpirationTime(issued + SERVER_TOKEN_TTL_SECONDS)
    .sign(secretBytes(key));
}

export interface JoinTokenInput {
  room: string;
  /** The participant's identity in the room (`sub`): our user id, never a name. */
  identity: string;
  /** Shown to the others in the call. */
  displayName: string;
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
export async function signJoinToken(key: SigningKey, input: JoinTokenInput): Promise<string> {
  if (input.expiresAt.getTime() <= input.notBefore.getTime()) {
    throw new RangeError('a join token must expire after it becomes valid');
  }
  return sign(key, { name: input.displayName, video: joinGrant(input) })
    .setSubject(input.identity)
    .setNotBefore(seconds(input.notBefore))
    .setExpirationTime(seconds(input.expiresAt))
    .sign(secretBytes(key));
}
