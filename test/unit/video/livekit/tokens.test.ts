/**
 * Join tokens: claims exact (verified with the secret by jose and by LiveKit's own TokenVerifier),
 * grants from the privileges and tools, exp at the end of the join window; and the join link.
 */
import { describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { TokenVerifier } from 'livekit-server-sdk';
import type { Tools } from '../../../../src/domain/privileges.js';
import { livekitJoinLink } from '../../../../src/video/livekit/join-link.js';
import {
  joinGrant,
  publishSources,
  signJoinToken,
  signServerToken,
} from '../../../../src/video/livekit/tokens.js';

const key = { apiKey: 'APIunit', apiSecret: 'a-secret-of-at-least-thirty-two-bytes!!' };
const NO_TOOLS: Tools = {
  chat: false,
  screenSharing: false,
  fileUpload: false,
  whiteboard: false,
  snapshot: false,
  liveEdit: false,
  livePointer: false,
  presentToEveryone: false,
};
const opens = new Date('2030-01-15T09:45:00.000Z');
const closes = new Date('2030-01-15T11:00:00.000Z');

async function verified(token: string, at: Date) {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(key.apiSecret), {
    algorithms: ['HS256'],
    currentDate: at,
  });
  return payload;
}

describe('join tokens', () => {
  it('carries exactly iss, sub, name, nbf, exp and the video grant', async () => {
    const token = await signJoinToken(key, {
      room: 'tc-abc',
      identity: 'user-42',
      displayName: 'Dr. Who',
      admin: true,
      tools: { ...NO_TOOLS, chat: true, screenSharing: true },
      notBefore: opens,
      expiresAt: closes,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(await verified(token, new Date('2030-01-15T10:00:00.000Z'))).toEqual({
      iss: 'APIunit',
      sub: 'user-42',
      name: 'Dr. Who',
      nbf: opens.getTime() / 1000,
      exp: closes.getTime() / 1000,
      video: {
        room: 'tc-abc',
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
        canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
        roomAdmin: true,
      },
    });
  });

  it("verifies with LiveKit's own TokenVerifier and the same secret, and with no other", async () => {
    const now = new Date();
    const token = await signJoinToken(key, {
      room: 'tc-abc',
      identity: 'user-42',
      displayName: 'P',
      admin: false,
      tools: NO_TOOLS,
      notBefore: new Date(now.getTime() - 60_000),
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    const claims = await new TokenVerifier(key.apiKey, key.apiSecret).verify(token);
    expect(claims).toMatchObject({
      sub: 'user-42',
      video: { room: 'tc-abc', roomJoin: true, roomAdmin: false },
    });
    await expect(new TokenVerifier(key.apiKey, `${key.apiSecret}x`).verify(token)).rejects.toThrow();
  });

  it('is refused by a verifier at and after the end of the join window', async () => {
    const token = await signJoinToken(key, {
      room: 'r',
      identity: 'u',
      displayName: 'n',
      admin: false,
      tools: NO_TOOLS,
      notBefore: opens,
      expiresAt: closes,
    });
    await expect(verified(token, new Date(closes.getTime() - 1000))).resolves.toBeDefined();
    await expect(verified(token, closes)).rejects.toThrow('"exp" claim timestamp check failed');
    await expect(verified(token, new Date(opens.getTime() - 1000))).rejects.toThrow('"nbf"');
  });

  it('leaves out name when the display name is unknown', async () => {
    const token = signJoinToken(key, {
      room: 'r',
      identity: 'u',
      admin: false,
      tools: NO_TOOLS,
      notBefore: opens,
      expiresAt: closes,
    });
    expect(Object.keys(await verified(token, opens)).sort()).toEqual(['exp', 'iss', 'nbf', 'sub', 'video']);
  });

  it('refuses a window that ends before it starts', () => {
    expect(() =>
      signJoinToken(key, {
        room: 'r',
        identity: 'u',
        displayName: 'n',
        admin: false,
        tools: NO_TOOLS,
        notBefore: closes,
        expiresAt: closes,
      }),
    ).toThrow(RangeError);
  });
});

describe('grants from privileges and tools', () => {
  it('roomAdmin exactly for PLUS', () => {
    expect(joinGrant({ room: 'r', admin: true, tools: NO_TOOLS }).roomAdmin).toBe(true);
    expect(joinGrant({ room: 'r', admin: false, tools: NO_TOOLS }).roomAdmin).toBe(false);
  });

  it('camera and microphone always; the screen and its audio only with screen sharing', () => {
    expect(publishSources(NO_TOOLS)).toEqual(['camera', 'microphone']);
    expect(publishSources({ ...NO_TOOLS, chat: true, whiteboard: true })).toEqual(['camera', 'microphone']);
    expect(publishSources({ ...NO_TOOLS, screenSharing: true })).toEqual([
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ]);
  });

  it('data (chat) only with the chat tool', () => {
    expect(joinGrant({ room: 'r', admin: false, tools: NO_TOOLS }).canPublishData).toBe(false);
    expect(joinGrant({ room: 'r', admin: false, tools: { ...NO_TOOLS, chat: true } }).canPublishData).toBe(
      true,
    );
  });
});

describe('server tokens', () => {
  it('carry only the grant, iss, nbf now and exp ten minutes later; no identity', async () => {
    const now = new Date('2030-01-15T10:00:00.000Z');
    const token = await signServerToken(key, { roomAdmin: true, room: 'r' }, now);
    expect(await verified(token, now)).toEqual({
      iss: 'APIunit',
      nbf: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 600,
      video: { roomAdmin: true, room: 'r' },
    });
  });
});

describe('join links', () => {
  it('puts the token and the WebSocket URL into the template, URL-encoded', () => {
    expect(
      livekitJoinLink(
        'https://meet.example/custom?liveKitUrl={url}&token={token}',
        'a.b+c/d=',
        'wss://lk.example:7880/x?y=1',
      ),
    ).toBe(
      'https://meet.example/custom?liveKitUrl=wss%3A%2F%2Flk.example%3A7880%2Fx%3Fy%3D1&token=a.b%2Bc%2Fd%3D',
    );
  });

  it('works without {url}, and with each placeholder more than once', () => {
    expect(livekitJoinLink('https://meet.example/#{token}', 't', 'wss://x')).toBe('https://meet.example/#t');
    expect(livekitJoinLink('https://m/{token}/{token}?u={url}&v={url}', 't', 'w')).toBe(
      'https://m/t/t?u=w&v=w',
    );
  });
});
