/**
 * Signed webhooks over real HTTP: a receiver that checks signatures with its own code, fails on
 * purpose (500s, hangs past WEBHOOK_TIMEOUT_MS, refused connections, redirects) and recovers.
 * Every event is delivered, in order per visit, correctly signed, and repeated only as a retry of
 * the same event id; a delivery that keeps failing for a day is dead and shows as such.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../../src/config/load-config.js';
import {
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  UpdateTeleconsultationDocument,
  WebhookDeliveriesDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../support/webhook-receiver.js';

const SECRET = 'whsec_test_5a1f0c2e9b';
const OTHER_SECRET = 'whsec_other_77d1e0';
const DOCTOR = { caller: 'doc-1', groups: 'doctor' };

/** What a receiver writes: the header's timestamp and HMAC, checked in constant time. */
function signedBy(secret: string, webhook: ReceivedWebhook): boolean {
  const header = String(webhook.headers['x-teleconsultation-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${webhook.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'));
}

interface Body {
  id: string;
  type: string;
  teleconsultationId: string;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}
const bodyOf = (webhook: ReceivedWebhook) => JSON.parse(webhook.body) as Body;

function serviceConfig(hooks: unknown[]) {
  return {
    privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
    environment: 'sandbox',
    webhooks: hooks,
  };
}

async function visit(gateway: TestGateway, tag: string) {
  const { createTeleconsultation } = await gateway.ok(
    CreateTeleconsultationDocument,
    {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient(`${tag}-pat`)],
      },
    },
    DOCTOR,
  );
  return createTeleconsultation.id;
}

describe('signed webhooks', () => {
  let receiver: WebhookReceiver;
  let cancelsOnly: WebhookReceiver;
  let gateway: TestGateway;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    cancelsOnly = await startWebhookReceiver();
    gateway = await startTestGateway({
      env: {
        WEBHOOKS_ALLOW_HTTP: 'true',
        WEBHOOK_TIMEOUT_MS: '300',
        HOOK_SECRET: SECRET,
        OTHER_HOOK_SECRET: OTHER_SECRET,
      },
      serviceConfigFile: serviceConfig([
        { url: receiver.url, events: ['*'], secretEnv: 'HOOK_SECRET' },
        { url: cancelsOnly.url, events: ['CANCELLED'], secretEnv: 'OTHER_HOOK_SECRET' },
      ]),
    });
  });
  afterEach(async () => {
    await gateway?.close();
    await receiver?.close();
    await cancelsOnly?.close();
  });

  it('delivers every event once, signed, with the documented body and headers', async () => {
    const id = await visit(gateway, 'w1');
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(90) } }, DOCTOR);
    await gateway.ok(DeleteTeleconsultationDocument, { id }, DOCTOR);
    await gateway.drainJobs();

    const received = receiver.received();
    expect(received.map((webhook) => [bodyOf(webhook).sequence, bodyOf(webhook).type])).toEqual([
      [1, 'CREATED'],
      [2, 'ROOM_CREATED'],
      [3, 'UPDATED'],
      [4, 'CANCELLED'],
    ]);
    for (const webhook of received) {
      expect(signedBy(SECRET, webhook)).toBe(true);
      expect(signedBy(OTHER_SECRET, webhook)).toBe(false);
      expect(webhook.headers['x-teleconsultation-event-id']).toBe(bodyOf(webhook).id);
      expect(webhook.headers['content-type']).toBe('application/json');
    }
    expect(bodyOf(received[2] as ReceivedWebhook)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      type: 'UPDATED',
      teleconsultationId: id,
      sequence: 3,
      occurredAt: gateway.clock.now().toISOString(),
      data: {
        status: 'SCHEDULED',
        startDate: inMinutes(90),
        endDate: inMinutes(120),
        durationInSeconds: 1800,
        participantsNumber: 2,
        participantCount: 2,
        actorId: 'doc-1',
        changedFields: ['startDate', 'endDate'],
        participantIds: [],
      },
    });
    // Ids only, and never the secret.
    const everything = received.map((webhook) => webhook.body).join('\n');
    for (const secret of ['Doctor doc-1', 'Patient', 'https://', SECRET])
      expect(everything).not.toContain(secret);
    // The second endpoint asked for cancellations only, signed with its own secret.
    expect(cancelsOnly.received().map((webhook) => bodyOf(webhook).type)).toEqual(['CANCELLED']);
    expect(signedBy(OTHER_SECRET, cancelsOnly.received()[0] as ReceivedWebhook)).toBe(true);
    expect(gateway.logs()).not.toContain(SECRET);
  });

  it('retries 500s, timeouts, refused connections and redirects, and delivers in order once the endpoint recovers', async () => {
    const id = await visit(gateway, 'w2');
    // CREATED: 500 twice; ROOM_CREATED waits behind it.
    receiver.next(
      { status: 500 },
      { status: 500 },
      { hangMs: 2000 },
      { status: 302, headers: { location: cancelsOnly.url } },
    );
    await gateway.runJobs();
    // Meanwhile more changes happen: their deliveries queue behind.
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(75) } }, DOCTOR);
    await gateway.runJobs();
    // The endpoint goes down entirely for a while.
    await receiver.stop();
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(80) } }, DOCTOR);
    gateway.clock.advance(30_000);
    await gateway.runJobs();
    await receiver.listen();
    await gateway.drainJobs();

    const received = receiver.received();
    const delivered = received
      .filter((webhook) => webhook.answered >= 200 && webhook.answered < 300)
      .map(bodyOf);
    expect(delivered.map((body) => [body.sequence, body.type])).toEqual([
      [1, 'CREATED'],
      [2, 'ROOM_CREATED'],
      [3, 'UPDATED'],
      [4, 'UPDATED'],
    ]);
    // Every request was a retry of an event still undelivered, in sequence order.
    const sequences = received.map((webhook) => bodyOf(webhook).sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(received.slice(0, 5).map((webhook) => bodyOf(webhook).sequence)).toEqual([1, 1, 1, 1, 1]);
    const ids = new Map<number, Set<string>>();
    for (const webhook of received) {
      expect(signedBy(SECRET, webhook)).toBe(true);
      const body = bodyOf(webhook);
      ids.set(body.sequence, (ids.get(body.sequence) ?? new Set()).add(body.id));
    }
    for (const set of ids.values()) expect(set.size).toBe(1);
    // The redirect was an answer, not followed: its target (another endpoint) got nothing.
    expect(cancelsOnly.received()).toEqual([]);

    const { webhookDeliveries } = await gateway.ok(WebhookDeliveriesDocument, {
      state: 'DELIVERED',
      first: 10,
    });
    const first = webhookDeliveries.edges.find(
      ({ node }) => node.sequence === 1 && node.endpointUrl === receiver.url,
    );
    expect(first?.node).toMatchObject({ eventType: 'CREATED', lastStatus: 204, teleconsultationId: id });
    // 500, 500, a hang, a redirect and the success reached the receiver; refused attempts did not.
    expect(received.filter((webhook) => bodyOf(webhook).sequence === 1)).toHaveLength(5);
    expect(first?.node.attempts).toBeGreaterThanOrEqual(5);
  });

  it('gives up after a day: the delivery is dead, the check-up degraded, and later deliveries of the visit go on', async () => {
    const id = await visit(gateway, 'w3');
    receiver.setDefault({ status: 503 });
    await gateway.drainJobs();
    const dead = await gateway.ok(WebhookDeliveriesDocument, { state: 'DEAD', first: 10 });
    expect(dead.webhookDeliveries.edges.map(({ node }) => [node.sequence, node.lastStatus])).toEqual([
      [2, 503],
      [1, 503],
    ]);
    const created = dead.webhookDeliveries.edges.at(-1)?.node;
    expect(created?.attempts).toBeGreaterThan(100);
    expect(created?.lastError).toContain('503');
    expect(await (await fetch(`${gateway.url}/-/check-up`)).json()).toMatchObject({
      status: 'OK',
      dependencies: { jobs: 'DEGRADED' },
    });

    receiver.setDefault({ status: 204 });
    await gateway.ok(DeleteTeleconsultationDocument, { id }, DOCTOR);
    await gateway.drainJobs();
    const pending = await gateway.ok(WebhookDeliveriesDocument, { state: 'PENDING' });
    expect(pending.webhookDeliveries.edges).toEqual([]);
    const last = receiver.received().at(-1) as ReceivedWebhook;
    expect(bodyOf(last)).toMatchObject({ sequence: 3, type: 'CANCELLED' });
  });

  it('lists deliveries for the back office only, newest first, page by page', async () => {
    await visit(gateway, 'w4');
    await gateway.drainJobs();
    const page = await gateway.ok(WebhookDeliveriesDocument, { first: 1 });
    expect(page.webhookDeliveries.edges).toHaveLength(1);
    expect(page.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    const next = await gateway.ok(WebhookDeliveriesDocument, {
      first: 10,
      after: page.webhookDeliveries.pageInfo.endCursor,
    });
    expect(next.webhookDeliveries.edges.map(({ node }) => node.id)).not.toContain(
      page.webhookDeliveries.edges[0]?.node.id,
    );
    const refused = await gateway.request(WebhookDeliveriesDocument, {}, DOCTOR);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      operation: 'webhookDeliveries',
    });
  });
});

describe('webhook configuration', () => {
  const env = (extra: Record<string, string>) => ({ HOOK_SECRET: SECRET, ...extra });
  it.each([
    [
      'a secret variable that is not set',
      {},
      [{ url: 'https://hooks.example/a', events: ['*'], secretEnv: 'MISSING_SECRET' }],
      'MISSING_SECRET is not set',
    ],
    [
      'an http URL without WEBHOOKS_ALLOW_HTTP',
      {},
      [{ url: 'http://hooks.example/a', events: ['*'], secretEnv: 'HOOK_SECRET' }],
      'https://',
    ],
    [
      'an unknown event type',
      {},
      [{ url: 'https://hooks.example/a', events: ['DELETED'], secretEnv: 'HOOK_SECRET' }],
      'event type',
    ],
    [
      'no event type',
      {},
      [{ url: 'https://hooks.example/a', events: [], secretEnv: 'HOOK_SECRET' }],
      'at least one',
    ],
    [
      'the secret itself in the file',
      {},
      [{ url: 'https://hooks.example/a', events: ['*'], secretEnv: 'HOOK_SECRET', secret: SECRET }],
      'secret',
    ],
  ])('refuses %s at start-up, never echoing a secret', async (_, extra, hooks, message) => {
    const attempt = startTestGateway({ env: env(extra), serviceConfigFile: serviceConfig(hooks) });
    const error = await attempt.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain(SECRET);
  });
});
