import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  type CreateTeleconsultationMutation,
  DeleteTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  T0,
  type TestGateway,
} from '../../support/gateway.js';

type Created = CreateTeleconsultationMutation['createTeleconsultation'];

const IMMUTABLE_PERIOD_MS = 10 * 60_000;

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

describe('updateTeleconsultation, addParticipants and the immutable period', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS), UNLIMITED_TELECONSULTATION: 'false' },
    });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => {
    gateway.sandbox.clearFaults();
    gateway.sandbox.clearRequests();
    gateway.clock.set(T0);
  });

  const kaleyraCalls = () =>
    gateway.sandbox
      .requests()
      .filter((r) => r.path.startsWith('/v2/rooms'))
      .map((r) => `${r.method} ${r.path}`);
  const liveRoomIds = () => gateway.sandbox.rooms().map((r) => r.roomId);
  const stored = (id: string) => gateway.app.storage.teleconsultations.findById(id);

  async function scheduled(tag: string, startInMinutes = 60): Promise<Created> {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(startInMinutes),
        durationInSeconds: 1800,
        participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
      },
    });
    gateway.sandbox.clearRequests();
    return createTeleconsultation;
  }

  it('reports lockedFrom as startDate minus IMMUTABLE_PERIOD_MS', async () => {
    const created = await scheduled('u0');
    expect(created.lockedFrom).toBe(inMinutes(50));
  });

  it('moving only the start keeps the room (same duration) and the links', async () => {
    const created = await scheduled('u1');
    const before = await stored(created.id);
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { startDate: inMinutes(120) },
    });
    expect(updated).toMatchObject({
      roomId: created.roomId,
      startDate: inMinutes(120),
      endDate: inMinutes(150),
      durationInSeconds: 1800,
      lockedFrom: inMinutes(110),
    });
    expect(kaleyraCalls()).toEqual([]);
    const after = await stored(created.id);
    expect(after?.participants.map((p) => p.accessLinkURL)).toEqual(
      before?.participants.map((p) => p.accessLinkURL),
    );
    expect(after?.version).toBe(2);
  });

  it('a new duration replaces the room: the new one is created and stored before the old one is deleted', async () => {
    const created = await scheduled('u2');
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { endDate: inMinutes(100) },
    });
    expect(updated.durationInSeconds).toBe(2400);
    expect(updated.roomId).not.toBe(created.roomId);
    await gateway.drainJobs();
    expect(kaleyraCalls()).toEqual(['POST /v2/rooms', `DELETE /v2/rooms/${created.roomId}`]);
    expect(liveRoomIds()).toContain(updated.roomId);
    expect(liveRoomIds()).not.toContain(created.roomId);
    expect(gateway.sandbox.rooms().find((r) => r.roomId === updated.roomId)?.duration).toBe(2400);
    const record = await stored(created.id);
    expect(record?.roomId).toBe(updated.roomId);
    const newLinks = gateway.sandbox
      .rooms()
      .find((r) => r.roomId === updated.roomId)
      ?.participants.map((p) => p.url);
    expect(record?.participants.map((p) => p.accessLinkURL)).toEqual(newLinks);
  });

  it('replacing a participant replaces the room', async () => {
    const created = await scheduled('u3');
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { participants: [doctor('u3-doc'), patient('u3-other')] },
    });
    expect(updated.participants.map((p) => p.userId)).toEqual(['u3-doc', 'u3-other']);
    expect(updated.roomId).not.toBe(created.roomId);
    await gateway.drainJobs();
    const room = gateway.sandbox.rooms().find((r) => r.roomId === updated.roomId);
    expect(room?.participants.map((p) => p.userId)).toEqual(updated.participants.map((p) => p.kaleyraUserId));
    expect(liveRoomIds()).not.toContain(created.roomId);
  });

  it('a role change replaces the room with the new admin flags', async () => {
    const created = await scheduled('u4');
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { participants: [doctor('u4-doc'), patient('u4-pat', { groups: ['doctor'] })] },
    });
    expect(updated.participants.map((p) => p.role)).toEqual(['PLUS', 'PLUS']);
    expect(updated.roomId).not.toBe(created.roomId);
    const room = gateway.sandbox.rooms().find((r) => r.roomId === updated.roomId);
    expect(room?.participants.map((p) => p.isAdmin)).toEqual([true, true]);
  });

  it('the same participant list keeps the room', async () => {
    const created = await scheduled('u5');
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { participants: [patient('u5-pat'), doctor('u5-doc')] },
    });
    expect(updated.roomId).toBe(created.roomId);
    expect(kaleyraCalls()).toEqual([]);
    const record = await stored(created.id);
    expect(record?.participants.every((p) => p.accessLinkURL !== null)).toBe(true);
  });

  it('raising participantsNumber deletes the room until the list is complete again', async () => {
    const created = await scheduled('u6');
    const { updateTeleconsultation: waiting } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { participantsNumber: 3 },
    });
    expect(waiting).toMatchObject({
      status: 'WAITING_FOR_PARTICIPANTS',
      roomId: null,
      participantsNumber: 3,
    });
    await gateway.drainJobs();
    expect(liveRoomIds()).not.toContain(created.roomId);
    const { addParticipants: complete } = await gateway.ok(AddParticipantsDocument, {
      id: created.id,
      participants: [patient('u6-pat-2')],
    });
    expect(complete.status).toBe('SCHEDULED');
    expect(liveRoomIds()).toContain(complete.roomId);
  });

  it('refuses a participantsNumber below the participants already there', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('u7-doc'), patient('u7-pat'), patient('u7-pat-2')],
      },
    });
    const response = await gateway.request(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { participantsNumber: 2 },
    });
    expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_PARTICIPANTS' });
  });

  it('refuses invalid schedule changes with BAD_USER_INPUT and changes nothing', async () => {
    const created = await scheduled('u8');
    const cases = [
      [{ endDate: inMinutes(90), durationInSeconds: 1800 }, 'END_AND_DURATION'],
      [{ durationInSeconds: 120 }, 'DURATION_TOO_SHORT'],
      [{ endDate: inMinutes(30) }, 'END_BEFORE_START'],
    ] as const;
    for (const [input, reason] of cases) {
      const response = await gateway.request(UpdateTeleconsultationDocument, { id: created.id, input });
      expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason });
    }
    expect((await stored(created.id))?.version).toBe(1);
    expect(kaleyraCalls()).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown teleconsultation', async () => {
    const response = await gateway.request(UpdateTeleconsultationDocument, {
      id: 'ffffffffffffffffffffffff',
      input: { durationInSeconds: 600 },
    });
    expect(errorOf(response).code).toBe('NOT_FOUND');
  });

  it('accepts a change one millisecond before lockedFrom', async () => {
    const created = await scheduled('l1');
    gateway.clock.set(Date.parse(created.lockedFrom) - 1);
    const { updateTeleconsultation } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(updateTeleconsultation.durationInSeconds).toBe(2400);
  });

  it('refuses update and addParticipants with TELECONSULTATION_LOCKED from lockedFrom on, touching nothing', async () => {
    const created = await scheduled('l2');
    for (const now of [Date.parse(created.lockedFrom), Date.parse(created.startDate) + 60_000]) {
      gateway.clock.set(now);
      const update = await gateway.request(UpdateTeleconsultationDocument, {
        id: created.id,
        input: { durationInSeconds: 2400 },
      });
      expect(errorOf(update)).toMatchObject({ code: 'TELECONSULTATION_LOCKED', reason: 'IMMUTABLE_PERIOD' });
      const add = await gateway.request(AddParticipantsDocument, {
        id: created.id,
        participants: [patient('l2-late')],
      });
      expect(errorOf(add).code).toBe('TELECONSULTATION_LOCKED');
    }
    const record = await stored(created.id);
    expect(record).toMatchObject({ version: 1, roomId: created.roomId, durationInSeconds: 1800 });
    expect(kaleyraCalls()).toEqual([]);
    expect(liveRoomIds()).toContain(created.roomId);
  });

  it('still cancels inside the immutable period (at lockedFrom, during the visit, after its end), and the room goes at once', async () => {
    for (const [tag, at] of [
      ['c1', (c: Created) => Date.parse(c.lockedFrom)],
      ['c2', (c: Created) => Date.parse(c.startDate) + 60_000],
      ['c3', (c: Created) => Date.parse(c.endDate as string) + 60_000],
    ] as const) {
      gateway.clock.set(T0);
      const created = await scheduled(tag);
      gateway.clock.set(at(created));
      // Any other change is refused at this instant.
      const update = await gateway.request(UpdateTeleconsultationDocument, {
        id: created.id,
        input: { durationInSeconds: 2400 },
      });
      expect(errorOf(update).code).toBe('TELECONSULTATION_LOCKED');

      const { deleteTeleconsultation } = await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
      expect(deleteTeleconsultation).toMatchObject({
        id: created.id,
        status: 'CANCELLED',
        accessLinkURL: null,
      });
      expect(await stored(created.id)).toMatchObject({ state: 'trashed', roomId: created.roomId });
      await gateway.runJobs();
      expect(liveRoomIds()).not.toContain(created.roomId);
      expect(kaleyraCalls()).toEqual([`DELETE /v2/rooms/${created.roomId}`]);
      gateway.sandbox.clearRequests();
    }
  });

  it('does not lock a teleconsultation without a room: participants can still arrive late', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participantsNumber: 2,
        participants: [doctor('l3-doc')],
      },
    });
    gateway.clock.set(Date.parse(waiting.startDate) + 60_000);
    const { addParticipants } = await gateway.ok(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('l3-pat')],
    });
    // Complete after the start: the room exists and the visit is locked at once.
    expect(addParticipants).toMatchObject({ status: 'LOCKED', locked: true });
    expect(liveRoomIds()).toContain(addParticipants.roomId);
  });

  it('when Kaleyra fails to create the replacement room: UPSTREAM_UNAVAILABLE and the previous state stays', async () => {
    const created = await scheduled('f1');
    const before = await stored(created.id);
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 503 });
    const response = await gateway.request(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'KALEYRA_UNAVAILABLE' });
    expect(await stored(created.id)).toEqual(before);
    expect(liveRoomIds()).toContain(created.roomId);
  });

  it('retries deleting the superseded room when Kaleyra fails once, leaving no orphan', async () => {
    const created = await scheduled('f2');
    gateway.sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503 });
    const { updateTeleconsultation: updated } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    await gateway.drainJobs();
    expect(kaleyraCalls().filter((c) => c.startsWith('DELETE'))).toHaveLength(2);
    expect(liveRoomIds()).not.toContain(created.roomId);
    expect(liveRoomIds()).toContain(updated.roomId);
  });
});
