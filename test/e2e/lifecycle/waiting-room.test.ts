import type { KaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import {
  AdmitAllDocument,
  AdmitParticipantDocument,
  AnnounceDelayDocument,
  AttendanceHistoryDocument,
  CheckInDocument,
  CreateWithAdmissionDocument,
  DenyParticipantDocument,
  UpdateTeleconsultationDocument,
  WaitingRoomOfHostDocument,
  WaitingRoomViewDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  T0,
  TEST_API_KEY,
  type TestGateway,
} from '../../support/gateway.js';

const IMMUTABLE_PERIOD_MS = 15 * 60_000;
const privileges = { basic: { groups: ['customer'] }, plus: { groups: ['doctor', 'psychiatrist'] } };
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

let sandbox: KaleyraSandbox;
beforeAll(async () => {
  sandbox = await startKaleyraSandbox({ apiKey: TEST_API_KEY });
});
afterAll(async () => sandbox?.close());

describe('the waiting room: check-in, admit, deny, running late, no-shows', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      sandbox,
      env: { IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS) },
      serviceConfigFile: {
        environment: 'sandbox',
        privileges,
        admission: { default: 'AUTOMATIC', byPlusGroup: { psychiatrist: 'HOST_ADMITS' } },
      },
    });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => gateway.clock.set(T0));

  /** A visit at T0 + 60 min for 30 min: locked (and the links out) from T0 + 45, check-in from T0 + 15. */
  async function visit(tag: string, admission: 'AUTOMATIC' | 'HOST_ADMITS' | null, extraPatients = 0) {
    const { createTeleconsultation } = await gateway.ok(CreateWithAdmissionDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        ...(admission ? { admission } : {}),
        participants: [
          doctor(`${tag}-doc`),
          doctor(`${tag}-doc2`),
          patient(`${tag}-pat`),
          ...Array.from({ length: extraPatients }, (_, i) => patient(`${tag}-pat${i + 2}`)),
        ],
      },
    });
    return createTeleconsultation;
  }
  const view = (id: string, caller: string) => gateway.ok(WaitingRoomViewDocument, { id }, { caller });
  const stored = (id: string) => gateway.app.storage.teleconsultations.findById(id);
  const history = async (id: string) =>
    (await gateway.ok(AttendanceHistoryDocument, { id })).teleconsultationHistory.edges.map((e) => e.node);

  it('holds a BASIC participant under HOST_ADMITS until a PLUS participant admits them: the link appears at that instant', async () => {
    const created = await visit('w1', 'HOST_ADMITS');
    expect(created.admission).toBe('HOST_ADMITS');
    gateway.clock.set(at(50));
    const before = await view(created.id, 'w1-pat');
    expect(before.teleconsultation).toMatchObject({
      joinState: 'WAITING_FOR_ADMISSION',
      accessLinkURL: null,
      checkInOpensAt: at(15).toISOString(),
    });
    // PLUS participants are never held.
    expect((await view(created.id, 'w1-doc')).teleconsultation).toMatchObject({ joinState: 'OPEN' });
    expect((await view(created.id, 'w1-doc')).teleconsultation?.accessLinkURL).toEqual(expect.any(String));

    const checkedIn = await gateway.ok(
      CheckInDocument,
      {
        teleconsultationId: created.id,
        device: { camera: 'OK', microphone: 'FAILED', speaker: 'UNTESTED', networkKbps: 1800 },
      },
      { caller: 'w1-pat' },
    );
    expect(checkedIn.checkIn).toEqual({
      userId: 'w1-pat',
      attendance: 'WAITING',
      checkedInAt: at(50).toISOString(),
    });
    // Still no link: checked in is not admitted.
    expect((await view(created.id, 'w1-pat')).teleconsultation?.accessLinkURL).toBeNull();

    const room = await gateway.ok(WaitingRoomOfHostDocument, { id: created.id }, { caller: 'w1-doc' });
    expect(room.teleconsultation?.waitingRoom).toEqual([
      {
        userId: 'w1-pat',
        attendance: 'WAITING',
        checkedInAt: at(50).toISOString(),
        device: { camera: 'OK', microphone: 'FAILED', speaker: 'UNTESTED', networkKbps: 1800 },
      },
    ]);

    gateway.clock.set(at(52));
    const admitted = await gateway.ok(
      AdmitParticipantDocument,
      { teleconsultationId: created.id, userId: 'w1-pat' },
      { caller: 'w1-doc' },
    );
    expect(admitted.admitParticipant.attendance).toBe('ADMITTED');
    const after = await view(created.id, 'w1-pat');
    expect(after.teleconsultation?.joinState).toBe('OPEN');
    expect(after.teleconsultation?.accessLinkURL).toEqual(expect.any(String));
    // Inside the immutable period, and the room is the same one.
    expect((await stored(created.id))?.roomId).toBe(created.roomId);
    expect(await history(created.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'PARTICIPANT_CHECKED_IN',
          actorId: 'w1-pat',
          participantIds: ['w1-pat'],
        }),
        expect.objectContaining({
          type: 'PARTICIPANT_ADMITTED',
          actorId: 'w1-doc',
          participantIds: ['w1-pat'],
        }),
      ]),
    );
  });

  it("shows a BASIC participant their own attendance and nobody else's; the waiting room is the host's", async () => {
    const created = await visit('w2', 'HOST_ADMITS', 1);
    gateway.clock.set(at(50));
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w2-pat2' });
    const patientView = await view(created.id, 'w2-pat');
    const byId = Object.fromEntries(
      patientView.teleconsultation?.participants.map((p) => [p.userId, p]) ?? [],
    );
    expect(byId['w2-pat']).toMatchObject({ attendance: 'NOT_ARRIVED', checkedInAt: null });
    expect(byId['w2-pat2']).toMatchObject({ attendance: null, checkedInAt: null });
    const hostView = await view(created.id, 'w2-doc');
    expect(hostView.teleconsultation?.participants.find((p) => p.userId === 'w2-pat2')).toMatchObject({
      attendance: 'WAITING',
      checkedInAt: at(50).toISOString(),
    });
    const refused = await gateway.request(
      WaitingRoomOfHostDocument,
      { id: created.id },
      { caller: 'w2-pat' },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
    expect(refused.data?.teleconsultation?.waitingRoom).toBeNull();
  });

  it('turns a participant away (DENIED, no link, no check-in again) until a PLUS participant re-admits them', async () => {
    const created = await visit('w3', 'HOST_ADMITS');
    gateway.clock.set(at(50));
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w3-pat' });
    const denied = await gateway.ok(
      DenyParticipantDocument,
      { teleconsultationId: created.id, userId: 'w3-pat', reason: 'not the booked patient' },
      { caller: 'w3-doc' },
    );
    expect(denied.denyParticipant.attendance).toBe('DENIED');
    expect((await view(created.id, 'w3-pat')).teleconsultation).toMatchObject({
      joinState: 'DENIED',
      accessLinkURL: null,
    });
    const again = await gateway.request(
      CheckInDocument,
      { teleconsultationId: created.id },
      { caller: 'w3-pat' },
    );
    expect(errorOf(again)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CHECK_IN_DENIED' });
    await gateway.ok(
      AdmitParticipantDocument,
      { teleconsultationId: created.id, userId: 'w3-pat' },
      { caller: 'w3-doc2' },
    );
    expect((await view(created.id, 'w3-pat')).teleconsultation?.joinState).toBe('OPEN');
    const types = (await history(created.id)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('PARTICIPANT_'))).toEqual([
      'PARTICIPANT_CHECKED_IN',
      'PARTICIPANT_DENIED',
      'PARTICIPANT_ADMITTED',
    ]);
  });

  it('refuses every bad input with a stable reason, and changes nothing', async () => {
    const created = await visit('w4', 'HOST_ADMITS');
    const refusedWith = async (response: Promise<GraphqlResponse<unknown>>, code: string, reason: string) => {
      const before = await stored(created.id);
      expect(errorOf(await response)).toMatchObject({ code, reason });
      expect((await stored(created.id))?.version).toBe(before?.version);
    };
    const checkIn = (caller: string) =>
      gateway.request(CheckInDocument, { teleconsultationId: created.id }, { caller });
    const admit = (userId: string, caller = 'w4-doc') =>
      gateway.request(AdmitParticipantDocument, { teleconsultationId: created.id, userId }, { caller });
    gateway.clock.set(at(14));
    await refusedWith(checkIn('w4-pat'), 'BAD_USER_INPUT', 'CHECK_IN_NOT_OPEN');
    await refusedWith(checkIn('stranger'), 'FORBIDDEN', 'POLICY_DENIED');
    gateway.clock.set(at(20));
    await refusedWith(admit('w4-pat'), 'BAD_USER_INPUT', 'NOT_WAITING');
    await refusedWith(admit('w4-doc2'), 'BAD_USER_INPUT', 'PLUS_PARTICIPANT');
    await refusedWith(admit('nobody'), 'BAD_USER_INPUT', 'NOT_A_PARTICIPANT');
    await refusedWith(admit('w4-pat', 'w4-pat'), 'FORBIDDEN', 'POLICY_DENIED');
    for (const minutes of [-1, 241]) {
      await refusedWith(
        gateway.request(
          AnnounceDelayDocument,
          { teleconsultationId: created.id, minutes },
          { caller: 'w4-doc' },
        ),
        'BAD_USER_INPUT',
        'DELAY_OUT_OF_RANGE',
      );
    }
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w4-pat' });
    await refusedWith(checkIn('w4-pat'), 'BAD_USER_INPUT', 'ALREADY_CHECKED_IN');
    gateway.clock.set(at(90));
    await refusedWith(checkIn('w4-doc'), 'BAD_USER_INPUT', 'CHECK_IN_CLOSED');
  });

  it('keeps who checked in in the waiting room when the visit is moved (a change before the lock)', async () => {
    const created = await visit('w10', 'HOST_ADMITS');
    gateway.clock.set(at(20));
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w10-pat' });
    await gateway.ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    const host = await view(created.id, 'w10-doc');
    expect(host.teleconsultation?.participants.find((p) => p.userId === 'w10-pat')?.attendance).toBe(
      'WAITING',
    );
  });

  it('records check-ins under AUTOMATIC and changes nothing else: the link comes at the lock without one', async () => {
    const created = await visit('w5', null);
    expect(created.admission).toBe('AUTOMATIC');
    gateway.clock.set(at(46));
    expect((await view(created.id, 'w5-pat')).teleconsultation?.accessLinkURL).toEqual(expect.any(String));
    const checkedIn = await gateway.ok(
      CheckInDocument,
      { teleconsultationId: created.id },
      { caller: 'w5-pat' },
    );
    expect(checkedIn.checkIn.attendance).toBe('WAITING');
    expect((await view(created.id, 'w5-pat')).teleconsultation?.joinState).toBe('OPEN');
  });

  it("takes the admission from the config file by the PLUS participants' groups", async () => {
    const { createTeleconsultation } = await gateway.ok(CreateWithAdmissionDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('w6-doc', { groups: ['psychiatrist'] }), patient('w6-pat')],
      },
    });
    expect(createTeleconsultation.admission).toBe('HOST_ADMITS');
  });

  it('lets everyone waiting in at once, in check-in order', async () => {
    const created = await visit('w7', 'HOST_ADMITS', 1);
    gateway.clock.set(at(40));
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w7-pat2' });
    gateway.clock.set(at(41));
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w7-pat' });
    const all = await gateway.ok(AdmitAllDocument, { teleconsultationId: created.id }, { caller: 'w7-doc' });
    expect(all.admitAll).toEqual([
      { userId: 'w7-pat2', attendance: 'ADMITTED' },
      { userId: 'w7-pat', attendance: 'ADMITTED' },
    ]);
    gateway.clock.set(at(46));
    expect((await view(created.id, 'w7-pat')).teleconsultation?.accessLinkURL).toEqual(expect.any(String));
  });

  it('tells patients the host is running late, and HOST_DELAYED goes to the history; 0 clears it', async () => {
    const created = await visit('w8', 'HOST_ADMITS');
    gateway.clock.set(at(50));
    const late = await gateway.ok(
      AnnounceDelayDocument,
      { teleconsultationId: created.id, minutes: 20 },
      { caller: 'w8-doc' },
    );
    expect(late.announceDelay).toMatchObject({
      hostDelayMinutes: 20,
      expectedStartDate: at(80).toISOString(),
    });
    expect((await view(created.id, 'w8-pat')).teleconsultation).toMatchObject({
      hostDelayMinutes: 20,
      expectedStartDate: at(80).toISOString(),
    });
    await gateway.ok(
      AnnounceDelayDocument,
      { teleconsultationId: created.id, minutes: 0 },
      { caller: 'w8-doc' },
    );
    expect((await view(created.id, 'w8-pat')).teleconsultation).toMatchObject({
      hostDelayMinutes: null,
      expectedStartDate: at(60).toISOString(),
    });
    const delays = (await history(created.id)).filter((e) => e.type === 'HOST_DELAYED');
    expect(delays.map((e) => e.delayMinutes)).toEqual([20, 0]);
    expect((await stored(created.id))?.roomId).toBe(created.roomId);
  });

  it('marks who never checked in as NO_SHOW by the durable job, exactly once', async () => {
    const created = await visit('w9', 'HOST_ADMITS', 1);
    gateway.clock.set(at(50));
    await gateway.ok(CheckInDocument, { teleconsultationId: created.id }, { caller: 'w9-pat2' });
    gateway.clock.set(at(76));
    await gateway.drainJobs();
    await gateway.drainJobs();
    const host = await view(created.id, 'w9-doc');
    const attendance = Object.fromEntries(
      host.teleconsultation?.participants.map((p) => [p.userId, p.attendance]) ?? [],
    );
    expect(attendance).toEqual({
      'w9-doc': 'NOT_ARRIVED',
      'w9-doc2': 'NOT_ARRIVED',
      'w9-pat': 'NO_SHOW',
      'w9-pat2': 'WAITING',
    });
    const noShows = (await history(created.id)).filter((e) => e.type === 'PARTICIPANT_NO_SHOW');
    expect(noShows).toEqual([
      { type: 'PARTICIPANT_NO_SHOW', actorId: null, participantIds: ['w9-pat'], delayMinutes: null },
    ]);
  });

  describe('over REST', () => {
    it('checks in with POST /teleconsultation/:id/check-in and shows attendance in the GET body; the link once admitted', async () => {
      const created = await visit('r1', 'HOST_ADMITS');
      gateway.clock.set(at(50));
      const read = async () =>
        (await gateway.rest('GET', `/teleconsultation/${created.id}`, { caller: 'r1-pat' })).json as Record<
          string,
          unknown
        >;
      expect(await read()).toMatchObject({ attendance: 'NOT_ARRIVED', accessLinkURL: null });
      const checkedIn = await gateway.rest('POST', `/teleconsultation/${created.id}/check-in`, {
        caller: 'r1-pat',
        body: { device: { camera: 'OK', networkKbps: 900 } },
      });
      expect(checkedIn.status).toBe(200);
      expect(checkedIn.json).toEqual({ attendance: 'WAITING', checkedInAt: at(50).toISOString() });
      expect(await read()).toMatchObject({ attendance: 'WAITING', accessLinkURL: null });
      const room = await gateway.ok(WaitingRoomOfHostDocument, { id: created.id }, { caller: 'r1-doc' });
      expect(room.teleconsultation?.waitingRoom?.[0]?.device).toEqual({
        camera: 'OK',
        microphone: 'UNTESTED',
        speaker: 'UNTESTED',
        networkKbps: 900,
      });
      await gateway.ok(
        AdmitParticipantDocument,
        { teleconsultationId: created.id, userId: 'r1-pat' },
        { caller: 'r1-doc' },
      );
      const after = await read();
      expect(after.attendance).toBe('ADMITTED');
      expect(after.accessLinkURL).toEqual(expect.any(String));
    });

    it('refuses a check-in with the same reasons and statuses, changing nothing', async () => {
      const created = await visit('r2', 'HOST_ADMITS');
      const checkIn = (caller: string, body: unknown = {}) =>
        gateway.rest('POST', `/teleconsultation/${created.id}/check-in`, { caller, body });
      gateway.clock.set(at(10));
      const early = await checkIn('r2-pat');
      expect(early.status).toBe(400);
      expect(early.json).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CHECK_IN_NOT_OPEN' });
      expect((await checkIn('stranger')).status).toBe(401);
      gateway.clock.set(at(50));
      const bad = await checkIn('r2-pat', { device: { camera: 'BROKEN' } });
      expect(bad.status).toBe(400);
      expect((await stored(created.id))?.participants.every((p) => p.attendance === undefined)).toBe(true);
      expect((await checkIn('r2-pat')).status).toBe(200);
      const twice = await checkIn('r2-pat');
      expect(twice.status).toBe(400);
      expect(twice.json).toMatchObject({ reason: 'ALREADY_CHECKED_IN' });
    });

    it('keeps the original GET body under AUTOMATIC until the caller checks in', async () => {
      const created = await visit('r3', null);
      const keys = async () =>
        Object.keys(
          (await gateway.rest('GET', `/teleconsultation/${created.id}`, { caller: 'r3-pat' })).json as object,
        );
      expect(await keys()).toEqual(['bandyerUserId', 'accessLinkURL', 'participantsBandyerCall', 'details']);
      gateway.clock.set(at(30));
      await gateway.rest('POST', `/teleconsultation/${created.id}/check-in`, { caller: 'r3-pat' });
      expect(await keys()).toContain('attendance');
    });
  });
});
