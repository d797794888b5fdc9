/**
 * Our own spans and the privacy filter, with an in-memory exporter in this process: a job stores
 * the trace context of the span that enqueued it and its attempt's span (a trace of its own) links
 * back to it with its kind, attempt and outcome; an upstream call carries the trace on; the log
 * mixin writes trace_id and span_id; nothing is recorded (or even made) while tracing is off; and
 * a span leaves the process only with allowlisted attributes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock.js';
import { JobRunner } from '../../../src/jobs/job-runner.js';
import { createLogger } from '../../../src/observability/logger.js';
import {
  ALLOWED_SPAN_ATTRIBUTES,
  PrivateSpanExporter,
  privateSpan,
} from '../../../src/observability/span-privacy.js';
import { samplerOf } from '../../../src/observability/tracing.js';
import { currentTraceparent, inChildSpan, linkTo } from '../../../src/shared/tracing.js';
import { createUpstreamClient } from '../../../src/shared/upstream-client.js';
import { createMemoryJobStore } from '../../../src/storage/memory/memory-jobs.js';

const exported = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();
let provider: BasicTracerProvider;

beforeAll(async () => {
  provider = new BasicTracerProvider({
    sampler: await samplerOf({ sampler: 'parentbased_always_on', samplerRatio: 1 }),
    spanProcessors: [new SimpleSpanProcessor(new PrivateSpanExporter(exported))],
  });
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

beforeEach(() => exported.reset());

const tracer = () => trace.getTracer('test');

/** Runs `run` inside a recorded request span, as an instrumented server would. */
function inRequest<T>(run: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan('request', async (span) => {
    try {
      return await run();
    } finally {
      span.end();
    }
  });
}

const byName = (name: string): ReadableSpan | undefined =>
  exported.getFinishedSpans().find((span) => span.name === name);

const silent = pino({ level: 'silent' });

describe('a job attempt', () => {
  it('stores the enqueuing span and runs in a trace of its own, linked to it, with its outcome', async () => {
    const store = createMemoryJobStore();
    const runner = new JobRunner({
      store,
      logger: silent,
      clock: new ManualClock(new Date('2030-01-01T00:00:00Z')),
    });
    runner.register('room-deletion', async () => ({ outcome: 'deleted' }), {
      retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1000, jitter: 'full' },
    });
    const { job, enqueuer } = await inRequest(async () => {
      const enqueued = await runner.enqueue(
        'room-deletion',
        { payload: { roomId: 'r1' }, dedupeKey: 'k1' },
        { kick: false },
      );
      return { job: enqueued.job, enqueuer: trace.getActiveSpan()?.spanContext() };
    });
    expect(job.traceparent).toBe(`00-${enqueuer?.traceId}-${enqueuer?.spanId}-01`);
    expect((await store.findById(job.id))?.traceparent).toBe(job.traceparent);

    await runner.runDue();
    const span = byName('job room-deletion');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.spanContext().traceId).not.toBe(enqueuer?.traceId);
    expect(span?.links.map((link) => link.context.spanId)).toEqual([enqueuer?.spanId]);
    expect(span?.attributes).toEqual({
      'job.kind': 'room-deletion',
      'job.id': job.id,
      'job.attempt': 1,
      'job.outcome': 'done',
    });
  });

  it('stores no trace context when nothing is traced', async () => {
    const store = createMemoryJobStore();
    const runner = new JobRunner({
      store,
      logger: silent,
      clock: new ManualClock(new Date('2030-01-01T00:00:00Z')),
    });
    runner.register('k', async () => ({}), {
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, jitter: 'full' },
    });
    const { job } = await runner.enqueue('k', { payload: {}, dedupeKey: 'untraced' }, { kick: false });
    expect('traceparent' in job).toBe(false);
  });
});

describe('helpers', () => {
  it('make no child span outside a recorded trace', async () => {
    await inChildSpan('orphan', {}, async (span) => expect(span).toBeUndefined());
    expect(currentTraceparent()).toBeUndefined();
    expect(exported.getFinishedSpans()).toEqual([]);
  });

  it('mark a failed child span with the error type only', async () => {
    await inRequest(() =>
      inChildSpan('failing', {}, async () => {
        throw new TypeError('Zebedee Quuxworth is not allowed');
      }).catch(() => undefined),
    );
    const span = byName('failing');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span?.attributes).toEqual({ 'error.type': 'TypeError' });
  });

  it.each([null, undefined, '', 'garbage', `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`])(
    'link to nothing for the stored value %j',
    (value) => {
      expect(linkTo(value)).toEqual([]);
    },
  );
});

describe('an upstream call', () => {
  it('is a client span that carries its trace context to the upstream', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createUpstreamClient(
      { name: 'kaleyra', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000, logger: silent },
      () => ({ kind: 'rejected', level: 'info' }),
    );
    const call = () =>
      client.call({
        operation: 'createRoom',
        method: 'POST',
        path: 'rest/room/uid-secret-path',
        json: {},
        retry: { limit: 0 },
        interpret: () => ({ value: null }),
        failed: () => new Error('failed'),
      });
    try {
      await call();
      await inRequest(call);
    } finally {
      server.close();
    }
    const span = byName('kaleyra createRoom');
    expect(seen[0]).toBeUndefined();
    expect(seen[1]).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
    expect(span?.attributes).toEqual({
      'upstream.service': 'kaleyra',
      'upstream.operation': 'createRoom',
      'http.request.method': 'POST',
      'upstream.retries': 0,
      'http.response.status_code': 200,
    });
  });
});

describe('log lines', () => {
  it('carry trace_id and span_id inside a traced span, and neither outside one', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { logLevel: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    logger.info('outside');
    const ids = await inRequest(async () => {
      logger.info('inside');
      return trace.getActiveSpan()?.spanContext();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ msg: 'inside', trace_id: ids?.traceId, span_id: ids?.spanId });
  });

  it("write each line's own fields and only those, with or without a span (no fields carried over)", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { logLevel: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const fields = { teleconsultationId: 'tc-1' };
    logger.info(fields, 'outside, with fields');
    logger.info('outside, without');
    await inRequest(async () => {
      logger.info({ attempt: 2 }, 'inside, with fields');
      logger.info('inside, without');
    });
    expect(fields).toEqual({ teleconsultationId: 'tc-1' });
    expect(lines[0]).toMatchObject({ teleconsultationId: 'tc-1', msg: 'outside, with fields' });
    expect(lines[1]).not.toHaveProperty('teleconsultationId');
    expect(lines[2]).toMatchObject({ attempt: 2, trace_id: expect.any(String) });
    expect(lines[3]).not.toHaveProperty('attempt');
    expect(lines[3]).toHaveProperty('trace_id');
  });
});

describe('the span privacy filter', () => {
  const PLANTED = 'Zebedee Quuxworth';

  it('drops every attribute not on the allowlist, event messages and status messages', async () => {
    const raw = new InMemorySpanExporter();
    const rawProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(raw)] });
    const span = rawProvider.getTracer('t').startSpan('GET', {
      attributes: {
        'http.request.method': 'GET',
        'url.full': `https://kaleyra.example/rest/user/${PLANTED}`,
        'participant.name': PLANTED,
        'http.request.header.authorization': 'Bearer secret',
        'db.statement': `{"fullName":"${PLANTED}"}`,
      },
      links: [
        {
          context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
          attributes: { who: PLANTED },
        },
      ],
    });
    span.recordException(new Error(`no such user ${PLANTED}`));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `refused ${PLANTED}` });
    span.end();
    const [original] = raw.getFinishedSpans();
    if (original === undefined) throw new Error('no span');
    // The walk finds the name in the raw span: the filter is what keeps it in.
    expect(JSON.stringify(original.attributes)).toContain(PLANTED);
    const filtered = privateSpan(original);
    expect(filtered.attributes).toEqual({ 'http.request.method': 'GET' });
    expect(filtered.droppedAttributesCount).toBe(4);
    expect(filtered.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(filtered.events[0]?.attributes).toEqual({ 'exception.type': 'Error' });
    expect(filtered.spanContext()).toEqual(original.spanContext());
    const { resource: _resource, ...rest } = filtered;
    expect(JSON.stringify({ ...rest, links: filtered.links, events: filtered.events })).not.toContain(
      PLANTED,
    );
    await rawProvider.shutdown();
  });

  it('allows the attributes our own spans set', () => {
    for (const name of [
      'authorization.operation',
      'authorization.allowed',
      'teleconsultation.id',
      'job.outcome',
    ])
      expect(ALLOWED_SPAN_ATTRIBUTES.has(name)).toBe(true);
  });
});
