/**
 * The LiveKit sandbox speaks LiveKit's wire contract: LiveKit's own server SDK (a dev dependency,
 * used only here) drives it, and raw requests pin the Twirp details the SDK hides (token checks,
 * error bodies, both field namings, faults, the request log, simulated joins).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AccessToken, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import { type LivekitSandbox, startLivekitSandbox } from '../../../../dev/livekit-sandbox/sandbox.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import { signServerToken } from '../../../../src/video/livekit/tokens.js';

const apiKey = 'APIsandboxtest';
const apiSecret = randomBytes(32).toString('hex');
const clock = new ManualClock(new Date('2030-01-15T10:00:00.000Z'));
let sandbox: LivekitSandbox;

beforeEach(async () => {
  clock.set(new Date('2030-01-15T10:00:00.000Z'));
  sandbox = await startLivekitSandbox({ apiKey, apiSecret, clock });
});
afterEach(async () => {
  await sandbox.close();
});

/**
 * The SDK signs its tokens with the real time (nbf now, exp in 10 minutes); the sandbox checks them
 * at its own clock, set a minute on so every token the SDK signs during the test is already valid.
 */
function sdk(): RoomServiceClient {
  clock.set(new Date(Date.now() + 60_000));
  return new RoomServiceClient(sandbox.url, apiKey, apiSecret);
}

async function twirp(
  method: string,
  body: unknown,
  token: string | undefined,
  contentType = 'application/json',
) {
  const response = await fetch(`${sandbox.url}/twirp/livekit.RoomService/${method}`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.json(),
  };
}

const tokenFor = (grant: Record<string, unknown>, secret = apiSecret, key = apiKey) =>
  signServerToken({ apiKey: key, apiSecret: secret }, grant, clock.now());

describe("LiveKit's server SDK against the sandbox", () => {
  it('creates, lists, updates and deletes rooms', async () => {
    const rooms = sdk();
    const created = await rooms.createRoom({
      name: 'visit-1',
      emptyTimeout: 600,
      departureTimeout: 30,
      maxParticipants: 3,
      metadata: '{"tcg":"v1"}',
    });
    expect(created).toMatchObject({
      name: 'visit-1',
      emptyTimeout: 600,
      departureTimeout: 30,
      maxParticipants: 3,
      metadata: '{"tcg":"v1"}',
      numParticipants: 0,
    });
    expect(created.sid).toMatch(/^RM_/);
    await rooms.createRoom({ name: 'visit-2' });

    expect((await rooms.listRooms()).map((room) => room.name).sort()).toEqual(['visit-1', 'visit-2']);
    expect((await rooms.listRooms(['visit-2'])).map((room) => room.name)).toEqual(['visit-2']);

    const updated = await rooms.updateRoomMetadata('visit-1', '{"tcg":"v2"}');
    expect(updated.metadata).toBe('{"tcg":"v2"}');

    await rooms.deleteRoom('visit-1');
    expect(sandbox.rooms().map((room) => room.name)).toEqual(['visit-2']);
    // Every call the SDK made carried a token whose grant covered it.
    expect(sandbox.requests().every((request) => request.authorized)).toBe(true);
  });

  it('answers the existing room for a known name (create-or-get)', async () => {
    const rooms = sdk();
    const first = await rooms.createRoom({ name: 'visit-1', maxParticipants: 2 });
    const again = await rooms.createRoom({ name: 'visit-1', maxParticipants: 5 });
    expect(again.sid).toBe(first.sid);
    expect(again.maxParticipants).toBe(2);
    expect(sandbox.rooms()).toHaveLength(1);
  });

  it("reports a missing room as Twirp's not_found, which the SDK reads", async () => {
    await expect(sdk().deleteRoom('nowhere')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('removes a participant that joined with a token the SDK signed', async () => {
    const rooms = sdk();
    await rooms.createRoom({ name: 'visit-1' });
    const token = new AccessToken(apiKey, apiSecret, { identity: 'patient-42', name: 'P.', ttl: 600 });
    token.addGrant({ room: 'visit-1', roomJoin: true, canPublishSources: [TrackSource.CAMERA] });
    const joined = await sandbox.join(await token.toJwt());
    expect(joined).toMatchObject({ identity: 'patient-42', name: 'P.' });
    expect(joined.grant.canPublishSources).toEqual(['camera']);
    expect(sandbox.rooms()[0]?.participants.map((p) => p.identity)).toEqual(['patient-42']);

    await rooms.removeParticipant('visit-1', 'patient-42');
    expect(sandbox.rooms()[0]?.participants).toEqual([]);
    await expect(rooms.removeParticipant('visit-1', 'patient-42')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('answers in snake_case when started so, and the SDK still reads it', async () => {
    const snake = await startLivekitSandbox({ apiKey, apiSecret, clock, answerNames: 'snake_case' });
    try {
      const raw = await fetch(`${snake.url}/twirp/livekit.RoomService/CreateRoom`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokenFor({ roomCreate: true })}`,
        },
        body: JSON.stringify({ name: 'snake', empty_timeout: 120, max_participants: 4 }),
      });
      const body = (await raw.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        name: 'snake',
        empty_timeout: 120,
        max_participants: 4,
        num_participants: 0,
      });
      expect(typeof body.creation_time).toBe('string');
      clock.set(new Date());
      const listed = await new RoomServiceClient(snake.url, apiKey, apiSecret).listRooms();
      expect(listed[0]).toMatchObject({ name: 'snake', emptyTimeout: 120, maxParticipants: 4 });
    } finally {
      await snake.close();
    }
  });
});

describe('token checks', () => {
  it('refuses a call without a bearer token: 401 unauthenticated, logged as unauthorized', async () => {
    const answer = await twirp('ListRooms', {}, undefined);
    expect(answer).toMatchObject({
      status: 401,
      contentType: 'application/json',
      body: { code: 'unauthenticated' },
    });
    expect(sandbox.requests()).toEqual([
      expect.objectContaining({ method: 'ListRooms', authorized: false, grant: undefined }),
    ]);
  });

  it('refuses a token signed with another secret, or naming another key', async () => {
    const wrongSecret = await tokenFor({ roomList: true }, randomBytes(32).toString('hex'));
    expect((await twirp('ListRooms', {}, wrongSecret)).body).toMatchObject({ code: 'unauthenticated' });
    const wrongKey = await tokenFor({ roomList: true }, apiSecret, 'APIother');
    expect((await twirp('ListRooms', {}, wrongKey)).body).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses an expired token at the exact second, and a token before its nbf', async () => {
    const token = await tokenFor({ roomList: true });
    clock.advance(600_000 - 1000);
    expect((await twirp('ListRooms', {}, token)).status).toBe(200);
    clock.advance(1000);
    expect((await twirp('ListRooms', {}, token)).body).toMatchObject({
      code: 'unauthenticated',
      msg: 'token expired',
    });
    clock.set(new Date('2030-01-15T09:59:59.000Z'));
    expect((await twirp('ListRooms', {}, token)).status).toBe(401);
  });

  it("requires each method's grant: 403 permission_denied otherwise", async () => {
    const listOnly = await tokenFor({ roomList: true });
    expect(await twirp('CreateRoom', { name: 'a' }, listOnly)).toMatchObject({
      status: 403,
      body: { code: 'permission_denied' },
    });
    expect((await twirp('DeleteRoom', { room: 'a' }, listOnly)).status).toBe(403);
    const create = await tokenFor({ roomCreate: true });
    expect((await twirp('ListRooms', {}, create)).status).toBe(403);
    expect((await twirp('CreateRoom', { name: 'a' }, create)).status).toBe(200);
    // Per-room calls: roomAdmin for that very room.
    const adminOfB = await tokenFor({ roomAdmin: true, room: 'b' });
    expect((await twirp('UpdateRoomMetadata', { room: 'a', metadata: 'x' }, adminOfB)).status).toBe(403);
    const adminOfA = await tokenFor({ roomAdmin: true, room: 'a' });
    expect((await twirp('UpdateRoomMetadata', { room: 'a', metadata: 'x' }, adminOfA)).status).toBe(200);
    expect((await twirp('RemoveParticipant', { room: 'a', identity: 'x' }, adminOfB)).status).toBe(403);
    expect(sandbox.rooms()).toEqual([expect.objectContaining({ name: 'a', metadata: 'x' })]);
  });
});

describe('Twirp requests', () => {
  it('accepts snake_case request fields as well as camelCase', async () => {
    const token = await tokenFor({ roomCreate: true });
    await twirp(
      'CreateRoom',
      { name: 'a', empty_timeout: 60, departure_timeout: 5, max_participants: 2 },
      token,
    );
    await twirp(
      'CreateRoom',
      { name: 'b', emptyTimeout: 70, departureTimeout: 6, maxParticipants: 3 },
      token,
    );
    expect(
      sandbox.rooms().map(({ name, emptyTimeout, departureTimeout, maxParticipants }) => ({
        name,
        emptyTimeout,
        departureTimeout,
        maxParticipants,
      })),
    ).toEqual([
      { name: 'a', emptyTimeout: 60, departureTimeout: 5, maxParticipants: 2 },
      { name: 'b', emptyTimeout: 70, departureTimeout: 6, maxParticipants: 3 },
    ]);
  });

  it('answers invalid_argument for a bad field, malformed for bad JSON, bad_route otherwise', async () => {
    const token = await tokenFor({ roomCreate: true });
    expect(await twirp('CreateRoom', { name: '' }, token)).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument' },
    });
    expect(await twirp('CreateRoom', { name: 'a', maxParticipants: -1 }, token)).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument', msg: expect.stringContaining('maxParticipants') },
    });
    expect(await twirp('CreateRoom', '{not json', token)).toMatchObject({
      status: 400,
      body: { code: 'malformed' },
    });
    expect(await twirp('CreateRoom', { name: 'a' }, token, 'application/protobuf')).toMatchObject({
      status: 404,
      body: { code: 'bad_route' },
    });
    expect(await twirp('GetRoom', { room: 'a' }, token)).toMatchObject({
      status: 404,
      body: { code: 'bad_route' },
    });
    expect(sandbox.rooms()).toEqual([]);
  });

  it('refuses metadata over 64000 bytes', async () => {
    const token = await tokenFor({ roomCreate: true });
    expect((await twirp('CreateRoom', { name: 'a', metadata: 'x'.repeat(64001) }, token)).status).toBe(400);
    expect((await twirp('CreateRoom', { name: 'a', metadata: 'x'.repeat(64000) }, token)).status).toBe(200);
  });

  it('logs each request with its grant, never the token', async () => {
    const token = await tokenFor({ roomCreate: true });
    await twirp('CreateRoom', { name: 'a' }, token);
    const [logged] = sandbox.requests();
    expect(logged).toMatchObject({
      method: 'CreateRoom',
      httpMethod: 'POST',
      path: '/twirp/livekit.RoomService/CreateRoom',
      body: { name: 'a' },
      authorized: true,
      grant: { roomCreate: true },
    });
    expect(JSON.stringify(sandbox.requests())).not.toContain(token);
    sandbox.clearRequests();
    expect(sandbox.requests()).toEqual([]);
  });
});

describe('faults and control routes', () => {
  it('answers an injected status for the matching method, the given number of times', async () => {
    const token = await tokenFor({ roomCreate: true });
    sandbox.injectFault({ path: '/twirp/livekit.RoomService/CreateRoom', status: 503, times: 2 });
    expect(await twirp('CreateRoom', { name: 'a' }, token)).toMatchObject({
      status: 503,
      body: { code: 'internal' },
    });
    expect((await twirp('CreateRoom', { name: 'a' }, token)).status).toBe(503);
    expect((await twirp('CreateRoom', { name: 'a' }, token)).status).toBe(200);
    expect(sandbox.requests()).toHaveLength(3);
  });

  it('drops a connection on request', async () => {
    const token = await tokenFor({ roomList: true });
    sandbox.injectFault({ path: '*', drop: true });
    await expect(twirp('ListRooms', {}, token)).rejects.toThrow();
    expect((await twirp('ListRooms', {}, token)).status).toBe(200);
  });

  it('takes faults, shows state and admits joins over HTTP', async () => {
    const post = (route: string, body: unknown) =>
      fetch(`${sandbox.url}/__sandbox/${route}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('faults', { path: '*', status: 500, times: 'always' })).status).toBe(201);
    expect(await (await fetch(`${sandbox.url}/__sandbox/faults`)).json()).toEqual([
      { path: '*', status: 500, times: 'always' },
    ]);
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    expect((await post('faults', { path: '*', nonsense: 1 })).status).toBe(400);

    await twirp('CreateRoom', { name: 'visit-1', maxParticipants: 1 }, await tokenFor({ roomCreate: true }));
    const withoutGrant = (identity: string) =>
      new AccessToken(apiKey, apiSecret, { identity, ttl: 60 }).toJwt();
    const sdkToken = new AccessToken(apiKey, apiSecret, { identity: 'doctor-1', ttl: 60 });
    sdkToken.addGrant({ room: 'visit-1', roomJoin: true });
    clock.set(new Date());
    const admitted = await post('join', { token: await sdkToken.toJwt() });
    expect(admitted.status).toBe(200);
    expect(await admitted.json()).toMatchObject({ room: 'visit-1', identity: 'doctor-1' });
    // Without roomJoin, or with the room full, nobody else gets in.
    expect(await (await post('join', { token: await withoutGrant('x') })).json()).toMatchObject({
      code: 'permission_denied',
    });
    const second = new AccessToken(apiKey, apiSecret, { identity: 'patient-1', ttl: 60 });
    second.addGrant({ room: 'visit-1', roomJoin: true });
    const full = await post('join', { token: await second.toJwt() });
    expect(full.status).toBe(429);
    const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as {
      rooms: Array<{ participants: Array<{ identity: string }> }>;
    };
    expect(state.rooms[0]?.participants.map((p) => p.identity)).toEqual(['doctor-1']);
  });

  it('refuses a join to a deleted room (no auto-create) and a join after exp', async () => {
    await twirp('CreateRoom', { name: 'visit-1' }, await tokenFor({ roomCreate: true }));
    clock.set(new Date());
    const token = new AccessToken(apiKey, apiSecret, { identity: 'patient-1', ttl: 60 });
    token.addGrant({ room: 'visit-1', roomJoin: true });
    const jwt = await token.toJwt();
    clock.advance(61_000);
    await expect(sandbox.join(jwt)).rejects.toMatchObject({ code: 'unauthenticated' });
    clock.advance(-61_000);
    await new RoomServiceClient(sandbox.url, apiKey, apiSecret).deleteRoom('visit-1');
    await expect(sandbox.join(jwt)).rejects.toMatchObject({ code: 'not_found' });
  });
});
