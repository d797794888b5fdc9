import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { TRACK_SOURCES, type VideoGrant } from '../../src/video/livekit/wire.js';

/**
 * How the sandbox reads a bearer or join token, as LiveKit does: HS256 with the configured
 * secret, `iss` the configured key, inside `nbf`..`exp` at the sandbox's clock (no leeway, so a
 * test can pin the exact second a token stops working), and a `video` grant.
 */
export interface VerifiedToken {
  identity: string | undefined;
  name: string | undefined;
  grant: VideoGrant;
  notBefore: Date | undefined;
  expiresAt: Date;
}

const grantSchema = z
  .object({
    roomCreate: z.boolean().optional(),
    roomList: z.boolean().optional(),
    roomAdmin: z.boolean().optional(),
    roomJoin: z.boolean().optional(),
    room: z.string().optional(),
    canPublish: z.boolean().optional(),
    canSubscribe: z.boolean().optional(),
    canPublishData: z.boolean().optional(),
    canPublishSources: z.array(z.enum(TRACK_SOURCES)).optional(),
  })
  .loose();

export type TokenCheck = { ok: true; token: VerifiedToken } | { ok: false; reason: string };

export async function verifyToken(
  token: string,
  key: { apiKey: string; apiSecret: string },
  now: Date,
): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(key.apiSecret), {
      algorithms: ['HS256'],
      issuer: key.apiKey,
      currentDate: now,
      requiredClaims: ['exp'],
    });
    const grant = grantSchema.safeParse(payload.video ?? {});
    if (!grant.success) return { ok: false, reason: 'malformed video grant' };
    return {
      ok: true,
      token: {
        identity: payload.sub,
        name: typeof payload.name === 'string' ? payload.name : undefined,
        grant: grant.data as VideoGrant,
        notBefore: payload.nbf === undefined ? undefined : new Date(payload.nbf * 1000),
        expiresAt: new Date((payload.exp ?? 0) * 1000),
      },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
    if (error instanceof errors.JWTClaimValidationFailed)
      return { ok: false, reason: `invalid token: ${error.claim}` };
    return { ok: false, reason: 'invalid token' };
  }
}

/** Whether a server token's grant covers what a method needs (wire.ts's `grantFor`). */
export function grantCovers(held: VideoGrant, needed: VideoGrant): boolean {
  if (needed.roomCreate && held.roomCreate !== true) return false;
  if (needed.roomList && held.roomList !== true) return false;
  if (needed.roomAdmin && (held.roomAdmin !== true || held.room !== needed.room)) return false;
  return true;
}
