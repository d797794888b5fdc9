/**
 * Sessions and transcriptions over GraphQL, against the real gateway and the Kaleyra sandbox:
 * `Teleconsultation.sessions` and `transcription(teleconsultationId, sessionId)`, behind the
 * `transcription` policy (PLUS participants and the back office), decided before Kaleyra is asked;
 * too large, not ready and unknown each with their reason; every reading a TRANSCRIPTION_READ event
 * (who, which session, never the text), delivered to webhooks like any other event.
 */

import {
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  TeleconsultationSessionsDocument,
  TranscriptionDocument,
  TranscriptionReadsDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const PATIENT = { caller: 'pat-1', groups: 'customer' };
const STRANGER = { caller: 'doc-2', groups: 'doctor' };
const BACK_OFFICE = {};
/** What the segments say: a test fails if it reaches an event, a webhook or a log line. */
const SPOKEN = 'Chest pain since Tuesday, worse at night.';
const KB = 1024;

/** A visit of doc-1 (PLUS) and pat-1 (BASIC), its room created; returns its id and room. */
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
  const { roomId } = createTeleconsultation;
  if (!roomId) throw new Error('the visit has no room');
  return { id: createTeleconsultation.id, roomId };
}

function kaleyraCalls(gateway: TestGateway, part: string): string[] {
  return gateway.sandbox
    .requests()
    .map((request) => `${request.method} ${request.path}`)
    .filter((line) => line.includes(part));
}

async function readsOf(gateway: TestGateway, id: string) {
  const { teleconsultationHistory } = await gateway.ok(TranscriptionReadsDocument, { id }, BACK_OFFICE);
  return teleconsultationHistory.edges
    .map(({ node }) => node)
    .filter((node) => node.type === 'TRANSCRIPTION_READ')
    .map(({ actorId, sessionId, participantIds }) => ({ actorId, sessionId, participantIds }));
}

describe('transcriptions over GraphQL', () => {
  let gateway: TestGateway;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway({
      env: { TRANSCRIPTION_MAX_FILE_SIZE: '256KB', WEBHOOKS_ALLOW_HTTP: 'true', HOOK_SECRET: 'whsec_t_1' },
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        webhooks: [{ url: receiver.url, events: ['TRANSCRIPTION_READ'], secretEnv: 'HOOK_SECRET' }],
      },
    });
  });
  afterEach(async () => {
    await gateway?.close();
    await receiver?.close();
  });

  describe('Teleconsultation.sessions', () => {
    it("lists the room's sessions with their transcription status, to a PLUS participant", async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, {
        session_id: 'morning',
        start_date: '2030-03-04T09:00:00.000Z',
        end_date: '2030-03-04T09:25:00.000Z',
        transcription: { status: 'completed' },
      });
      gateway.sandbox.addSession(roomId, {
        session_id: 'ongoing',
        end_date: null,
        transcription: { status: 'processing' },
      });
      gateway.sandbox.addSession(roomId, { session_id: 'failed', transcription: { status: 'failed' } });
      gateway.sandbox.addSession(roomId, { session_id: 'silent' });

      const { teleconsultation } = await gateway.ok(TeleconsultationSessionsDocument, { id }, DOCTOR);
      expect(teleconsultation?.sessions).toEqual([
        {
          id: 'morning',
          startedAt: '2030-03-04T09:00:00.000Z',
          endedAt: '2030-03-04T09:25:00.000Z',
          transcriptionStatus: 'COMPLETED',
        },
        {
          id: 'ongoing',
          startedAt: gateway.clock.now().toISOString(),
          endedAt: null,
          transcriptionStatus: 'PROCESSING',
        },
        expect.objectContaining({ id: 'failed', transcriptionStatus: 'FAILED' }),
        expect.objectContaining({ id: 'silent', transcriptionStatus: 'NONE' }),
      ]);
    });

    it('is null with FORBIDDEN for a BASIC participant, who still reads the visit, and Kaleyra is not asked', async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, { session_id: 'morning', transcription: {} });
      gateway.sandbox.clearRequests();

      const response = await gateway.request(TeleconsultationSessionsDocument, { id }, PATIENT);
      expect(response.data?.teleconsultation).toMatchObject({ id, roomId, sessions: null });
      expect(response.errors).toEqual([
        expect.objectContaining({
          path: ['teleconsultation', 'sessions'],
          extensions: expect.objectContaining({
            code: 'FORBIDDEN',
            reason: 'POLICY_DENIED',
            operation: 'transcription',
          }),
        }),
      ]);
      expect(kaleyraCalls(gateway, '/sessions')).toEqual([]);
    });

    it('is empty before the room exists, without asking Kaleyra', async () => {
      const { createTeleconsultation } = await gateway.ok(
        CreateTeleconsultationDocument,
        {
          input: {
            startDate: inMinutes(60),
            durationInSeconds: 1800,
            participantsNumber: 3,
            participants: [doctor('doc-1'), patient('pat-1')],
          },
        },
        DOCTOR,
      );
      const { teleconsultation } = await gateway.ok(
        TeleconsultationSessionsDocument,
        { id: createTeleconsultation.id },
        DOCTOR,
      );
      expect(teleconsultation?.sessions).toEqual([]);
      expect(kaleyraCalls(gateway, '/sessions')).toEqual([]);
    });
  });

  describe('transcription(teleconsultationId, sessionId)', () => {
    it("returns Kaleyra's document to a PLUS participant and records who read which session, never the text", async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, {
        session_id: 'morning',
        transcription: { size_bytes: 20 * KB, language: 'it', segment_text: SPOKEN },
      });

      const { transcription } = await gateway.ok(
        TranscriptionDocument,
        { teleconsultationId: id, sessionId: 'morning' },
        DOCTOR,
      );
      expect(transcription).toMatchObject({ session_id: 'morning', room_id: roomId, language: 'it' });
      const segments = (transcription as { segments: Array<{ text: string; user_id: string }> }).segments;
      expect(segments.length).toBeGreaterThan(10);
      expect(segments[0]?.text.startsWith(SPOKEN)).toBe(true);
      expect(JSON.stringify(transcription).length).toBe(20 * KB);

      expect(await readsOf(gateway, id)).toEqual([
        { actorId: 'doc-1', sessionId: 'morning', participantIds: [] },
      ]);
      // Who and which session travel; what was said does not.
      const stored = await gateway.app.storage.events.list(id, 0, 100);
      const read = stored.find((event) => event.type === 'TRANSCRIPTION_READ');
      expect(read).toMatchObject({ actorId: 'doc-1', sessionId: 'morning', teleconsultationId: id });
      await gateway.drainJobs();
      const webhooks = receiver.received().map((webhook) => JSON.parse(webhook.body));
      expect(webhooks).toEqual([
        expect.objectContaining({
          type: 'TRANSCRIPTION_READ',
          teleconsultationId: id,
          data: expect.objectContaining({ actorId: 'doc-1', sessionId: 'morning' }),
        }),
      ]);
      for (const written of [JSON.stringify(stored), JSON.stringify(webhooks), gateway.logs()]) {
        expect(written).not.toContain('Chest pain');
      }
    });

    it('records each reading: the back office (no user id) twice, then a participant', async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, { session_id: 's1', transcription: {} });
      await gateway.ok(TranscriptionDocument, { teleconsultationId: id, sessionId: 's1' }, BACK_OFFICE);
      await gateway.ok(TranscriptionDocument, { teleconsultationId: id, sessionId: 's1' }, BACK_OFFICE);
      await gateway.ok(TranscriptionDocument, { teleconsultationId: id, sessionId: 's1' }, DOCTOR);
      expect(await readsOf(gateway, id)).toEqual([
        { actorId: null, sessionId: 's1', participantIds: [] },
        { actorId: null, sessionId: 's1', participantIds: [] },
        { actorId: 'doc-1', sessionId: 's1', participantIds: [] },
      ]);
    });

    it.each([
      ['a BASIC participant', PATIENT, 'FORBIDDEN', 'POLICY_DENIED'],
      ['a doctor of another visit', STRANGER, 'FORBIDDEN', 'POLICY_DENIED'],
      ['a request naming no caller', { anonymous: true }, 'UNAUTHENTICATED', 'NO_CALLER_ID'],
    ])('refuses %s before anything reaches Kaleyra, and records nothing', async (_who, as, code, reason) => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, { session_id: 's1', transcription: {} });
      gateway.sandbox.clearRequests();

      const response = await gateway.request(
        TranscriptionDocument,
        { teleconsultationId: id, sessionId: 's1' },
        as,
      );
      expect(response.data?.transcription ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code, reason, operation: 'transcription' });
      expect(kaleyraCalls(gateway, '/sessions')).toEqual([]);
      expect(await readsOf(gateway, id)).toEqual([]);
    });

    it('is NOT_FOUND for an unknown visit only to a caller who could read it; others are refused (no probing)', async () => {
      const unknown = '0123456789abcdef01234567';
      const asBackOffice = await gateway.request(
        TranscriptionDocument,
        { teleconsultationId: unknown, sessionId: 's1' },
        BACK_OFFICE,
      );
      expect(asBackOffice.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'TELECONSULTATION_NOT_FOUND',
      });
      const asDoctor = await gateway.request(
        TranscriptionDocument,
        { teleconsultationId: unknown, sessionId: 's1' },
        DOCTOR,
      );
      expect(asDoctor.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
      expect(kaleyraCalls(gateway, '/sessions')).toEqual([]);
    });

    it.each([
      ['an unknown session', 'nobody', undefined],
      ['a session without a transcription', 'silent', {}],
      ['a session whose transcription failed', 'broken', { transcription: { status: 'failed' as const } }],
      ['a session id Kaleyra never gives', '..', undefined],
    ])(
      'is NOT_FOUND (TRANSCRIPTION_NOT_FOUND) for %s, and records nothing',
      async (_case, sessionId, added) => {
        const { id, roomId } = await visitWithRoom(gateway);
        if (added) gateway.sandbox.addSession(roomId, { session_id: sessionId, ...added });
        const response = await gateway.request(
          TranscriptionDocument,
          { teleconsultationId: id, sessionId },
          DOCTOR,
        );
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'NOT_FOUND',
          reason: 'TRANSCRIPTION_NOT_FOUND',
        });
        expect(await readsOf(gateway, id)).toEqual([]);
      },
    );

    it('is CONFLICT (TRANSCRIPTION_NOT_READY) while Kaleyra is still transcribing', async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, { session_id: 'busy', transcription: { status: 'processing' } });
      const response = await gateway.request(
        TranscriptionDocument,
        { teleconsultationId: id, sessionId: 'busy' },
        DOCTOR,
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'TRANSCRIPTION_NOT_READY',
      });
      expect(await readsOf(gateway, id)).toEqual([]);
    });

    it.each([
      ['declared larger (refused before reading)', 'declared' as const],
      ['larger without saying so (cut off while reading)', 'omitted' as const],
    ])(
      'is PAYLOAD_TOO_LARGE (TRANSCRIPTION_TOO_LARGE) over TRANSCRIPTION_MAX_FILE_SIZE: %s',
      async (_case, mode) => {
        const { id, roomId } = await visitWithRoom(gateway);
        gateway.sandbox.addSession(roomId, {
          session_id: 'long',
          transcription: { size_bytes: 256 * KB + 1, content_length: mode },
        });
        gateway.sandbox.addSession(roomId, {
          session_id: 'at-limit',
          transcription: { size_bytes: 256 * KB, content_length: mode },
        });

        const response = await gateway.request(
          TranscriptionDocument,
          { teleconsultationId: id, sessionId: 'long' },
          DOCTOR,
        );
        expect(response.errors?.[0]).toMatchObject({
          message: `The transcription is larger than ${256 * KB} bytes (TRANSCRIPTION_MAX_FILE_SIZE).`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', reason: 'TRANSCRIPTION_TOO_LARGE' },
        });
        // Nothing reached the caller, so nothing was read.
        expect(await readsOf(gateway, id)).toEqual([]);
        // Exactly the limit passes.
        await gateway.ok(TranscriptionDocument, { teleconsultationId: id, sessionId: 'at-limit' }, DOCTOR);
        expect(await readsOf(gateway, id)).toEqual([
          { actorId: 'doc-1', sessionId: 'at-limit', participantIds: [] },
        ]);
      },
    );

    it('is NOT_FOUND for a cancelled visit, even to its doctor', async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, { session_id: 's1', transcription: {} });
      await gateway.ok(DeleteTeleconsultationDocument, { id }, DOCTOR);
      const response = await gateway.request(
        TranscriptionDocument,
        { teleconsultationId: id, sessionId: 's1' },
        DOCTOR,
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'TELECONSULTATION_NOT_FOUND',
      });
    });

    it('is UPSTREAM_UNAVAILABLE when Kaleyra keeps failing', async () => {
      const { id, roomId } = await visitWithRoom(gateway);
      gateway.sandbox.addSession(roomId, { session_id: 's1', transcription: {} });
      gateway.sandbox.injectFault({
        path: '/v2/rooms/:room_id/sessions/:session_id/transcription',
        status: 503,
        times: 'always',
      });
      const response = await gateway.request(
        TranscriptionDocument,
        { teleconsultationId: id, sessionId: 's1' },
        DOCTOR,
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        reason: 'KALEYRA_UNAVAILABLE',
      });
      expect(await readsOf(gateway, id)).toEqual([]);
    });
  });
});
