/**
 * No personal data in spans: every span passes this filter before it is exported. Attributes are
 * kept only when their name is on the allowlist below (what the instrumentations and our own
 * spans record about the shape of a request: methods, routes, statuses, operation names, ids of
 * visits and jobs); everything else is dropped (URLs and their query strings, which carry user
 * ids and tokens; client addresses; headers; database statements). Events keep the exception's
 * type only, never its message; a status keeps its code, never its message. A new attribute
 * reaches a collector only once it is added here (docs/operations.md#tracing).
 */
import type { Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';

export const ALLOWED_SPAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  // HTTP, server and client (old and new semantic conventions): the shape, not the address.
  'http.method',
  'http.request.method',
  'http.status_code',
  'http.response.status_code',
  'http.route',
  'http.scheme',
  'url.scheme',
  'http.flavor',
  'network.protocol.version',
  'net.host.name',
  'net.host.port',
  'net.peer.name',
  'net.peer.port',
  'server.address',
  'server.port',
  'error.type',
  // GraphQL: the operation; the document with every literal replaced by `*` (allowValues off).
  'graphql.operation.name',
  'graphql.operation.type',
  'graphql.source',
  'graphql.field.name',
  'graphql.field.path',
  'graphql.field.type',
  // MongoDB: which collection and command, never the statement or the connection string.
  'db.system',
  'db.system.name',
  'db.name',
  'db.namespace',
  'db.operation',
  'db.operation.name',
  'db.mongodb.collection',
  'db.collection.name',
  // Fastify (@fastify/otel): which hook or handler.
  'fastify.type',
  'hook.name',
  'hook.callback.name',
  'service.name',
  // Ours (src/shared/tracing.ts and its callers).
  'teleconsultation.id',
  'authorization.operation',
  'authorization.allowed',
  'change.operation',
  'write.operation',
  'write.attempt',
  'write.outcome',
  'upstream.service',
  'upstream.operation',
  'upstream.retries',
  'upstream.error_kind',
  'job.kind',
  'job.id',
  'job.attempt',
  'job.outcome',
  'subscription.pushes',
]);

const ALLOWED_EVENT_ATTRIBUTES: ReadonlySet<string> = new Set(['exception.type', 'exception.escaped']);

function allowed(attributes: Attributes, names: ReadonlySet<string>): { kept: Attributes; dropped: number } {
  const kept: Attributes = {};
  let dropped = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (names.has(name)) kept[name] = value;
    else dropped += 1;
  }
  return { kept, dropped };
}

function privateEvent(event: TimedEvent): TimedEvent {
  if (event.attributes === undefined) return event;
  return { ...event, attributes: allowed(event.attributes, ALLOWED_EVENT_ATTRIBUTES).kept };
}

/** The span as it may leave the process: see the module comment. */
export function privateSpan(span: ReadableSpan): ReadableSpan {
  const { kept, dropped } = allowed(span.attributes, ALLOWED_SPAN_ATTRIBUTES);
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext === undefined ? {} : { parentSpanContext: span.parentSpanContext }),
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: kept,
    links: span.links.map((link) => ({ context: link.context })),
    events: span.events.map(privateEvent),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount + dropped,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Wraps the real exporter: only private spans reach it. */
export class PrivateSpanExporter implements SpanExporter {
  constructor(private readonly exporter: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans.map(privateSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
