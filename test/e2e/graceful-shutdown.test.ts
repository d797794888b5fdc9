import { CreateTeleconsultationDocument, TeleconsultationWithDetailsDocument } from '../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway } from '../support/gateway.js';

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new ones, then stops', async () => {
    const gateway = await startTestGateway({ env: { KALEYRA_TIMEOUT_MS: '5000' } });
    try {
      const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
        input: { startDate: inMinutes(30), durationInSeconds: 1800, participants: [doctor(), patient()] },
      });
      // The read waits on Kaleyra for 400 ms: long enough to be in flight when stop() begins.
      gateway.sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', delayMs: 400 });
      const inFlight = gateway.request(
        TeleconsultationWithDetailsDocument,
        { id: createTeleconsultation.id },
        { caller: 'doctor-1' },
      );
      await waitUntil(() => gateway.sandbox.requests().some((r) => r.method === 'GET'));

      const stopped = gateway.app.stop();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data?.teleconsultation?.details?.status).toBe('active');

      // Without `connection: close` on the last answer, stop() waits out the keep-alive (72 s).
      await stopped;
      await expect(fetch(`${gateway.url}/-/healthz`)).rejects.toThrow();
    } finally {
      await gateway.close();
    }
  }, 10_000);
});

/** Polls a condition on the event loop (no fixed sleep): the sandbox logs a request on arrival. */
async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
