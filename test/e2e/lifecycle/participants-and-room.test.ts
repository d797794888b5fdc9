import { AddParticipantsDocument, CreateTeleconsultationDocument } from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

interface WireRoomBody {
  participants: Array<{ user_id: string; is_admin: boolean; tools: Record<string, boolean> }>;
  duration?: number;
  live: boolean;
}

function roomRequests(gateway: TestGateway): WireRoomBody[] {
  return gateway.sandbox
    .requests()
    .filter((r) => r.method === 'POST' && r.path === '/v2/rooms')
    .map((r) => r.body as WireRoomBody);
}

async function createWaiting(gateway: TestGateway, tag: string, expected = 3) {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(120),
      durationInSeconds: 1200,
      participantsNumber: expected,
      participants: [doctor(`${tag}-doc`)],
    },
  });
  return createTeleconsultation;
}

describe('participants and the Kaleyra room (defaults: unlimited, live)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  afterEach(() => {
    gateway.sandbox.clearFaults();
    gateway.sandbox.clearRequests();
  });

  it('sends every participant with their role tools and admin flag, live on, the recording type and no duration', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 900,
        participants: [doctor('r-doc'), patient('r-pat')],
      },
    });
    const [body] = roomRequests(gateway);
    const allTools = {
      chat: true,
      screen_sharing: true,
      file_upload: true,
      whiteboard: true,
      snapshot: true,
      live_edit: true,
      live_pointer: true,
      present_to_everyone: true,
    };
    expect(body).toEqual({
      participants: [
        { user_id: created.participants[0]?.kaleyraUserId, is_admin: true, tools: allTools },
        { user_id: created.participants[1]?.kaleyraUserId, is_admin: false, tools: allTools },
      ],
      live: true,
      // DEFAULT_RECORDING_TYPE, sent explicitly.
      recording: 'none',
      // Our operation marker, for the clean-up of a room created after a timeout: no visit data.
      description: expect.stringMatching(/^tg-op:[0-9a-f]{24}$/),
    });
    const room = gateway.sandbox.rooms().find((r) => r.roomId === created.roomId);
    expect(room).toMatchObject({ live: true, duration: null });
  });

  it("stores each participant's personal link from Kaleyra", async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 900,
        participants: [doctor('l-doc'), patient('l-pat')],
      },
    });
    const stored = await gateway.app.storage.teleconsultations.findById(created.id);
    const room = gateway.sandbox.rooms().find((r) => r.roomId === created.roomId);
    const linkOf = (kaleyraUserId: string) => room?.participants.find((p) => p.userId === kaleyraUserId)?.url;
    expect(stored?.participants.map((p) => p.accessLinkURL)).toEqual(
      stored?.participants.map((p) => linkOf(p.videoUserId)),
    );
    expect(new Set(stored?.participants.map((p) => p.accessLinkURL)).size).toBe(2);
  });

  it('creates the room at the addParticipants call that completes the list, not before', async () => {
    const waiting = await createWaiting(gateway, 'a1');
    const { addParticipants: partial } = await gateway.ok(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('a1-pat-1')],
    });
    expect(partial).toMatchObject({ status: 'WAITING_FOR_PARTICIPANTS', roomId: null });
    expect(partial.participants.map((p) => p.userId)).toEqual(['a1-doc', 'a1-pat-1']);
    expect(roomRequests(gateway)).toHaveLength(0);
    // The new participant is already a Kaleyra user with their role.
    expect(gateway.sandbox.users()).toContainEqual({
      id: partial.participants[1]?.kaleyraUserId,
      role: 'basic',
    });

    const { addParticipants: complete } = await gateway.ok(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('a1-pat-2')],
    });
    expect(complete.status).toBe('SCHEDULED');
    expect(complete.roomId).toEqual(expect.any(String));
    const requests = roomRequests(gateway);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.participants.map((p) => [p.user_id, p.is_admin])).toEqual(
      complete.participants.map((p) => [p.kaleyraUserId, p.role === 'PLUS']),
    );
    const stored = await gateway.app.storage.teleconsultations.findById(waiting.id);
    expect(stored?.participants.every((p) => p.accessLinkURL?.startsWith('https://'))).toBe(true);
  });

  it('adds several participants in one call', async () => {
    const waiting = await createWaiting(gateway, 'a2');
    const { addParticipants } = await gateway.ok(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('a2-pat-1'), patient('a2-pat-2', { language: 'fr' })],
    });
    expect(addParticipants.status).toBe('SCHEDULED');
    expect(addParticipants.participants.map((p) => [p.userId, p.language])).toEqual([
      ['a2-doc', null],
      ['a2-pat-1', null],
      ['a2-pat-2', 'fr'],
    ]);
  });

  it('refuses more participants than expected with BAD_USER_INPUT and changes nothing', async () => {
    const waiting = await createWaiting(gateway, 'a3');
    const response = await gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('a3-pat-1'), patient('a3-pat-2'), patient('a3-pat-3')],
    });
    expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_PARTICIPANTS' });
    const stored = await gateway.app.storage.teleconsultations.findById(waiting.id);
    expect(stored?.participants.map((p) => p.userId)).toEqual(['a3-doc']);
    expect(stored?.version).toBe(1);
  });

  it('refuses a participant who is already in the teleconsultation', async () => {
    const waiting = await createWaiting(gateway, 'a4');
    const response = await gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [doctor('a4-doc')],
    });
    expect(errorOf(response)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DUPLICATE_PARTICIPANT',
      field: ['participants', 0, 'userId'],
    });
  });

  it('refuses to complete a list without a plus participant and creates no room', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 900,
        participantsNumber: 2,
        participants: [patient('a5-pat-1')],
      },
    });
    const response = await gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('a5-pat-2')],
    });
    expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_PLUS_PARTICIPANT' });
    expect(roomRequests(gateway)).toHaveLength(0);
    const stored = await gateway.app.storage.teleconsultations.findById(waiting.id);
    expect(stored?.participants).toHaveLength(1);
  });

  it('refuses a participant without fullName or groups (no AUTH_SERVICE)', async () => {
    const waiting = await createWaiting(gateway, 'a6');
    const response = await gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [{ userId: 'a6-pat', fullName: 'Only A Name' }],
    });
    expect(errorOf(response)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'MISSING_GROUPS',
      field: ['participants', 0, 'groups'],
    });
  });

  it('creates the new Kaleyra users of one request concurrently, not one after another', async () => {
    // Each user creation is held 300 ms: one after another, their arrivals would be >= 300 ms apart.
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/users', delayMs: 300, times: 3 });
    await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 900,
        participants: [doctor('cu-doc'), patient('cu-pat-1'), patient('cu-pat-2')],
      },
    });
    const arrivals = gateway.sandbox
      .requests()
      .filter((r) => r.path === '/v2/users')
      .map((r) => r.receivedAt.getTime());
    expect(arrivals).toHaveLength(3);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(250);
  });

  it('answers NOT_FOUND for an unknown or malformed id', async () => {
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      const response = await gateway.request(AddParticipantsDocument, { id, participants: [patient('nf')] });
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
  });
});

describe('the Kaleyra room with UNLIMITED_TELECONSULTATION=false and LIVE_TELECONSULTATION=false', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { UNLIMITED_TELECONSULTATION: 'false', LIVE_TELECONSULTATION: 'false' },
    });
  });
  afterAll(async () => gateway?.close());

  it('sends the duration and live off', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: { startDate: inMinutes(60), endDate: inMinutes(85), participants: [doctor(), patient()] },
    });
    const [body] = roomRequests(gateway);
    expect(body).toMatchObject({ duration: 1500, live: false });
    expect(gateway.sandbox.rooms().find((r) => r.roomId === created.roomId)).toMatchObject({
      duration: 1500,
      live: false,
    });
  });
});
