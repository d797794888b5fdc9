import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../../dev/kaleyra-sandbox/sandbox.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { UpstreamCallEvent } from '../../../../src/shared/upstream-client.js';
import {
  KaleyraNotFoundError,
  KaleyraNotReadyError,
  KaleyraTooLargeError,
  KaleyraUnavailableError,
  type KaleyraVideo,
  type TranscriptionStream,
} from '../../../../src/video/kaleyra/api.js';
import { createKaleyraClient } from '../../../../src/video/kaleyra/client.js';
import type { WireTranscription } from '../../../../src/video/kaleyra/wire.js';

/**
 * Sessions and transcriptions through the real client and the real sandbox over loopback: the
 * transcription is a stream, cut off at the limit (refused unread when its declared length is
 * over it, aborted while counting when it declares none), never held whole.
 */

const MB = 1024 * 1024;
const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
const clock = new ManualClock(new Date('2030-01-15T10:00:00.000Z'));
let sandbox: KaleyraSandbox;
let client: KaleyraVideo;
let lines: string[];
let events: UpstreamCallEvent[];
let roomId: string;

beforeEach(async () => {
  sandbox = await startKaleyraSandbox({ apiKey, clock });
  lines = [];
  events = [];
  client = createKaleyraClient({
    baseUrl: sandbox.url,
    apiKey,
    timeoutMs: 2000,
    retryLimit: 2,
    logger: pino({ level: 'trace' }, { write: (line: string) => lines.push(line) }),
    observe: (event) => events.push(event),
  });
  await client.createUser({ kaleyraUserId: 'tg.doctor', role: 'plus' });
  await client.createUser({ kaleyraUserId: 'tg.patient', role: 'basic' });
  ({ roomId } = await client.createRoom({
    participants: [
      { kaleyraUserId: 'tg.doctor', isAdmin: true, tools: noTools() },
      { kaleyraUserId: 'tg.patient', isAdmin: false, tools: noTools() },
    ],
    live: false,
  }));
  sandbox.clearRequests();
  events.length = 0;
  lines.length = 0;
});

afterEach(async () => {
  await sandbox.close();
});

function noTools() {
  return {
    chat: false,
    screenSharing: false,
    fileUpload: false,
    whiteboard: false,
    snapshot: false,
    liveEdit: false,
    livePointer: false,
    presentToEveryone: false,
  };
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads to the end, keeping only the count: what a client that passes bytes on holds. */
async function countAll(body: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) bytes += (chunk as Buffer).length;
  return bytes;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function served(sessionId: string): number {
  return sandbox.sessions().find((session) => session.sessionId === sessionId)?.servedBytes ?? -1;
}

describe('listing sessions', () => {
  it("lists a room's sessions with their transcription status", async () => {
    sandbox.addSession(roomId, {
      session_id: 'session-1',
      start_date: '2030-01-15T10:00:00.000Z',
      end_date: '2030-01-15T10:30:00.000Z',
      transcription: { status: 'completed' },
    });
    sandbox.addSession(roomId, {
      session_id: 'session-2',
      end_date: null,
      transcription: { status: 'processing' },
    });
    sandbox.addSession(roomId, { session_id: 'session-3' });

    expect(await client.listSessions(roomId)).toEqual([
      {
        sessionId: 'session-1',
        startedAt: new Date('2030-01-15T10:00:00.000Z'),
        endedAt: new Date('2030-01-15T10:30:00.000Z'),
        transcriptionStatus: 'completed',
      },
      { sessionId: 'session-2', startedAt: clock.now(), endedAt: null, transcriptionStatus: 'processing' },
      { sessionId: 'session-3', startedAt: clock.now(), endedAt: clock.now(), transcriptionStatus: 'none' },
    ]);
    expect(sandbox.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /v2/rooms/${roomId}/sessions`,
    ]);
  });

  it('is not found for an unknown room', async () => {
    expect(await failureOf(client.listSessions('room_unknown'))).toBeInstanceOf(KaleyraNotFoundError);
  });

  it('is retried on 503', async () => {
    sandbox.injectFault({ path: '/v2/rooms/:room_id/sessions', status: 503 });
    expect(await client.listSessions(roomId)).toEqual([]);
    expect(sandbox.requests()).toHaveLength(2);
  });
});

describe('reading a transcription', () => {
  it('streams the document as Kaleyra wrote it, with its declared size', async () => {
    sandbox.addSession(roomId, {
      session_id: 'session-1',
      transcription: { status: 'completed', size_bytes: 5000, language: 'it', segment_text: 'Buongiorno.' },
    });
    const opened = await client.openTranscription({ roomId, sessionId: 'session-1', maxBytes: MB });
    expect(opened.declaredBytes).toBe(5000);
    const text = await readAll(opened.body);
    expect(text.length).toBe(5000);
    const document = JSON.parse(text.toString('utf8')) as WireTranscription;
    expect(document).toMatchObject({ session_id: 'session-1', room_id: roomId, language: 'it' });
    expect(document.segments.length).toBeGreaterThan(1);
    expect(document.segments[0]).toMatchObject({ user_id: 'speaker-0', start_ms: 0, end_ms: 4000 });
    expect(document.segments[0]?.text.startsWith('Buongiorno.')).toBe(true);
    expect(events).toEqual([expect.objectContaining({ operation: 'getTranscription', outcome: 'ok' })]);
  });

  it('passes on a body of exactly the limit', async () => {
    sandbox.addSession(roomId, { session_id: 's-exact', transcription: { size_bytes: 300_000 } });
    const opened = await client.openTranscription({ roomId, sessionId: 's-exact', maxBytes: 300_000 });
    expect(await countAll(opened.body)).toBe(300_000);
  });

  it('passes on a body without a declared length when it stays within the limit', async () => {
    sandbox.addSession(roomId, {
      session_id: 's-chunked',
      transcription: { size_bytes: 200_000, content_length: 'omitted' },
    });
    const opened = await client.openTranscription({ roomId, sessionId: 's-chunked', maxBytes: 200_000 });
    expect(opened.declaredBytes).toBeNull();
    expect(await countAll(opened.body)).toBe(200_000);
  });

  it('refuses a body declared larger than the limit before reading it, and closes the request', async () => {
    sandbox.addSession(roomId, { session_id: 's-big', transcription: { size_bytes: 60 * MB } });
    const error = await failureOf(
      client.openTranscription({ roomId, sessionId: 's-big', maxBytes: 50 * MB }),
    );

    expect(error).toBeInstanceOf(KaleyraTooLargeError);
    expect(error).toMatchObject({ maxBytes: 50 * MB, declaredBytes: 60 * MB });
    // Nothing was read: the sandbox generated no more than the socket's buffers took.
    expect(served('s-big')).toBeLessThan(8 * MB);
    expect(events).toEqual([
      expect.objectContaining({ operation: 'getTranscription', outcome: 'error', errorKind: 'too_large' }),
    ]);
  });

  it('counts a body that declares no length and aborts the request once it passes the limit', async () => {
    sandbox.addSession(roomId, {
      session_id: 's-undeclared',
      transcription: { size_bytes: 60 * MB, content_length: 'omitted' },
    });
    const opened = await client.openTranscription({ roomId, sessionId: 's-undeclared', maxBytes: MB });
    expect(opened.declaredBytes).toBeNull();
    let passedOn = 0;
    const error = await failureOf(
      (async () => {
        for await (const chunk of opened.body) passedOn += (chunk as Buffer).length;
      })(),
    );

    expect(error).toBeInstanceOf(KaleyraTooLargeError);
    expect(error).toMatchObject({ maxBytes: MB, declaredBytes: null });
    expect(passedOn).toBeLessThanOrEqual(MB);
    await waitForClose(opened);
    // The request was aborted: the sandbox stopped generating long before 60 MB.
    expect(served('s-undeclared')).toBeLessThan(16 * MB);
    expect(lines.join('')).toContain('"errorKind":"too_large"');
  });

  it('aborts the request when its reader goes away, and says so in the log', async () => {
    sandbox.addSession(roomId, { session_id: 's-left', transcription: { size_bytes: 60 * MB } });
    const opened = await client.openTranscription({ roomId, sessionId: 's-left', maxBytes: 100 * MB });
    for await (const _chunk of opened.body) break;
    await waitForClose(opened);
    expect(served('s-left')).toBeLessThan(16 * MB);
    expect(lines.join('')).toContain('kaleyra call abandoned by its consumer');
    expect(events).toEqual([expect.objectContaining({ outcome: 'error', errorKind: 'abandoned' })]);
  });

  it('is not ready while Kaleyra is still transcribing (409), and is not retried', async () => {
    sandbox.addSession(roomId, { session_id: 's-busy', transcription: { status: 'processing' } });
    const error = await failureOf(client.openTranscription({ roomId, sessionId: 's-busy', maxBytes: MB }));
    expect(error).toBeInstanceOf(KaleyraNotReadyError);
    expect(sandbox.requests()).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ outcome: 'error', errorKind: 'not_ready' })]);
  });

  it.each([
    ['an unknown session', 's-nobody', undefined],
    ['a session without a transcription', 's-none', {}],
    ['a session whose transcription failed', 's-failed', { transcription: { status: 'failed' as const } }],
  ])('is not found for %s', async (_case, sessionId, added) => {
    if (added) sandbox.addSession(roomId, { session_id: sessionId, ...added });
    const error = await failureOf(client.openTranscription({ roomId, sessionId, maxBytes: MB }));
    expect(error).toBeInstanceOf(KaleyraNotFoundError);
  });

  it('is not found for an unknown room', async () => {
    const error = await failureOf(
      client.openTranscription({ roomId: 'room_x', sessionId: 's', maxBytes: MB }),
    );
    expect(error).toBeInstanceOf(KaleyraNotFoundError);
  });

  it.each(['..', '.', '.hidden', 'a/b', 'a b', 'q\ud800', 'x'.repeat(129), ''])(
    'sends nothing for %j, which no session is called: not found',
    async (sessionId) => {
      const error = await failureOf(client.openTranscription({ roomId, sessionId, maxBytes: MB }));
      expect(error).toBeInstanceOf(KaleyraNotFoundError);
      expect(sandbox.requests()).toEqual([]);
    },
  );

  it('is retried on 503 before its body starts, and then streams', async () => {
    sandbox.addSession(roomId, { session_id: 's-1', transcription: { size_bytes: 4096 } });
    sandbox.injectFault({ path: '/v2/rooms/:room_id/sessions/:session_id/transcription', status: 503 });
    const opened = await client.openTranscription({ roomId, sessionId: 's-1', maxBytes: MB });
    expect(await countAll(opened.body)).toBe(4096);
    expect(sandbox.requests()).toHaveLength(2);
  });

  it('retries after a dropped connection, and gives up after the limit as unavailable', async () => {
    sandbox.addSession(roomId, { session_id: 's-1', transcription: { size_bytes: 4096 } });
    sandbox.injectFault({ path: '*', drop: true, times: 3 });
    const error = await failureOf(client.openTranscription({ roomId, sessionId: 's-1', maxBytes: MB }));
    expect(error).toBeInstanceOf(KaleyraUnavailableError);
    expect(sandbox.requests()).toHaveLength(3);
  });

  it('keeps the API key out of errors and logs, even when Kaleyra echoes it', async () => {
    sandbox.addSession(roomId, { session_id: 's-1', transcription: { size_bytes: 4096 } });
    sandbox.injectFault({
      path: '*',
      status: 400,
      body: { error: 'bad_request', message: `key ${apiKey} refused` },
    });
    const error = await failureOf(client.openTranscription({ roomId, sessionId: 's-1', maxBytes: MB }));
    sandbox.injectFault({ path: '*', drop: true, times: 'always' });
    const dropped = await failureOf(client.openTranscription({ roomId, sessionId: 's-1', maxBytes: MB }));
    for (const failure of [error, dropped]) expect(inspect(failure, { depth: 10 })).not.toContain(apiKey);
    expect(lines.join('')).not.toContain(apiKey);
  });
});

/** The stream and the request behind it are closed (the client's log line is written on close). */
function waitForClose(opened: TranscriptionStream): Promise<void> {
  return new Promise((resolve) => {
    // `closed` is set before the 'close' listeners run: give them their turn.
    if (opened.body.closed) setImmediate(resolve);
    else opened.body.once('close', () => setImmediate(resolve));
  });
}

describe("the sandbox's sessions (test-only routes under /__sandbox/)", () => {
  const control = (path: string, body: unknown) =>
    fetch(`${sandbox.url}/__sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('adds a session over HTTP, answering it in the wire shape, and logs no Kaleyra request for it', async () => {
    const response = await control(`rooms/${roomId}/sessions`, {
      session_id: 'session-9',
      start_date: '2030-01-15T09:00:00.000Z',
      end_date: '2030-01-15T09:20:00.000Z',
      transcription: { status: 'completed', size_bytes: 1000 },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      session_id: 'session-9',
      room_id: roomId,
      start_date: '2030-01-15T09:00:00.000Z',
      end_date: '2030-01-15T09:20:00.000Z',
      transcription_status: 'completed',
    });
    expect(sandbox.requests()).toEqual([]);
    expect(await client.listSessions(roomId)).toHaveLength(1);
  });

  it.each([
    ['an unknown room', 'rooms/room_nope/sessions', {}, 404],
    ['an unknown field', `rooms/ROOM/sessions`, { colour: 'red' }, 400],
    ['a session id Kaleyra would not give', `rooms/ROOM/sessions`, { session_id: '../x' }, 400],
    ['a size no document can have', `rooms/ROOM/sessions`, { transcription: { size_bytes: 10 } }, 400],
    ['a status outside the contract', `rooms/ROOM/sessions`, { transcription: { status: 'done' } }, 400],
  ])('refuses %s', async (_case, path, body, status) => {
    const response = await control(path.replace('ROOM', roomId), body);
    expect(response.status).toBe(status);
  });

  it('refuses a second session with the same id (409)', async () => {
    sandbox.addSession(roomId, { session_id: 'twice' });
    expect((await control(`rooms/${roomId}/sessions`, { session_id: 'twice' })).status).toBe(409);
  });

  it('sends a transcription chunked, without a length, when asked to', async () => {
    sandbox.addSession(roomId, {
      session_id: 'c',
      transcription: { size_bytes: 3000, content_length: 'omitted' },
    });
    const response = await fetch(`${sandbox.url}/v2/rooms/${roomId}/sessions/c/transcription`, {
      headers: { apikey: apiKey },
    });
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await response.arrayBuffer()).byteLength).toBe(3000);
  });
});
