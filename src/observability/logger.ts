import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

/** What a censored value reads as in a log line. */
export const CENSORED = '[redacted]';

/**
 * Names whose values are credentials wherever they appear in a logged object, at any depth and in
 * any case (`authorization`, `Cookie`, `set-cookie`, the Kaleyra key as `apikey` or `apiKey`):
 * request headers, forwarded headers, an HTTP client's options.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'apikey',
  'x-api-key',
]);

/**
 * Deeper than any line the gateway writes (the request line is 4 levels deep): an object nested
 * further is not walked, and not written either (a cycle, or a whole object logged by mistake).
 */
const MAX_DEPTH = 6;

/** A cause of a cause of a cause: enough to explain, bounded. */
const MAX_CAUSES = 3;

/** Keys whose serializers below write a few named fields (an allowlist), nothing else. */
const SERIALIZED = new Set(['req', 'res']);

function isSecretName(key: string): boolean {
  return SECRET_NAMES.has(key) || SECRET_NAMES.has(key.toLowerCase());
}

/**
 * An error as a log line shows it: its type, message, stack, cause, and its own fields that are
 * plain values (`code`, `operation`, `status`, …). Never the error object itself: an HTTP client's
 * error holds its request options, headers included, and a driver's error the server's answer.
 */
export function errorForLog(error: unknown, causes = 0): unknown {
  if (!(error instanceof Error)) return censored(error, 1);
  const logged: Record<string, unknown> = {
    type: error.name || error.constructor?.name || 'Error',
    message: error.message,
    stack: error.stack,
  };
  for (const key of Object.keys(error)) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (isSecretName(key)) logged[key] = CENSORED;
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) logged[key] = value;
  }
  if (error.cause !== undefined && causes < MAX_CAUSES) logged.cause = errorForLog(error.cause, causes + 1);
  return logged;
}

/** A request (Fastify's or Node's) as a line shows it: method, URL, client address. No headers. */
export function requestForLog(request: unknown): unknown {
  if (request === null || typeof request !== 'object') return request;
  const { method, url, ip, socket } = request as {
    method?: unknown;
    url?: unknown;
    ip?: unknown;
    socket?: { remotePort?: unknown };
  };
  return { method, url, remoteAddress: ip, remotePort: socket?.remotePort };
}

/** A reply as a line shows it: its status. */
export function replyForLog(reply: unknown): unknown {
  if (reply === null || typeof reply !== 'object') return reply;
  return { statusCode: (reply as { statusCode?: unknown }).statusCode };
}

/**
 * `value` with every secret-named key censored, errors as errorForLog shows them and nothing
 * deeper than MAX_DEPTH: the value itself when there is nothing to change (the usual line: ids,
 * numbers, the request line's small objects), else a copy; the caller's objects are never changed.
 */
function censored(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return errorForLog(value);
  if (value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return CENSORED;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const logged = censored(item, depth + 1);
      if (logged !== item) {
        copy ??= [...value];
        copy[index] = logged;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const item = object[key];
    const logged = isSecretName(key)
      ? CENSORED
      : depth === 0 && SERIALIZED.has(key)
        ? item
        : censored(item, depth + 1);
    if (logged !== item) {
      copy ??= { ...object };
      copy[key] = logged;
    }
  }
  return copy ?? value;
}

/**
 * Secrets never reach a log line. Lines carry ids and small values the gateway builds, not whole
 * objects; what is logged anyway is walked here, once per line, instead of by pino's path
 * redaction (which cloned and walked 18 paths, wildcards included, on every line: about a third of
 * the cost of the per-request line):
 * - any key named like a credential (SECRET_NAMES), at any depth, reads `[redacted]`;
 * - an error, wherever it is, is its type, message, stack, cause and plain-valued fields
 *   (errorForLog): never its options or its response;
 * - `req` and `res` (Fastify logs them on a failed request) are a few named fields: method, URL,
 *   address, status (requestForLog, replyForLog), never headers.
 */
export function censoredLine(line: Record<string, unknown>): Record<string, unknown> {
  return censored(line, 0) as Record<string, unknown>;
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

/** What a line outside any valid span adds: nothing. Never changed (mixinMergeStrategy). */
const NO_TRACE: object = Object.freeze({});

/**
 * A request's lines carry its `reqId` because they are written through its logger (Fastify's
 * request logger, `RequestScope.logger`), which the services hand on to the upstream clients;
 * there is no ambient request context (an AsyncLocalStorage would run a hook for every promise
 * of the process: ~65 µs per read on Node 20).
 */
function mixin(): object {
  // A new object when there is a span: pino merges the line's fields into it.
  return traceOfLine() ?? NO_TRACE;
}

/**
 * pino's own strategy, `Object.assign(mixin(), line)`, but for a line with nothing to add (no
 * span: tracing off), which is written as it was given instead of copied (pino only reads it).
 */
function mixinMergeStrategy(line: object, mixed: object): object {
  return mixed === NO_TRACE ? line : Object.assign(mixed, line);
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
      formatters: { log: censoredLine },
      // Fastify's request loggers keep these: the base logger's serializers win over Fastify's own.
      serializers: { err: errorForLog, req: requestForLog, res: replyForLog },
      timestamp: pino.stdTimeFunctions.epochTime,
      mixin,
      mixinMergeStrategy,
    },
    destination,
  );
}
