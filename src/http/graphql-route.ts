import { Readable } from 'node:stream';
import {
  type ApolloServer,
  HeaderMap,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import type { WebsocketHandler } from '@fastify/websocket';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteHandlerMethod,
  RouteOptions,
} from 'fastify';
import type { ErrorReason } from '../domain/error-reasons.js';
import type { GatewayContext } from '../graphql/context.js';
import { LIMIT_ERROR_CODES } from '../graphql/limits/limit-errors.js';
import { requestTimeoutMessage } from '../graphql/limits/request-timeout.js';
import {
  errorCodesFromBody,
  GRAPHQL_EXCHANGE,
  type GraphqlExchange,
  graphqlLogFields,
  observeGraphqlRequest,
} from '../graphql/plugins/request-log.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Deadline } from '../shared/deadline.js';
import { withinDeadline } from './deadline.js';
import { INEXACT_NUMBER_CODE } from './exact-json-numbers.js';
import type { RequestCompletion } from './request-log.js';
import type { WebsocketConnections } from './websocket-limits.js';
import { websocketOriginAllowed } from './websocket-origin.js';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  path: string;
  context: (request: FastifyRequest, deadline: Deadline) => Promise<GatewayContext>;
  requestTimeoutMs: number;
  /**
   * The IDE page, when it is served: a browser opening the endpoint (GET, accepting text/html)
   * gets it, as Apollo's and Yoga's endpoints do, instead of a CSRF refusal in JSON.
   */
  idePage?: string;
  metrics: GatewayMetrics;
  /** Subscriptions: an upgraded GET on the same path goes to this handler (graphql-ws). */
  wsHandler?: WebsocketHandler;
  /** Page origins a browser may open the WebSocket from (SUBSCRIPTIONS_ALLOWED_ORIGINS). */
  websocketOrigins?: readonly string[];
  /** WEBSOCKET_MAX_CONNECTIONS and its bound per client address, counted before the upgrade. */
  websocketConnections?: WebsocketConnections;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** When a refused upgrade may try again: sockets come and go within seconds (init timeout, idle). */
const UPGRADE_RETRY_AFTER_SECONDS = 5;

/** The client prefers HTML to JSON: a browser's navigation, not a GraphQL client. */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (type: string): number => {
    const entry = accept
      .split(',')
      .map((part) => part.trim().split(';'))
      .find(([media]) => media?.trim().toLowerCase() === type);
    if (!entry) return -1;
    const q = entry.slice(1).find((parameter) => parameter.trim().startsWith('q='));
    return q ? Number(q.trim().slice(2)) : 1;
  };
  const html = quality('text/html');
  return (
    html > 0 && html > quality('application/json') && html > quality('application/graphql-response+json')
  );
}

/** A response in GraphQL's shape, for refusals that happen outside Apollo. */
function graphqlErrorBody(message: string, code: string, reason?: ErrorReason): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] });
}

/**
 * One GraphQL request over HTTP: what it turned out to be (the Apollo plugin fills it in), the
 * fields it adds to the request's completed line, and its metrics once answered.
 */
class GraphqlHttpExchange implements GraphqlExchange, RequestCompletion {
  operationName: string | null = null;
  errorCodes: string[] | null = null;

  constructor(private readonly metrics: GatewayMetrics) {}

  completedLineFields(statusCode: number): Record<string, unknown> {
    return graphqlLogFields(this, statusCode);
  }

  answered(statusCode: number, elapsedMs: number): void {
    observeGraphqlRequest(this, { statusCode, durationMs: elapsedMs, metrics: this.metrics });
  }
}

/**
 * The request's exchange, begun by whichever comes first: the handler, or a refusal of a request
 * Fastify rejected before it. A request the route answers otherwise (the IDE page, a refused
 * WebSocket upgrade) has none: its line has no GraphQL fields, and no metric counts it.
 */
function exchangeOfRequest(request: FastifyRequest, metrics: GatewayMetrics): GraphqlHttpExchange {
  const { completion } = request;
  if (completion instanceof GraphqlHttpExchange) return completion;
  const exchange = new GraphqlHttpExchange(metrics);
  request.completion = exchange;
  return exchange;
}

/** A refusal in GraphQL's shape, its code kept for the request's log line and metrics. */
function refuse(
  metrics: GatewayMetrics,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  code: string,
): FastifyReply {
  exchangeOfRequest(request, metrics).errorCodes = [code];
  return reply.code(status).type(JSON_CONTENT_TYPE).send(graphqlErrorBody(message, code));
}

/**
 * POST/GET /graphql: Apollo over Fastify (what @as-integrations/fastify's handler did), plus what
 * that handler did not do — a deadline for the whole request (REQUEST_TIMEOUT), GraphQL-shaped
 * refusals of bodies Fastify rejects (PAYLOAD_TOO_LARGE), the operation and outcome on each
 * request's log line, and the metrics.
 */
export function registerGraphqlRoute(fastify: FastifyInstance, options: GraphqlRouteOptions): void {
  const { metrics } = options;
  // No hooks of its own: the server's onResponse hook writes the line and calls the exchange
  // (request.completion) the handler began.
  const route = {
    url: options.path,
    handler: graphqlHandler(options),
    errorHandler: refusalOfRejectedRequests(metrics),
  } satisfies Omit<RouteOptions, 'method'>;
  // @fastify/websocket serves a WebSocket handler on GET routes only: GET carries both (an
  // upgrade goes to graphql-ws, a plain GET to Apollo), POST and OPTIONS are Apollo's.
  fastify.route({
    ...route,
    method: 'GET',
    ...(options.wsHandler
      ? {
          wsHandler: options.wsHandler,
          preValidation: websocketUpgradeCheck(options.websocketOrigins ?? [], options.websocketConnections),
        }
      : {}),
  });
  fastify.route({ ...route, method: ['POST', 'OPTIONS'] });
}

/**
 * Apollo's request, from Fastify's: what @as-integrations/fastify's handler builds, without its
 * `new URL(...)` per request for the query string, and tagged with the request's exchange for the
 * Apollo plugin (request-log.ts).
 */
export function httpGraphqlRequest(request: FastifyRequest, exchange?: GraphqlExchange): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  const incoming = request.headers;
  for (const name of Object.keys(incoming)) {
    const value = incoming[name];
    if (value) headers.set(name, typeof value === 'string' ? value : value.join(', '));
  }
  return {
    method: request.method.toUpperCase(),
    headers,
    search: searchOf(request),
    body: request.body,
    [GRAPHQL_EXCHANGE]: exchange,
  } as HTTPGraphQLRequest;
}

/**
 * What a URL parser would find in the request's URL, tabs, spaces, controls or `#` aside, cannot
 * differ from the text after its first `?`; with any of those (a URL parser drops, trims or
 * encodes them), the URL parser decides, as it did before.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what a URL parser drops or encodes.
const PARSER_DECIDES = /[\u0000-\u0020#]/;

/** The request URL's query string, `?` included, as `new URL(url).search` reads it (Apollo's GET). */
export function searchOf(request: FastifyRequest): string {
  const { url } = request;
  const start = url.indexOf('?');
  if (start === -1) return '';
  if (PARSER_DECIDES.test(url)) return new URL(url, `${request.protocol}://${request.hostname}/`).search;
  return start === url.length - 1 ? '' : url.slice(start);
}

/** Apollo's answer onto Fastify's reply: its headers and status, its body (a stream when incremental). */
function sendApolloResponse(reply: FastifyReply, response: HTTPGraphQLResponse): string | FastifyReply {
  for (const [name, value] of response.headers) reply.header(name, value);
  reply.code(response.status ?? 200);
  if (response.body.kind === 'complete') return response.body.string;
  return reply.send(Readable.from(response.body.asyncIterator));
}

/**
 * The IDE page for a browser, otherwise Apollo's answer within REQUEST_TIMEOUT_MS: a 504 when the
 * time is up before the operation began committing, the operation's own answer once it has.
 */
function graphqlHandler(options: GraphqlRouteOptions): RouteHandlerMethod {
  const { apollo, metrics, requestTimeoutMs } = options;
  apollo.assertStarted('registerGraphqlRoute()');
  return async function handleGraphql(request, reply) {
    if (options.idePage && request.method === 'GET' && prefersHtml(request.headers.accept)) {
      return reply.type('text/html; charset=utf-8').send(options.idePage);
    }
    const exchange = exchangeOfRequest(request, metrics);
    // Answers carry personal join links: no browser, proxy or CDN may keep a copy.
    reply.header('cache-control', 'no-store');
    const outcome = await withinDeadline(requestTimeoutMs, (deadline: Deadline) =>
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: httpGraphqlRequest(request, exchange),
          context: () => options.context(request, deadline),
        })
        .then((response) => sendApolloResponse(reply, response)),
    );
    if (outcome.timedOut) {
      const message = requestTimeoutMessage(requestTimeoutMs);
      return refuse(metrics, request, reply, 504, message, LIMIT_ERROR_CODES.requestTimeout);
    }
    // No codes recorded: Apollo answered before its pipeline (CSRF, batching, context).
    if (exchange.errorCodes === null && typeof outcome.result === 'string') {
      exchange.errorCodes = reply.statusCode >= 400 ? errorCodesFromBody(outcome.result) : [];
    }
    return outcome.result;
  };
}

/**
 * Fastify refuses some requests before the handler (body too large, malformed JSON, unsupported
 * content type); GraphQL clients get them in GraphQL's shape too.
 */
function refusalOfRejectedRequests(
  metrics: GatewayMetrics,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const message = 'The request body is larger than the gateway accepts.';
      return refuse(metrics, request, reply, 413, message, LIMIT_ERROR_CODES.payloadTooLarge);
    }
    // A value the body cannot carry exactly is bad input, as an out-of-range Int is.
    if (error.code === INEXACT_NUMBER_CODE) {
      return refuse(metrics, request, reply, 400, error.message, 'BAD_USER_INPUT');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return refuse(metrics, request, reply, status, error.message, 'BAD_REQUEST');
    }
    request.log.error({ err: error }, 'unexpected error on the GraphQL route');
    return refuse(metrics, request, reply, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
  };
}

/**
 * Decided before the upgrade, so a refusal costs no socket: a page from an origin not allowed gets
 * a plain 403; an upgrade over the connection bounds gets 429 (its address holds too many) or 503
 * (the process does), with Retry-After. An upgrade let through is counted until its connection
 * closes.
 */
function websocketUpgradeCheck(
  websocketOrigins: readonly string[],
  connections: WebsocketConnections | undefined,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    if (!request.ws) return;
    if (!websocketOriginAllowed(request.headers, websocketOrigins)) {
      request.log.info({ origin: String(request.headers.origin).slice(0, 200) }, 'websocket origin refused');
      return reply
        .code(403)
        .type(JSON_CONTENT_TYPE)
        .send(
          graphqlErrorBody(
            'This page may not open the subscriptions WebSocket (its origin is not allowed).',
            'FORBIDDEN',
            'ORIGIN_NOT_ALLOWED',
          ),
        );
    }
    const refusal = connections?.admit(request.ip, request.raw.socket);
    if (refusal === undefined) return;
    // At info, as an origin refusal: a flood of upgrades must not become a flood of warnings.
    request.log.info(
      { address: request.ip, status: refusal.status, limit: refusal.limit },
      'websocket connection refused: over its bound',
    );
    return reply
      .code(refusal.status)
      .header('retry-after', String(UPGRADE_RETRY_AFTER_SECONDS))
      .header('connection', 'close')
      .type(JSON_CONTENT_TYPE)
      .send(
        JSON.stringify({
          errors: [
            {
              message: refusal.message,
              extensions: { code: LIMIT_ERROR_CODES.tooManyConnections, limit: refusal.limit },
            },
          ],
        }),
      );
  };
}
