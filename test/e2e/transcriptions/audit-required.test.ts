/**
 * The audit event is not optional: a transcription whose reading cannot be written to the visit's
 * history is not handed over (REST: 500 before a byte of it; GraphQL: INTERNAL_SERVER_ERROR), and
 * the request to Kaleyra is closed rather than left hanging.
 */

import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../src/storage/ports.js';
import { CreateTeleconsultationDocument, TranscriptionDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const MB = 1024 * 1024;

/** The memory store, whose record updates fail while `failing` is set (a database gone read-only). */
function storageFailingUpdates(): Storage & { failing: boolean } {
  const memory = createMemoryStorage();
  const storage = {
    ...memory,
    failing: false,
    teleconsultations: {
      ...memory.teleconsultations,
      update: (...args: Parameters<Storage['teleconsultations']['update']>) => {
        if (storage.failing) return Promise.reject(new Error('store refuses writes'));
        return memory.teleconsultations.update(...args);
      },
    },
  };
  return storage;
}

describe('a transcription whose reading cannot be recorded', () => {
  let gateway: TestGateway;
  let storage: ReturnType<typeof storageFailingUpdates>;
  let id: string;
  let roomId: string;

  beforeEach(async () => {
    storage = storageFailingUpdates();
    gateway = await startTestGateway({ overrides: { storage }, env: { LOG_LEVEL: 'info' } });
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
    id = createTeleconsultation.id;
    roomId = createTeleconsultation.roomId ?? '';
    gateway.sandbox.addSession(roomId, { session_id: 'long', transcription: { size_bytes: 40 * MB } });
    gateway.sandbox.addSession(roomId, { session_id: 'short', transcription: { size_bytes: 64 * 1024 } });
    storage.failing = true;
  });
  afterEach(async () => gateway?.close());

  function served(): number {
    return gateway.sandbox.sessions().find((session) => session.sessionId === 'long')?.servedBytes ?? -1;
  }

  it('is not handed over on REST, and the request to Kaleyra is closed', async () => {
    const response = await gateway.rest('GET', `/transcription/${roomId}/long`, DOCTOR);
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ error: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' });
    // Closed, not left open with nobody reading it.
    await waitUntil(() => gateway.logs().includes('kaleyra call abandoned by its consumer'));
    expect(served()).toBeLessThan(16 * MB);
  });

  it('is not handed over on GraphQL', async () => {
    const response = await gateway.request(
      TranscriptionDocument,
      // A small one: GraphQL reads it whole before the audit, and 40 MB under a loaded suite can
      // outlast the test's 1 s Kaleyra deadline (UPSTREAM_UNAVAILABLE, not the audit's failure).
      { teleconsultationId: id, sessionId: 'short' },
      DOCTOR,
    );
    expect(response.data?.transcription ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    storage.failing = false;
    const events = await gateway.app.storage.events.list(id, 0, 100);
    expect(events.map((event) => event.type)).not.toContain('TRANSCRIPTION_READ');
  });
});

/** Polls a condition the server reaches on its own (a log line written when a stream closes). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition was never met');
}
