/**
 * The waiting room's events reach webhooks like every other: a check-in, an admission, a denial,
 * a delay (with its minutes) and a no-show, each once, ids only.
 */
import {
  AdmitParticipantDocument,
  AnnounceDelayDocument,
  CheckInDocument,
  CreateWithAdmissionDocument,
  DenyParticipantDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('waiting-room events to webhooks', () => {
  let receiver: WebhookReceiver;
  let gateway: TestGateway;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway({
      env: { WEBHOOKS_ALLOW_HTTP: 'true', HOOK_SECRET: 'whsec_waiting_1', IMMUTABLE_PERIOD_MS: '900000' },
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        webhooks: [
          {
            url: receiver.url,
            events: [
              'PARTICIPANT_CHECKED_IN',
              'PARTICIPANT_ADMITTED',
              'PARTICIPANT_DENIED',
              'PARTICIPANT_NO_SHOW',
              'HOST_DELAYED',
            ],
            secretEnv: 'HOOK_SECRET',
          },
        ],
      },
    });
  });
  afterEach(async () => {
    await gateway?.close();
    await receiver?.close();
  });

  it('delivers each attendance change and the delay, ids only', async () => {
    const { createTeleconsultation: visit } = await gateway.ok(CreateWithAdmissionDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        admission: 'HOST_ADMITS',
        participants: [doctor('doc-1'), patient('pat-1'), patient('pat-2'), patient('pat-3')],
      },
    });
    gateway.clock.set(at(50));
    const id = visit.id;
    await gateway.ok(CheckInDocument, { teleconsultationId: id }, { caller: 'pat-1' });
    await gateway.ok(CheckInDocument, { teleconsultationId: id }, { caller: 'pat-2' });
    await gateway.ok(
      AdmitParticipantDocument,
      { teleconsultationId: id, userId: 'pat-1' },
      { caller: 'doc-1' },
    );
    await gateway.ok(
      DenyParticipantDocument,
      { teleconsultationId: id, userId: 'pat-2', reason: 'Jane Doe is not booked' },
      { caller: 'doc-1' },
    );
    await gateway.ok(AnnounceDelayDocument, { teleconsultationId: id, minutes: 10 }, { caller: 'doc-1' });
    // Deliveries in flight finish before the clock jumps (a jump would end their lease: a retry).
    await gateway.drainJobs();
    gateway.clock.set(at(80));
    await gateway.drainJobs();
    const bodies = receiver.received().map((webhook) => JSON.parse(webhook.body));
    expect(bodies.map((body) => [body.type, body.data.actorId, body.data.participantIds])).toEqual([
      ['PARTICIPANT_CHECKED_IN', 'pat-1', ['pat-1']],
      ['PARTICIPANT_CHECKED_IN', 'pat-2', ['pat-2']],
      ['PARTICIPANT_ADMITTED', 'doc-1', ['pat-1']],
      ['PARTICIPANT_DENIED', 'doc-1', ['pat-2']],
      ['HOST_DELAYED', 'doc-1', []],
      ['PARTICIPANT_NO_SHOW', null, ['pat-3']],
    ]);
    expect(bodies[4].data.delayMinutes).toBe(10);
    // A denial's reason (free text, maybe a name) never leaves in an event.
    expect(receiver.received().some((webhook) => webhook.body.includes('Jane Doe'))).toBe(false);
  });
});
