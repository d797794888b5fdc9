import { performance } from 'node:perf_hooks';
import got, { type Response, type RetryOptions } from 'got';
import type { Logger } from 'pino';

/**
 * The one got wrapper every upstream client (Kaleyra, the auth service) goes through. It owns
 * what they share: timing and the metrics hook, one log line per call and per retry, and the
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
  /** The final answer (after retries): the value, or the client's error to throw. */
  interpret(response: Response<unknown>): { value: T } | { error: Error };
  /** The request got no answer: a timeout or a network failure (`code` is got's, e.g. ECONNREFUSED). */
  failed(failure: { timedOut: boolean; code: string }): Error;
}

export interface UpstreamClient {
  call<T>(spec: UpstreamCall<T>): Promise<T>;
}

export function createUpstreamClient(
  options: UpstreamClientOptions,
  classify: (error: Error) => UpstreamFailureClass,
): UpstreamClient {
  const { logger, name } = options;
  const http = got.extend({
    prefixUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    responseType: 'json',
    // Statuses are mapped by each client; got's HTTPError would carry the request headers.
    throwHttpErrors: false,
    timeout: { request: options.timeoutMs },
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

  return {
    async call<T>(spec: UpstreamCall<T>): Promise<T> {
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
        const code = (thrown as { code?: unknown }).code;
        outcome = {
          error: spec.failed({
            timedOut: (thrown as { name?: unknown }).name === 'TimeoutError',
            code: typeof code === 'string' ? code : 'ERR_UNKNOWN',
          }),
        };
      }

      const durationMs = Math.round(performance.now() - started);
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
      throw outcome.error;
    },
  };
}
