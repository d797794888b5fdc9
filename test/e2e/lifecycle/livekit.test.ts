/**
 * The visit's lifecycle with VIDEO_PROVIDER=livekit, over HTTP against the LiveKit sandbox: rooms
 * created with the participant limit and our marker, links whose tokens the LiveKit sandbox admits
 * (room, participant, roomAdmin exactly for PLUS, the tools' sources, exp at the end of the join
 * window), the room deleted on cancel and on replace, no orphan when LiveKit loses its answers,
 * and not one call to Kaleyra.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { decodeJwt, jwtVerify } from 'jose';
import {
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  inMinutes,
  patient,
  startTestGateway,
  T0,
  TEST_LIVEKIT_KEY,
  TEST_LIVEKIT_SECRET,
  type TestGateway,
} from '../../support/gateway.js';

const MINUTE = 60_000;
const SERVICE_CONFIG = {
  environment: 'sandbox',
  privileges: {
    basic: {
      groups: ['customer'],
      tools: {
        chat: false,
        screen_sharing: false,
        file_upload: false,
        whiteboard: false,
        snapshot: false,
        live_edit: false,
        live_pointer: false,
        present_to_everyone: false,
      },
    },
    plus: { groups: ['doctor'] },
  },
  joinWindows: [{ groups: ['doctor'], opensBeforeStartMs: 10 * MINUTE }],
  joinClosesAfterEndMs: 15 * MINUTE,
};

interface LinkView {
  teleconsultation: { joinState: string; canJoinUntil: string | null; accessLinkURL: string | null } | null;
}
const READ = parse(
  'query Link($id: ID!) { teleconsultation(id: $id) { joinState canJoinUntil accessLinkURL } }',
) as TypedDocumentNode<LinkView, { id: string }>;

const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';

describe('the lifecycle on LiveKit', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ provider: 'livekit', serviceConfigFile: SERVICE_CONFIG });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => {
    gateway.clock.set(T0);
    gateway.livekit?.clearFaults();
    // Not one call to Kaleyra, whatever the test did.
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  const livekit = () => {
    if (!gateway.livekit) throw new Error('the gateway runs on LiveKit');
    return gateway.livekit;
  };

  async function create(participants = [doctor('lk-doc'), patient('lk-pat')]) {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: { startDate: inMinutes(60), durationInSeconds: 1800, participants },
    });
    return createTeleconsultation;
  }

  const roomOf = async (id: string) =>
    (await gateway.app.storage.teleconsultations.findById(id))?.roomId ?? null;

  it('creates the room on LiveKit with the participant limit and our marker', async () => {
    const { id } = await create();
    const roomId = await roomOf(id);
    const room = livekit()
      .rooms()
      .find((r) => r.name === roomId);
    expect(room).toMatchObject({ maxParticipants: 2 });
    expect(JSON.parse(room?.metadata ?? '{}')).toEqual({
      teleconsultationGateway: expect.stringMatching(/^tg-op:/),
    });
    expect((await gateway.app.storage.teleconsultations.findById(id))?.provider).toBe('livekit');
  });

  it("hands out links whose tokens LiveKit admits: room, participant, PLUS's roomAdmin, the tools' sources, exp at the window's end", async () => {
    const { id } = await create([doctor('lk-doc2'), patient('lk-pat2')]);
    const roomId = await roomOf(id);
    gateway.clock.set(Date.parse(inMinutes(60)));
    const doctorView = await gateway.ok(READ, { id }, { caller: 'lk-doc2', groups: 'doctor' });
    const patientView = await gateway.ok(READ, { id }, { caller: 'lk-pat2', groups: 'customer' });
    const until = Date.parse(inMinutes(60 + 30 + 15));
    expect(doctorView.teleconsultation).toMatchObject({
      joinState: 'OPEN',
      canJoinUntil: new Date(until).toISOString(),
    });
    const doctorLink = doctorView.teleconsultation?.accessLinkURL ?? '';
    const patientLink = patientView.teleconsultation?.accessLinkURL ?? '';
    expect(doctorLink.startsWith('https://meet.test.example/custom?liveKitUrl=')).toBe(true);
    expect(new URL(doctorLink).searchParams.get('liveKitUrl')).toBe(livekit().wsUrl);

    const admittedDoctor = await livekit().join(tokenOf(doctorLink));
    expect(admittedDoctor).toMatchObject({
      identity: 'tg.lk-doc2',
      name: 'Doctor lk-doc2',
      grant: {
        room: roomId,
        roomJoin: true,
        roomAdmin: true,
        canPublishData: true,
        canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
      },
    });
    const admittedPatient = await livekit().join(tokenOf(patientLink));
    expect(admittedPatient).toMatchObject({
      identity: 'tg.lk-pat2',
      grant: {
        room: roomId,
        roomAdmin: false,
        canPublishData: false,
        canPublishSources: ['camera', 'microphone'],
      },
    });
    for (const link of [doctorLink, patientLink]) {
      expect(decodeJwt(tokenOf(link))).toMatchObject({ iss: TEST_LIVEKIT_KEY, exp: until / 1000 });
    }
    // Signed with the API secret (verified at the gateway's clock: the tokens' times are 2030's).
    const secret = new TextEncoder().encode(TEST_LIVEKIT_SECRET);
    const { payload } = await jwtVerify(tokenOf(doctorLink), secret, { currentDate: gateway.clock.now() });
    expect(payload).toMatchObject({ sub: 'tg.lk-doc2', nbf: gateway.clock.now().getTime() / 1000 });
    // At the window's end the token no longer opens the room.
    gateway.clock.set(until);
    await expect(livekit().join(tokenOf(patientLink))).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('deletes the room when the visit is cancelled', async () => {
    const { id } = await create([doctor('lk-doc3'), patient('lk-pat3')]);
    const roomId = await roomOf(id);
    await gateway.ok(DeleteTeleconsultationDocument, { id });
    await gateway.drainJobs();
    expect(
      livekit()
        .rooms()
        .map((r) => r.name),
    ).not.toContain(roomId);
  });

  it('deletes the room a change replaces (another participant), and the new one has the participant limit', async () => {
    const { id } = await create([doctor('lk-doc4'), patient('lk-pat4')]);
    const before = await roomOf(id);
    await gateway.ok(UpdateTeleconsultationDocument, {
      id,
      input: { participants: [doctor('lk-doc4'), patient('lk-pat5')] },
    });
    const after = await roomOf(id);
    expect(after).not.toBe(before);
    expect(
      livekit()
        .rooms()
        .find((r) => r.name === after)?.maxParticipants,
    ).toBe(2);
    // The superseded room's deletion is due as soon as the change is stored.
    await gateway.runJobs();
    const names = livekit()
      .rooms()
      .map((r) => r.name);
    expect(names).not.toContain(before);
    expect(names).toContain(after);
  });

  it('deletes the room when the last join window closes, not a moment before, ending the call', async () => {
    const { id } = await create([doctor('lk-doc7'), patient('lk-pat7')]);
    const roomId = await roomOf(id);
    const until = Date.parse(inMinutes(60 + 30 + 15));
    gateway.clock.set(until - 1);
    await gateway.runJobs();
    expect(
      livekit()
        .rooms()
        .map((r) => r.name),
    ).toContain(roomId);
    gateway.clock.set(until);
    await gateway.runJobs();
    expect(
      livekit()
        .rooms()
        .map((r) => r.name),
    ).not.toContain(roomId);
    const { jobs } = await gateway.app.storage.jobs.list({ states: ['done'], first: 500 });
    expect(jobs.find((job) => job.kind === 'room-ending' && job.payload.roomId === roomId)).toMatchObject({
      lastOutcome: 'deleted: the last join window closed',
    });
  });

  it('keeps the room when the visit moved later: the job scheduled for the old end waits for the new one', async () => {
    const { id } = await create([doctor('lk-doc8'), patient('lk-pat8')]);
    const roomId = await roomOf(id);
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(120) } });
    expect(await roomOf(id)).toBe(roomId);
    gateway.clock.set(Date.parse(inMinutes(60 + 30 + 15)));
    await gateway.runJobs();
    expect(
      livekit()
        .rooms()
        .map((r) => r.name),
    ).toContain(roomId);
    gateway.clock.set(Date.parse(inMinutes(120 + 30 + 15)));
    await gateway.runJobs();
    expect(
      livekit()
        .rooms()
        .map((r) => r.name),
    ).not.toContain(roomId);
  });

  it('leaves no orphan when LiveKit creates rooms but every answer is lost', async () => {
    const rooms = () => livekit().rooms().length;
    const before = rooms();
    livekit().injectFault({
      path: '/twirp/livekit.RoomService/CreateRoom',
      afterHandling: true,
      drop: true,
      times: 'always',
    });
    const response = await gateway.request(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('lk-doc6'), patient('lk-pat6')],
      },
    });
    expect(response.errors?.[0]?.extensions?.code).toBeDefined();
    expect(rooms()).toBe(before + 1);
    livekit().clearFaults();
    await gateway.drainJobs();
    expect(rooms()).toBe(before);
  });
});
