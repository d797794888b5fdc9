/**
 * The immutable period and the end of a visit hold at the instant a change is committed, not
 * only when it starts: the store's conditional write checks them, and the room created for a
 * refused change is deleted again.
 */
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition never met');
}

describe('rules checked at commit time', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway({ env: { IMMUTABLE_PERIOD_MS: '600000' } });
  });
  afterEach(async () => gateway?.close());

  it('refuses a change whose slow room creation crossed lockedFrom, and deletes the room it made', async () => {
    const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('cl-doc'), patient('cl-pat')],
      },
    });
    const before = await gateway.app.storage.teleconsultations.findById(visit.id);
    gateway.sandbox.clearRequests();
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 400 });

    // A replacement room is needed (a participant changes); it is created slowly.
    const pending = gateway.request(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { participants: [doctor('cl-doc'), patient('cl-pat-2')] },
    });
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));
    // The lock begins while Kaleyra is still creating the room.
    gateway.clock.set(Date.parse(visit.lockedFrom));
    const response = await pending;

    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'TELECONSULTATION_LOCKED',
      reason: 'IMMUTABLE_PERIOD',
    });
    const after = await gateway.app.storage.teleconsultations.findById(visit.id);
    expect(after).toEqual(before);
    // The room created for the refused change is gone; the one whose links are out is alive.
    await gateway.drainJobs();
    expect(gateway.sandbox.rooms().map((room) => room.roomId)).toEqual([visit.roomId]);
  });

  it('accepts the same change one millisecond before lockedFrom at commit', async () => {
    const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('cm-doc'), patient('cm-pat')],
      },
    });
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 200 });
    const pending = gateway.request(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { participants: [doctor('cm-doc'), patient('cm-pat-2')] },
    });
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));
    gateway.clock.set(Date.parse(visit.lockedFrom) - 1);
    const response = await pending;
    expect(response.errors).toBeUndefined();
    expect(response.data?.updateTeleconsultation.roomId).not.toBe(visit.roomId);
  });

  it('refuses to complete or change a visit that is already over, room or not', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participantsNumber: 3,
        participants: [doctor('ov-doc'), patient('ov-pat')],
      },
    });
    gateway.clock.set(Date.parse(inMinutes(90)));
    gateway.sandbox.clearRequests();

    const add = await gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('ov-late')],
    });
    expect(add.errors?.[0]?.extensions).toMatchObject({
      code: 'TELECONSULTATION_LOCKED',
      reason: 'VISIT_OVER',
    });
    const update = await gateway.request(UpdateTeleconsultationDocument, {
      id: waiting.id,
      input: { participantsNumber: 2 },
    });
    expect(update.errors?.[0]?.extensions).toMatchObject({
      code: 'TELECONSULTATION_LOCKED',
      reason: 'VISIT_OVER',
    });
    // Decided before any side effect: no Kaleyra user, no room.
    expect(gateway.sandbox.requests()).toEqual([]);
    expect((await gateway.app.storage.teleconsultations.findById(waiting.id))?.version).toBe(1);
  });

  it('refuses a completion whose slow room creation crossed the end of the visit', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(-20),
        durationInSeconds: 1800,
        participantsNumber: 3,
        participants: [doctor('oe-doc'), patient('oe-pat')],
      },
    });
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 400 });
    const pending = gateway.request(AddParticipantsDocument, {
      id: waiting.id,
      participants: [patient('oe-3')],
    });
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));
    gateway.clock.set(Date.parse(inMinutes(10)));
    const response = await pending;
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'TELECONSULTATION_LOCKED',
      reason: 'VISIT_OVER',
    });
    await gateway.drainJobs();
    expect(gateway.sandbox.rooms()).toEqual([]);
  });

  it('refuses a create whose slow room creation crossed the end of the visit, and deletes the room', async () => {
    gateway.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 400 });
    const count = await gateway.app.storage.teleconsultations.count();
    const pending = gateway.request(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(-20),
        durationInSeconds: 1800,
        participants: [doctor('ce-doc'), patient('ce-pat')],
      },
    });
    await until(() => gateway.sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));
    // The visit ends while Kaleyra is still creating its room.
    gateway.clock.set(Date.parse(inMinutes(10)));
    const response = await pending;
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'TELECONSULTATION_LOCKED',
      reason: 'VISIT_OVER',
    });
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
    await gateway.drainJobs();
    expect(gateway.sandbox.rooms()).toEqual([]);
  });
});
