/**
 * A deployment moving from Kaleyra to LiveKit, over HTTP on one store: visits created while
 * VIDEO_PROVIDER was kaleyra keep their rooms on Kaleyra (every change made there, none on
 * LiveKit) as long as Kaleyra's variables stay configured; new visits go to LiveKit. Without
 * Kaleyra's variables those visits are still readable, and every change to them is refused before
 * any side effect (PROVIDER_NOT_CONFIGURED; REST 503).
 */
import { ManualClock } from '../../../src/domain/clock.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import {
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  TeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';

const NOT_CONFIGURED = { code: 'UPSTREAM_UNAVAILABLE', reason: 'PROVIDER_NOT_CONFIGURED' };

describe('switching VIDEO_PROVIDER from kaleyra to livekit on one store', () => {
  const clock = new ManualClock(T0);
  const storage = createMemoryStorage();
  let before: TestGateway;
  let after: TestGateway;
  let withoutKaleyra: TestGateway;

  beforeAll(async () => {
    before = await startTestGateway({ clock, overrides: { storage } });
    after = await startTestGateway({
      clock,
      provider: 'livekit',
      sandbox: before.sandbox,
      overrides: { storage },
    });
    withoutKaleyra = await startTestGateway({
      clock,
      provider: 'livekit',
      sandbox: before.sandbox,
      env: { BANDYER_BASE_URL: undefined, BANDYER_API_SECRET_KEY: undefined },
      overrides: { storage },
    });
  });
  afterAll(async () => {
    await withoutKaleyra?.close();
    await after?.close();
    await before?.close();
  });
  afterEach(() => {
    before.sandbox.clearRequests();
    after.livekit?.clearRequests();
    withoutKaleyra.livekit?.clearRequests();
  });

  async function visitOnKaleyra(tag: string) {
    const { createTeleconsultation } = await before.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
      },
    });
    const stored = await storage.teleconsultations.findById(createTeleconsultation.id);
    expect(stored?.provider).toBe('kaleyra');
    return { id: createTeleconsultation.id, roomId: stored?.roomId as string };
  }
  const kaleyraRooms = () => before.sandbox.rooms().map((room) => room.roomId);

  it("changes a Kaleyra visit on Kaleyra, never on LiveKit, while Kaleyra's variables stay set", async () => {
    const visit = await visitOnKaleyra('sw1');
    before.sandbox.clearRequests();

    await after.ok(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { participants: [doctor('sw1-doc'), patient('sw1-other')] },
    });
    await after.drainJobs();
    const replaced = await storage.teleconsultations.findById(visit.id);
    expect(replaced?.provider).toBe('kaleyra');
    expect(replaced?.roomId).not.toBe(visit.roomId);
    expect(kaleyraRooms()).toContain(replaced?.roomId);
    expect(kaleyraRooms()).not.toContain(visit.roomId);

    await after.ok(DeleteTeleconsultationDocument, { id: visit.id });
    await after.drainJobs();
    expect(kaleyraRooms()).not.toContain(replaced?.roomId);
    expect(after.livekit?.requests()).toEqual([]);
  });

  it('creates new visits on LiveKit', async () => {
    const { createTeleconsultation } = await after.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('sw2-doc'), patient('sw2-pat')],
      },
    });
    const stored = await storage.teleconsultations.findById(createTeleconsultation.id);
    expect(stored?.provider).toBe('livekit');
    expect(after.livekit?.rooms().map((room) => room.name)).toContain(stored?.roomId);
    expect(before.sandbox.requests()).toEqual([]);
  });

  it("without Kaleyra's variables: a Kaleyra visit is readable, and every change is refused untouched", async () => {
    const visit = await visitOnKaleyra('sw3');
    const stored = await storage.teleconsultations.findById(visit.id);
    before.sandbox.clearRequests();

    const read = await withoutKaleyra.ok(
      TeleconsultationDocument,
      { id: visit.id },
      { caller: 'sw3-doc', groups: 'doctor' },
    );
    expect(read.teleconsultation).toMatchObject({ id: visit.id, roomId: visit.roomId });
    const attempts = [
      () =>
        withoutKaleyra.request(UpdateTeleconsultationDocument, {
          id: visit.id,
          input: { durationInSeconds: 1200 },
        }),
      () => withoutKaleyra.request(DeleteTeleconsultationDocument, { id: visit.id }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.errors?.[0]?.extensions).toMatchObject(NOT_CONFIGURED);
    }
    const rest = await fetch(`${withoutKaleyra.url}/teleconsultation/${visit.id}`, {
      method: 'DELETE',
      headers: { miauserid: 'back-office-user', isbackoffice: 'true' },
    });
    expect(rest.status).toBe(503);
    expect(await rest.json()).toMatchObject({
      error: expect.stringMatching(/kaleyra/i),
      reason: 'PROVIDER_NOT_CONFIGURED',
    });

    await withoutKaleyra.drainJobs();
    expect(await storage.teleconsultations.findById(visit.id)).toEqual(stored);
    expect(kaleyraRooms()).toContain(visit.roomId);
    expect(before.sandbox.requests()).toEqual([]);
    expect(withoutKaleyra.livekit?.requests()).toEqual([]);
  });
});
