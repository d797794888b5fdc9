import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../../dev/kaleyra-sandbox/sandbox.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { Tools } from '../../../../src/domain/privileges.js';
import {
  type CreateRoomInput,
  KaleyraNotFoundError,
  KaleyraRejectedError,
  type KaleyraVideo,
  type RoomParticipantSpec,
} from '../../../../src/video/kaleyra/api.js';
import { createKaleyraClient } from '../../../../src/video/kaleyra/client.js';
import { MAX_VIRTUAL_BACKGROUND_BYTES } from '../../../../src/video/kaleyra/wire.js';
import { JPEG_1X1, PNG_1X1, pngOfSize } from '../../../support/images.js';

const apiKey = 'sandbox-test-key-7f3a';
const T0 = new Date('2030-03-01T09:00:00.000Z');
let clock: ManualClock;
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

let sandbox: KaleyraSandbox;
let client: KaleyraVideo;

beforeEach(async () => {
  clock = new ManualClock(T0);
  sandbox = await startKaleyraSandbox({ apiKey, clock });
  client = createKaleyraClient({
    baseUrl: sandbox.url,
    apiKey,
    timeoutMs: 2000,
    retryLimit: 0,
    logger: pino({ level: 'silent' }),
  });
  await client.createUser({ kaleyraUserId: 'doc', role: 'plus' });
  await client.createUser({ kaleyraUserId: 'pat', role: 'basic' });
  await client.createUser({ kaleyraUserId: 'pat2', role: 'basic' });
  sandbox.clearRequests();
});

afterEach(async () => {
  await sandbox.close();
});

const participant = (kaleyraUserId: string, isAdmin = false): RoomParticipantSpec => ({
  kaleyraUserId,
  isAdmin,
  tools: ALL_TOOLS,
});

const room = (overrides: Partial<CreateRoomInput> = {}): CreateRoomInput => ({
  participants: [participant('doc', true), participant('pat')],
  live: false,
  ...overrides,
});

async function rejection(promise: Promise<unknown>): Promise<KaleyraRejectedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KaleyraRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Raw HTTP, for what the typed client cannot send. */
function kaleyra(method: string, path: string, body?: unknown, key: string | null = apiKey) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.apikey = key;
  return fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function control(method: string, path: string, body?: unknown) {
  return kaleyra(method, `/__sandbox/${path}`, body, null);
}

describe('lifecycle', () => {
  it('starts on a free loopback port well under a second, with a URL without trailing slash', async () => {
    const started = performance.now();
    const other = await startKaleyraSandbox({ apiKey });
    const startupMs = performance.now() - started;
    await other.close();
    expect(startupMs).toBeLessThan(500);
    expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(other.url).not.toBe(sandbox.url);
  });

  it('closes promptly even while an injected delay is pending', async () => {
    const other = await startKaleyraSandbox({ apiKey });
    other.injectFault({ path: '*', delayMs: 60_000 });
    const pending = fetch(`${other.url}/v2/rooms/x`, { headers: { apikey: apiKey } }).catch(() => 'dropped');
    while (other.requests().length === 0) await new Promise((resolve) => setImmediate(resolve));
    await other.close();
    await expect(pending).resolves.toBe('dropped');
  });
});

describe('authentication', () => {
  it('answers 401 with an error body when the apikey is missing or wrong', async () => {
    for (const key of [null, 'wrong']) {
      const response = await kaleyra('GET', '/v2/rooms/anything', undefined, key);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
    }
    expect(sandbox.requests().map((request) => request.apiKeyValid)).toEqual([false, false]);
  });
});

describe('users', () => {
  it('accepts ids of up to 128 characters of [a-zA-Z0-9._-]', async () => {
    await client.createUser({ kaleyraUserId: `A.z_0-${'x'.repeat(122)}`, role: 'basic' });
    expect(sandbox.users().map((user) => user.id)).toContain(`A.z_0-${'x'.repeat(122)}`);
  });

  it.each([
    ['a space', 'has space'],
    ['an @', 'a@b'],
    ['129 characters', 'x'.repeat(129)],
    ['nothing', ''],
  ])('rejects an id with %s', async (_, id) => {
    const error = await rejection(client.createUser({ kaleyraUserId: id, role: 'basic' }));
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_user_id' });
  });

  it('rejects an unknown role', async () => {
    const response = await kaleyra('POST', '/v2/users', { id: 'u1', role: 'admin' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_role' });
  });

  it('generates an id when none is given', async () => {
    const response = await kaleyra('POST', '/v2/users', { role: 'basic' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: expect.stringMatching(/^[a-zA-Z0-9._-]{1,128}$/),
      role: 'basic',
    });
  });

  it('answers 409 for an existing id', async () => {
    const response = await kaleyra('POST', '/v2/users', { id: 'doc', role: 'plus' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: 'user_already_exists' });
  });
});

describe('room validation', () => {
  it('rejects fewer than 2 participants', async () => {
    const error = await rejection(client.createRoom(room({ participants: [participant('doc', true)] })));
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_participants' });
  });

  it('accepts 25 participants and rejects 26', async () => {
    const ids = Array.from({ length: 26 }, (_, index) => `p${index}`);
    for (const id of ids) await client.createUser({ kaleyraUserId: id, role: 'plus' });
    await expect(
      client.createRoom(room({ participants: ids.slice(0, 25).map((id) => participant(id)) })),
    ).resolves.toEqual(expect.objectContaining({ roomId: expect.any(String) }));
    const error = await rejection(
      client.createRoom(room({ participants: ids.map((id) => participant(id)) })),
    );
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_participants' });
  });

  it('requires at least one plus user', async () => {
    const error = await rejection(
      client.createRoom(room({ participants: [participant('pat', true), participant('pat2')] })),
    );
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'no_plus_participant' });
  });

  it('rejects unknown users', async () => {
    const error = await rejection(
      client.createRoom(room({ participants: [participant('doc'), participant('ghost')] })),
    );
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'user_not_found' });
    expect(error.message).toContain('ghost');
  });

  it('rejects the same user twice', async () => {
    const error = await rejection(
      client.createRoom(room({ participants: [participant('doc'), participant('doc')] })),
    );
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'duplicate_participant' });
  });

  it.each([59, 0, -60, 60.5])('rejects a duration of %d seconds', async (durationInSeconds) => {
    const error = await rejection(client.createRoom(room({ durationInSeconds })));
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_duration' });
  });

  it('accepts a duration of 60 seconds', async () => {
    const { roomId } = await client.createRoom(room({ durationInSeconds: 60 }));
    expect(sandbox.rooms().find((stored) => stored.roomId === roomId)?.duration).toBe(60);
  });

  it('rejects unknown tools and non-boolean tool values', async () => {
    const base = { user_id: 'pat', is_admin: false };
    for (const tools of [{ teleport: true }, { chat: 'yes' }]) {
      const response = await kaleyra('POST', '/v2/rooms', {
        participants: [
          { user_id: 'doc', is_admin: true },
          { ...base, tools },
        ],
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_tools' });
    }
  });

  it('accepts absent tools (all on) and {} (all off)', async () => {
    const response = await kaleyra('POST', '/v2/rooms', {
      participants: [
        { user_id: 'doc', is_admin: true },
        { user_id: 'pat', is_admin: false, tools: {} },
      ],
    });
    expect(response.status).toBe(201);
    const [stored] = sandbox.rooms();
    expect(stored?.participants.map((p) => p.tools)).toEqual([undefined, {}]);
  });

  it('rejects unknown recording and call type values', async () => {
    const recording = await rejection(client.createRoom(room({ recording: 'always' as never })));
    expect(recording).toMatchObject({ status: 400, kaleyraCode: 'invalid_recording' });
    const callType = await rejection(client.createRoom(room({ callType: 'video_only' as never })));
    expect(callType).toMatchObject({ status: 400, kaleyraCode: 'invalid_call_type' });
  });

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(`${sandbox.url}/v2/rooms`, {
      method: 'POST',
      headers: { apikey: apiKey, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_json' });
  });
});

describe('rooms', () => {
  it('shapes join links like Kaleyra and makes them unique per participant and room', async () => {
    const sandboxWithHost = await startKaleyraSandbox({ apiKey, linkHost: 'clinic.example' });
    try {
      const other = createKaleyraClient({
        baseUrl: sandboxWithHost.url,
        apiKey,
        timeoutMs: 2000,
        retryLimit: 0,
        logger: pino({ level: 'silent' }),
      });
      await other.createUser({ kaleyraUserId: 'doc', role: 'plus' });
      await other.createUser({ kaleyraUserId: 'pat', role: 'basic' });
      const first = await other.createRoom(room());
      const second = await other.createRoom(room());
      const links = [...first.links.values(), ...second.links.values()];
      for (const link of links)
        expect(link).toMatch(/^https:\/\/clinic\.example\/.+\/direct-rest-call-handler\/[\w-]+$/);
      expect(new Set(links).size).toBe(4);
    } finally {
      await sandboxWithHost.close();
    }
  });

  it('answers 404 for unknown rooms on every room route', async () => {
    await expect(client.getRoom('nope')).rejects.toBeInstanceOf(KaleyraNotFoundError);
    await expect(client.deleteRoom('nope')).rejects.toBeInstanceOf(KaleyraNotFoundError);
    await expect(client.deleteRoomUploads('nope')).rejects.toBeInstanceOf(KaleyraNotFoundError);
    const response = await kaleyra('GET', '/v2/rooms/nope');
    expect(await response.json()).toEqual({ error: 'room_not_found', message: expect.any(String) });
  });

  it('answers 204 without body when deleting a room', async () => {
    const { roomId } = await client.createRoom(room());
    const response = await kaleyra('DELETE', `/v2/rooms/${roomId}`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    expect((await kaleyra('GET', '/v2/unknown')).status).toBe(404);
    expect((await kaleyra('PUT', '/v2/rooms')).status).toBe(405);
  });
});

describe('credentials', () => {
  it.each([359, 86401, 600.5])('rejects expires_in %d', async (expiresInSeconds) => {
    const error = await rejection(client.createCredentials({ kaleyraUserId: 'doc', expiresInSeconds }));
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_expires_in' });
  });

  it.each([360, 86400])('accepts expires_in %d', async (expiresInSeconds) => {
    await expect(client.createCredentials({ kaleyraUserId: 'doc', expiresInSeconds })).resolves.toMatchObject(
      {
        kaleyraUserId: 'doc',
      },
    );
  });

  it('rejects an unknown user', async () => {
    const error = await rejection(
      client.createCredentials({ kaleyraUserId: 'ghost', expiresInSeconds: 600 }),
    );
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'user_not_found' });
  });
});

describe('control API under /__sandbox/', () => {
  it('injects a status fault for the next N matching requests', async () => {
    const { roomId } = await client.createRoom(room());
    const created = await control('POST', 'faults', {
      method: 'GET',
      path: '/v2/rooms/:room_id',
      status: 500,
      times: 2,
    });
    expect(created.status).toBe(201);
    expect((await kaleyra('DELETE', `/v2/rooms/${roomId}/uploads`)).status).toBe(200);
    expect((await kaleyra('GET', `/v2/rooms/${roomId}`)).status).toBe(500);
    expect((await kaleyra('GET', `/v2/rooms/${roomId}`)).status).toBe(500);
    expect((await kaleyra('GET', `/v2/rooms/${roomId}`)).status).toBe(200);
  });

  it('keeps an "always" fault until the faults are cleared, and sends Retry-After', async () => {
    await control('POST', 'faults', { path: '*', status: 429, retryAfterSeconds: 7, times: 'always' });
    for (let i = 0; i < 3; i += 1) {
      const response = await kaleyra('GET', '/v2/rooms/x');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
    }
    expect((await control('DELETE', 'faults')).status).toBe(204);
    expect((await kaleyra('GET', '/v2/rooms/x')).status).toBe(404);
  });

  it('never applies faults to its own routes', async () => {
    sandbox.injectFault({ path: '*', status: 500, times: 'always' });
    expect((await control('GET', 'state')).status).toBe(200);
  });

  it('delays, then handles normally, when a fault has only a delay', async () => {
    sandbox.injectFault({ path: '/v2/rooms/:room_id', delayMs: 1000 });
    // Proves the delay without timing it: a 100 ms deadline cannot be met.
    await expect(
      fetch(`${sandbox.url}/v2/rooms/x`, { headers: { apikey: apiKey }, signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    sandbox.injectFault({ path: '/v2/rooms/:room_id', delayMs: 10 });
    const response = await kaleyra('GET', '/v2/rooms/x');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'room_not_found' });
  });

  it('drops the connection', async () => {
    sandbox.injectFault({ method: 'POST', path: '/v2/users', drop: true });
    await expect(kaleyra('POST', '/v2/users', { id: 'x', role: 'basic' })).rejects.toThrow();
    expect(sandbox.users().map((user) => user.id)).not.toContain('x');
  });

  it('rejects an invalid fault', async () => {
    const response = await control('POST', 'faults', { path: '*', times: 0 });
    expect(response.status).toBe(400);
    expect(() => sandbox.injectFault({ path: '' })).toThrow();
  });

  it('adds uploaded files to a room', async () => {
    const { roomId } = await client.createRoom(room());
    const response = await control('POST', `rooms/${roomId}/uploads`, { count: 2 });
    expect(await response.json()).toEqual({ room_id: roomId, total: 2 });
    expect(sandbox.addUploads(roomId, 1)).toBe(3);
    await expect(client.deleteRoomUploads(roomId)).resolves.toEqual({ total: 3, deleted: 3 });
    expect((await control('POST', 'rooms/nope/uploads', { count: 1 })).status).toBe(404);
    expect(() => sandbox.addUploads('nope', 1)).toThrow();
  });

  it('logs Kaleyra requests, never the key, and not its own routes', async () => {
    await kaleyra('POST', '/v2/users?trace=1', { id: 'new', role: 'basic' });
    await kaleyra('GET', '/v2/rooms/r1', undefined, 'wrong');
    const response = await control('GET', 'requests');
    const text = await response.text();
    expect(text).not.toContain(apiKey);
    expect(JSON.parse(text)).toEqual([
      {
        method: 'POST',
        path: '/v2/users',
        query: { trace: '1' },
        body: { id: 'new', role: 'basic' },
        receivedAt: expect.any(String),
        apiKeyValid: true,
      },
      { method: 'GET', path: '/v2/rooms/r1', query: {}, receivedAt: expect.any(String), apiKeyValid: false },
    ]);
    expect((await control('DELETE', 'requests')).status).toBe(204);
    expect(sandbox.requests()).toEqual([]);
  });

  it('shows the state', async () => {
    const { roomId } = await client.createRoom(room({ description: 'checkup' }));
    const state = (await (await control('GET', 'state')).json()) as {
      users: Array<{ id: string }>;
      rooms: Array<{ roomId: string; description: string }>;
    };
    expect(state.users.map((user) => user.id).sort()).toEqual(['doc', 'pat', 'pat2']);
    expect(state.rooms).toEqual([expect.objectContaining({ roomId, description: 'checkup' })]);
  });

  it('hands out snapshots, not its live state', async () => {
    await client.createRoom(room());
    sandbox.rooms()[0]!.uploads = 99;
    sandbox.users()[0]!.role = 'basic';
    expect(sandbox.rooms()[0]?.uploads).toBe(0);
    expect(sandbox.users()[0]?.role).toBe('plus');
  });
});

describe('changing a role', () => {
  it('answers 200 with the user and keeps the new role', async () => {
    const response = await kaleyra('PATCH', '/v2/users/pat', { role: 'plus' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'pat', role: 'plus' });
    expect(sandbox.users().find((user) => user.id === 'pat')?.role).toBe('plus');
  });

  it('answers 404 for an unknown user', async () => {
    const response = await kaleyra('PATCH', '/v2/users/ghost', { role: 'plus' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'user_not_found', message: expect.any(String) });
  });

  it.each([
    ['an unknown role', { role: 'admin' }, 'invalid_role'],
    ['no role', {}, 'invalid_role'],
    ['another field', { role: 'plus', id: 'other' }, 'unknown_field'],
  ])('answers 400 for %s and changes nothing', async (_, body, code) => {
    const response = await kaleyra('PATCH', '/v2/users/pat', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: code });
    expect(sandbox.users().find((user) => user.id === 'pat')?.role).toBe('basic');
  });
});

describe('room listing', () => {
  interface WireListing {
    rooms: Array<{ room_id: string; description: string | null; creation_date: string; status: string }>;
    next_cursor: string | null;
  }

  async function list(query: Record<string, string>): Promise<WireListing> {
    const response = await kaleyra('GET', `/v2/rooms?${new URLSearchParams(query)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as WireListing;
  }

  /** Rooms at T0 + 0, 1, 2 … minutes; two of them share a minute so the room id breaks the tie. */
  async function createRooms(): Promise<string[]> {
    const ids: string[] = [];
    for (const minute of [0, 1, 1, 2, 3]) {
      clock.set(T0.getTime() + minute * 60_000);
      const description = minute === 3 ? undefined : `op:${ids.length}`;
      ids.push((await client.createRoom(room(description === undefined ? {} : { description }))).roomId);
    }
    return ids;
  }

  it('lists rooms created at or after created_after, by creation date then room id', async () => {
    const ids = await createRooms();
    const listing = await list({ created_after: new Date(T0.getTime() + 60_000).toISOString() });
    const [, sameMinuteA, sameMinuteB, atTwo, atThree] = ids as [string, string, string, string, string];
    expect(listing.rooms.map((listed) => listed.room_id)).toEqual([
      ...[sameMinuteA, sameMinuteB].sort(),
      atTwo,
      atThree,
    ]);
    expect(listing.next_cursor).toBeNull();
    expect(listing.rooms.at(-1)).toEqual({
      room_id: atThree,
      description: null,
      creation_date: new Date(T0.getTime() + 3 * 60_000).toISOString(),
      status: 'active',
    });
    expect(listing.rooms.find((listed) => listed.room_id === atTwo)?.description).toBe('op:3');
  });

  it('pages with an opaque cursor until next_cursor is null, each room once', async () => {
    const ids = await createRooms();
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const listing: WireListing = await list({
        created_after: T0.toISOString(),
        limit: '2',
        ...(cursor === null ? {} : { cursor }),
      });
      pageSizes.push(listing.rooms.length);
      seen.push(...listing.rooms.map((listed) => listed.room_id));
      cursor = listing.next_cursor;
    } while (cursor !== null);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('gives no cursor when the last page is exactly full', async () => {
    await createRooms();
    const listing = await list({ created_after: T0.toISOString(), limit: '5' });
    expect(listing.rooms).toHaveLength(5);
    expect(listing.next_cursor).toBeNull();
  });

  it('keeps its place when the room the cursor stopped at is deleted', async () => {
    const ids = await createRooms();
    const first = await list({ created_after: T0.toISOString(), limit: '2' });
    await client.deleteRoom(first.rooms[1]!.room_id);
    const rest = await list({ created_after: T0.toISOString(), limit: '10', cursor: first.next_cursor! });
    expect([...first.rooms, ...rest.rooms].map((listed) => listed.room_id).sort()).toEqual([...ids].sort());
  });

  it.each([
    ['limit 0', { limit: '0' }, 'invalid_limit'],
    ['limit 101', { limit: '101' }, 'invalid_limit'],
    ['a limit that is not a number', { limit: 'ten' }, 'invalid_limit'],
    ['a fractional limit', { limit: '2.5' }, 'invalid_limit'],
    ['a created_after that is not a date', { created_after: 'yesterday' }, 'invalid_created_after'],
    ['a cursor it never gave', { cursor: 'not-a-cursor' }, 'invalid_cursor'],
    ['an empty cursor', { cursor: '' }, 'invalid_cursor'],
  ])('answers 400 for %s', async (_, query, code) => {
    const response = await kaleyra('GET', `/v2/rooms?${new URLSearchParams(query)}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: code });
  });

  it('accepts limits 1 and 100', async () => {
    await createRooms();
    expect((await list({ limit: '1' })).rooms).toHaveLength(1);
    expect((await list({ limit: '100' })).rooms).toHaveLength(5);
  });
});

describe('company settings', () => {
  async function patchCompany(body: unknown) {
    const response = await kaleyra('PATCH', '/v2/company', body);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function uploadPng(): Promise<string> {
    const response = await upload(formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 }));
    expect(response.status).toBe(201);
    return ((await response.json()) as { background_alias: string }).background_alias;
  }

  it('starts as the sandbox company with English and nothing else set', async () => {
    const response = await kaleyra('GET', '/v2/company');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: 'Sandbox Company',
      default_language: 'en',
      default_background: null,
      end_call_redirect_url: null,
      user_details_provider_url: null,
      end_call_redirect_timeout_ms: null,
    });
  });

  it.each(['en', 'it', 'pl', 'fr', 'de', 'es'])('accepts the link language %s', async (language) => {
    expect(await patchCompany({ default_language: language })).toEqual({
      status: 200,
      body: expect.objectContaining({ default_language: language }),
    });
  });

  it.each(['pt', 'EN', 'it-IT', '', null, 7])('refuses the language %p', async (language) => {
    expect(await patchCompany({ default_language: language })).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_language' }),
    });
    expect(sandbox.company().defaultLanguage).toBe('en');
  });

  it('sets the redirect and user details settings, and clears them with null', async () => {
    const set = await patchCompany({
      end_call_redirect_url: 'https://clinic.example/bye',
      end_call_redirect_timeout_ms: 5000,
      user_details_provider_url: 'https://clinic.example/users',
    });
    expect(set).toEqual({
      status: 200,
      body: expect.objectContaining({
        end_call_redirect_url: 'https://clinic.example/bye',
        end_call_redirect_timeout_ms: 5000,
        user_details_provider_url: 'https://clinic.example/users',
        default_language: 'en',
      }),
    });
    await patchCompany({ end_call_redirect_url: null, end_call_redirect_timeout_ms: null });
    expect(sandbox.company()).toMatchObject({
      endCallRedirectUrl: null,
      endCallRedirectTimeoutMs: null,
      userDetailsProviderUrl: 'https://clinic.example/users',
    });
  });

  it.each([
    [{ end_call_redirect_url: 'not a url' }, 'invalid_url'],
    [{ user_details_provider_url: 'ftp://clinic.example/users' }, 'invalid_url'],
    [{ end_call_redirect_timeout_ms: -1 }, 'invalid_timeout'],
    [{ end_call_redirect_timeout_ms: 1.5 }, 'invalid_timeout'],
    [{ defaultLanguage: 'it' }, 'unknown_field'],
  ])('refuses %p', async (body, code) => {
    expect(await patchCompany(body)).toEqual({ status: 400, body: expect.objectContaining({ error: code }) });
  });

  it('refuses an alias that names no uploaded background, and changes nothing else either', async () => {
    expect(await patchCompany({ default_language: 'it', background_alias: 'bg_missing' })).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'unknown_background' }),
    });
    expect(sandbox.company()).toMatchObject({ defaultLanguage: 'en', defaultBackgroundAlias: null });
  });

  it('sets the default background to an uploaded one, and clears it with null', async () => {
    const alias = await uploadPng();
    const [stored] = sandbox.backgrounds();
    const set = await patchCompany({ background_alias: alias });
    expect(set.body.default_background).toEqual({
      alias,
      url: stored?.url,
      creation_date: T0.toISOString(),
    });
    const cleared = await patchCompany({ background_alias: null });
    expect(cleared).toEqual({ status: 200, body: expect.objectContaining({ default_background: null }) });
  });

  it("clears the company's default background when that background is deleted", async () => {
    const alias = await uploadPng();
    await patchCompany({ background_alias: alias });
    expect((await kaleyra('DELETE', `/v2/company/virtual_backgrounds/${alias}`)).status).toBe(204);
    expect(sandbox.company().defaultBackgroundAlias).toBeNull();
    expect(await (await kaleyra('GET', '/v2/company')).json()).toMatchObject({ default_background: null });
  });
});

interface FormFile {
  field?: string;
  name: string;
  type: string;
  data: Buffer;
}

function formWith(...files: FormFile[]): FormData {
  const form = new FormData();
  for (const file of files) {
    form.append(file.field ?? 'file', new Blob([file.data], { type: file.type }), file.name);
  }
  return form;
}

function upload(form: FormData | string, headers: Record<string, string> = {}) {
  return fetch(`${sandbox.url}/v2/company/virtual_backgrounds`, {
    method: 'POST',
    headers: { apikey: apiKey, ...headers },
    body: form,
  });
}

async function errorOf(response: Response): Promise<{ status: number; error: unknown }> {
  return { status: response.status, error: ((await response.json()) as { error?: unknown }).error };
}

describe('virtual background uploads', () => {
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  it('stores a PNG named .txt and declared text/plain: the content decides', async () => {
    const response = await upload(formWith({ name: 'notes.txt', type: 'text/plain', data: PNG_1X1 }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { background_alias: string; url: string; creation_date: string };
    expect(body).toEqual({
      background_alias: expect.stringMatching(/^[\w-]+$/),
      url: expect.stringMatching(/^https:\/\/sandbox\.video\.kaleyra\.local\/.+\.png$/),
      creation_date: T0.toISOString(),
    });
    expect(sandbox.backgrounds()).toEqual([
      {
        alias: body.background_alias,
        url: body.url,
        creationDate: T0,
        fileName: 'notes.txt',
        contentType: 'image/png',
        size: PNG_1X1.length,
        sha256: sha256(PNG_1X1),
      },
    ]);
  });

  it('stores a JPEG', async () => {
    const response = await upload(formWith({ name: 'bg.jpg', type: 'image/jpeg', data: JPEG_1X1 }));
    expect(response.status).toBe(201);
    expect(sandbox.backgrounds()).toEqual([
      expect.objectContaining({ contentType: 'image/jpeg', sha256: sha256(JPEG_1X1) }),
    ]);
  });

  it('refuses a text file named .png and declared image/png', async () => {
    const response = await upload(
      formWith({ name: 'bg.png', type: 'image/png', data: Buffer.from('this is not an image\n') }),
    );
    expect(await errorOf(response)).toEqual({ status: 400, error: 'invalid_file_type' });
    expect(sandbox.backgrounds()).toEqual([]);
  });

  it('refuses an empty file', async () => {
    const response = await upload(formWith({ name: 'bg.png', type: 'image/png', data: Buffer.alloc(0) }));
    expect(await errorOf(response)).toEqual({ status: 400, error: 'invalid_file_type' });
  });

  it('refuses a file cut short after part of the PNG signature', async () => {
    const response = await upload(
      formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1.subarray(0, 4) }),
    );
    expect(await errorOf(response)).toEqual({ status: 400, error: 'invalid_file_type' });
  });

  it('accepts exactly 10 MB, more than the 1 MB JSON bodies may have', async () => {
    const data = pngOfSize(MAX_VIRTUAL_BACKGROUND_BYTES);
    const response = await upload(formWith({ name: 'big.png', type: 'image/png', data }));
    expect(response.status).toBe(201);
    expect(sandbox.backgrounds()).toEqual([
      expect.objectContaining({ size: MAX_VIRTUAL_BACKGROUND_BYTES, sha256: sha256(data) }),
    ]);
  });

  it('refuses 10 MB + 1 byte with 413, having read no further than the limit', async () => {
    const response = await upload(
      formWith({ name: 'big.png', type: 'image/png', data: pngOfSize(MAX_VIRTUAL_BACKGROUND_BYTES + 1) }),
    );
    expect(await errorOf(response)).toEqual({ status: 413, error: 'file_too_large' });
    expect(sandbox.backgrounds()).toEqual([]);
    expect(sandbox.requests()[0]?.body).toEqual({
      multipart: {
        files: [
          {
            field: 'file',
            fileName: 'big.png',
            declaredType: 'image/png',
            size: MAX_VIRTUAL_BACKGROUND_BYTES,
            detectedType: 'image/png',
            tooLarge: true,
          },
        ],
        fields: [],
      },
    });
    // The connection is still good for the next request.
    expect((await kaleyra('GET', '/v2/company')).status).toBe(200);
  });

  it('refuses a form without a file, with only a text field named file, or with the file elsewhere', async () => {
    const textOnly = new FormData();
    textOnly.append('file', 'just text');
    for (const form of [
      new FormData(),
      textOnly,
      formWith({ field: 'image', name: 'bg.png', type: 'image/png', data: PNG_1X1 }),
    ]) {
      expect(await errorOf(await upload(form))).toEqual({ status: 400, error: 'missing_file' });
    }
  });

  it('refuses two files', async () => {
    const twice = formWith(
      { name: 'a.png', type: 'image/png', data: PNG_1X1 },
      { name: 'b.png', type: 'image/png', data: PNG_1X1 },
    );
    expect(await errorOf(await upload(twice))).toEqual({ status: 400, error: 'too_many_files' });
    const elsewhere = formWith(
      { name: 'a.png', type: 'image/png', data: PNG_1X1 },
      { field: 'other', name: 'b.jpg', type: 'image/jpeg', data: JPEG_1X1 },
    );
    expect(await errorOf(await upload(elsewhere))).toEqual({ status: 400, error: 'too_many_files' });
    expect(sandbox.backgrounds()).toEqual([]);
  });

  it('refuses JSON and malformed multipart bodies', async () => {
    const json = await upload(JSON.stringify({ file: 'x' }), { 'content-type': 'application/json' });
    expect(await errorOf(json)).toEqual({ status: 400, error: 'invalid_content_type' });
    const noBoundary = await upload('--x\r\n', { 'content-type': 'multipart/form-data' });
    expect(await errorOf(noBoundary)).toEqual({ status: 400, error: 'invalid_multipart' });
    const cutShort = await upload(
      '--b\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
      { 'content-type': 'multipart/form-data; boundary=b' },
    );
    expect(await errorOf(cutShort)).toEqual({ status: 400, error: 'invalid_multipart' });
  });

  it('refuses a multipart body on a JSON route', async () => {
    const response = await fetch(`${sandbox.url}/v2/users`, {
      method: 'POST',
      headers: { apikey: apiKey },
      body: formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 }),
    });
    expect(await errorOf(response)).toEqual({ status: 400, error: 'invalid_content_type' });
  });

  it('checks the apikey on uploads too', async () => {
    const response = await upload(formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 }), {
      apikey: 'wrong',
    });
    expect(response.status).toBe(401);
    expect(sandbox.backgrounds()).toEqual([]);
  });

  it('logs an upload with names, sizes and detected type, never the bytes', async () => {
    const form = formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 });
    form.append('note', 'hello');
    await upload(form);
    const text = await (await control('GET', 'requests')).text();
    expect(text).not.toContain(PNG_1X1.toString('base64'));
    expect(text).not.toContain('hello');
    expect(JSON.parse(text)).toEqual([
      {
        method: 'POST',
        path: '/v2/company/virtual_backgrounds',
        query: {},
        body: {
          multipart: {
            files: [
              {
                field: 'file',
                fileName: 'bg.png',
                declaredType: 'image/png',
                size: PNG_1X1.length,
                detectedType: 'image/png',
              },
            ],
            fields: ['note'],
          },
        },
        receivedAt: expect.any(String),
        apiKeyValid: true,
      },
    ]);
  });

  it('logs an upload the client abandoned mid-body, and stores nothing', async () => {
    const abandoned = httpRequest(`${sandbox.url}/v2/company/virtual_backgrounds`, {
      method: 'POST',
      headers: {
        apikey: apiKey,
        'content-type': 'multipart/form-data; boundary=b',
        'content-length': '100000',
      },
    });
    abandoned.on('error', () => {});
    abandoned.write('--b\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n');
    await new Promise<void>((resolve) => abandoned.write(PNG_1X1, () => resolve()));
    abandoned.destroy();
    while (sandbox.requests().length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(sandbox.requests()[0]?.body).toEqual({
      multipart: {
        files: [
          {
            field: 'file',
            fileName: 'a.png',
            declaredType: 'text/plain',
            size: PNG_1X1.length,
            detectedType: 'image/png',
          },
        ],
        fields: [],
        aborted: true,
      },
    });
    expect(sandbox.backgrounds()).toEqual([]);
  });

  it('applies injected faults to uploads, after logging them', async () => {
    sandbox.injectFault({ method: 'POST', path: '/v2/company/virtual_backgrounds', status: 503 });
    const response = await upload(formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 }));
    expect(response.status).toBe(503);
    expect(sandbox.backgrounds()).toEqual([]);
    expect(sandbox.requests()).toHaveLength(1);
  });

  it('lists uploaded backgrounds oldest first and deletes them by alias', async () => {
    const aliases: string[] = [];
    for (const data of [PNG_1X1, JPEG_1X1]) {
      const response = await upload(formWith({ name: 'bg', type: 'application/octet-stream', data }));
      aliases.push(((await response.json()) as { background_alias: string }).background_alias);
      clock.advance(1000);
    }
    const listed = (await (await kaleyra('GET', '/v2/company/virtual_backgrounds')).json()) as Array<{
      background_alias: string;
      url: string;
      creation_date: string;
    }>;
    expect(listed.map((background) => background.background_alias)).toEqual(aliases);
    expect(listed[1]?.url).toMatch(/\.jpg$/);
    expect(listed[1]?.creation_date).toBe(new Date(T0.getTime() + 1000).toISOString());

    const deleted = await kaleyra('DELETE', `/v2/company/virtual_backgrounds/${aliases[0]}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(sandbox.backgrounds().map((background) => background.alias)).toEqual([aliases[1]]);
    expect(await errorOf(await kaleyra('DELETE', `/v2/company/virtual_backgrounds/${aliases[0]}`))).toEqual({
      status: 404,
      error: 'background_not_found',
    });
  });
});

describe('control API: company and backgrounds', () => {
  it('shows them in the state', async () => {
    await upload(formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 }));
    const state = (await (await control('GET', 'state')).json()) as Record<string, unknown>;
    expect(state.company).toEqual({
      name: 'Sandbox Company',
      defaultLanguage: 'en',
      defaultBackgroundAlias: null,
      endCallRedirectUrl: null,
      userDetailsProviderUrl: null,
      endCallRedirectTimeoutMs: null,
    });
    expect(state.backgrounds).toEqual([
      expect.objectContaining({ fileName: 'bg.png', contentType: 'image/png', size: PNG_1X1.length }),
    ]);
  });

  it('hands out snapshots of them', async () => {
    await upload(formWith({ name: 'bg.png', type: 'image/png', data: PNG_1X1 }));
    sandbox.company().defaultLanguage = 'it';
    sandbox.backgrounds()[0]!.creationDate.setTime(0);
    expect(sandbox.company().defaultLanguage).toBe('en');
    expect(sandbox.backgrounds()[0]?.creationDate).toEqual(T0);
  });
});
