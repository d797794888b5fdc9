/**
 * The video port's contract (src/video/port.ts), run against every provider's sandbox
 * (providers.ts): what the services rely on from any provider, whichever it is. A provider passes
 * this suite before the services may use it.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../../src/domain/clock.js';
import type { Tools } from '../../../src/domain/privileges.js';
import {
  type CreateRoomInput,
  capabilitiesOf,
  type ListedRoom,
  VideoNotFoundError,
  type VideoProvider,
  VideoUnavailableError,
} from '../../../src/video/port.js';
import { PROVIDERS_UNDER_CONTRACT, type RunningProvider } from './providers.js';

const ALL_TOOLS: Tools = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};
const CHAT_ONLY: Tools = { ...ALL_TOOLS, screenSharing: false, fileUpload: false, whiteboard: false };

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/** The room a doctor and a patient need, their users made first where the provider keeps users. */
async function roomFor(provider: VideoProvider, marker: string): Promise<CreateRoomInput> {
  const doctor = provider.identityFor('doctor-1');
  const patient = provider.identityFor('patient@example.org');
  await provider.users?.createUser({ videoUserId: doctor, role: 'plus' });
  await provider.users?.createUser({ videoUserId: patient, role: 'basic' });
  return {
    participants: [
      { videoUserId: doctor, isAdmin: true, tools: ALL_TOOLS },
      { videoUserId: patient, isAdmin: false, tools: CHAT_ONLY },
    ],
    durationInSeconds: 1800,
    live: true,
    marker,
  };
}

/** Every listed room created since `since`, across pages. */
async function listAll(provider: VideoProvider, since: Date): Promise<ListedRoom[]> {
  const rooms: ListedRoom[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const listing = await provider.listRooms({ createdAfter: since, limit: 100, cursor });
    rooms.push(...listing.rooms);
    cursor = listing.nextCursor;
    if (cursor === null) break;
  }
  return rooms;
}

describe.each(PROVIDERS_UNDER_CONTRACT.map((entry) => [entry.name, entry] as const))(
  'the video port, on %s',
  (name, entry) => {
    const T0 = new Date('2030-01-15T10:00:00.000Z');
    const clock = new ManualClock(T0);
    let running: RunningProvider;
    let provider: VideoProvider;
    beforeEach(async () => {
      clock.set(T0);
      running = await entry.start(clock);
      provider = running.provider;
    });
    afterEach(async () => running.close());

    it('is named as VIDEO_PROVIDER names it, and declares exactly the capabilities it implements', () => {
      expect(provider.name).toBe(name);
      expect(capabilitiesOf(provider)).toEqual(entry.capabilities);
    });

    it('derives one stable identity per user, different users never sharing one', () => {
      const users = ['doctor-1', 'Doctor-1', 'patient@example.org', 'ünïcødé', 'a/b', 'x'.repeat(300), ' '];
      const identities = users.map((user) => provider.identityFor(user));
      expect(users.map((user) => provider.identityFor(user))).toEqual(identities);
      expect(new Set(identities).size).toBe(users.length);
      for (const identity of identities) expect(identity.length).toBeGreaterThan(0);
    });

    it('creates a room with an https link stored per participant, finds it by its marker, and deletes it', async () => {
      const marker = `tg-op:contract-${name}`;
      const input = await roomFor(provider, marker);

      const created = await provider.createRoom(input);

      expect(typeof created.roomId).toBe('string');
      expect([...created.links.keys()].sort()).toEqual(input.participants.map((p) => p.videoUserId).sort());
      for (const link of created.links.values()) expect(isHttpsUrl(link)).toBe(true);
      expect((await provider.getRoom(created.roomId)).roomId).toBe(created.roomId);
      const listed = await listAll(provider, new Date(clock.now().getTime() - 5 * 60_000));
      expect(listed.filter((room) => room.marker === marker).map((room) => room.roomId)).toEqual([
        created.roomId,
      ]);

      await provider.deleteRoom(created.roomId);

      expect(running.roomIds()).not.toContain(created.roomId);
      await expect(provider.getRoom(created.roomId)).rejects.toBeInstanceOf(VideoNotFoundError);
      // Deleting twice is "already gone", which the room clean-up counts as done.
      await expect(provider.deleteRoom(created.roomId)).rejects.toBeInstanceOf(VideoNotFoundError);
    });

    it('lists only the rooms created at or after `createdAfter`, with their creation dates (what the orphan sweep reads)', async () => {
      const start = clock.now();
      const older = await provider.createRoom(await roomFor(provider, 'tg-op:older'));
      clock.advance(10 * 60_000);
      const since = clock.now();
      const newer = await provider.createRoom(await roomFor(provider, 'tg-op:newer'));

      const listed = await listAll(provider, since);

      expect(listed.map((room) => room.roomId)).toContain(newer.roomId);
      expect(listed.map((room) => room.roomId)).not.toContain(older.roomId);
      const entry = listed.find((room) => room.roomId === newer.roomId);
      expect(entry?.marker).toBe('tg-op:newer');
      expect(entry?.creationDate.getTime()).toBe(since.getTime());
      expect((await listAll(provider, start)).map((room) => room.roomId)).toEqual(
        expect.arrayContaining([older.roomId, newer.roomId]),
      );
    });

    it('hands out an https join link for each participant from what was stored', async () => {
      const input = await roomFor(provider, 'tg-op:links');
      const created = await provider.createRoom(input);
      for (const participant of input.participants) {
        const link = provider.joinLink({
          roomId: created.roomId,
          storedLink: created.links.get(participant.videoUserId) as string,
          participant: {
            videoUserId: participant.videoUserId,
            role: participant.isAdmin ? 'plus' : 'basic',
            tools: participant.tools,
          },
          joinUntil: new Date(clock.now().getTime() + 3_600_000),
          now: clock.now(),
          language: 'it',
        });
        expect(isHttpsUrl(link)).toBe(true);
      }
    });

    it('answers an unknown room with VideoNotFoundError', async () => {
      await expect(provider.getRoom('room_that_never_was')).rejects.toBeInstanceOf(VideoNotFoundError);
      await expect(provider.deleteRoom('room_that_never_was')).rejects.toBeInstanceOf(VideoNotFoundError);
    });

    it('fails with VideoUnavailableError while its upstream is down, and works again after', async () => {
      const input = await roomFor(provider, 'tg-op:outage');
      running.breakDown();
      await expect(provider.createRoom(input)).rejects.toBeInstanceOf(VideoUnavailableError);
      await expect(provider.getRoom('room_any')).rejects.toBeInstanceOf(VideoUnavailableError);
      await expect(provider.deleteRoom('room_any')).rejects.toBeInstanceOf(VideoUnavailableError);
      await expect(provider.listRooms({ createdAfter: clock.now() })).rejects.toBeInstanceOf(
        VideoUnavailableError,
      );
      running.heal();
      const created = await provider.createRoom(input);
      expect((await provider.getRoom(created.roomId)).roomId).toBe(created.roomId);
    });

    it('keeps users as it declares, idempotently where it keeps any', async () => {
      expect(provider.users !== undefined).toBe(entry.keepsUsers);
      if (!provider.users) return;
      const user = { videoUserId: provider.identityFor('twice'), role: 'basic' as const };
      await provider.users.createUser(user);
      await expect(provider.users.createUser(user)).resolves.toBeUndefined();
      await expect(provider.users.updateUserRole({ ...user, role: 'plus' })).resolves.toBeUndefined();
    });
  },
);
