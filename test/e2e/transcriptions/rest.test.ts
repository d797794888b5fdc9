/**
 * `GET /transcription/:roomId/:sessionId`, the route the original added in 2.1: a visit named by
 * its Kaleyra room (bandyerRoomId), Kaleyra's document streamed through as it comes, errors in the
 * original's `{ error }` shape with our code and reason, the `transcription` policy decided first.
 */

import { request as httpRequest } from 'node:http';
import { CreateTeleconsultationDocument, TranscriptionReadsDocument } from '../../generated/graphql.js';
import {
  doctor,
  identityHeaders,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';

const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const PATIENT = { caller: 'pat-1', groups: 'customer' };
const BACK_OFFICE = {};
const KB = 1024;
const MB = 1024 * KB;

async function visitWithRoom(gateway: TestGateway): Promise<{ id: string; roomId: string }> {
  const { createTeleconsultation } = await gateway.ok(
    CreateTeleconsultationDocument,
    {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient('pat-1')],
      },
    },
    DOCTOR,
  );
  if (!createTeleconsultation.roomId) throw new Error('the visit has no room');
  return { id: createTeleconsultation.id, roomId: createTeleconsultation.roomId };
}

async function readsOf(gateway: TestGateway, id: string) {
  const { teleconsultationHistory } = await gateway.ok(TranscriptionReadsDocument, { id }, BACK_OFFICE);
  return teleconsultationHistory.edges
    .map(({ node }) => node)
    .filter((node) => node.type === 'TRANSCRIPTION_READ')
    .map(({ actorId, sessionId }) => ({ actorId, sessionId }));
}

function transcriptionCalls(gateway: TestGateway): number {
  return gateway.sandbox.requests().filter((request) => request.path.endsWith('/transcription')).length;
}

function served(gateway: TestGateway, sessionId: string): number {
  return gateway.sandbox.sessions().find((session) => session.sessionId === sessionId)?.servedBytes ?? -1;
}

describe('GET /transcription/:roomId/:sessionId', () => {
  let gateway: TestGateway;

  beforeEach(async () => {
    gateway = await startTestGateway({ env: { TRANSCRIPTION_MAX_FILE_SIZE: '1MB' } });
  });
  afterEach(async () => gateway?.close());

  it("answers Kaleyra's document byte for byte, with its length, uncached, and records the reading", async () => {
    const { id, roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 'morning', transcription: { size_bytes: 300 * KB } });

    const response = await gateway.rest('GET', `/transcription/${roomId}/morning`, DOCTOR);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(300 * KB));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.byteLength(response.text)).toBe(300 * KB);
    expect(response.json).toMatchObject({ session_id: 'morning', room_id: roomId, language: 'en' });
    expect(await readsOf(gateway, id)).toEqual([{ actorId: 'doc-1', sessionId: 'morning' }]);
  });

  it('streams a body Kaleyra sends without a length, chunked', async () => {
    const { roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, {
      session_id: 'chunked',
      transcription: { size_bytes: 200 * KB, content_length: 'omitted' },
    });
    const response = await gateway.rest('GET', `/transcription/${roomId}/chunked`, BACK_OFFICE);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBeNull();
    expect(Buffer.byteLength(response.text)).toBe(200 * KB);
  });

  it("names the visit by its Kaleyra room, not by the record's id", async () => {
    const { id, roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 's1', transcription: {} });
    const byRecordId = await gateway.rest('GET', `/transcription/${id}/s1`, BACK_OFFICE);
    expect(byRecordId.status).toBe(404);
    expect(byRecordId.json).toEqual({
      error: `No teleconsultation in room ${id}.`,
      code: 'NOT_FOUND',
      reason: 'TELECONSULTATION_NOT_FOUND',
    });
    expect((await gateway.rest('GET', `/transcription/${roomId}/s1`, BACK_OFFICE)).status).toBe(200);
  });

  it.each([
    ['a BASIC participant', PATIENT, 'FORBIDDEN', 'POLICY_DENIED'],
    ['a request naming no caller', { anonymous: true }, 'UNAUTHENTICATED', 'NO_CALLER_ID'],
  ])('refuses %s with 401 before Kaleyra is asked, recording nothing', async (_who, as, code, reason) => {
    const { id, roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 's1', transcription: {} });
    const response = await gateway.rest('GET', `/transcription/${roomId}/s1`, as);
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: 'Unauthorized user', code, reason });
    expect(transcriptionCalls(gateway)).toBe(0);
    expect(await readsOf(gateway, id)).toEqual([]);
  });

  it('answers an unknown room 404 only to a caller who could read it; a doctor is refused (no probing)', async () => {
    const asBackOffice = await gateway.rest('GET', '/transcription/room_unknown/s1', BACK_OFFICE);
    expect(asBackOffice.status).toBe(404);
    expect(asBackOffice.json).toMatchObject({ code: 'NOT_FOUND', reason: 'TELECONSULTATION_NOT_FOUND' });
    const asDoctor = await gateway.rest('GET', '/transcription/room_unknown/s1', DOCTOR);
    expect(asDoctor.status).toBe(401);
    expect(asDoctor.json).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
    expect(transcriptionCalls(gateway)).toBe(0);
  });

  it('answers an unknown session 404 (TRANSCRIPTION_NOT_FOUND)', async () => {
    const { roomId } = await visitWithRoom(gateway);
    const response = await gateway.rest('GET', `/transcription/${roomId}/nobody`, DOCTOR);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: "No transcription of session nobody in this visit's room.",
      code: 'NOT_FOUND',
      reason: 'TRANSCRIPTION_NOT_FOUND',
    });
  });

  it('answers 409 (TRANSCRIPTION_NOT_READY) while Kaleyra is still transcribing', async () => {
    const { id, roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 'busy', transcription: { status: 'processing' } });
    const response = await gateway.rest('GET', `/transcription/${roomId}/busy`, DOCTOR);
    expect(response.status).toBe(409);
    expect(response.json).toEqual({
      error: 'The transcription of session busy is not ready yet; ask again later.',
      code: 'CONFLICT',
      reason: 'TRANSCRIPTION_NOT_READY',
    });
    expect(await readsOf(gateway, id)).toEqual([]);
  });

  it('answers 413 (TRANSCRIPTION_TOO_LARGE) for a transcription declared over the limit, reading none of it', async () => {
    const { id, roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 'long', transcription: { size_bytes: 60 * MB } });
    const response = await gateway.rest('GET', `/transcription/${roomId}/long`, DOCTOR);
    expect(response.status).toBe(413);
    expect(response.json).toEqual({
      error: `The transcription is larger than ${MB} bytes (TRANSCRIPTION_MAX_FILE_SIZE).`,
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'TRANSCRIPTION_TOO_LARGE',
    });
    expect(served(gateway, 'long')).toBeLessThan(16 * MB);
    expect(await readsOf(gateway, id)).toEqual([]);
  });

  it('cuts off a transcription that passes the limit without having said so: the answer breaks off, never complete-looking', async () => {
    const { id, roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, {
      session_id: 'long',
      transcription: { size_bytes: 60 * MB, content_length: 'omitted' },
    });
    const outcome = await rawGet(gateway, `/transcription/${roomId}/long`, DOCTOR);
    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(false);
    expect(outcome.bytes).toBeLessThanOrEqual(MB);
    // Kaleyra's side was aborted too: the sandbox stopped generating long before 60 MB.
    expect(served(gateway, 'long')).toBeLessThan(16 * MB);
    // Bytes did reach the caller: the reading is in the trail.
    expect(await readsOf(gateway, id)).toEqual([{ actorId: 'doc-1', sessionId: 'long' }]);
    expect(gateway.logs()).toContain('TRANSCRIPTION_TOO_LARGE');
  });
});

describe('GET /transcription/:roomId/:sessionId, a caller that goes away', () => {
  let gateway: TestGateway;

  beforeEach(async () => {
    gateway = await startTestGateway({ env: { TRANSCRIPTION_MAX_FILE_SIZE: '100MB' } });
  });
  afterEach(async () => gateway?.close());

  it('stops the reading from Kaleyra', async () => {
    const { roomId } = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 'long', transcription: { size_bytes: 60 * MB } });
    const outcome = await rawGet(gateway, `/transcription/${roomId}/long`, DOCTOR, 256 * KB);
    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(false);
    await waitUntil(() => gateway.logs().includes('kaleyra call abandoned by its consumer'));
    expect(served(gateway, 'long')).toBeLessThan(16 * MB);
  });
});

/**
 * A GET read with node:http, so a body that breaks off is seen as such: how many bytes came,
 * whether the response completed. `hangUpAfter` bytes: the client goes away.
 */
function rawGet(
  gateway: TestGateway,
  path: string,
  as: Record<string, string>,
  hangUpAfter?: number,
): Promise<{ status: number; bytes: number; complete: boolean }> {
  const url = new URL(path, gateway.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: identityHeaders(gateway.config, as) }, (response) => {
      let bytes = 0;
      let settled = false;
      const settle = (complete: boolean) => {
        if (settled) return;
        settled = true;
        resolve({ status: response.statusCode ?? 0, bytes, complete });
      };
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (hangUpAfter !== undefined && bytes >= hangUpAfter) {
          request.destroy();
          settle(false);
        }
      });
      response.on('end', () => settle(response.complete));
      response.on('error', () => settle(false));
      response.on('close', () => settle(response.complete));
    });
    request.on('error', (error) => {
      if (hangUpAfter === undefined) reject(error);
    });
    request.end();
  });
}

/** Polls a condition the server reaches on its own (a log line written when a request ends). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition was never met');
}
