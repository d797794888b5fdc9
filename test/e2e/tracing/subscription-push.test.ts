/**
 * A subscription push after a traced change is a span of its own (nobody's request waits for
 * it), linked to the request whose change woke it; an in-memory exporter in this process. The
 * change is appended to the event log inside a span, as a traced mutation's publish does.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { PrivateSpanExporter } from '../../../src/observability/span-privacy.js';
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { type LiveClient, liveClient } from '../../support/live-client.js';

const SUBSCRIPTION = `subscription Live($id: ID!) { teleconsultationChanged(id: $id) { id status } }`;

const exported = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new PrivateSpanExporter(exported))],
});

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

describe('a subscription push', () => {
  let gateway: TestGateway;
  let client: LiveClient;

  beforeEach(async () => {
    gateway = await startTestGateway();
    client = liveClient(gateway.url, { headers: { miauserid: 'pat-1', miausergroups: 'customer' } });
  });
  afterEach(async () => {
    await client?.dispose();
    await gateway?.close();
  });

  it('links to the traced change that woke it', async () => {
    const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient('pat-1')],
      },
    });
    const stream = client.subscribe(SUBSCRIPTION, { id: visit.id });
    await stream.waitFor(1);
    exported.reset();
    const record = await gateway.app.storage.teleconsultations.findById(visit.id);
    if (record === null) throw new Error('no record');
    const [created] = await gateway.app.events.history(record, 0, 1);
    if (created === undefined) throw new Error('no event');

    const change = await trace.getTracer('test').startActiveSpan('a traced change', async (span) => {
      await gateway.app.storage.events.append([
        { ...created, id: 'f'.repeat(24), sequence: created.sequence + 100 },
      ]);
      span.end();
      return span.spanContext();
    });

    const push = await new Promise<ReturnType<typeof exported.getFinishedSpans>[number]>(
      (resolve, reject) => {
        const deadline = Date.now() + 5000;
        const poll = () => {
          const found = exported.getFinishedSpans().find((span) => span.name === 'subscription push');
          if (found) resolve(found);
          else if (Date.now() > deadline) reject(new Error('no subscription push span'));
          else setTimeout(poll, 20);
        };
        poll();
      },
    );
    expect(push.parentSpanContext).toBeUndefined();
    expect(push.links.map((link) => link.context.spanId)).toEqual([change.spanId]);
    expect(push.links[0]?.context.traceId).toBe(change.traceId);
    // Nothing a subscriber sees changed: the read pushed nothing.
    expect(push.attributes).toEqual({ 'teleconsultation.id': visit.id, 'subscription.pushes': 0 });
  });
});
