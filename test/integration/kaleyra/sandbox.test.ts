import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import type { Tools } from '../../../src/domain/privileges.js';
import { createKaleyraClient } from '../../../src/kaleyra/client.js';
import {
  type CreateRoomInput,
  KaleyraNotFoundError,
  KaleyraRejectedError,
  type KaleyraVideo,
  type RoomParticipantSpec,
} from '../../../src/kaleyra/port.js';

const apiKey = 'sandbox-test-key-7f3a';
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
  sandbox = await startKaleyraSandbox({ apiKey });
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
