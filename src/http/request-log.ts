/**
 * Request logs in Mia-Platform's `mia-json` shape (docs/specs/mia-platform.md): `incoming request`
 * at trace when a request arrives, `request completed` at info when it is answered, both with the
 * fields of lc39's log schema (test/fixtures/mia-platform/lc39-log.schema.json) and the request's
 * `reqId` (Fastify's child logger adds it). The route that serves a request may add its own fields
 * to the completed line, and be told when the request was answered (GraphQL: the operation and its
 * outcome, its metrics): `request.completion`.
 *
 * Both lines are written on every request: each is built as one object in the shape it is written
 * in, with no intermediate copies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clipForLog } from '../shared/log-values.js';

/** Client-chosen text in these lines is clipped (a request must not write a 100 KB line). */
const MAX_LOGGED_URL = 512;
const MAX_LOGGED_HEADER = 256;

/** What the route that serves a request adds to its completed line, and does once it is answered. */
export interface RequestCompletion {
  /**
   * The route's fields, first on the completed line: a fresh object every time (the line's
   * other fields are added to it).
   */
  completedLineFields(statusCode: number): Record<string, unknown>;
  /** After the completed line: the request was answered (`elapsedMs` after it arrived). */
  answered(statusCode: number, elapsedMs: number): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route that serves the request, when it has something to add (registerRequestCompletion). */
    completion: RequestCompletion | null;
  }
}

/** Declares `request.completion` (null until a route sets it): every request has the same shape. */
export function registerRequestCompletion(fastify: FastifyInstance): void {
  fastify.decorateRequest('completion', null);
}

function headerText(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return clipForLog(typeof value === 'string' ? value : value.join(','), MAX_LOGGED_HEADER);
}

/** The Host header without its port (`[::1]:3000` → `[::1]`), as lc39 logs it. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  let end: number;
  if (host.charCodeAt(0) === 91 /* [ */) {
    end = host.indexOf(']') + 1;
  } else {
    end = host.indexOf(':');
    if (end === -1) end = host.length;
  }
  return clipForLog(end === host.length ? host : host.slice(0, end), MAX_LOGGED_HEADER);
}

/** Shared by the lines of requests whose route has no parameters: it is only ever read. */
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** Route parameters as the schema wants them: strings, clipped. */
export function paramsOf(params: unknown): Readonly<Record<string, string>> {
  if (params === null || typeof params !== 'object') return NO_PARAMS;
  let logged: Record<string, string> | undefined;
  for (const name in params) {
    if (!Object.hasOwn(params, name)) continue;
    logged ??= {};
    logged[name] = clipForLog(String((params as Record<string, unknown>)[name]), MAX_LOGGED_HEADER);
  }
  return logged ?? NO_PARAMS;
}

/**
 * `host.ip` is the client address the TRUSTED_PROXIES rules believe (lc39 logs the raw
 * X-Forwarded-For, which any client can write).
 */
function hostOf(request: FastifyRequest) {
  const { headers } = request;
  return {
    hostname: hostnameOf(headers.host),
    forwardedHost: headerText(headers['x-forwarded-host']),
    ip: request.ip,
  };
}

/** The `incoming request` line (at trace: callers check the level before building it). */
export function incomingLine(request: FastifyRequest): void {
  request.log.trace(
    {
      http: {
        request: {
          method: request.method,
          userAgent: { original: headerText(request.headers['user-agent']) },
        },
      },
      url: { path: clipForLog(request.url, MAX_LOGGED_URL), params: paramsOf(request.params) },
      host: hostOf(request),
    },
    'incoming request',
  );
}

function bodyBytes(reply: FastifyReply): number | undefined {
  const header = reply.getHeader('content-length');
  if (typeof header === 'number') return Number.isFinite(header) ? header : undefined;
  if (typeof header !== 'string') return undefined;
  const length = Number.parseInt(header, 10);
  return Number.isFinite(length) ? length : undefined;
}

/** The `request completed` line: the route's fields first, then the request's and the response's. */
export function completedLine(request: FastifyRequest, reply: FastifyReply): void {
  const { statusCode } = reply;
  const line = request.completion?.completedLineFields(statusCode) ?? {};
  line.http = {
    request: { method: request.method, userAgent: { original: headerText(request.headers['user-agent']) } },
    response: { statusCode, body: { bytes: bodyBytes(reply) } },
  };
  line.url = { path: clipForLog(request.url, MAX_LOGGED_URL), params: paramsOf(request.params) };
  line.host = hostOf(request);
  line.responseTime = reply.elapsedTime;
  request.log.info(line, 'request completed');
}
