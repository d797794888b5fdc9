/**
 * The visit's room on every provider, over GraphQL as a client would: created at once with the
 * full list (the record naming its provider), or when addParticipants completes it; kept when only
 * the start moves; replaced (new one stored, then the old one deleted) on a new duration or a
 * replaced participant; deleted on cancel, also inside the immutable period and after an outage.
 * On a provider other than Kaleyra, not one request reaches Kaleyra.
 */
import {
  AddParticipantsDocument,
  DeleteTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../../generated/graphql.js';
import { doctor, inMinutes, patient, T0 } from '../../../support/gateway.js';
import type { SandboxCall } from '../../../support/video-sandbox.js';
import {
  createVisit,
  expectKaleyraUntouchedUnlessKaleyra,
  expectNoOrphans,
  type ProviderGateway,
  SERVICE_CONFIG_WITHOUT_END,
  startProviderGateway,
  VIDEO_PROVIDERS,
} from './provider-suite.js';

/** The room calls, in order (user creation and the like left out). */
const roomCalls = (calls: SandboxCall[]) =>
  calls
    .filter((call) => call.op === 'createRoom' || call.op === 'deleteRoom')
    .map((call) => (call.op === 'deleteRoom' ? `delete ${call.roomId}` : 'create'));

describe.each(VIDEO_PROVIDERS)('the room of a visit on %s', (provider) => {
  let under: ProviderGateway;
  const ids: string[] = [];
  const gateway = () => under.gateway;
  const video = () => under.video;
  const stored = (id: string) => gateway().app.storage.teleconsultations.findById(id);

  beforeAll(async () => {
    under = await startProviderGateway(provider, { serviceConfigFile: SERVICE_CONFIG_WITHOUT_END });
  });
  afterAll(async () => under?.gateway.close());
  afterEach(async () => {
    video().heal();
    gateway().clock.set(T0);
    await expectNoOrphans(under, ids);
    expectKaleyraUntouchedUnlessKaleyra(gateway());
    video().clearRequests();
    gateway().sandbox.clearRequests();
  });

  async function scheduled(tag: string) {
    const created = await createVisit(gateway(), tag);
    ids.push(created.id);
    video().clearRequests();
    return created;
  }

  it('creates the room at once with the full list, sized for it, and the record names its provider', async () => {
    const created = await createVisit(gateway(), 'c1');
    ids.push(created.id);
    expect(created).toMatchObject({ status: 'SCHEDULED', roomId: expect.any(String) });
    const roomId = created.roomId as string;
    expect(roomCalls(video().calls())).toEqual(['create']);
    expect(video().roomIds()).toContain(roomId);
    const room = video().room(roomId);
    expect(room?.capacity).toBe(2);
    if (room?.invited !== undefined) {
      expect([...room.invited].sort()).toEqual(created.participants.map((p) => p.kaleyraUserId).sort());
    }
    expect((await stored(created.id))?.provider).toBe(provider);
  });

  it('creates no room for an incomplete list, and creates it when addParticipants completes it', async () => {
    const waiting = await createVisit(gateway(), 'c2', {
      participantsNumber: 2,
      participants: [doctor('c2-doc')],
    });
    ids.push(waiting.id);
    expect(waiting).toMatchObject({ status: 'WAITING_FOR_PARTICIPANTS', roomId: null });
    expect(roomCalls(video().calls())).toEqual([]);
    const roomsBefore = video().roomIds();

    const { addParticipants: complete } = await gateway().ok(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('c2-pat')],
    });
    expect(complete).toMatchObject({ status: 'SCHEDULED', roomId: expect.any(String) });
    expect(roomCalls(video().calls())).toEqual(['create']);
    expect(video().roomIds()).toEqual([...roomsBefore, complete.roomId]);
    expect(video().room(complete.roomId as string)?.capacity).toBe(2);
    expect(await stored(waiting.id)).toMatchObject({ roomId: complete.roomId, provider });
  });

  it('keeps the room when only the start moves', async () => {
    const created = await scheduled('u1');
    const { updateTeleconsultation: moved } = await gateway().ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { startDate: inMinutes(120) },
    });
    expect(moved).toMatchObject({
      roomId: created.roomId,
      startDate: inMinutes(120),
      endDate: inMinutes(150),
    });
    await gateway().drainJobs();
    expect(roomCalls(video().calls())).toEqual([]);
    expect(video().roomIds()).toContain(created.roomId);
    expect((await stored(created.id))?.version).toBe(2);
  });

  it('replaces the room on a new duration: the new one created and stored, then the old one deleted', async () => {
    const created = await scheduled('u2');
    const { updateTeleconsultation: updated } = await gateway().ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(updated.durationInSeconds).toBe(2400);
    expect(updated.roomId).not.toBeNull();
    expect(updated.roomId).not.toBe(created.roomId);
    // Answered only once stored: the record already points to the new room.
    expect((await stored(created.id))?.roomId).toBe(updated.roomId);
    await gateway().drainJobs();
    expect(roomCalls(video().calls())).toEqual(['create', `delete ${created.roomId}`]);
    expect(video().roomIds()).toContain(updated.roomId);
    expect(video().roomIds()).not.toContain(created.roomId);
  });

  it('replaces the room when a participant is replaced', async () => {
    const created = await scheduled('u3');
    const { updateTeleconsultation: updated } = await gateway().ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { participants: [doctor('u3-doc'), patient('u3-other')] },
    });
    expect(updated.participants.map((p) => p.userId)).toEqual(['u3-doc', 'u3-other']);
    expect(updated.roomId).not.toBe(created.roomId);
    await gateway().drainJobs();
    expect(roomCalls(video().calls())).toEqual(['create', `delete ${created.roomId}`]);
    expect(video().roomIds()).not.toContain(created.roomId);
    const room = video().room(updated.roomId as string);
    expect(room?.capacity).toBe(2);
    if (room?.invited !== undefined) {
      expect([...room.invited].sort()).toEqual(updated.participants.map((p) => p.kaleyraUserId).sort());
    }
  });

  it.each([
    ['before the immutable period', () => T0.getTime()],
    ['at lockedFrom', (c: { lockedFrom: string }) => Date.parse(c.lockedFrom)],
    ['during the visit', (c: { startDate: string }) => Date.parse(c.startDate) + 60_000],
  ])('deletes the room on cancel (%s)', async (_when, at) => {
    const created = await scheduled(`d${ids.length}`);
    gateway().clock.set(at(created));
    const { deleteTeleconsultation } = await gateway().ok(DeleteTeleconsultationDocument, { id: created.id });
    expect(deleteTeleconsultation).toMatchObject({ status: 'CANCELLED', accessLinkURL: null });
    expect(await stored(created.id)).toMatchObject({ state: 'trashed' });
    await gateway().runJobs();
    expect(video().roomIds()).not.toContain(created.roomId);
    expect(roomCalls(video().calls())).toEqual([`delete ${created.roomId}`]);
  });

  it('cancels while the provider is down, and deletes the room once it is back', async () => {
    const created = await scheduled('d-down');
    video().outage();
    const { deleteTeleconsultation } = await gateway().ok(DeleteTeleconsultationDocument, { id: created.id });
    expect(deleteTeleconsultation.status).toBe('CANCELLED');
    await gateway().runJobs();
    // The deletion was tried and failed: the room is still there, the cancel stands.
    expect(roomCalls(video().calls())).toContain(`delete ${created.roomId}`);
    expect(video().roomIds()).toContain(created.roomId);
    expect(await stored(created.id)).toMatchObject({ state: 'trashed' });
    video().heal();
    await gateway().drainJobs();
    expect(video().roomIds()).not.toContain(created.roomId);
  });
});
