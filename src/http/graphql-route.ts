import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
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
  type GraphqlExchanges,
  graphqlLogFields,
  observeGraphqlRequest,
} from '../graphql/plugins/request-log.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { Deadline } from '../shared/deadline.js';
import { withinDeadline } from './deadline.js';
import { INEXACT_NUMBER_CODE } from './exact-json-numbers.js';
import { addToCompletedLine, type CompletedLineFields } from './request-log.js';
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
  exchanges: GraphqlExchanges;
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

/** A refusal in GraphQL's shape, its code kept for the request's log line and metrics. */
function refuse(
  exchanges: GraphqlExchanges,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  code: string,
): FastifyReply {
  const exchange = exchanges.ofRequest(request);
  if (exchange !== undefined) exchange.errorCodes = [code];
  return reply.code(status).type(JSON_CONTENT_TYPE).send(graphqlErrorBody(message, code));
}

/**
 * POST/GET /graphql: Apollo's Fastify handler, plus what it does not do itself — a deadline for
 * the whole request (REQUEST_TIMEOUT), GraphQL-shaped refusals of bodies Fastify rejects
 * (PAYLOAD_TOO_LARGE), the operation and outcome on each request's log line, and the metrics.
 */
export function registerGraphqlRoute(fastify: FastifyInstance, options: GraphqlRouteOptions): void {
  const { exchanges, metrics } = options;
  // One function for every request (it is handed the request: see CompletedLineFields).
  const completedLineFields: CompletedLineFields = (request, statusCode) => {
    const exchange = exchanges.ofRequest(request);
    return exchange === undefined ? {} : graphqlLogFields(exchange, statusCode);
  };
  const route = {
    url: options.path,
    // Callback hooks, not async ones: no promise per hook and request.
    onRequest: (request, _reply, done) => {
      exchanges.start(request);
      // The request's completed line says which operation it was and how it went.
      addToCompletedLine(request, completedLineFields);
      done();
    },
    handler: graphqlHandler(options),
    errorHandler: refusalOfRejectedRequests(exchanges),
    onResponse: (request, reply, done) => {
      const exchange = exchanges.ofRequest(request);
      try {
        if (exchange !== undefined) {
          observeGraphqlRequest(exchange, {
            statusCode: reply.statusCode,
            durationMs: reply.elapsedTime,
            metrics,
          });
        }
      } finally {
        done();
      }
    },
  } satisfies Omit<RouteOptions, 'method'>;
  // @fastify/websocket serves a WebSocket handler on GET routes only: GET carries both (an
  // upgrade goes to graphql-ws, a plain GET to Apollo), POST and OPTIONS are Apollo's.
  fastify.route({
    ...route,
    method: 'GET',
    ...(options.wsHandler
      ? {
          wsHandler: options.wsHandler,
          preValidation: websocketUpgradeCheck(
            exchanges,
            options.websocketOrigins ?? [],
            options.websocketConnections,
          ),
        }
      : {}),
  });
  fastify.route({ ...route, method: ['POST', 'OPTIONS'] });
}

/**
 * The IDE page for a browser, otherwise Apollo's answer within REQUEST_TIMEOUT_MS: a 504 when the
 * time is up before the operation began committing, the operation's own answer once it has.
 */
function graphqlHandler(options: GraphqlRouteOptions): RouteHandlerMethod {
  const { exchanges, requestTimeoutMs } = options;
  // The request's deadline, for the context Apollo builds for it.
  const deadlines = new WeakMap<object, Deadline>();
  const apolloHandler = fastifyApolloHandler<GatewayContext>(options.apollo, {
    context: async (request) => {
      const context = await options.context(
        request as FastifyRequest,
        deadlines.get(request) ?? new Deadline(),
      );
      exchanges.link(request, context);
      return context;
    },
  });
  return async function handleGraphql(request, reply) {
    if (options.idePage && request.method === 'GET' && prefersHtml(request.headers.accept)) {
      exchanges.forget(request);
      return reply.type('text/html; charset=utf-8').send(options.idePage);
    }
    // Answers carry personal join links: no browser, proxy or CDN may keep a copy.
    reply.header('cache-control', 'no-store');
    const outcome = await withinDeadline(requestTimeoutMs, (deadline) => {
      deadlines.set(request, deadline);
      return Promise.resolve(
        apolloHandler.call(
          this,
          request as Parameters<typeof apolloHandler>[0],
          reply as Parameters<typeof apolloHandler>[1],
        ),
      );
    });
    if (outcome.timedOut) {
      const message = requestTimeoutMessage(requestTimeoutMs);
      return refuse(exchanges, request, reply, 504, message, LIMIT_ERROR_CODES.requestTimeout);
    }
    const exchange = exchanges.ofRequest(request);
    // No codes recorded: Apollo answered before its pipeline (CSRF, batching, context).
    if (exchange !== undefined && exchange.errorCodes === null && typeof outcome.result === 'string') {
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
  exchanges: GraphqlExchanges,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const message = 'The request body is larger than the gateway accepts.';
      return refuse(exchanges, request, reply, 413, message, LIMIT_ERROR_CODES.payloadTooLarge);
    }
    // A value the body cannot carry exactly is bad input, as an out-of-range Int is.
    if (error.code === INEXACT_NUMBER_CODE) {
      return refuse(exchanges, request, reply, 400, error.message, 'BAD_USER_INPUT');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return refuse(exchanges, request, reply, status, error.message, 'BAD_REQUEST');
    }
    request.log.error({ err: error }, 'unexpected error on the GraphQL route');
    return refuse(exchanges, request, reply, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
  };
}

/**
 * Decided before the upgrade, so a refusal costs no socket: a page from an origin not allowed gets
 * a plain 403; an upgrade over the connection bounds gets 429 (its address holds too many) or 503
 * (the process does), with Retry-After. An upgrade let through is counted until its connection
 * closes.
 */
function websocketUpgradeCheck(
  exchanges: GraphqlExchanges,
  websocketOrigins: readonly string[],
  connections: WebsocketConnections | undefined,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    if (!request.ws) return;
    if (!websocketOriginAllowed(request.headers, websocketOrigins)) {
      exchanges.forget(request);
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
    exchanges.forget(request);
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
