/**
 * The LiveKit client against the LiveKit sandbox: each method, the grant its token carries,
 * Twirp errors as typed errors, retries (bounded, backed off, only what is safe), deadlines,
 * metrics events, and no secret or token in any log line or error.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import pino from 'pino';
import { type LivekitSandbox, startLivekitSandbox } from '../../../../dev/livekit-sandbox/sandbox.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { UpstreamCallEvent } from '../../../../src/shared/upstream-client.js';
import {
  createLivekitClient,
  type LivekitClientOptions,
  type LivekitRoomService,
} from '../../../../src/video/livekit/client.js';
import {
  LivekitNotFoundError,
  LivekitRejectedError,
  LivekitUnavailableError,
} from '../../../../src/video/livekit/errors.js';

const apiKey = 'APIclienttest';
const apiSecret = `secret-${randomBytes(24).toString('hex')}`;
const clock = new ManualClock(new Date('2030-01-15T10:00:00.000Z'));
let sandbox: LivekitSandbox;

interface TestClient {
  client: LivekitRoomService;
  logs(): string;
  events: UpstreamCallEvent[];
}

function makeClient(overrides: Partial<LivekitClientOptions> = {}): TestClient {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
  const events: UpstreamCallEvent[] = [];
  const client = createLivekitClient({
    url: sandbox.url,
    apiKey,
    apiSecret,
    timeoutMs: 2000,
    retryLimit: 2,
    logger,
    clock,
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

const METHOD_PATH = (method: string) => `/twirp/livekit.RoomService/${method}`;

beforeEach(async () => {
  clock.set(new Date('2030-01-15T10:00:00.000Z'));
  sandbox = await startLivekitSandbox({ apiKey, apiSecret, clock });
});
afterEach(async () => {
  await sandbox.close();
});

describe('each RoomService method', () => {
  it('creates a room with its limit, timeouts and metadata', async () => {
    const { client } = makeClient();
    const room = await client.createRoom({
      name: 'tc-1',
      emptyTimeoutSeconds: 900,
      departureTimeoutSeconds: 60,
      maxParticipants: 3,
      metadata: '{"tcg":1}',
    });
    expect(room).toEqual({
      sid: expect.stringMatching(/^RM_/),
      name: 'tc-1',
      emptyTimeoutSeconds: 900,
      departureTimeoutSeconds: 60,
      maxParticipants: 3,
      creationTime: new Date('2030-01-15T10:00:00.000Z'),
      metadata: '{"tcg":1}',
      numParticipants: 0,
    });
    expect(sandbox.requests()).toEqual([
      expect.objectContaining({
        method: 'CreateRoom',
        body: {
          name: 'tc-1',
          emptyTimeout: 900,
          departureTimeout: 60,
          maxParticipants: 3,
          metadata: '{"tcg":1}',
        },
        authorized: true,
        grant: { roomCreate: true },
      }),
    ]);
  });

  it('lists every room, or the named ones', async () => {
    const { client } = makeClient();
    await client.createRoom({ name: 'tc-1', metadata: 'a' });
    await client.createRoom({ name: 'tc-2', metadata: 'b' });
    expect((await client.listRooms()).map(({ name, metadata }) => ({ name, metadata }))).toEqual([
      { name: 'tc-1', metadata: 'a' },
      { name: 'tc-2', metadata: 'b' },
    ]);
    expect((await client.listRooms(['tc-2'])).map((room) => room.name)).toEqual(['tc-2']);
    expect(sandbox.requests().at(-1)).toMatchObject({ body: { names: ['tc-2'] }, grant: { roomList: true } });
  });

  it('updates the metadata with an admin grant for that room only', async () => {
    const { client } = makeClient();
    await client.createRoom({ name: 'tc-1' });
    expect((await client.updateRoomMetadata('tc-1', 'new')).metadata).toBe('new');
    expect(sandbox.requests().at(-1)).toMatchObject({
      method: 'UpdateRoomMetadata',
      grant: { roomAdmin: true, room: 'tc-1' },
      authorized: true,
    });
  });

  it('deletes a room; a missing room is LivekitNotFoundError', async () => {
    const { client } = makeClient();
    await client.createRoom({ name: 'tc-1' });
    await client.deleteRoom('tc-1');
    expect(sandbox.rooms()).toEqual([]);
    expect(sandbox.requests().at(-1)).toMatchObject({ grant: { roomCreate: true }, body: { room: 'tc-1' } });
    const error = await catchError(client.deleteRoom('tc-1'));
    expect(error).toBeInstanceOf(LivekitNotFoundError);
    expect((error as Error).message).toBe(
      'LiveKit DeleteRoom: not found (404) - not_found: requested room does not exist: tc-1',
    );
  });

  it('removes a participant; one not in the room is LivekitNotFoundError', async () => {
    const { client } = makeClient();
    await client.createRoom({ name: 'tc-1' });
    const { signJoinToken } = await import('../../../../src/video/livekit/tokens.js');
    const token = await signJoinToken(
      { apiKey, apiSecret },
      {
        room: 'tc-1',
        identity: 'user-1',
        displayName: 'U',
        admin: false,
        tools: {
          chat: false,
          screenSharing: false,
          fileUpload: false,
          whiteboard: false,
          snapshot: false,
          liveEdit: false,
          livePointer: false,
          presentToEveryone: false,
        },
        notBefore: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 60_000),
      },
    );
    await sandbox.join(token);
    await client.removeParticipant('tc-1', 'user-1');
    expect(sandbox.rooms()[0]?.participants).toEqual([]);
    expect(sandbox.requests().at(-1)).toMatchObject({ grant: { roomAdmin: true, room: 'tc-1' } });
    expect(await catchError(client.removeParticipant('tc-1', 'user-1'))).toBeInstanceOf(LivekitNotFoundError);
  });

  it('reads snake_case answers as well', async () => {
    await sandbox.close();
    sandbox = await startLivekitSandbox({ apiKey, apiSecret, clock, answerNames: 'snake_case' });
    const { client } = makeClient();
    const room = await client.createRoom({ name: 'tc-1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
    expect(room).toMatchObject({ emptyTimeoutSeconds: 120, maxParticipants: 4, departureTimeoutSeconds: 20 });
    expect(await client.listRooms()).toEqual([room]);
  });

  it('signs a fresh server token per call: HS256, iss the key, no sub, 10 minutes from the clock', async () => {
    const seen: string[] = [];
    const { createServer } = await import('node:http');
    const spy = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"rooms":[]}');
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (spy.address() as { port: number }).port;
      const spyClient = makeClient({ url: `http://127.0.0.1:${port}` }).client;
      await spyClient.listRooms();
      clock.advance(1000);
      await spyClient.listRooms();
    } finally {
      await new Promise((resolve) => spy.close(resolve));
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    const claims = decodeJwt((seen[0] ?? '').replace(/^Bearer /, ''));
    expect(claims).toEqual({
      iss: apiKey,
      nbf: Date.parse('2030-01-15T10:00:00.000Z') / 1000,
      exp: Date.parse('2030-01-15T10:10:00.000Z') / 1000,
      video: { roomList: true },
    });
  });
});

describe('failures', () => {
  it('a refused request is LivekitRejectedError with the Twirp code, never retried', async () => {
    const { client, events } = makeClient();
    const error = await catchError(client.createRoom({ name: '' }));
    expect(error).toBeInstanceOf(LivekitRejectedError);
    expect(error).toMatchObject({ status: 400, twirpCode: 'invalid_argument', operation: 'CreateRoom' });
    expect(sandbox.requests()).toHaveLength(1);
    expect(events).toEqual([
      { operation: 'CreateRoom', durationMs: expect.any(Number), outcome: 'error', errorKind: 'rejected' },
    ]);
  });

  it('a token LiveKit refuses (wrong secret) is rejected, 401 unauthenticated', async () => {
    const { client } = makeClient({ apiSecret: `other-${randomBytes(24).toString('hex')}` });
    expect(await catchError(client.listRooms())).toMatchObject({ status: 401, twirpCode: 'unauthenticated' });
  });

  it('retries 503 and 429 up to the limit, then gives LivekitUnavailableError', async () => {
    const { client, events, logs } = makeClient({ retryLimit: 2 });
    sandbox.injectFault({ path: METHOD_PATH('ListRooms'), status: 503, times: 2 });
    expect(await client.listRooms()).toEqual([]);
    expect(sandbox.requests()).toHaveLength(3);
    expect(logs().match(/livekit call retrying/g)).toHaveLength(2);

    sandbox.clearRequests();
    sandbox.injectFault({ path: METHOD_PATH('ListRooms'), status: 429, times: 3 });
    const error = await catchError(client.listRooms());
    expect(error).toBeInstanceOf(LivekitUnavailableError);
    expect((error as Error).message).toBe('LiveKit ListRooms unavailable (429) - internal: injected 429');
    expect(sandbox.requests()).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({
      operation: 'ListRooms',
      outcome: 'error',
      errorKind: 'unavailable',
    });
  });

  it('retries room creation too: LiveKit answers the room it already made under our name', async () => {
    const { client } = makeClient();
    // The first attempt creates the room, then its answer is lost.
    sandbox.injectFault({ path: METHOD_PATH('CreateRoom'), afterHandling: true, drop: true });
    const room = await client.createRoom({ name: 'tc-1', maxParticipants: 2 });
    expect(room).toMatchObject({ name: 'tc-1', maxParticipants: 2 });
    expect(sandbox.rooms()).toEqual([expect.objectContaining({ name: 'tc-1', sid: room.sid })]);
    expect(sandbox.requests().map((request) => request.method)).toEqual(['CreateRoom', 'CreateRoom']);
  });

  it('a removal whose answer was lost and whose retry hears not_found has done its work', async () => {
    const { client } = makeClient();
    await client.createRoom({ name: 'tc-1' });
    sandbox.injectFault({ path: METHOD_PATH('DeleteRoom'), afterHandling: true, status: 503 });
    await client.deleteRoom('tc-1');
    expect(sandbox.rooms()).toEqual([]);
    expect(sandbox.requests().filter((request) => request.method === 'DeleteRoom')).toHaveLength(2);
    // Without a retry before it, not_found stays an error: the caller named a room that is not there.
    expect(await catchError(client.deleteRoom('tc-1'))).toBeInstanceOf(LivekitNotFoundError);
  });

  it('gives up after the deadline of each attempt', async () => {
    const { client } = makeClient({ timeoutMs: 200, retryLimit: 1 });
    sandbox.injectFault({ path: METHOD_PATH('ListRooms'), delayMs: 1000, times: 2 });
    const error = await catchError(client.listRooms());
    expect(error).toBeInstanceOf(LivekitUnavailableError);
    expect((error as Error).message).toBe('LiveKit ListRooms timed out after 200 ms');
    expect(sandbox.requests()).toHaveLength(2);
  });

  it('a server that is not there is LivekitUnavailableError', async () => {
    const { client } = makeClient({ url: 'http://127.0.0.1:9', retryLimit: 0 });
    const error = await catchError(client.listRooms());
    expect(error).toBeInstanceOf(LivekitUnavailableError);
    expect((error as Error).message).toBe('LiveKit ListRooms failed (ECONNREFUSED)');
  });

  it('a 2xx that breaks the contract is LivekitUnavailableError, not a value', async () => {
    const { client } = makeClient({ retryLimit: 0 });
    sandbox.injectFault({ path: METHOD_PATH('ListRooms'), status: 200, body: { rooms: [{ sid: 'x' }] } });
    expect(await catchError(client.listRooms())).toBeInstanceOf(LivekitUnavailableError);
  });
});

describe('secrets stay secret', () => {
  it('no log line, error or metrics event holds the secret or a token, even when LiveKit echoes them', async () => {
    const { client, logs, events } = makeClient({ retryLimit: 1 });
    let sentToken = '';
    const { createServer } = await import('node:http');
    // An upstream that echoes the request's authorization header and the secret in its error message.
    const echo = createServer((req, res) => {
      sentToken = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ code: 'invalid_argument', msg: `bad ${req.headers.authorization} ${apiSecret}` }),
        );
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    let error: unknown;
    try {
      const port = (echo.address() as { port: number }).port;
      const echoing = makeClient({ url: `http://127.0.0.1:${port}` });
      error = await catchError(echoing.client.createRoom({ name: 'tc-1' }));
      const everything = [echoing.logs(), inspect(error, { depth: 10 }), JSON.stringify(echoing.events)].join(
        '\n',
      );
      expect(sentToken.length).toBeGreaterThan(20);
      expect(everything).not.toContain(sentToken);
      expect(everything).not.toContain(apiSecret);
      expect((error as Error).message).toContain('[redacted]');
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }

    sandbox.injectFault({ path: '*', drop: true, times: 2 });
    await catchError(client.listRooms());
    await client.createRoom({ name: 'tc-2' });
    const all = [logs(), JSON.stringify(events)].join('\n');
    expect(all).not.toContain(apiSecret);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
    expect(all).not.toMatch(/authorization/i);
  });
});
