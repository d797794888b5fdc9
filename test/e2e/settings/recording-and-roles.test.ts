/**
 * Recording (DEFAULT_RECORDING_TYPE, the visit's own, a change that replaces the room) and roles
 * that change (a user Kaleyra knows as basic who is now a room's only plus participant).
 */
import { CreateTeleconsultationDocument, UpdateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

function roomBodies(gateway: TestGateway): Array<{ recording?: string }> {
  return gateway.sandbox
    .requests()
    .filter((r) => r.method === 'POST' && r.path === '/v2/rooms')
    .map((r) => r.body as { recording?: string });
}

describe('recording', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it("sends the visit's recording as the room's, DEFAULT_RECORDING_TYPE when it names none", async () => {
    gateway = await startTestGateway({ env: { DEFAULT_RECORDING_TYPE: 'automatic' } });
    const byDefault = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('r1-doc'), patient('r1-pat')],
      },
    });
    const manual = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        recording: 'MANUAL',
        participants: [doctor('r2-doc'), patient('r2-pat')],
      },
    });
    expect(byDefault.createTeleconsultation.recording).toBe('AUTOMATIC');
    expect(manual.createTeleconsultation.recording).toBe('MANUAL');
    expect(roomBodies(gateway).map((body) => body.recording)).toEqual(['automatic', 'manual']);
    expect(
      gateway.sandbox
        .rooms()
        .map((room) => room.recording)
        .sort(),
    ).toEqual(['automatic', 'manual']);
  });

  it('replaces the room when the recording changes while the visit can still change', async () => {
    gateway = await startTestGateway();
    const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('r3-doc'), patient('r3-pat')],
      },
    });
    const { updateTeleconsultation } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { recording: 'AUTOMATIC' },
    });
    expect(updateTeleconsultation.roomId).not.toBe(visit.roomId);
    expect(updateTeleconsultation.recording).toBe('AUTOMATIC');
    await gateway.drainJobs();
    expect(gateway.sandbox.rooms().map((room) => [room.roomId, room.recording])).toEqual([
      [updateTeleconsultation.roomId, 'automatic'],
    ]);
    // The same recording again changes nothing.
    const same = await gateway.ok(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { recording: 'AUTOMATIC' },
    });
    expect(same.updateTeleconsultation.roomId).toBe(updateTeleconsultation.roomId);
  });

  it('takes recording in REST bodies too', async () => {
    gateway = await startTestGateway();
    const created = await gateway.rest('POST', '/teleconsultation', {
      body: {
        participants: { data: [doctor('r4-doc'), patient('r4-pat')] },
        start_date: inMinutes(60),
        duration_in_seconds: 1800,
        recording: 'manual',
      },
    });
    expect(created.status).toBe(201);
    expect(roomBodies(gateway).map((body) => body.recording)).toEqual(['manual']);
    const bad = await gateway.rest('POST', '/teleconsultation', {
      body: {
        participants: { data: [doctor('r5-doc'), patient('r5-pat')] },
        start_date: inMinutes(60),
        duration_in_seconds: 1800,
        recording: 'always',
      },
    });
    expect(bad.status).toBe(400);
  });
});

describe('roles that change', () => {
  it('raises a user Kaleyra knows as basic to plus, exactly once, before the room that needs it', async () => {
    const gateway = await startTestGateway();
    try {
      // Created on Kaleyra as basic: a patient in her first visit.
      await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [doctor('dr-a'), patient('ada')],
        },
      });
      expect(gateway.sandbox.users().find((user) => user.id === 'tg.ada')?.role).toBe('basic');
      gateway.sandbox.clearRequests();

      // Now a doctor, and the only plus participant of this room.
      const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(90),
          durationInSeconds: 1800,
          participants: [{ userId: 'ada', fullName: 'Dr Ada', groups: ['doctor'] }, patient('bob')],
        },
      });
      expect(createTeleconsultation.status).toBe('SCHEDULED');
      const patches = gateway.sandbox.requests().filter((r) => r.method === 'PATCH');
      expect(patches.map((r) => [r.path, r.body])).toEqual([['/v2/users/tg.ada', { role: 'plus' }]]);
      // The role is raised before the room is asked for.
      const order = gateway.sandbox.requests().map((r) => `${r.method} ${r.path}`);
      expect(order.indexOf('PATCH /v2/users/tg.ada')).toBeLessThan(order.indexOf('POST /v2/rooms'));
      expect(gateway.sandbox.users().find((user) => user.id === 'tg.ada')?.role).toBe('plus');

      gateway.sandbox.clearRequests();
      await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(120),
          durationInSeconds: 1800,
          participants: [{ userId: 'ada', fullName: 'Dr Ada', groups: ['doctor'] }, patient('carl')],
        },
      });
      expect(gateway.sandbox.requests().filter((r) => r.method === 'PATCH')).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});
