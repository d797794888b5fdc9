import { performance } from 'node:perf_hooks';
import got, { type Got, type Response, type RetryOptions } from 'got';
import type { Logger } from 'pino';
import { inChildSpan, type Span, SpanKind, traceHeaders } from './tracing.js';
import {
  ByteLimit,
  declaredLength,
  failureOf,
  type OpenedRequest,
  openRequest,
  readRefusal,
  retryDelayOf,
  type UpstreamStream,
  type UpstreamStreamCall,
} from './upstream-stream.js';

export type {
  StreamRetry,
  UpstreamStream,
  UpstreamStreamAnswer,
  UpstreamStreamCall,
} from './upstream-stream.js';

/**
 * The one got wrapper every upstream client (Kaleyra, the auth service, LiveKit) goes through. It
 * owns what they share: timing and the metrics hook, one span and one log line per call, one log
 * line per retry, the trace context on every request (`traceparent`), and the
 * rule that got's own errors never travel (they hold the request options, headers included, so
 * an API key, a cookie or an authorization header could leak into a log or an error). What a
 * status means is each client's business: `interpret` and `failed` turn an answer or a failed
 * request into that client's typed value or error.
 */

/** One call to an upstream service, once its retries are over: the metrics hook's event. */
export interface UpstreamCallEvent {
  operation: string;
  durationMs: number;
  outcome: 'ok' | 'error';
  /** Why it failed, when the client knows (Kaleyra: unavailable | rejected | not_found). */
  errorKind?: string;
}

export interface UpstreamClientOptions {
  /** How log lines name the service: `kaleyra`, `auth service`. */
  name: string;
  /** http(s) base URL; request paths are relative to it. */
  baseUrl: string;
  /** Per attempt, whole request (connect to last byte). */
  timeoutMs: number;
  /** Sent on every request (e.g. the API key). Never logged. */
  headers?: Record<string, string>;
  logger: Logger;
  /** Called once per call, after retries. A throwing hook is logged, never propagated. */
  observe?: (event: UpstreamCallEvent) => void;
}

/** How a failed call is reported: its metrics kind and how loud its log line is. */
export interface UpstreamFailureClass {
  kind: string;
  level: 'info' | 'warn';
}

export interface UpstreamCall<T> {
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the base URL, already encoded. */
  path: string;
  json?: unknown;
  /** A ready multipart body (uploads). */
  body?: FormData;
  headers?: Record<string, string>;
  /** got's retry options for this call; `{ limit: 0 }` never retries. */
  retry: Partial<RetryOptions>;
  /** Extra fields for this call's log lines (ids only, never secrets). */
  logContext?: Record<string, unknown>;
  /**
   * The logger of the request this call is made for (it carries the request's `reqId`): the
   * call's lines go through it, with the client's own bindings. Absent for work no request waits
   * for (jobs, caches refreshed on their own): the client's logger.
   */
  logger?: Logger | undefined;
  /** The final answer (after retries): the value, or the client's error to throw. */
  interpret(response: Response<unknown>): { value: T } | { error: Error };
  /** The request got no answer: a timeout or a network failure (`code` is got's, e.g. ECONNREFUSED). */
  failed(failure: { timedOut: boolean; code: string }): Error;
}

export interface UpstreamClient {
  call<T>(spec: UpstreamCall<T>): Promise<T>;
  /**
   * A GET whose body is passed on as a stream, never held whole (upstream-stream.ts): resolves once
   * the answer is accepted, with its body cut off at `maxBytes`. One log line and one metrics event
   * per call, when the body has been read to its end, failed or been abandoned by its consumer.
   */
  stream(spec: UpstreamStreamCall): Promise<UpstreamStream>;
}

export function createUpstreamClient(
  options: UpstreamClientOptions,
  classify: (error: Error) => UpstreamFailureClass,
): UpstreamClient {
  const { logger, name } = options;
  // The client's bindings (its `component`), added to a request's logger for the lines of its calls.
  const clientBindings = logger.bindings();
  const loggerFor = (requestLogger: Logger | undefined): Logger =>
    requestLogger === undefined ? logger : requestLogger.child(clientBindings);
  // Every attempt (retries too) carries the trace context of the call's span, if recorded.
  const hooks = {
    beforeRequest: [
      (request: { headers: Record<string, string | string[] | undefined> }) => {
        Object.assign(request.headers, traceHeaders());
      },
    ],
  };
  const http = got.extend({
    prefixUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    hooks,
    responseType: 'json',
    // Statuses are mapped by each client; got's HTTPError would carry the request headers.
    throwHttpErrors: false,
    timeout: { request: options.timeoutMs },
    retry: { limit: 0 },
  });
  // Streamed bodies: no whole-request timeout (the consumer sets the body's pace), no JSON parsing.
  const streaming = got.extend({
    prefixUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    hooks,
    throwHttpErrors: false,
    retry: { limit: 0 },
  });

  function observe(event: UpstreamCallEvent): void {
    if (options.observe === undefined) return;
    try {
      options.observe(event);
    } catch {
      // Metrics must never turn a call into a failure.
      logger.warn({ operation: event.operation }, `${name} observer threw`);
    }
  }

  const report: StreamReport = (spec, started, outcome, logger) => {
    const durationMs = Math.round(performance.now() - started);
    const context = { operation: spec.operation, method: 'GET', path: spec.path, ...spec.logContext };
    const { status, retries, bytes } = outcome;
    if (outcome.error === undefined) {
      logger.debug({ ...context, status, retries, bytes, durationMs }, `${name} call`);
      observe({ operation: spec.operation, durationMs, outcome: 'ok' });
      return;
    }
    // The consumer went away (a client that disconnected): nothing failed upstream.
    const { kind, level } = outcome.error === null ? ABANDONED : classify(outcome.error);
    logger[level](
      { ...context, status, retries, bytes, durationMs, errorKind: kind, reason: outcome.error?.message },
      outcome.error === null ? `${name} call abandoned by its consumer` : `${name} call failed`,
    );
    observe({ operation: spec.operation, durationMs, outcome: 'error', errorKind: kind });
  };

  return {
    stream: (spec) => streamCall(streaming, options.timeoutMs, spec, report, loggerFor(spec.logger), name),

    call<T>(spec: UpstreamCall<T>): Promise<T> {
      // The operation and method name the span; the path is left out (it holds user ids).
      const attributes = {
        'upstream.service': name,
        'upstream.operation': spec.operation,
        'http.request.method': spec.method,
      };
      return inChildSpan(
        `${name} ${spec.operation}`,
        attributes,
        (span) => callOnce({ http, logger: loggerFor(spec.logger), name, observe, classify }, spec, span),
        SpanKind.CLIENT,
      );
    },
  };
}

/** What one call needs of its client. */
interface CallerOf {
  http: Got;
  logger: Logger;
  name: string;
  observe(event: UpstreamCallEvent): void;
  classify(error: Error): UpstreamFailureClass;
}

/** One call, its retries included: got's request, the answer interpreted, one log line and event. */
async function callOnce<T>(client: CallerOf, spec: UpstreamCall<T>, span: Span | undefined): Promise<T> {
  const { http, logger, name, observe, classify } = client;
  const started = performance.now();
  const context = { operation: spec.operation, method: spec.method, path: spec.path, ...spec.logContext };
  let status: number | undefined;
  let retries = 0;
  let outcome: { value: T } | { error: Error };
  try {
    const response = await http<unknown>(spec.path, {
      method: spec.method,
      ...(spec.json !== undefined ? { json: spec.json } : {}),
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
      retry: spec.retry,
      hooks: {
        beforeRetry: [
          (error, retryCount) => {
            retries = retryCount;
            logger.warn(
              { ...context, attempt: retryCount, status: error.response?.statusCode, code: error.code },
              `${name} call retrying`,
            );
          },
        ],
      },
    });
    status = response.statusCode;
    outcome = spec.interpret(response);
  } catch (thrown) {
    // Only got's code survives: its error objects hold the options, headers included.
    outcome = { error: spec.failed(failureOf(thrown)) };
  }

  const durationMs = Math.round(performance.now() - started);
  span?.setAttributes({
    'upstream.retries': retries,
    ...(status === undefined ? {} : { 'http.response.status_code': status }),
  });
  if ('value' in outcome) {
    logger.debug({ ...context, status, retries, durationMs }, `${name} call`);
    observe({ operation: spec.operation, durationMs, outcome: 'ok' });
    return outcome.value;
  }
  const { kind, level } = classify(outcome.error);
  logger[level](
    { ...context, status, retries, durationMs, errorKind: kind, reason: outcome.error.message },
    `${name} call failed`,
  );
  observe({ operation: spec.operation, durationMs, outcome: 'error', errorKind: kind });
  span?.setAttribute('upstream.error_kind', kind);
  throw outcome.error;
}

const ABANDONED: UpstreamFailureClass = { kind: 'abandoned', level: 'info' };

/**
 * How a streamed call ended: read to its end (no `error`), failed (the client's error), or
 * abandoned by its consumer (`error: null`).
 */
type StreamOutcome = { status?: number | undefined; retries: number; bytes: number; error?: Error | null };
type StreamReport = (
  spec: UpstreamStreamCall,
  started: number,
  outcome: StreamOutcome,
  logger: Logger,
) => void;

/**
 * One streamed GET: attempts until an answer is final (retries only before a body is passed on),
 * a refusal read for its error, a body declared larger than allowed refused before it is read, and
 * an accepted body handed over through a ByteLimit, reported once when it ends.
 */
async function streamCall(
  http: Got,
  timeoutMs: number,
  spec: UpstreamStreamCall,
  report: StreamReport,
  logger: Logger,
  name: string,
): Promise<UpstreamStream> {
  const started = performance.now();
  const refuse = (error: Error, status: number | undefined, retries: number): never => {
    report(spec, started, { status, retries, bytes: 0, error }, logger);
    throw error;
  };
  for (let attempt = 0; ; attempt++) {
    let opened: OpenedRequest;
    try {
      opened = await openRequest(http, spec.path, timeoutMs);
    } catch (thrown) {
      const failure = failureOf(thrown);
      if (attempt < spec.retry.limit && spec.retry.errorCodes.includes(failure.code)) {
        logger.warn(
          { operation: spec.operation, attempt: attempt + 1, code: failure.code },
          `${name} call retrying`,
        );
        await sleep(spec.retry.backoffMs(attempt + 1));
        continue;
      }
      return refuse(spec.failed(failure), undefined, attempt);
    }
    const { request, response } = opened;
    const { statusCode: status, headers } = response;
    if (status < 200 || status > 299) {
      const delay = retryDelayOf(spec.retry, attempt, status, headers);
      if (delay !== null) {
        request.destroy();
        logger.warn({ operation: spec.operation, attempt: attempt + 1, status }, `${name} call retrying`);
        await sleep(delay);
        continue;
      }
      const verdict = spec.interpret({
        statusCode: status,
        headers,
        body: await readRefusal(opened, timeoutMs),
      });
      return refuse(
        'error' in verdict ? verdict.error : spec.failed({ timedOut: false, code: 'ERR_UNEXPECTED_STATUS' }),
        status,
        attempt,
      );
    }
    const verdict = spec.interpret({ statusCode: status, headers, body: undefined });
    const declaredBytes = declaredLength(headers);
    const refusal =
      'error' in verdict
        ? verdict.error
        : declaredBytes !== null && declaredBytes > spec.maxBytes
          ? spec.tooLarge(declaredBytes)
          : null;
    if (refusal !== null) {
      // Refused before a byte of the body is read: the request is closed, nothing was buffered.
      request.destroy();
      return refuse(refusal, status, attempt);
    }
    return {
      body: passOn(opened, spec, timeoutMs, (outcome) =>
        report(spec, started, { status, retries: attempt, ...outcome }, logger),
      ),
      declaredBytes,
      contentType: headers['content-type'] ?? null,
    };
  }
}

/**
 * The accepted body through a ByteLimit. got's errors never reach the consumer (they hold the
 * request's headers): a body that breaks off fails with the client's `failed` error instead.
 * Whichever side ends first ends the other: a consumer that goes away aborts the request.
 */
function passOn(
  opened: OpenedRequest,
  spec: UpstreamStreamCall,
  idleMs: number,
  ended: (outcome: Pick<StreamOutcome, 'bytes' | 'error'>) => void,
): ByteLimit {
  const { request } = opened;
  // The errors this call gives; any other error that ends the body is its consumer leaving.
  const ours = new WeakSet<Error>();
  const own = (error: Error): Error => {
    ours.add(error);
    return error;
  };
  const body = new ByteLimit({
    maxBytes: spec.maxBytes,
    idleMs,
    tooLarge: () => own(spec.tooLarge(null)),
    stalled: () => own(spec.failed({ timedOut: true, code: 'ETIMEDOUT' })),
  });
  let outcome: { error: Error | null } | { done: true } | null = null;
  opened.onError((thrown) => {
    if (!body.destroyed) body.destroy(own(spec.failed(failureOf(thrown))));
  });
  body.once('end', () => {
    outcome ??= { done: true };
  });
  body.once('error', (error) => {
    outcome ??= { error: ours.has(error) ? error : null };
  });
  body.once('close', () => {
    if (!request.destroyed) request.destroy();
    const settled = outcome ?? { error: null };
    ended({ bytes: body.received, ...('done' in settled ? {} : settled) });
  });
  request.pipe(body);
  return body;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
