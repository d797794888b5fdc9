/**
 * LiveKit behind the video port, against the LiveKit sandbox: rooms with the participant limit,
 * timeouts and our marker; links whose tokens the sandbox admits (room, identity, roomAdmin for
 * PLUS, the tools' sources, exp at the end of the join window); the listing by marker; typed errors.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import pino from 'pino';
import { type LivekitSandbox, startLivekitSandbox } from '../../../../dev/livekit-sandbox/sandbox.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { Tools } from '../../../../src/domain/privileges.js';
import { createLivekitClient } from '../../../../src/video/livekit/client.js';
import {
  LIVEKIT,
  livekitIdentityFor,
  livekitProvider,
  ROOM_TIMEOUT_SECONDS,
} from '../../../../src/video/livekit/provider.js';
import {
  capabilitiesOf,
  VideoNotFoundError,
  type VideoProvider,
  VideoUnavailableError,
} from '../../../../src/video/port.js';

const apiKey = 'APIprovider';
const apiSecret = randomBytes(32).toString('hex');
const clock = new ManualClock(new Date('2030-01-15T10:00:00.000Z'));
const JOIN = 'https://meet.example/custom?liveKitUrl={url}&token={token}';
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
let sandbox: LivekitSandbox;
let provider: VideoProvider;

beforeEach(async () => {
  clock.set(new Date('2030-01-15T10:00:00.000Z'));
  sandbox = await startLivekitSandbox({ apiKey, apiSecret, clock });
  const client = createLivekitClient({
    url: sandbox.url,
    apiKey,
    apiSecret,
    timeoutMs: 2000,
    retryLimit: 1,
    logger: pino({ level: 'silent' }),
    clock,
  });
  provider = livekitProvider(client, {
    key: { apiKey, apiSecret },
    wsUrl: sandbox.wsUrl,
    joinUrlTemplate: JOIN,
    unboundedTokenTtlMs: 3_600_000,
  });
});
afterEach(async () => {
  await sandbox.close();
});

const doctor = livekitIdentityFor('doctor-1');
const patient = livekitIdentityFor('patient@example.org');

async function twoPartyRoom(marker = 'tg-op:abc') {
  return provider.createRoom({
    participants: [
      { videoUserId: doctor, isAdmin: true, tools: { ...NO_TOOLS, chat: true, screenSharing: true } },
      { videoUserId: patient, isAdmin: false, tools: NO_TOOLS },
    ],
    live: true,
    marker,
  });
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}

describe('LiveKit rooms', () => {
  it('offers rooms and links only: no optional capability', () => {
    expect(provider.name).toBe(LIVEKIT);
    expect(capabilitiesOf(provider)).toEqual([]);
    expect(provider.users).toBeUndefined();
  });

  it('creates a room with the participant limit, timeouts that outlast the visit and our marker', async () => {
    const created = await twoPartyRoom();
    expect(sandbox.rooms()).toEqual([
      expect.objectContaining({
        name: created.roomId,
        maxParticipants: 2,
        emptyTimeout: ROOM_TIMEOUT_SECONDS,
        departureTimeout: ROOM_TIMEOUT_SECONDS,
        metadata: JSON.stringify({ teleconsultationGateway: 'tg-op:abc' }),
      }),
    ]);
    // Stored links hold no token: the real one is signed when a link is handed out.
    expect([...created.links.keys()]).toEqual([doctor, patient]);
    for (const link of created.links.values()) {
      expect(link).toMatch(/^https:\/\//);
      expect(tokenOf(link)).toBe('');
    }
  });

  it('lists rooms with their marker, oldest first, from createdAfter', async () => {
    const first = await twoPartyRoom('tg-op:1');
    clock.advance(60_000);
    const second = await twoPartyRoom('tg-op:2');
    const all = await provider.listRooms({ createdAfter: new Date(0) });
    expect(all).toEqual({
      rooms: [
        { roomId: first.roomId, marker: 'tg-op:1', creationDate: new Date('2030-01-15T10:00:00.000Z') },
        { roomId: second.roomId, marker: 'tg-op:2', creationDate: new Date('2030-01-15T10:01:00.000Z') },
      ],
      nextCursor: null,
    });
    const later = await provider.listRooms({ createdAfter: new Date('2030-01-15T10:00:30.000Z') });
    expect(later.rooms.map((room) => room.roomId)).toEqual([second.roomId]);
  });

  it('reads and deletes a room; an unknown one is VideoNotFoundError', async () => {
    const { roomId } = await twoPartyRoom();
    expect(await provider.getRoom(roomId)).toMatchObject({ roomId, creationDate: clock.now() });
    await provider.deleteRoom(roomId);
    expect(sandbox.rooms()).toEqual([]);
    await expect(provider.getRoom(roomId)).rejects.toBeInstanceOf(VideoNotFoundError);
    await expect(provider.deleteRoom(roomId)).rejects.toBeInstanceOf(VideoNotFoundError);
  });

  it('reports LiveKit being down as VideoUnavailableError', async () => {
    sandbox.injectFault({ path: '*', status: 503, times: 'always' });
    await expect(twoPartyRoom()).rejects.toBeInstanceOf(VideoUnavailableError);
  });
});

describe('LiveKit join links', () => {
  it("carry a token the server admits: the room, the participant, PLUS's roomAdmin, the tools' sources, exp at the window's end", async () => {
    const { roomId, links } = await twoPartyRoom();
    const joinUntil = new Date('2030-01-15T11:10:00.000Z');
    const link = (videoUserId: string, role: 'plus' | 'basic', tools: Tools) =>
      provider.joinLink({
        roomId,
        storedLink: links.get(videoUserId) as string,
        participant: { videoUserId, role, tools },
        joinUntil,
        now: clock.now(),
      });
    const doctorLink = link(doctor, 'plus', { ...NO_TOOLS, chat: true, screenSharing: true });
    const patientLink = link(patient, 'basic', NO_TOOLS);
    expect(new URL(doctorLink).searchParams.get('liveKitUrl')).toBe(sandbox.wsUrl);

    const admitted = await sandbox.join(tokenOf(doctorLink));
    expect(admitted).toMatchObject({
      identity: doctor,
      grant: {
        room: roomId,
        roomJoin: true,
        roomAdmin: true,
        canPublishData: true,
        canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
      },
    });
    expect((await sandbox.join(tokenOf(patientLink))).grant).toMatchObject({
      roomAdmin: false,
      canPublishData: false,
      canPublishSources: ['camera', 'microphone'],
    });
    expect(decodeJwt(tokenOf(patientLink))).toMatchObject({
      sub: patient,
      nbf: clock.now().getTime() / 1000,
      exp: joinUntil.getTime() / 1000,
    });
    // The window closed: the token no longer opens the room.
    clock.set(joinUntil);
    await expect(sandbox.join(tokenOf(patientLink))).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('expire LIVEKIT_TOKEN_TTL_MS after they are handed out when the window has no end', async () => {
    const { roomId, links } = await twoPartyRoom();
    const link = provider.joinLink({
      roomId,
      storedLink: links.get(patient) as string,
      participant: { videoUserId: patient, role: null, tools: NO_TOOLS },
      joinUntil: null,
      now: clock.now(),
    });
    expect(decodeJwt(tokenOf(link)).exp).toBe(clock.now().getTime() / 1000 + 3600);
    expect(decodeJwt(tokenOf(link)).video).toMatchObject({ roomAdmin: false });
  });
});

describe('LiveKit identities', () => {
  it('keep readable ids readable and hash the others (no address reaches LiveKit)', () => {
    expect(livekitIdentityFor('doctor-1')).toBe('tg.doctor-1');
    expect(livekitIdentityFor('patient@example.org')).toMatch(/^tgh\.[A-Za-z0-9_-]{43}$/);
    expect(livekitIdentityFor('patient@example.org')).toBe(livekitIdentityFor('patient@example.org'));
    expect(livekitIdentityFor('a@b')).not.toBe(livekitIdentityFor('a@c'));
  });
});
