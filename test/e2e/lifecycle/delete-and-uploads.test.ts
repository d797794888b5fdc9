import type { KaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  DeleteTeleconsultationUploadsDocument,
  TeleconsultationDocument,
  TeleconsultationWithDetailsDocument,
  UpdateTeleconsultationDocument,
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

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

let sandbox: KaleyraSandbox;
beforeAll(async () => {
  sandbox = await startKaleyraSandbox({ apiKey: TEST_API_KEY });
});
afterAll(async () => sandbox?.close());
afterEach(() => {
  sandbox.clearFaults();
  sandbox.clearRequests();
});

async function createVisit(gateway: TestGateway, tag: string, participantsNumber?: number) {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      ...(participantsNumber ? { participantsNumber } : {}),
      participants: participantsNumber
        ? [doctor(`${tag}-doc`)]
        : [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
    },
  });
  sandbox.clearRequests();
  return createTeleconsultation;
}

const liveRoomIds = () => sandbox.rooms().map((r) => r.roomId);
const calls = () => sandbox.requests().map((r) => `${r.method} ${r.path}`);

describe('deleteTeleconsultation', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ sandbox });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => gateway.clock.set(T0));

  it('deletes the Kaleyra room and keeps the record, marked CANCELLED', async () => {
    const created = await createVisit(gateway, 'd1');
    const count = await gateway.app.storage.teleconsultations.count();
    const { deleteTeleconsultation: cancelled } = await gateway.ok(DeleteTeleconsultationDocument, {
      id: created.id,
    });
    expect(cancelled).toMatchObject({
      id: created.id,
      status: 'CANCELLED',
      locked: false,
      accessLinkURL: null,
    });
    // Cancelled the moment the answer came; the room goes through a job right after.
    expect((await gateway.app.storage.teleconsultations.findById(created.id))?.state).toBe('trashed');
    await gateway.runJobs();
    expect(calls()).toEqual([`DELETE /v2/rooms/${created.roomId}`]);
    expect(liveRoomIds()).not.toContain(created.roomId);
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
    expect((await gateway.app.storage.teleconsultations.findById(created.id))?.state).toBe('trashed');
  });

  it('refuses every later mutation on a cancelled teleconsultation with NOT_FOUND', async () => {
    const created = await createVisit(gateway, 'd2', 3);
    await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
    sandbox.clearRequests();
    const responses = [
      await gateway.request(UpdateTeleconsultationDocument, {
        id: created.id,
        input: { durationInSeconds: 900 },
      }),
      await gateway.request(AddParticipantsDocument, { id: created.id, participants: [patient('d2-pat')] }),
      await gateway.request(DeleteTeleconsultationDocument, { id: created.id }),
    ];
    for (const response of responses) {
      expect(errorOf(response)).toMatchObject({ code: 'NOT_FOUND', reason: 'TELECONSULTATION_NOT_FOUND' });
    }
    expect(calls()).toEqual([]);
  });

  it('still lets participants read it as CANCELLED, with no link and no details, even when it would be locked', async () => {
    const created = await createVisit(gateway, 'd3');
    await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
    await gateway.runJobs();
    gateway.clock.set(Date.parse(created.startDate));
    sandbox.clearRequests();
    const { teleconsultation } = await gateway.ok(
      TeleconsultationDocument,
      { id: created.id },
      { caller: 'd3-pat' },
    );
    expect(teleconsultation).toMatchObject({ status: 'CANCELLED', locked: false, accessLinkURL: null });
    const details = await gateway.ok(
      TeleconsultationWithDetailsDocument,
      { id: created.id },
      { caller: 'd3-pat' },
    );
    expect(details.teleconsultation?.details).toBeNull();
    expect(calls()).toEqual([]);
  });

  it('cancels a teleconsultation that has no room without calling Kaleyra', async () => {
    const created = await createVisit(gateway, 'd4', 3);
    const { deleteTeleconsultation } = await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
    expect(deleteTeleconsultation.status).toBe('CANCELLED');
    expect(calls()).toEqual([]);
  });

  it('cancels at once while Kaleyra is down, and deletes the room once Kaleyra is back', async () => {
    const created = await createVisit(gateway, 'd5');
    sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503, times: 'always' });
    const { deleteTeleconsultation } = await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
    expect(deleteTeleconsultation).toMatchObject({ status: 'CANCELLED', accessLinkURL: null });
    await gateway.runJobs();
    // Kaleyra refused: the room lives on, the visit stays cancelled, the job waits to retry.
    expect(liveRoomIds()).toContain(created.roomId);
    expect(await gateway.app.storage.teleconsultations.findById(created.id)).toMatchObject({
      state: 'trashed',
    });
    const [job] = (await gateway.app.storage.jobs.list({ first: 1, kinds: ['room-deletion'] })).jobs;
    expect(job).toMatchObject({ state: 'pending', attempt: 1, lastOutcome: 'KaleyraUnavailableError' });
    // A participant reading it meanwhile gets no link.
    gateway.clock.set(Date.parse(created.startDate));
    const { teleconsultation } = await gateway.ok(
      TeleconsultationDocument,
      { id: created.id },
      { caller: 'd5-pat' },
    );
    expect(teleconsultation).toMatchObject({ status: 'CANCELLED', accessLinkURL: null });

    sandbox.clearFaults();
    gateway.clock.set(job?.runAt ?? 0);
    await gateway.runJobs();
    expect(liveRoomIds()).not.toContain(created.roomId);
    expect(await gateway.app.storage.jobs.findById(job?.id ?? '')).toMatchObject({
      state: 'done',
      attempt: 2,
      lastOutcome: 'deleted',
    });
  });

  it('cancels when Kaleyra already forgot the room', async () => {
    const created = await createVisit(gateway, 'd6');
    sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 404 });
    const { deleteTeleconsultation } = await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
    expect(deleteTeleconsultation.status).toBe('CANCELLED');
    await gateway.runJobs();
    const [job] = (await gateway.app.storage.jobs.list({ first: 1, kinds: ['room-deletion'] })).jobs;
    expect(job).toMatchObject({ state: 'done', lastOutcome: 'already gone' });
  });

  it('answers NOT_FOUND for an unknown teleconsultation', async () => {
    const response = await gateway.request(DeleteTeleconsultationDocument, {
      id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
    });
    expect(errorOf(response).code).toBe('NOT_FOUND');
  });
});

describe('deleteTeleconsultationUploads with TELECONSULTATION_DELETE_UPLOADS=true', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ sandbox, env: { TELECONSULTATION_DELETE_UPLOADS: 'true' } });
  });
  afterAll(async () => gateway?.close());

  it("deletes the room's uploads and reports the counts", async () => {
    const created = await createVisit(gateway, 'up1');
    sandbox.addUploads(created.roomId as string, 3);
    const asPatient = { caller: 'up1-pat' };
    const first = await gateway.ok(DeleteTeleconsultationUploadsDocument, { id: created.id }, asPatient);
    expect(first.deleteTeleconsultationUploads).toEqual({ enabled: true, total: 3, deleted: 3 });
    expect(sandbox.rooms().find((r) => r.roomId === created.roomId)?.uploads).toBe(0);
    const again = await gateway.ok(DeleteTeleconsultationUploadsDocument, { id: created.id }, asPatient);
    expect(again.deleteTeleconsultationUploads).toEqual({ enabled: true, total: 0, deleted: 0 });
  });

  it('reports zero without calling Kaleyra while there is no room', async () => {
    const created = await createVisit(gateway, 'up2', 3);
    const { deleteTeleconsultationUploads } = await gateway.ok(
      DeleteTeleconsultationUploadsDocument,
      { id: created.id },
      { caller: 'up2-doc' },
    );
    expect(deleteTeleconsultationUploads).toEqual({ enabled: true, total: 0, deleted: 0 });
    expect(calls()).toEqual([]);
  });

  it('answers NOT_FOUND to a participant of a cancelled teleconsultation, and refuses an unknown id', async () => {
    const created = await createVisit(gateway, 'up3');
    await gateway.ok(DeleteTeleconsultationDocument, { id: created.id });
    const asPatient = { caller: 'up3-pat' };
    const cancelled = await gateway.request(
      DeleteTeleconsultationUploadsDocument,
      { id: created.id },
      asPatient,
    );
    expect(errorOf(cancelled).code).toBe('NOT_FOUND');
    const unknown = await gateway.request(
      DeleteTeleconsultationUploadsDocument,
      { id: 'cccccccccccccccccccccccc' },
      asPatient,
    );
    expect(errorOf(unknown)).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
  });

  it('answers UPSTREAM_UNAVAILABLE when Kaleyra fails', async () => {
    const created = await createVisit(gateway, 'up4');
    sandbox.addUploads(created.roomId as string, 2);
    sandbox.injectFault({
      method: 'DELETE',
      path: '/v2/rooms/:room_id/uploads',
      status: 503,
      times: 'always',
    });
    const response = await gateway.request(
      DeleteTeleconsultationUploadsDocument,
      { id: created.id },
      { caller: 'up4-pat' },
    );
    expect(errorOf(response).code).toBe('UPSTREAM_UNAVAILABLE');
    sandbox.clearFaults();
    expect(sandbox.rooms().find((r) => r.roomId === created.roomId)?.uploads).toBe(2);
  });
});

describe('deleteTeleconsultationUploads with TELECONSULTATION_DELETE_UPLOADS unset (false)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ sandbox });
  });
  afterAll(async () => gateway?.close());

  it('answers enabled:false and touches nothing', async () => {
    const created = await createVisit(gateway, 'up5');
    sandbox.addUploads(created.roomId as string, 4);
    const { deleteTeleconsultationUploads } = await gateway.ok(
      DeleteTeleconsultationUploadsDocument,
      { id: created.id },
      { caller: 'up5-pat' },
    );
    expect(deleteTeleconsultationUploads).toEqual({ enabled: false, total: 0, deleted: 0 });
    expect(calls()).toEqual([]);
    expect(sandbox.rooms().find((r) => r.roomId === created.roomId)?.uploads).toBe(4);
  });
});
