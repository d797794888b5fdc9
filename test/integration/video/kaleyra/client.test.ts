import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../../dev/kaleyra-sandbox/sandbox.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { Tools } from '../../../../src/domain/privileges.js';
import type { UpstreamCallEvent } from '../../../../src/shared/upstream-client.js';
import {
  type CompanySettingsChanges,
  type CreateRoomInput,
  KaleyraNotFoundError,
  KaleyraRejectedError,
  KaleyraUnavailableError,
  type KaleyraVideo,
  type ListedRoom,
  type VirtualBackgroundFile,
} from '../../../../src/video/kaleyra/api.js';
import { createKaleyraClient, type KaleyraClientOptions } from '../../../../src/video/kaleyra/client.js';
import { MAX_VIRTUAL_BACKGROUND_BYTES } from '../../../../src/video/kaleyra/wire.js';
import { JPEG_1X1, PNG_1X1, pngOfSize } from '../../../support/images.js';

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
const CHAT_ONLY: Tools = {
  chat: true,
  screenSharing: false,
  fileUpload: false,
  whiteboard: false,
  snapshot: false,
  liveEdit: false,
  livePointer: false,
  presentToEveryone: false,
};

const JOIN_LINK = /^https:\/\/sandbox\.video\.kaleyra\.local\/.+\/direct-rest-call-handler\/[A-Za-z0-9_-]+$/;

const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
const clock = new ManualClock(new Date('2030-01-15T10:00:00.000Z'));
let sandbox: KaleyraSandbox;

interface TestClient {
  client: KaleyraVideo;
  /** Everything the client logged, at level trace. */
  logs(): string;
  events: UpstreamCallEvent[];
}

function makeClient(overrides: Partial<KaleyraClientOptions> = {}): TestClient {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
  const events: UpstreamCallEvent[] = [];
  const client = createKaleyraClient({
    baseUrl: sandbox.url,
    apiKey,
    timeoutMs: 2000,
    retryLimit: 2,
    logger,
    observe: (event) => events.push(event),
    ...overrides,
  });
  return { client, logs: () => lines.join(''), events };
}

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function seedUsers(client: KaleyraVideo): Promise<void> {
  await client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' });
  await client.createUser({ kaleyraUserId: 'tg.patient', role: 'basic' });
}

const roomInput: CreateRoomInput = {
  participants: [
    { kaleyraUserId: 'tg.doctor', isAdmin: true, tools: ALL_TOOLS },
    { kaleyraUserId: 'tg.patient', isAdmin: false, tools: CHAT_ONLY },
  ],
  durationInSeconds: 3600,
  live: true,
  recording: 'manual',
  callType: 'audio_upgradable',
  description: 'follow-up visit',
};

function requestsTo(method: string, path: string) {
  return sandbox.requests().filter((request) => request.method === method && request.path === path);
}

beforeEach(async () => {
  sandbox = await startKaleyraSandbox({ apiKey, clock });
});

afterEach(async () => {
  await sandbox.close();
});

describe('happy paths', () => {
  it('creates a user with the id we chose and sends the apikey header', async () => {
    const { client } = makeClient();
    await client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' });
    expect(sandbox.users()).toEqual([{ id: 'tg.doctor', role: 'plus' }]);
    expect(sandbox.requests()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v2/users',
        body: { id: 'tg.doctor', role: 'plus' },
        apiKeyValid: true,
      }),
    ]);
  });

  it('treats an existing user (409) as success, so creation is idempotent', async () => {
    const { client } = makeClient();
    await client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' });
    await expect(client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' })).resolves.toBeUndefined();
    expect(requestsTo('POST', '/v2/users')).toHaveLength(2);
    expect(sandbox.users()).toHaveLength(1);
  });

  it('creates a room with the snake_case payload and returns one join link per participant', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const room = await client.createRoom(roomInput);

    expect(room.roomId).toEqual(expect.any(String));
    expect([...room.links.keys()].sort()).toEqual(['tg.doctor', 'tg.patient']);
    for (const link of room.links.values()) expect(link).toMatch(JOIN_LINK);
    expect(new Set(room.links.values()).size).toBe(2);

    expect(requestsTo('POST', '/v2/rooms')[0]?.body).toEqual({
      participants: [
        {
          user_id: 'tg.doctor',
          is_admin: true,
          tools: {
            chat: true,
            screen_sharing: true,
            file_upload: true,
            whiteboard: true,
            snapshot: true,
            live_edit: true,
            live_pointer: true,
            present_to_everyone: true,
          },
        },
        {
          user_id: 'tg.patient',
          is_admin: false,
          tools: {
            chat: true,
            screen_sharing: false,
            file_upload: false,
            whiteboard: false,
            snapshot: false,
            live_edit: false,
            live_pointer: false,
            present_to_everyone: false,
          },
        },
      ],
      duration: 3600,
      live: true,
      recording: 'manual',
      call_type: 'audio_upgradable',
      description: 'follow-up visit',
    });
  });

  it('gives different links to the same participants in another room', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const first = await client.createRoom(roomInput);
    const second = await client.createRoom(roomInput);
    expect(second.roomId).not.toBe(first.roomId);
    expect(second.links.get('tg.doctor')).not.toBe(first.links.get('tg.doctor'));
  });

  it('omits the duration of an unlimited room', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { durationInSeconds: _, ...unlimited } = roomInput;
    const { roomId } = await client.createRoom(unlimited);
    expect(requestsTo('POST', '/v2/rooms')[0]?.body).not.toHaveProperty('duration');
    expect((await client.getRoom(roomId)).durationInSeconds).toBeUndefined();
  });

  it('reads a room back', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    await expect(client.getRoom(roomId)).resolves.toEqual({
      roomId,
      status: 'active',
      disabled: false,
      creationDate: clock.now(),
      durationInSeconds: 3600,
      durationUsedInSeconds: 0,
      live: true,
      recording: 'manual',
      recordingStatus: 'stopped',
      callType: 'audio_upgradable',
      description: 'follow-up visit',
    });
  });

  it('deletes a room, after which it is not found', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    await client.deleteRoom(roomId);
    expect(sandbox.rooms()).toEqual([]);
    await expect(client.getRoom(roomId)).rejects.toBeInstanceOf(KaleyraNotFoundError);
    await expect(client.deleteRoom(roomId)).rejects.toBeInstanceOf(KaleyraNotFoundError);
  });

  it("deletes a room's uploads and reports how many", async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    sandbox.addUploads(roomId, 3);
    await expect(client.deleteRoomUploads(roomId)).resolves.toEqual({ total: 3, deleted: 3 });
    await expect(client.deleteRoomUploads(roomId)).resolves.toEqual({ total: 0, deleted: 0 });
  });

  it('creates SDK credentials', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const credentials = await client.createCredentials({
      kaleyraUserId: 'tg.patient',
      expiresInSeconds: 3600,
    });
    expect(credentials).toEqual({
      accessToken: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./),
      expiresAt: new Date(clock.now().getTime() + 3600 * 1000),
      kaleyraUserId: 'tg.patient',
    });
    expect(requestsTo('POST', '/v2/sdk/credentials')[0]?.body).toEqual({
      user_id: 'tg.patient',
      expires_in: 3600,
    });
  });

  it('reports each operation once to the observer, with the kind of failure', async () => {
    const { client, events } = makeClient();
    await seedUsers(client);
    await catchError(client.getRoom('room_missing'));
    await catchError(client.createRoom({ ...roomInput, durationInSeconds: 30 }));
    expect(events.map(({ operation, outcome, errorKind }) => ({ operation, outcome, errorKind }))).toEqual([
      { operation: 'createUser', outcome: 'ok', errorKind: undefined },
      { operation: 'createUser', outcome: 'ok', errorKind: undefined },
      { operation: 'getRoom', outcome: 'error', errorKind: 'not_found' },
      { operation: 'createRoom', outcome: 'error', errorKind: 'rejected' },
    ]);
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('percent-encodes ids in paths', async () => {
    const { client } = makeClient();
    await expect(client.getRoom('a/b?c')).rejects.toBeInstanceOf(KaleyraNotFoundError);
    expect(sandbox.requests()[0]?.path).toBe('/v2/rooms/a%2Fb%3Fc');
  });
});

describe('typed failures', () => {
  it('rejects a wrong key with 401 and does not retry', async () => {
    const { client } = makeClient({ apiKey: 'wrong-key' });
    const error = await catchError(client.getRoom('room_1'));
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({ status: 401, kaleyraCode: 'unauthorized', operation: 'getRoom' });
    expect(sandbox.requests()).toEqual([expect.objectContaining({ apiKeyValid: false })]);
  });

  it("carries Kaleyra's code and message in a rejection", async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const error = await catchError(client.createRoom({ ...roomInput, durationInSeconds: 59 }));
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_duration', operation: 'createRoom' });
    expect((error as Error).message).toContain('duration must be an integer of at least 60');
  });

  it('reports a 2xx that breaks the contract as unavailable', async () => {
    const { client } = makeClient();
    sandbox.injectFault({
      method: 'GET',
      path: '/v2/rooms/:room_id',
      status: 200,
      body: { unexpected: true },
    });
    await expect(client.getRoom('room_1')).rejects.toBeInstanceOf(KaleyraUnavailableError);
  });
});

describe('retries', () => {
  it('retries GET on 503 and then succeeds', async () => {
    const { client } = makeClient({ retryLimit: 2 });
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', status: 503, times: 2 });
    await expect(client.getRoom(roomId)).resolves.toMatchObject({ roomId });
    expect(requestsTo('GET', `/v2/rooms/${roomId}`)).toHaveLength(3);
  });

  it('retries DELETE on 503 and then succeeds', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503 });
    await client.deleteRoom(roomId);
    expect(requestsTo('DELETE', `/v2/rooms/${roomId}`)).toHaveLength(2);
    expect(sandbox.rooms()).toEqual([]);
  });

  it("retries a room's upload deletion on 502 and then succeeds", async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    sandbox.addUploads(roomId, 2);
    sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id/uploads', status: 502 });
    await expect(client.deleteRoomUploads(roomId)).resolves.toEqual({ total: 2, deleted: 2 });
  });

  it('retries GET after a dropped connection', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', drop: true });
    await expect(client.getRoom(roomId)).resolves.toMatchObject({ roomId });
    expect(requestsTo('GET', `/v2/rooms/${roomId}`)).toHaveLength(2);
  });

  it('gives up after the retry limit and reports unavailable', async () => {
    const { client } = makeClient({ retryLimit: 2 });
    sandbox.injectFault({ path: '*', status: 503, times: 'always' });
    const error = await catchError(client.getRoom('room_1'));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect((error as Error).message).toContain('503');
    expect(sandbox.requests()).toHaveLength(3);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { roomId } = await client.createRoom(roomInput);
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', status: 429, retryAfterSeconds: 1 });
    await expect(client.getRoom(roomId)).resolves.toMatchObject({ roomId });
    const [throttled, retried] = sandbox.requests();
    expect(sandbox.requests()).toHaveLength(2);
    // Our own backoff is ~100 ms; only Retry-After explains a gap of a second.
    expect(retried!.receivedAt.getTime() - throttled!.receivedAt.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a Retry-After beyond the cap: unavailable at once', async () => {
    const { client } = makeClient();
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', status: 429, retryAfterSeconds: 120 });
    const error = await catchError(client.getRoom('room_1'));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect((error as Error).message).toContain('429');
    expect(sandbox.requests()).toHaveLength(1);
  });

  it('retries user creation on 503: idempotent because we choose the id', async () => {
    const { client } = makeClient();
    sandbox.injectFault({ method: 'POST', path: '/v2/users', status: 503 });
    await client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' });
    expect(requestsTo('POST', '/v2/users')).toHaveLength(2);
    expect(sandbox.users()).toEqual([{ id: 'tg.doctor', role: 'plus' }]);
  });

  it('retries credential creation on 503', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    sandbox.injectFault({ method: 'POST', path: '/v2/sdk/credentials', status: 503 });
    await expect(
      client.createCredentials({ kaleyraUserId: 'tg.doctor', expiresInSeconds: 600 }),
    ).resolves.toMatchObject({ kaleyraUserId: 'tg.doctor' });
    expect(requestsTo('POST', '/v2/sdk/credentials')).toHaveLength(2);
  });

  it('never retries room creation, not even on 503', async () => {
    const { client } = makeClient({ retryLimit: 3 });
    await seedUsers(client);
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 503, times: 'always' });
    await expect(client.createRoom(roomInput)).rejects.toBeInstanceOf(KaleyraUnavailableError);
    expect(requestsTo('POST', '/v2/rooms')).toHaveLength(1);
  });

  it('never retries room creation after a dropped connection', async () => {
    const { client } = makeClient({ retryLimit: 3 });
    await seedUsers(client);
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', drop: true, times: 'always' });
    await expect(client.createRoom(roomInput)).rejects.toBeInstanceOf(KaleyraUnavailableError);
    expect(requestsTo('POST', '/v2/rooms')).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('does not retry room creation after a timeout, and says the outcome is unknown', async () => {
    const { client } = makeClient({ timeoutMs: 200, retryLimit: 3 });
    await seedUsers(client);
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 1000, times: 'always' });
    const error = await catchError(client.createRoom(roomInput));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect((error as Error).message).toMatch(
      /createRoom timed out after 200 ms; it may or may not have taken effect/,
    );
    expect(requestsTo('POST', '/v2/rooms')).toHaveLength(1);
  });

  it('reports a GET that keeps timing out as unavailable, after retrying it', async () => {
    const { client, events } = makeClient({ timeoutMs: 200, retryLimit: 1 });
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', delayMs: 1000, times: 'always' });
    const error = await catchError(client.getRoom('room_1'));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect((error as Error).message).toContain('timed out after 200 ms');
    expect(sandbox.requests()).toHaveLength(2);
    expect(events).toEqual([expect.objectContaining({ operation: 'getRoom', errorKind: 'unavailable' })]);
  });

  it('succeeds when a delay stays within the timeout', async () => {
    const { client } = makeClient({ timeoutMs: 2000 });
    sandbox.injectFault({ path: '*', delayMs: 50, times: 'always' });
    await client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' });
    expect(sandbox.users()).toHaveLength(1);
  });
});

describe('the API key stays secret', () => {
  function expectNoKey(text: string, key: string): void {
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(key);
  }

  function expectErrorWithoutKey(error: unknown, key: string): void {
    expect(error).toBeInstanceOf(Error);
    expectNoKey(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }), key);
    expectNoKey(JSON.stringify(error), key);
    expectNoKey(
      JSON.stringify(Object.getOwnPropertyNames(error).map((name) => [name, String((error as never)[name])])),
      key,
    );
    expect((error as Error).cause).toBeUndefined();
  }

  it('is absent from errors and trace logs of a timed-out room creation', async () => {
    const { client, logs } = makeClient({ timeoutMs: 200 });
    await seedUsers(client);
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 1000 });
    expectErrorWithoutKey(await catchError(client.createRoom(roomInput)), apiKey);
    expectNoKey(logs(), apiKey);
  });

  it('is absent from errors and trace logs of a GET retried until it gives up', async () => {
    const { client, logs } = makeClient({ retryLimit: 2 });
    sandbox.injectFault({ path: '*', status: 503, times: 'always' });
    expectErrorWithoutKey(await catchError(client.getRoom('room_1')), apiKey);
    expect(logs()).toContain('kaleyra call retrying');
    expectNoKey(logs(), apiKey);
  });

  it('is absent from errors and logs of a dropped connection', async () => {
    const { client, logs } = makeClient({ retryLimit: 0 });
    sandbox.injectFault({ path: '*', drop: true });
    expectErrorWithoutKey(await catchError(client.getRoom('room_1')), apiKey);
    expectNoKey(logs(), apiKey);
  });

  it('is absent even when Kaleyra echoes it in its error message', async () => {
    const { client, logs } = makeClient();
    sandbox.injectFault({
      path: '*',
      status: 400,
      body: { error: 'bad_request', message: `unexpected key ${apiKey}` },
    });
    const error = await catchError(client.getRoom('room_1'));
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expectErrorWithoutKey(error, apiKey);
    expectNoKey(logs(), apiKey);
  });

  it('is absent from the error of a wrong key', async () => {
    const wrongKey = `sk_wrong_${randomBytes(8).toString('hex')}`;
    const { client, logs } = makeClient({ apiKey: wrongKey });
    expectErrorWithoutKey(await catchError(client.getRoom('room_1')), wrongKey);
    expectNoKey(logs(), wrongKey);
  });
});

const pngBackground: VirtualBackgroundFile = {
  fileName: 'clinic.png',
  contentType: 'image/png',
  data: PNG_1X1,
};
const BACKGROUND_URL = /^https:\/\/sandbox\.video\.kaleyra\.local\/.+$/;
const UPLOAD_PATH = '/v2/company/virtual_backgrounds';

describe('changing a role', () => {
  it('PATCHes the user with the new role', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    await client.updateUserRole({ kaleyraUserId: 'tg.patient', role: 'plus' });
    expect(sandbox.users()).toContainEqual({ id: 'tg.patient', role: 'plus' });
    expect(requestsTo('PATCH', '/v2/users/tg.patient')).toEqual([
      expect.objectContaining({ body: { role: 'plus' }, apiKeyValid: true }),
    ]);
  });

  it('is not found for an unknown user', async () => {
    const { client } = makeClient();
    const error = await catchError(client.updateUserRole({ kaleyraUserId: 'tg.ghost', role: 'plus' }));
    expect(error).toBeInstanceOf(KaleyraNotFoundError);
    expect(error).toMatchObject({ operation: 'updateUserRole' });
  });

  it("is rejected with Kaleyra's code for a role it does not know", async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const error = await catchError(
      client.updateUserRole({ kaleyraUserId: 'tg.patient', role: 'admin' as never }),
    );
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_role' });
  });

  it('is retried on 503: setting the same role twice is harmless', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    sandbox.injectFault({ method: 'PATCH', path: '/v2/users/:user_id', status: 503 });
    await client.updateUserRole({ kaleyraUserId: 'tg.patient', role: 'plus' });
    expect(requestsTo('PATCH', '/v2/users/tg.patient')).toHaveLength(2);
    expect(sandbox.users()).toContainEqual({ id: 'tg.patient', role: 'plus' });
  });
});

describe('listing rooms', () => {
  /** Three rooms a minute apart from T, each with an operation marker in its description. */
  async function roomsFrom(client: KaleyraVideo, start: Date, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      clock.set(start.getTime() + index * 60_000);
      ids.push((await client.createRoom({ ...roomInput, description: `op:${index}` })).roomId);
    }
    return ids;
  }

  it('walks every page, following the cursor, and finds the room by its marker', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const start = new Date('2030-02-01T08:00:00.000Z');
    clock.set(start.getTime() - 60_000);
    await client.createRoom({ ...roomInput, description: 'too early' });
    const ids = await roomsFrom(client, start, 5);
    sandbox.clearRequests();

    const listed: ListedRoom[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await client.listRooms({ createdAfter: start, limit: 2, cursor });
      listed.push(...page.rooms);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);

    expect(pages).toBe(3);
    expect(listed.map((room) => room.roomId)).toEqual(ids);
    expect(listed.find((room) => room.description === 'op:3')).toEqual({
      roomId: ids[3],
      description: 'op:3',
      creationDate: new Date(start.getTime() + 3 * 60_000),
      status: 'active',
    });
    const queries = requestsTo('GET', '/v2/rooms').map((request) => request.query);
    expect(queries[0]).toEqual({ created_after: start.toISOString(), limit: '2' });
    expect(queries[1]).toEqual({
      created_after: start.toISOString(),
      limit: '2',
      cursor: expect.any(String),
    });
  });

  it('reads a room without description as null', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    const { description: _, ...undescribed } = roomInput;
    const { roomId } = await client.createRoom(undescribed);
    const page = await client.listRooms({ createdAfter: clock.now() });
    expect(page).toEqual({
      rooms: [{ roomId, description: null, creationDate: clock.now(), status: 'active' }],
      nextCursor: null,
    });
    expect(requestsTo('GET', '/v2/rooms')[0]?.query).toEqual({ created_after: clock.now().toISOString() });
  });

  it("is rejected with Kaleyra's code for a limit out of range", async () => {
    const { client } = makeClient();
    const error = await catchError(client.listRooms({ createdAfter: clock.now(), limit: 101 }));
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_limit', operation: 'listRooms' });
  });

  it('is retried on 502', async () => {
    const { client } = makeClient();
    await seedUsers(client);
    await client.createRoom(roomInput);
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms', status: 502 });
    const page = await client.listRooms({ createdAfter: clock.now() });
    expect(page.rooms).toHaveLength(1);
    expect(requestsTo('GET', '/v2/rooms')).toHaveLength(2);
  });
});

describe('company settings', () => {
  it('reads the company', async () => {
    const { client } = makeClient();
    await expect(client.getCompany()).resolves.toEqual({
      name: 'Sandbox Company',
      defaultLanguage: 'en',
      defaultBackground: null,
      endCallRedirectUrl: null,
      userDetailsProviderUrl: null,
      endCallRedirectTimeoutMs: null,
    });
  });

  it('changes only what it is given, in snake_case, and returns the company', async () => {
    const { client } = makeClient();
    const background = await client.uploadVirtualBackground(pngBackground);
    const changes: CompanySettingsChanges = {
      defaultLanguage: 'it',
      backgroundAlias: background.alias,
      endCallRedirectUrl: 'https://clinic.example/bye',
      endCallRedirectTimeoutMs: 4000,
    };
    await expect(client.updateCompany(changes)).resolves.toEqual({
      name: 'Sandbox Company',
      defaultLanguage: 'it',
      defaultBackground: background,
      endCallRedirectUrl: 'https://clinic.example/bye',
      userDetailsProviderUrl: null,
      endCallRedirectTimeoutMs: 4000,
    });
    expect(requestsTo('PATCH', '/v2/company')[0]?.body).toEqual({
      default_language: 'it',
      background_alias: background.alias,
      end_call_redirect_url: 'https://clinic.example/bye',
      end_call_redirect_timeout_ms: 4000,
    });

    const cleared = await client.updateCompany({ backgroundAlias: null });
    expect(cleared).toMatchObject({ defaultLanguage: 'it', defaultBackground: null });
    expect(requestsTo('PATCH', '/v2/company')[1]?.body).toEqual({ background_alias: null });
  });

  it('is rejected for an unknown background alias, and nothing changes', async () => {
    const { client } = makeClient();
    const error = await catchError(
      client.updateCompany({ defaultLanguage: 'de', backgroundAlias: 'bg_missing' }),
    );
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({
      status: 400,
      kaleyraCode: 'unknown_background',
      operation: 'updateCompany',
    });
    await expect(client.getCompany()).resolves.toMatchObject({ defaultLanguage: 'en' });
  });

  it('is rejected for a language join links do not support', async () => {
    const { client } = makeClient();
    const error = await catchError(client.updateCompany({ defaultLanguage: 'pt' as never }));
    expect(error).toMatchObject({ status: 400, kaleyraCode: 'invalid_language' });
  });

  it('retries reading on 503', async () => {
    const { client } = makeClient();
    sandbox.injectFault({ method: 'GET', path: '/v2/company', status: 503 });
    await expect(client.getCompany()).resolves.toMatchObject({ name: 'Sandbox Company' });
    expect(requestsTo('GET', '/v2/company')).toHaveLength(2);
  });

  it('retries a change on 503: it sets values, so a repeat leaves the same settings', async () => {
    const { client } = makeClient();
    sandbox.injectFault({ method: 'PATCH', path: '/v2/company', status: 503 });
    await expect(client.updateCompany({ defaultLanguage: 'fr' })).resolves.toMatchObject({
      defaultLanguage: 'fr',
    });
    expect(requestsTo('PATCH', '/v2/company')).toHaveLength(2);
  });
});

describe('virtual backgrounds', () => {
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  it('uploads an image as multipart/form-data in field file, intact', async () => {
    const { client } = makeClient();
    const background = await client.uploadVirtualBackground(pngBackground);
    expect(background).toEqual({
      alias: expect.any(String),
      url: expect.stringMatching(BACKGROUND_URL),
      creationDate: clock.now(),
    });
    expect(sandbox.backgrounds()).toEqual([
      expect.objectContaining({
        alias: background.alias,
        fileName: 'clinic.png',
        contentType: 'image/png',
        sha256: sha256(PNG_1X1),
      }),
    ]);
    expect(requestsTo('POST', UPLOAD_PATH)).toEqual([
      expect.objectContaining({
        apiKeyValid: true,
        body: {
          multipart: {
            files: [
              {
                field: 'file',
                fileName: 'clinic.png',
                declaredType: 'image/png',
                size: PNG_1X1.length,
                detectedType: 'image/png',
              },
            ],
            fields: [],
          },
        },
      }),
    ]);
  });

  it('uploads a JPEG of exactly 10 MB', async () => {
    const { client } = makeClient({ timeoutMs: 10_000 });
    const data = Buffer.concat([JPEG_1X1, Buffer.alloc(MAX_VIRTUAL_BACKGROUND_BYTES - JPEG_1X1.length)]);
    await client.uploadVirtualBackground({ fileName: 'big.jpg', contentType: 'image/jpeg', data });
    expect(sandbox.backgrounds()).toEqual([
      expect.objectContaining({ contentType: 'image/jpeg', sha256: sha256(data) }),
    ]);
  });

  it("is rejected with Kaleyra's code for a file that is not JPEG or PNG", async () => {
    const { client } = makeClient();
    const error = await catchError(
      client.uploadVirtualBackground({
        fileName: 'bg.png',
        contentType: 'image/png',
        data: Buffer.from('GIF89a'),
      }),
    );
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({
      status: 400,
      kaleyraCode: 'invalid_file_type',
      operation: 'uploadVirtualBackground',
    });
  });

  it('is rejected with 413 for a file over 10 MB', async () => {
    const { client } = makeClient({ timeoutMs: 10_000 });
    const error = await catchError(
      client.uploadVirtualBackground({
        fileName: 'big.png',
        contentType: 'image/png',
        data: pngOfSize(MAX_VIRTUAL_BACKGROUND_BYTES + 1),
      }),
    );
    expect(error).toBeInstanceOf(KaleyraRejectedError);
    expect(error).toMatchObject({ status: 413, kaleyraCode: 'file_too_large' });
    expect(sandbox.backgrounds()).toEqual([]);
  });

  // Proved on both sides. got cannot replay a FormData body (its encoder is read once), so a
  // retry would reach the sandbox as headers without a body, which it logs as aborted.
  it('never retries an upload on 503', async () => {
    const { client, logs } = makeClient({ retryLimit: 3 });
    sandbox.injectFault({ method: 'POST', path: UPLOAD_PATH, status: 503, times: 'always' });
    const error = await catchError(client.uploadVirtualBackground(pngBackground));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect(requestsTo('POST', UPLOAD_PATH)).toHaveLength(1);
    expect(logs()).not.toContain('kaleyra call retrying');
  });

  it('never retries an upload after a dropped connection', async () => {
    const { client, logs } = makeClient({ retryLimit: 3 });
    sandbox.injectFault({ method: 'POST', path: UPLOAD_PATH, drop: true, times: 'always' });
    await expect(client.uploadVirtualBackground(pngBackground)).rejects.toBeInstanceOf(
      KaleyraUnavailableError,
    );
    expect(requestsTo('POST', UPLOAD_PATH)).toHaveLength(1);
    expect(logs()).not.toContain('kaleyra call retrying');
  });

  it('says a timed-out upload may or may not have been stored, and does not retry it', async () => {
    const { client, logs } = makeClient({ timeoutMs: 200, retryLimit: 3 });
    sandbox.injectFault({ method: 'POST', path: UPLOAD_PATH, delayMs: 1000, times: 'always' });
    const error = await catchError(client.uploadVirtualBackground(pngBackground));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect((error as Error).message).toMatch(
      /uploadVirtualBackground timed out after 200 ms; it may or may not/,
    );
    expect(requestsTo('POST', UPLOAD_PATH)).toHaveLength(1);
    expect(logs()).not.toContain('kaleyra call retrying');
  });

  it('lists the uploaded backgrounds, retrying on 503', async () => {
    const { client } = makeClient();
    const first = await client.uploadVirtualBackground(pngBackground);
    clock.advance(1000);
    const second = await client.uploadVirtualBackground({
      fileName: 'b.jpg',
      contentType: 'image/jpeg',
      data: JPEG_1X1,
    });
    sandbox.injectFault({ method: 'GET', path: UPLOAD_PATH, status: 503 });
    await expect(client.listVirtualBackgrounds()).resolves.toEqual([first, second]);
    expect(requestsTo('GET', UPLOAD_PATH)).toHaveLength(2);
  });

  it('deletes a background; an unknown alias is not found', async () => {
    const { client } = makeClient();
    const { alias } = await client.uploadVirtualBackground(pngBackground);
    await client.deleteVirtualBackground(alias);
    expect(sandbox.backgrounds()).toEqual([]);
    const error = await catchError(client.deleteVirtualBackground(alias));
    expect(error).toBeInstanceOf(KaleyraNotFoundError);
    expect(error).toMatchObject({ operation: 'deleteVirtualBackground' });
  });

  it('retries a deletion on 503, and counts a 404 after a retry as deleted', async () => {
    const { client } = makeClient();
    const { alias } = await client.uploadVirtualBackground(pngBackground);
    const path = `${UPLOAD_PATH}/:alias`;
    sandbox.injectFault({ method: 'DELETE', path, status: 503 });
    await client.deleteVirtualBackground(alias);
    expect(sandbox.backgrounds()).toEqual([]);

    // As if the first attempt had deleted it and its answer was lost.
    sandbox.injectFault({ method: 'DELETE', path, status: 503 });
    sandbox.injectFault({ method: 'DELETE', path, status: 404 });
    await expect(client.deleteVirtualBackground('bg_gone')).resolves.toBeUndefined();
    expect(requestsTo('DELETE', `${UPLOAD_PATH}/bg_gone`)).toHaveLength(2);
  });

  it('keeps the API key out of the error and logs of a failed upload', async () => {
    const { client, logs } = makeClient();
    sandbox.injectFault({ method: 'POST', path: UPLOAD_PATH, status: 503 });
    const error = await catchError(client.uploadVirtualBackground(pngBackground));
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(apiKey);
    expect(logs()).toContain('kaleyra call failed');
    expect(logs()).not.toContain(apiKey);
  });

  it('reports each new operation once to the observer', async () => {
    const { client, events } = makeClient();
    await client.getCompany();
    await catchError(client.deleteVirtualBackground('bg_missing'));
    await catchError(client.updateCompany({ backgroundAlias: 'bg_missing' }));
    expect(events.map(({ operation, outcome, errorKind }) => ({ operation, outcome, errorKind }))).toEqual([
      { operation: 'getCompany', outcome: 'ok', errorKind: undefined },
      { operation: 'deleteVirtualBackground', outcome: 'error', errorKind: 'not_found' },
      { operation: 'updateCompany', outcome: 'error', errorKind: 'rejected' },
    ]);
  });
});
