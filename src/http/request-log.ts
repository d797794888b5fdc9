/**
 * Request logs in Mia-Platform's `mia-json` shape (docs/specs/mia-platform.md): `incoming request`
 * at trace when a request arrives, `request completed` at info when it is answered, both with the
 * fields of lc39's log schema (test/fixtures/mia-platform/lc39-log.schema.json) and the request's
 * `reqId` (Fastify's child logger adds it). A route may add its own fields to the completed line
 * (GraphQL: the operation and its outcome).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clipForLog } from '../shared/log-values.js';

/** Client-chosen text in these lines is clipped (a request must not write a 100 KB line). */
const MAX_LOGGED_URL = 512;
const MAX_LOGGED_HEADER = 256;

/**
 * Extra fields of a route's completed line, computed once the status is known. It is handed the
 * request rather than closing over it: a WeakMap value that reaches its own key keeps the key
 * alive through every young-generation collection on Node 20 (V8 treats such an entry strongly
 * until a full collection), so a closure over the request here kept every request's objects —
 * its body, headers, reply, logger — alive and promoted them to the old generation
 * (docs/performance.md, #28 row 7). Pass one function per route, not one per request.
 */
export type CompletedLineFields = (request: FastifyRequest, statusCode: number) => Record<string, unknown>;

const EXTRA_FIELDS = new WeakMap<FastifyRequest, CompletedLineFields>();

/** Adds `fields` (computed when the request is answered) to the request's `request completed` line. */
export function addToCompletedLine(request: FastifyRequest, fields: CompletedLineFields): void {
  EXTRA_FIELDS.set(request, fields);
}

function headerText(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return clipForLog(Array.isArray(value) ? value.join(',') : value, MAX_LOGGED_HEADER);
}

/** The Host header without its port (`[::1]:3000` → `[::1]`), as lc39 logs it. */
function hostnameOf(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return clipForLog(name ?? host, MAX_LOGGED_HEADER);
}

/** Route parameters as the schema wants them: strings, clipped. */
function paramsOf(params: unknown): Record<string, string> {
  if (params === null || typeof params !== 'object') return {};
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, clipForLog(String(value), MAX_LOGGED_HEADER)]),
  );
}

/**
 * What both lines say about the request. `host.ip` is the client address the TRUSTED_PROXIES
 * rules believe (lc39 logs the raw X-Forwarded-For, which any client can write).
 */
function requestFields(request: FastifyRequest) {
  return {
    method: request.method,
    userAgent: { original: headerText(request.headers['user-agent']) },
    url: { path: clipForLog(request.url, MAX_LOGGED_URL), params: paramsOf(request.params) },
    host: {
      hostname: hostnameOf(request.headers.host),
      forwardedHost: headerText(request.headers['x-forwarded-host']),
      ip: request.ip,
    },
  };
}

function bodyBytes(reply: FastifyReply): number | undefined {
  const length = Number.parseInt(String(reply.getHeader('content-length') ?? ''), 10);
  return Number.isFinite(length) ? length : undefined;
}

/**
 * Registers both lines for every request but those `unlogged` names (probes, the IDE's assets: as
 * lc39 does for its status routes, they would drown the rest).
 */
export function registerRequestLogs(fastify: FastifyInstance, unlogged: (url: string) => boolean): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    // Only at trace (the lowest level) is the line written; otherwise its fields are not computed.
    if (request.log.level === 'trace' && !unlogged(request.url)) {
      const { method, userAgent, url, host } = requestFields(request);
      request.log.trace({ http: { request: { method, userAgent } }, url, host }, 'incoming request');
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    try {
      if (!unlogged(request.url)) completedLine(request, reply);
    } finally {
      done();
    }
  });
}

function completedLine(request: FastifyRequest, reply: FastifyReply): void {
  const { method, userAgent, url, host } = requestFields(request);
  request.log.info(
    {
      ...EXTRA_FIELDS.get(request)?.(request, reply.statusCode),
      http: {
        request: { method, userAgent },
        response: { statusCode: reply.statusCode, body: { bytes: bodyBytes(reply) } },
      },
      url,
      host,
      responseTime: reply.elapsedTime,
    },
    'request completed',
  );
}
