import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { openRequestId } from './request-context.js';

/**
 * Secrets never reach a log line: request headers that carry credentials and anything named like
 * the Kaleyra key are censored wherever they appear in a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.apikey',
  'req.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers.apikey',
  'apikey',
  'apiKey',
  '*.apikey',
  '*.apiKey',
  'authorization',
  'cookie',
  // One level down too (`forwarded.headers`, `request.headers`, an error's `options.headers`).
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers.apikey',
  '*.headers["set-cookie"]',
  '*.options.headers',
];

/** Loggers that carry a reqId of their own (a request's child logger), remembered per logger. */
const ownsReqId = new WeakMap<object, boolean>();

/**
 * The open request's id on a line from a logger that does not carry one (the upstream clients'
 * process-wide loggers), so every line logged for a request has it.
 */
function requestIdOfLine(logger: Logger): { reqId: string } | undefined {
  const reqId = openRequestId();
  if (reqId === undefined) return undefined;
  let owns = ownsReqId.get(logger);
  if (owns === undefined) {
    owns = 'reqId' in logger.bindings();
    ownsReqId.set(logger, owns);
  }
  return owns ? undefined : { reqId };
}

/**
 * The running span's `trace_id` and `span_id` (tracing on: docs/operations.md#tracing), so a
 * traced request's lines are found from its trace and the other way round.
 */
function traceOfLine(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

function mixin(_line: object, _level: number, logger: Logger): object {
  const request = requestIdOfLine(logger);
  const traced = traceOfLine();
  // A new object every time: pino merges the line's fields into it.
  return { ...request, ...traced };
}

/**
 * Lines in Mia-Platform's `mia-json` shape (docs/operations.md#logs): numeric `level`, `time` in
 * epoch milliseconds, `msg`; a request's lines carry its `reqId` (set by the HTTP server).
 */
export function createLogger(config: { logLevel: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'teleconsultation-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.epochTime,
      mixin,
    },
    destination,
  );
}
