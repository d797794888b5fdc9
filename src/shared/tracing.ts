/**
 * Spans of our own, through @opentelemetry/api only: with tracing off (no SDK registered) the API
 * is a no-op, and the helpers here skip even that when nothing is being recorded, so a read pays
 * for a context lookup and nothing else. Attribute names are the ones the span privacy filter
 * allows (src/observability/span-privacy.ts): ids of visits and jobs, operation names, outcomes,
 * never names, links, tokens or policy expressions.
 */
import {
  type Attributes,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TraceFlags,
  trace,
} from '@opentelemetry/api';

export type { Span };
export { SpanKind };

const TRACER_NAME = 'teleconsultation-gateway';

function tracer() {
  // Looked up each time: the global provider may be registered after this module loaded.
  return trace.getTracer(TRACER_NAME);
}

/** The span of the running code, when one is being recorded (tracing on and this trace sampled). */
function recordingSpan(): Span | undefined {
  const span = trace.getSpan(context.active());
  return span?.isRecording() ? span : undefined;
}

function ended<T>(span: Span, run: () => Promise<T>): Promise<T> {
  return run().then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      // The error's type only: messages may carry input (docs/operations.md#tracing).
      span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    },
  );
}

/**
 * Runs `run` inside a child span of the running trace. Outside a recorded trace (tracing off, a
 * trace not sampled, no trace at all) it only runs `run`: no span, no allocation.
 */
export function inChildSpan<T>(
  name: string,
  attributes: Attributes,
  run: (span: Span | undefined) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (recordingSpan() === undefined) return run(undefined);
  return tracer().startActiveSpan(name, { attributes, kind }, (span) => ended(span, () => run(span)));
}

/**
 * Runs `run` inside a new trace's root span (work that no request is waiting for: a job's attempt),
 * linked to the traces that caused it. A no-op span when tracing is off.
 */
export function inRootSpan<T>(
  name: string,
  attributes: Attributes,
  links: Link[],
  run: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { attributes, links, root: true, kind: SpanKind.CONSUMER }, (span) =>
    ended(span, () => run(span)),
  );
}

/**
 * The W3C `traceparent` of the running span (what a job stores to be linked to the request that
 * enqueued it); undefined outside a recorded trace.
 */
export function currentTraceparent(): string | undefined {
  const span = recordingSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A link to the span a stored `traceparent` names; none for a missing or malformed value. */
export function linkTo(traceparent: string | null | undefined): Link[] {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return [];
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return [];
  return [
    { context: { traceId, spanId, traceFlags: Number.parseInt(flags, 16) as TraceFlags, isRemote: true } },
  ];
}

/**
 * The running trace's context as headers (`traceparent`, `tracestate`) for an outgoing request, by
 * the configured propagator; empty outside a recorded trace. The HTTP instrumentation sets them as
 * well (for its own client span); these make the link hold with that instrumentation off.
 */
export function traceHeaders(): Record<string, string> {
  if (recordingSpan() === undefined) return {};
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
