/**
 * The waiting room over the live subscription: a host sees a patient arrive at once, the patient
 * sees their link the instant they are admitted, and another patient's arrival wakes no patient.
 */
import {
  AdmitParticipantDocument,
  CheckInDocument,
  CreateWithAdmissionDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';
import { type LiveClient, liveClient } from '../../support/live-client.js';

const MINUTE = 60_000;

const SUBSCRIPTION = `subscription Live($id: ID!) {
  teleconsultationChanged(id: $id) { id joinState accessLinkURL participants { userId attendance } }
}`;

interface Pushed {
  joinState: string;
  accessLinkURL: string | null;
  participants: Array<{ userId: string; attendance: string | null }>;
}
const pushed = (result: { data?: unknown } | undefined) =>
  (result?.data as { teleconsultationChanged: Pushed } | undefined)?.teleconsultationChanged;
const attendanceOf = (view: Pushed | undefined, userId: string) =>
  view?.participants.find((p) => p.userId === userId)?.attendance;

describe('the waiting room, live', () => {
  let gateway: TestGateway;
  const clients: LiveClient[] = [];
  const connect = (userId: string, groups: string) => {
    const client = liveClient(gateway.url, { headers: { miauserid: userId, miausergroups: groups } });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(15 * MINUTE) },
      overrides: { liveTickMs: 20 },
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await gateway?.close();
  });

  it('pushes a check-in to the host at once, and the link to the patient the instant they are admitted', async () => {
    const { createTeleconsultation: visit } = await gateway.ok(CreateWithAdmissionDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        admission: 'HOST_ADMITS',
        participants: [doctor('doc-1'), patient('pat-1'), patient('pat-2')],
      },
    });
    gateway.clock.set(new Date(T0.getTime() + 50 * MINUTE));
    const host = connect('doc-1', 'doctor').subscribe(SUBSCRIPTION, { id: visit.id });
    const patientStream = connect('pat-1', 'customer').subscribe(SUBSCRIPTION, { id: visit.id });
    const [hostFirst] = await host.waitFor(1);
    const [patientFirst] = await patientStream.waitFor(1);
    expect(attendanceOf(pushed(hostFirst), 'pat-1')).toBe('NOT_ARRIVED');
    expect(pushed(patientFirst)).toMatchObject({ joinState: 'WAITING_FOR_ADMISSION', accessLinkURL: null });

    // Another patient arrives: the host is told, the first patient is not woken.
    await gateway.ok(CheckInDocument, { teleconsultationId: visit.id }, { caller: 'pat-2' });
    const [, hostSecond] = await host.waitFor(2);
    expect(attendanceOf(pushed(hostSecond), 'pat-2')).toBe('WAITING');

    await gateway.ok(CheckInDocument, { teleconsultationId: visit.id }, { caller: 'pat-1' });
    const [, , hostThird] = await host.waitFor(3);
    expect(attendanceOf(pushed(hostThird), 'pat-1')).toBe('WAITING');
    const [, patientSecond] = await patientStream.waitFor(2);
    expect(pushed(patientSecond)).toMatchObject({ joinState: 'WAITING_FOR_ADMISSION', accessLinkURL: null });
    expect(attendanceOf(pushed(patientSecond), 'pat-1')).toBe('WAITING');
    // A BASIC participant never sees another's attendance.
    expect(attendanceOf(pushed(patientSecond), 'pat-2')).toBeNull();

    await gateway.ok(
      AdmitParticipantDocument,
      { teleconsultationId: visit.id, userId: 'pat-1' },
      { caller: 'doc-1' },
    );
    const [, , patientThird] = await patientStream.waitFor(3);
    expect(pushed(patientThird)).toMatchObject({ joinState: 'OPEN', accessLinkURL: expect.any(String) });
    // Three pushes for the patient: their first view, their own check-in, their admission.
    expect(patientStream.results).toHaveLength(3);
  });
});
