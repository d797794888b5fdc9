/**
 * Every page cursor a client gets back, tampered with, end to end: the agenda, a visit's audit
 * trail (the field, the root query and GET /teleconsultation/:id/history) and the back office's
 * webhook deliveries. A cursor this list did not give (malformed, altered, of another list, too
 * long) is refused with BAD_USER_INPUT / INVALID_CURSOR on `after` (400 over REST), and the
 * refusal carries no data: no page, no id, nothing of what the cursor decoded to.
 */

import {
  CreateTeleconsultationDocument,
  MyTeleconsultationsDocument,
  TeleconsultationHistoryDocument,
  UpdateTeleconsultationDocument,
  VisitHistoryDocument,
  WebhookDeliveriesDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  type RequestOptions,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * What a client can do to a cursor `cursor` of one list, `foreign` being a genuine cursor of
 * another list: each must be refused.
 */
function tamperings(cursor: string, foreign: string): Record<string, string> {
  const position = decode(cursor);
  return {
    empty: '',
    'not base64url': 'not a cursor!',
    'padding added': `${cursor}=`,
    'a character outside the alphabet': `${cursor}*`,
    'a standard-base64 character': `+${cursor.slice(1)}`,
    'another version': encode(position.replace(/^[a-z]\d*:|^\d/, (head) => `z9${head.slice(1)}`)),
    'a suffix after the position': encode(`${position}:0`),
    'a space in the position': encode(position.replace(':', ' :')),
    'a number too long': encode(position.replace(/(\d+)/, '9'.repeat(40))),
    'JSON instead of a position': encode(JSON.stringify({ position })),
    "another list's cursor": foreign,
    overlong: 'A'.repeat(5000),
  };
}

/**
 * The GraphQL refusal: one error naming `after`, and no data at all (a nullable root field that
 * held the list is null, a non-null one nulls `data`).
 */
function expectRefused(response: GraphqlResponse<unknown>, secrets: readonly string[]): void {
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_CURSOR',
    field: ['after'],
  });
  const data = (response.data ?? {}) as Record<string, unknown>;
  expect(Object.values(data).filter((value) => value !== null)).toEqual([]);
  const text = JSON.stringify(response);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('tampered page cursors', () => {
  let gateway: TestGateway;
  let receiver: WebhookReceiver;
  let visitIds: string[];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway({
      env: { WEBHOOKS_ALLOW_HTTP: 'true', HOOK_SECRET: 'whsec_cursor_test' },
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        webhooks: [{ url: receiver.url, events: ['*'], secretEnv: 'HOOK_SECRET' }],
      },
    });
    visitIds = [];
    for (const minutes of [30, 60, 90]) {
      const { createTeleconsultation } = await gateway.ok(
        CreateTeleconsultationDocument,
        {
          input: {
            startDate: inMinutes(minutes),
            durationInSeconds: 1800,
            participants: [doctor('doc-1'), patient(`pat-${minutes}`)],
          },
        },
        DOCTOR,
      );
      visitIds.push(createTeleconsultation.id);
    }
    const first = visitIds[0] as string;
    await gateway.ok(
      UpdateTeleconsultationDocument,
      { id: first, input: { startDate: inMinutes(40) } },
      DOCTOR,
    );
    await gateway.drainJobs();
  });
  afterAll(async () => {
    await gateway?.close();
    await receiver?.close();
  });

  /** A genuine cursor of each list, from its first page of one. */
  async function cursors() {
    const id = visitIds[0] as string;
    const agenda = await gateway.ok(MyTeleconsultationsDocument, { first: 1 }, DOCTOR);
    const history = await gateway.ok(VisitHistoryDocument, { id, first: 1 }, DOCTOR);
    const deliveries = await gateway.ok(WebhookDeliveriesDocument, { first: 1 });
    return {
      agenda: agenda.myTeleconsultations.pageInfo.endCursor as string,
      history: history.teleconsultationHistory.pageInfo.endCursor as string,
      deliveries: deliveries.webhookDeliveries.pageInfo.endCursor as string,
    };
  }

  /** What a refusal must not show: the visits' ids and what the genuine cursors decode to. */
  const secretsOf = (genuine: Record<string, string>) => [...visitIds, ...Object.values(genuine).map(decode)];

  it('are genuine to begin with: each list pages with its own cursor', async () => {
    const genuine = await cursors();
    const id = visitIds[0] as string;
    const next = await gateway.ok(MyTeleconsultationsDocument, { first: 1, after: genuine.agenda }, DOCTOR);
    expect(next.myTeleconsultations.edges.map(({ node }) => node.id)).toEqual([visitIds[1]]);
    const history = await gateway.ok(VisitHistoryDocument, { id, first: 1, after: genuine.history }, DOCTOR);
    expect(history.teleconsultationHistory.edges.map(({ node }) => node.sequence)).toEqual([2]);
    const rest = await gateway.rest(
      'GET',
      `/teleconsultation/${id}/history?first=1&after=${genuine.history}`,
      DOCTOR,
    );
    expect(rest.status).toBe(200);
  });

  it('refuses every tampered agenda cursor with BAD_USER_INPUT and no data', async () => {
    const genuine = await cursors();
    for (const [how, after] of Object.entries(tamperings(genuine.agenda, genuine.history))) {
      const response = await gateway.request(MyTeleconsultationsDocument, { first: 5, after }, DOCTOR);
      try {
        expectRefused(response, secretsOf(genuine));
      } catch (error) {
        throw new Error(`agenda cursor with ${how}: ${(error as Error).message}`);
      }
    }
  });

  it('refuses every tampered history cursor, on the field, the root query and REST alike', async () => {
    const genuine = await cursors();
    const id = visitIds[0] as string;
    for (const [how, after] of Object.entries(tamperings(genuine.history, genuine.agenda))) {
      const asField = await gateway.request(TeleconsultationHistoryDocument, { id, after }, DOCTOR);
      const asRoot = await gateway.request(VisitHistoryDocument, { id, after }, DOCTOR);
      try {
        // The field's error nulls the visit it belongs to: nothing of the visit is answered either.
        expectRefused(asField, secretsOf(genuine));
        expectRefused(asRoot, secretsOf(genuine));
      } catch (error) {
        throw new Error(`history cursor with ${how}: ${(error as Error).message}`);
      }
      const overRest = await gateway.rest(
        'GET',
        `/teleconsultation/${id}/history?after=${encodeURIComponent(after)}`,
        DOCTOR,
      );
      expect({ how, status: overRest.status }).toEqual({ how, status: 400 });
      expect(overRest.json).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(overRest.json).not.toHaveProperty('events');
      for (const secret of Object.values(genuine).map(decode)) expect(overRest.text).not.toContain(secret);
    }
  });

  it('refuses every tampered webhook-delivery cursor of the back office', async () => {
    const genuine = await cursors();
    const backOffice: RequestOptions = {};
    for (const [how, after] of Object.entries(tamperings(genuine.deliveries, genuine.agenda))) {
      const response = await gateway.request(WebhookDeliveriesDocument, { first: 5, after }, backOffice);
      try {
        expectRefused(response, secretsOf(genuine));
      } catch (error) {
        throw new Error(`deliveries cursor with ${how}: ${(error as Error).message}`);
      }
    }
  });

  it("pages a well-formed cursor of someone else's visit over the caller's own visits only", async () => {
    // A position the caller could not have been given (another doctor's visit): it decodes, so
    // it is a position like any other, and the page holds only the caller's visits after it.
    const { createTeleconsultation: other } = await gateway.ok(
      CreateTeleconsultationDocument,
      {
        input: {
          startDate: inMinutes(45),
          durationInSeconds: 1800,
          participants: [doctor('doc-2'), patient('pat-other')],
        },
      },
      { caller: 'doc-2', groups: 'doctor' },
    );
    const forged = encode(`v1:${Date.parse(inMinutes(45))}:${other.id}`);
    const page = await gateway.ok(MyTeleconsultationsDocument, { first: 10, after: forged }, DOCTOR);
    expect(page.myTeleconsultations.edges.map(({ node }) => node.id)).toEqual([visitIds[1], visitIds[2]]);
    expect(JSON.stringify(page)).not.toContain(other.id);
  });
});
