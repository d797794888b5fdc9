/**
 * Tracing as an operator turns it on: the real entry point (`node dist/main.js`, what `npm start`
 * and the image run) with ENABLE_TRACING=true, spans exported over OTLP/HTTP to a receiver here that
 * keeps them in memory. One createTeleconsultation is one trace (continuing the caller's
 * traceparent) covering the HTTP request, Fastify, the GraphQL operation, the policy decision,
 * the Kaleyra user and room calls and the store write; the webhook deliveries and the room deletion
 * of a later cancel are traces of their own, linked to the change. Every Kaleyra request and every
 * webhook carries the trace on, and no span holds a planted name, id or secret.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { print } from 'graphql';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { CreateTeleconsultationDocument, DeleteTeleconsultationDocument } from '../../generated/graphql.js';
import { lc39LogLineValidator } from '../../support/mia-platform.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { type OtlpSpan, type ReceivedExport, spansOf, walkForPlanted } from './otlp.js';

const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

// Planted: none of these may appear in any exported span.
const API_KEY = 'planted-kaleyra-key-9d2e41';
const WEBHOOK_SECRET = 'whsec_planted_c0ffee77';
const PATIENT_NAME = 'Zebedee Quuxworth';
const DOCTOR_NAME = 'Ottoline Wrexham';
const PATIENT_ID = 'uid-planted-patient-4242';
const DOCTOR_ID = 'uid-planted-doctor-1717';
const LINK_HOST = 'links.planted-host.example';
const PLANTED = [API_KEY, WEBHOOK_SECRET, PATIENT_NAME, DOCTOR_NAME, PATIENT_ID, DOCTOR_ID, LINK_HOST];

const INCOMING_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${INCOMING_TRACE_ID}-00f067aa0ba902b7-01`;
const CANCEL_TRACE_ID = '5a0c3ec1f2b94f5e8d1a7b6c9e2f0d31';

interface Receiver {
  url: string;
  exports: ReceivedExport[];
  close(): Promise<void>;
}

async function startOtlpReceiver(): Promise<Receiver> {
  const exports: ReceivedExport[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exports.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls `check` until it holds: the exporter batches on its own schedule (OTEL_BSP_SCHEDULE_DELAY). */
async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Gateway {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function startGateway(env: Record<string, string>): Promise<Gateway> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await eventually('the gateway to listen', () => {
    const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
    if (child.exitCode !== null) throw new Error(`the gateway exited: ${output}`);
    return match?.[1]?.replace('0.0.0.0', '127.0.0.1');
  });
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await closed;
    },
  };
}

async function graphql(url: string, query: string, variables: unknown, headers: Record<string, string>) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', isbackoffice: 'true', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data ?? {};
}

function baseEnv(sandbox: KaleyraSandbox, receiver: Receiver, configPath: string): Record<string, string> {
  return {
    BANDYER_API_SECRET_KEY: API_KEY,
    BANDYER_BASE_URL: sandbox.url,
    STORE: 'memory',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    WAIT_BEFORE_SERVER_CLOSE_SEC: '0',
    TELECONSULTATION_SERVICE_CONFIG_PATH: configPath,
    WEBHOOKS_ALLOW_HTTP: 'true',
    HOOK_SECRET: WEBHOOK_SECRET,
    ENABLE_TRACING: 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
  };
}

describe('a traced gateway process (ENABLE_TRACING=true)', () => {
  let dir: string;
  let sandbox: KaleyraSandbox;
  let receiver: Receiver;
  let webhooks: WebhookReceiver;
  let configPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tg-tracing-'));
    sandbox = await startKaleyraSandbox({ apiKey: API_KEY, linkHost: LINK_HOST });
    receiver = await startOtlpReceiver();
    webhooks = await startWebhookReceiver();
    configPath = join(dir, 'service-config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        webhooks: [{ url: webhooks.url, events: ['*'], secretEnv: 'HOOK_SECRET' }],
      }),
    );
  });

  afterAll(async () => {
    await webhooks?.close();
    await receiver?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('over OTLP http/json: one visit created, then cancelled', () => {
    let spans: OtlpSpan[];
    let gateway: Gateway;

    beforeAll(async () => {
      gateway = await startGateway({
        ...baseEnv(sandbox, receiver, configPath),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      });
      const start = new Date(Date.now() + 3 * 3_600_000).toISOString();
      const input = {
        startDate: start,
        durationInSeconds: 1800,
        participants: [
          { userId: DOCTOR_ID, fullName: DOCTOR_NAME, groups: ['doctor'] },
          { userId: PATIENT_ID, fullName: PATIENT_NAME, groups: ['customer'] },
        ],
      };
      const created = await graphql(
        gateway.url,
        print(CreateTeleconsultationDocument),
        { input },
        { traceparent: INCOMING },
      );
      const id = created.createTeleconsultation?.id as string;
      // The patient reads it with GET, the name in the query string (where a URL attribute would
      // carry it) and the caller's id in its header.
      const query = 'query Peek($id: ID!) { teleconsultation(id: $id) { status } }';
      const read = new URL(`${gateway.url}/graphql`);
      read.searchParams.set('query', query);
      read.searchParams.set('variables', JSON.stringify({ id, note: PATIENT_NAME }));
      // Twice: a document's second run is where an untraced gateway runs compiled code.
      for (let run = 0; run < 2; run += 1) {
        const peek = await fetch(read, {
          headers: { miauserid: PATIENT_ID, 'apollo-require-preflight': 'true' },
        });
        expect(peek.status).toBe(200);
      }
      await graphql(
        gateway.url,
        print(DeleteTeleconsultationDocument),
        { id },
        {
          traceparent: `00-${CANCEL_TRACE_ID}-1111111111111111-01`,
        },
      );
      spans = await eventually('the room deletion job and the webhook deliveries to be exported', () => {
        const all = spansOf(receiver.exports);
        const deletion = all.find(
          (span) => span.name === 'job room-deletion' && span.attributes['job.outcome'] === 'done',
        );
        const deliveries = all.filter(
          (span) => span.name === 'job webhook-delivery' && span.attributes['job.outcome'],
        );
        return deletion && deliveries.length >= 2 ? all : undefined;
      });
    }, 90_000);

    afterAll(async () => {
      await gateway?.stop();
    });

    it('gives every run of a query its GraphQL operation span: traced queries stay on graphql-js', () => {
      const peeks = spans.filter(
        (span) =>
          span.attributes['graphql.operation.type'] === 'query' &&
          span.attributes['graphql.operation.name'] === 'Peek',
      );
      expect(peeks).toHaveLength(2);
    });

    it('makes the create one trace, continuing the caller traceparent, with every step in it', () => {
      const trace = spans.filter((span) => span.traceId === INCOMING_TRACE_ID);
      const names = trace.map((span) => span.name);
      // The HTTP server span is the incoming one's child: the caller's trace is continued.
      const server = trace.find(
        (span) => span.scope === '@opentelemetry/instrumentation-http' && span.kind === 2,
      );
      expect(server?.parentSpanId).toBe('00f067aa0ba902b7');
      expect(trace.some((span) => span.scope === '@fastify/otel' && span.name === 'request')).toBe(true);
      expect(
        trace.find(
          (span) =>
            span.attributes['graphql.operation.type'] === 'mutation' &&
            span.attributes['graphql.operation.name'] === 'CreateTeleconsultation',
        ),
      ).toBeDefined();
      expect(
        trace.find(
          (span) =>
            span.name === 'authorization decision' &&
            span.attributes['authorization.operation'] === 'createTeleconsultation' &&
            span.attributes['authorization.allowed'] === true,
        ),
      ).toBeDefined();
      expect(names.filter((name) => name === 'kaleyra createUser')).toHaveLength(2);
      expect(names).toContain('kaleyra createRoom');
      expect(
        trace.find(
          (span) =>
            span.name === 'teleconsultation write' &&
            span.attributes['write.operation'] === 'createTeleconsultation' &&
            span.attributes['write.outcome'] === 'stored',
        ),
      ).toBeDefined();
      // got's requests to Kaleyra are HTTP client spans under our upstream spans.
      const createRoom = trace.find((span) => span.name === 'kaleyra createRoom');
      expect(trace.some((span) => span.kind === 3 && span.parentSpanId === createRoom?.spanId)).toBe(true);
      // Every span of the request hangs off the incoming context: one tree, one trace.
      const ids = new Set(trace.map((span) => span.spanId));
      for (const span of trace) {
        if (span !== server) expect(ids.has(span.parentSpanId ?? '')).toBe(true);
      }
    });

    it('links the webhook deliveries to the change that caused them and the room deletion to the cancel', () => {
      const deliveries = spans.filter((span) => span.name === 'job webhook-delivery');
      const createDelivery = deliveries.find((span) =>
        span.links.some((link) => link.traceId === INCOMING_TRACE_ID),
      );
      expect(createDelivery).toBeDefined();
      expect(createDelivery?.traceId).not.toBe(INCOMING_TRACE_ID);
      expect(createDelivery?.attributes['job.outcome']).toBe('done');
      const deletion = spans.find((span) => span.name === 'job room-deletion');
      expect(deletion?.links.map((link) => link.traceId)).toEqual([CANCEL_TRACE_ID]);
      // The deletion's own Kaleyra call is in the job's trace.
      expect(
        spans.some((span) => span.name === 'kaleyra deleteRoom' && span.traceId === deletion?.traceId),
      ).toBe(true);
    });

    it('carries the trace to Kaleyra on every call and to the webhook receivers', async () => {
      const requests = sandbox.requests();
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests)
        expect(request.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      const createCalls = requests.filter((request) => request.traceparent?.includes(INCOMING_TRACE_ID));
      expect(createCalls.map((request) => request.method).sort()).toEqual(['POST', 'POST', 'POST']);
      const delivered = webhooks.received();
      expect(delivered.length).toBeGreaterThanOrEqual(2);
      for (const webhook of delivered) {
        const traceId = String(webhook.headers.traceparent ?? '').split('-')[1];
        expect(traceId).toMatch(/^[0-9a-f]{32}$/);
        // The delivery job's trace, not the request's: the job links back to it. A delivery's span
        // ends after the receiver has answered and is exported in a later batch, so a webhook
        // received after the spans above were taken is waited for, not assumed.
        const span = await eventually(
          `the span of the delivery in trace ${traceId}`,
          () =>
            spansOf(receiver.exports).find(
              (candidate) => candidate.name === 'job webhook-delivery' && candidate.traceId === traceId,
            ),
          10_000,
        );
        expect(span.traceId).not.toBe(INCOMING_TRACE_ID);
      }
    });

    it('writes trace_id and span_id on the log lines of a traced request, still valid mia-json', () => {
      const lines = gateway
        .output()
        .split('\n')
        .filter((line) => line.includes(INCOMING_TRACE_ID))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.some((line) => line.msg === 'teleconsultation created')).toBe(true);
      // Still mia-json: lc39's own log schema accepts the lines with their trace ids.
      const valid = lc39LogLineValidator();
      for (const line of lines) {
        expect(valid(line)).toBe(true);
        expect(line.trace_id).toBe(INCOMING_TRACE_ID);
        expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
        expect(typeof line.reqId).toBe('string');
      }
    });

    it('exports no planted name, id, link or secret in any span', () => {
      expect(spans.length).toBeGreaterThan(20);
      expect(walkForPlanted(receiver.exports, PLANTED)).toEqual([]);
    });
  });

  it('exports over OTLP http/protobuf too', async () => {
    const before = receiver.exports.length;
    const gateway = await startGateway({
      ...baseEnv(sandbox, receiver, configPath),
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const sent = await eventually('a protobuf export holding the trace', () =>
        receiver.exports
          .slice(before)
          .find(
            (received) =>
              received.contentType === 'application/x-protobuf' &&
              received.body.includes(Buffer.from(traceId, 'hex')),
          ),
      );
      expect(sent.path).toBe('/v1/traces');
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
