/**
 * No orphan room on any provider, whatever fails: a creation the provider refuses stores nothing;
 * a room whose creation answer was lost is found by its marker and swept; a room created while
 * the store failed is deleted again; a deletion that fails is retried. After each scenario, once
 * every job has run, the provider holds exactly the rooms of the active records. On a provider
 * other than Kaleyra, not one request reaches Kaleyra.
 */
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../../generated/graphql.js';
import { flakyStorage } from '../../../support/flaky-storage.js';
import { doctor, patient, T0 } from '../../../support/gateway.js';
import {
  createVisit,
  errorOf,
  expectKaleyraUntouchedUnlessKaleyra,
  expectNoOrphans,
  type ProviderGateway,
  SERVICE_CONFIG_WITHOUT_END,
  startProviderGateway,
  VIDEO_PROVIDERS,
  visitInput,
} from './provider-suite.js';

describe.each(VIDEO_PROVIDERS)('no orphan room on %s', (provider) => {
  describe('when the provider fails', () => {
    let under: ProviderGateway;
    const ids: string[] = [];
    const gateway = () => under.gateway;
    const video = () => under.video;

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

    it('a room creation the provider fails stores nothing and leaves no room', async () => {
      const rooms = video().roomIds();
      const count = await gateway().app.storage.teleconsultations.count();
      video().failRoomCreations('always');
      const response = await gateway().request(CreateTeleconsultationDocument, { input: visitInput('f1') });
      expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(response.data).toBeNull();
      expect(
        video()
          .calls()
          .filter((call) => call.op === 'createRoom').length,
      ).toBeGreaterThan(0);
      expect(await gateway().app.storage.teleconsultations.count()).toBe(count);
      expect(video().roomIds()).toEqual(rooms);
    });

    it('a room whose creation answer was lost is swept', async () => {
      const rooms = video().roomIds();
      video().loseRoomCreationAnswers('always');
      const response = await gateway().request(CreateTeleconsultationDocument, { input: visitInput('f2') });
      expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      // The provider made the room; nobody heard of it.
      const made = video()
        .roomIds()
        .filter((roomId) => !rooms.includes(roomId));
      expect(made.length).toBeGreaterThan(0);
      video().heal();
      await gateway().drainJobs();
      expect(video().roomIds()).toEqual(rooms);
      expect(video().calls()).toEqual(
        expect.arrayContaining(made.map((roomId) => ({ op: 'deleteRoom', roomId }))),
      );
    });

    it('a room made for an addParticipants whose answer was lost is swept, the record still waiting', async () => {
      const waiting = await createVisit(gateway(), 'f3', {
        participantsNumber: 2,
        participants: [doctor('f3-doc')],
      });
      ids.push(waiting.id);
      const rooms = video().roomIds();
      video().loseRoomCreationAnswers('always');
      const response = await gateway().request(AddParticipantsDocument, {
        id: waiting.id,
        participants: [patient('f3-pat')],
      });
      expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(video().roomIds().length).toBeGreaterThan(rooms.length);
      video().heal();
      await gateway().drainJobs();
      expect(video().roomIds()).toEqual(rooms);
      expect(await gateway().app.storage.teleconsultations.findById(waiting.id)).toMatchObject({
        roomId: null,
        participants: [expect.objectContaining({ userId: 'f3-doc' })],
      });
    });

    it('a superseded room whose deletion fails once is deleted on the retry', async () => {
      const created = await createVisit(gateway(), 'f4');
      ids.push(created.id);
      video().clearRequests();
      video().failNextDeletion();
      const { updateTeleconsultation: updated } = await gateway().ok(UpdateTeleconsultationDocument, {
        id: created.id,
        input: { durationInSeconds: 2400 },
      });
      await gateway().drainJobs();
      const deletions = video()
        .calls()
        .filter((call) => call.op === 'deleteRoom' && call.roomId === created.roomId);
      expect(deletions.length).toBeGreaterThanOrEqual(2);
      expect(video().roomIds()).not.toContain(created.roomId);
      expect(video().roomIds()).toContain(updated.roomId);
    });
  });

  describe('when the store fails after the provider succeeded', () => {
    let under: ProviderGateway;
    const ids: string[] = [];
    const { storage, failNext } = flakyStorage();
    const gateway = () => under.gateway;
    const video = () => under.video;

    beforeAll(async () => {
      under = await startProviderGateway(provider, {
        serviceConfigFile: SERVICE_CONFIG_WITHOUT_END,
        overrides: { storage },
      });
    });
    afterAll(async () => under?.gateway.close());
    afterEach(async () => {
      failNext.insert = false;
      failNext.update = false;
      await expectNoOrphans(under, ids);
      expectKaleyraUntouchedUnlessKaleyra(gateway());
      video().clearRequests();
      gateway().sandbox.clearRequests();
    });

    it('a room created for a record that could not be stored is deleted again', async () => {
      failNext.insert = true;
      const response = await gateway().request(CreateTeleconsultationDocument, { input: visitInput('db1') });
      expect(errorOf(response)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      const [creation] = video()
        .calls()
        .filter((call) => call.op === 'createRoom');
      expect(creation).toBeDefined();
      await gateway().drainJobs();
      const roomCalls = video()
        .calls()
        .filter((call) => call.op === 'createRoom' || call.op === 'deleteRoom')
        .map((call) => call.op);
      expect(roomCalls).toEqual(['createRoom', 'deleteRoom']);
      expect(video().roomIds()).toEqual([]);
      expect(await gateway().app.storage.teleconsultations.count()).toBe(0);
    });

    it('a replacement room whose record could not be stored is deleted, the previous one kept', async () => {
      const created = await createVisit(gateway(), 'db2');
      ids.push(created.id);
      const before = await gateway().app.storage.teleconsultations.findById(created.id);
      failNext.update = true;
      const response = await gateway().request(UpdateTeleconsultationDocument, {
        id: created.id,
        input: { durationInSeconds: 2400 },
      });
      expect(errorOf(response)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(await gateway().app.storage.teleconsultations.findById(created.id)).toEqual(before);
      await gateway().drainJobs();
      expect(video().roomIds()).toEqual([created.roomId]);
    });
  });
});
