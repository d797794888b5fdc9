import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { AjvCompiler } from '@fastify/ajv-compiler';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { handleProtocols } from 'graphql-ws';
import type { Logger } from 'pino';
import { CompiledExecution } from '../graphql/compiled-execution.js';
import type { GatewayContext } from '../graphql/context.js';
import { aliasLimitPlugin } from '../graphql/limits/aliases.js';
import { queryCostLimitPlugin } from '../graphql/limits/cost.js';
import { queryDepthLimitPlugin } from '../graphql/limits/depth.js';
import { tokenLimitParseOptions } from '../graphql/limits/tokens.js';
import { compiledQueriesPlugin } from '../graphql/plugins/compiled-queries.js';
import { linkHandOutsPlugin } from '../graphql/plugins/link-hand-outs.js';
import { noHttpSubscriptionsPlugin } from '../graphql/plugins/no-http-subscriptions.js';
import { graphqlExchangePlugin } from '../graphql/plugins/request-log.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Deadline } from '../shared/deadline.js';
import { acceptableRequestId } from '../shared/log-values.js';
import type { GraphqlLimits } from '../shared/request-limits.js';
import { exactJsonNumbers } from './exact-json-numbers.js';
import { graphiqlPage, registerGraphiql } from './graphiql.js';
import { type GraphqlRouteOptions, registerGraphqlRoute } from './graphql-route.js';
import { type GraphqlWsOptions, graphqlWsHandler } from './graphql-ws.js';
import { type HealthCheck, registerHealthRoutes } from './health.js';
import { lingerOnClose } from './lingering-close.js';
import { completedLine, incomingLine, registerRequestCompletion } from './request-log.js';
import { type RestApiDeps, registerRestApi } from './rest/rest-api.js';
import { WebsocketConnections } from './websocket-limits.js';

const validatorPool = AjvCompiler();

/** Fastify's own validator compiler twice: coercing for query strings and params, strict for bodies. */
function strictBodyValidator(
  externalSchemas: Parameters<typeof validatorPool>[0],
  options: Parameters<typeof validatorPool>[1],
): ReturnType<typeof validatorPool> {
  const coercing = validatorPool(externalSchemas, options);
  const strict = validatorPool(externalSchemas, {
    ...options,
    customOptions: { ...options?.customOptions, coerceTypes: false },
  } as Parameters<typeof validatorPool>[1]);
  return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
}

export interface HttpServerOptions {
  logger: Logger;
  schema: GraphQLSchema;
  context: (request: FastifyRequest, deadline: Deadline) => Promise<GatewayContext>;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** DEV_MODE: "did you mean" schema hints in client errors. */
  schemaHints: boolean;
  ide: { enabled: boolean; userIdHeaderKey: string; groupsHeaderKey: string };
  introspection: boolean;
  /** GRAPHQL_MAX_*, BODY_LIMIT_BYTES, REQUEST_TIMEOUT_MS. */
  limits: GraphqlLimits;
  /** TRUSTED_PROXIES: the only peers whose X-Forwarded-* headers are believed; empty: none. */
  trustedProxies: readonly string[];
  /** Served at /-/metrics; fed by the GraphQL route. */
  metrics: GatewayMetrics;
  health: { name: string; version: string; ready: HealthCheck[]; checkUp: HealthCheck[] };
  /** The original's REST API beside GraphQL; absent (REST_API_ENABLED=false): its routes do not exist. */
  rest?: RestApiDeps;
  /** GraphQL subscriptions over WebSocket at /graphql; absent (SUBSCRIPTIONS_ENABLED=false): none. */
  subscriptions?: Omit<GraphqlWsOptions, 'schema' | 'limits' | 'formatError' | 'context' | 'compiled'>;
  /**
   * Query operations and subscription events run on code graphql-jit compiles
   * (graphql/compiled-execution.ts); false: on graphql-js, as mutations always do. Off while tracing is on: OpenTelemetry's GraphQL
   * instrumentation makes its operation spans by wrapping graphql-js's `execute`.
   */
  compiledQueries: boolean;
}

export interface HttpServer {
  fastify: FastifyInstance;
  apollo: ApolloServer<GatewayContext>;
  /** Requests received and not yet answered (what a stop is waiting for). */
  openRequests(): number;
  /** From now on /-/ready answers 503 with `reason` (the service is stopping); requests are still served. */
  markNotReady(reason: string): void;
}

export const GRAPHQL_PATH = '/graphql';

/** Probes, metrics and the IDE's assets get no request lines (lc39 logs its status routes at error only). */
const unloggedUrl = (url: string): boolean => url.startsWith('/-/') || url.startsWith('/graphiql');

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const fastify = createFastify(options);
  // GraphQL variables keep ids exact: an integer JSON.parse would round is refused (400).
  exactJsonNumbers(fastify);
  closeConnectionsWhenAnswered(fastify);
  const openRequests = registerRequestHooks(fastify);

  // One cache of compiled operations for queries (HTTP) and subscription events (WebSocket).
  const compiled = options.compiledQueries ? new CompiledExecution(options.schema) : undefined;
  const apollo = await startApollo(fastify, options, compiled);
  if (options.subscriptions) await registerWebsocketServer(fastify, options.limits.bodyLimitBytes);
  registerGraphqlRoute(fastify, graphqlRouteOptions(options, apollo, compiled));
  let notReady: string | undefined;
  registerHealthRoutes(fastify, { ...options.health, notReady: () => notReady });
  fastify.get('/-/metrics', async (_request, reply) =>
    reply.type(options.metrics.contentType).send(await options.metrics.render()),
  );
  if (options.rest) await registerRestApi(fastify, options.rest);
  if (options.ide.enabled) {
    registerGraphiql(fastify, { endpoint: GRAPHQL_PATH, ...options.ide });
    fastify.get('/', async (_request, reply) => reply.redirect('/graphiql'));
  }
  return {
    fastify,
    apollo,
    openRequests,
    markNotReady: (reason) => {
      notReady = reason;
    },
  };
}

function createFastify(options: HttpServerOptions): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = options.logger;
  return Fastify({
    loggerInstance,
    // The caller's x-request-id when it is a sane one, so one id follows a request across
    // services; anything else (8,000 characters, odd bytes) gets our own instead of a log line.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return acceptableRequestId(given) ? given : randomUUID();
    },
    // Mia-Platform's log parser groups a request's lines by `reqId`; the request lines come from
    // request-log.ts in its shape, not from Fastify's pair.
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    // Only these peers may say who the client is (X-Forwarded-For/-Host/-Proto): request.ip.
    trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    bodyLimit: options.limits.bodyLimitBytes,
    // Request bodies are validated strictly (a string is never read as a number: "300" is a
    // mistake, not 300); query strings and params keep Fastify's coercion (?useBackground=true).
    schemaController: { compilersFactory: { buildValidator: strictBodyValidator } },
    // REQUEST_TIMEOUT_MS bounds receiving the whole request, body included (Node answers 408 and
    // closes). Node applies it only when headersTimeout is not longer (Fastify leaves that at
    // 60 s), and checks only every connectionsCheckingInterval (30 s): a body sent one byte a
    // second held a connection for 73 s against a 15 s limit.
    requestTimeout: options.limits.requestTimeoutMs,
    http: {
      requestTimeout: options.limits.requestTimeoutMs,
      headersTimeout: Math.min(60_000, options.limits.requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(1000, options.limits.requestTimeoutMs / 4)),
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
}

/**
 * A body of at most this many bytes (by its content-length) is read to its end, and dropped,
 * before an answer that came first is sent: a refusal of a small upload (70 bytes of PNG) or of a
 * cross-site form is then read, not lost in a reset.
 */
export const DRAINED_BODY_MAX_BYTES = 64 * 1024;

/**
 * Graceful shutdown: requests in flight when close() begins still get their answer, but on a
 * keep-alive connection that answer must also close it, or close() waits for the client's
 * keep-alive timeout (72 s) and the orchestrator kills the process mid-way.
 *
 * An answer ready while the body is still arriving (a refusal before an upload is read, a
 * deadline in the middle of one):
 * - a small body (DRAINED_BODY_MAX_BYTES) is read to its end first, then answered on a connection
 *   that stays open. Closing at once made the client's remaining writes meet a closed socket: the
 *   reset (EPIPE) reached the client before the answer it had not yet read (60 refused uploads of a
 *   70-byte PNG got 42 answers and 18 resets). Node's request timeout still bounds a client that
 *   stops sending (408);
 * - a large or unsized one (chunked) still streaming is answered at once and the connection
 *   closed: reading 10 MB to refuse them is the work the refusal spares. Otherwise Node would keep
 *   reading the rest, and its request timeout would write a second, stray response (408) on it.
 *   The close lingers (lingering-close.ts): what the client sends meanwhile is read and dropped
 *   for a moment, so the reset of a closed socket does not overtake the answer.
 */
function closeConnectionsWhenAnswered(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook: the usual answer (its body read whole, the server not closing) costs no
  // promise, and no closure either.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const { raw } = request;
    if (raw.complete && !closing) {
      done(null, payload);
      return;
    }
    const answer = () => {
      if (!raw.complete) lingerOnClose(raw.socket);
      if (closing || !raw.complete) reply.header('connection', 'close');
      done(null, payload);
    };
    if (!raw.complete && isSmallBody(raw.headers)) readToTheEnd(raw).then(answer, answer);
    else answer();
  });
}

/** A body whose content-length says it is small; a chunked one has no size to trust. */
function isSmallBody(headers: FastifyRequest['raw']['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return false;
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length <= DRAINED_BODY_MAX_BYTES;
}

/** The rest of the body, read and dropped; done at its end, or when the request is aborted. */
function readToTheEnd(raw: FastifyRequest['raw']): Promise<void> {
  return new Promise((resolve) => {
    if (raw.complete || raw.destroyed) {
      resolve();
      return;
    }
    const done = () => {
      raw.off('end', done);
      raw.off('close', done);
      raw.off('error', done);
      resolve();
    };
    raw.on('end', done);
    raw.on('close', done);
    raw.on('error', done);
    // Whoever began reading it (a multipart parser that gave up) may have stopped: drop the rest.
    raw.on('data', () => undefined);
    raw.resume();
  });
}

/**
 * The per-request hooks of every route, one of each kind (each hook is a call and a step of
 * Fastify's hook runner on every request):
 * - what a stop is waiting for: a request is open until answered or aborted, whichever comes first;
 * - the request lines (request-log.ts), but for the unlogged URLs;
 * - once answered, what the route that served it does then (`request.completion`).
 */
function registerRequestHooks(fastify: FastifyInstance): () => number {
  const open = new Set<FastifyRequest>();
  registerRequestCompletion(fastify);
  fastify.addHook('onRequest', (request, _reply, done) => {
    // A WebSocket upgrade is hijacked and never "answered": the socket server closes those (1001).
    if (request.headers.upgrade?.toLowerCase() !== 'websocket') open.add(request);
    try {
      // At trace only (the lowest level): otherwise the line's fields are not even computed.
      if (request.log.level === 'trace' && !unloggedUrl(request.url)) incomingLine(request);
    } finally {
      done();
    }
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    open.delete(request);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    open.delete(request);
    try {
      if (!unloggedUrl(request.url)) completedLine(request, reply);
    } finally {
      try {
        request.completion?.answered(reply.statusCode, reply.elapsedTime);
      } finally {
        done();
      }
    }
  });
  return () => open.size;
}

/** Stack traces never reach a client's error (Apollo's and the compiled queries' formatting alike). */
const INCLUDE_STACKTRACE = false;

async function startApollo(
  fastify: FastifyInstance,
  options: HttpServerOptions,
  compiled: CompiledExecution | undefined,
): Promise<ApolloServer<GatewayContext>> {
  const apollo = new ApolloServer<GatewayContext>({
    schema: options.schema,
    parseOptions: tokenLimitParseOptions(options.limits.maxTokens),
    introspection: options.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // The process owns SIGTERM/SIGINT (main.ts): Apollo's own handlers would close the server at
    // once, skipping WAIT_BEFORE_SERVER_CLOSE_SEC, then send the signal again (a second signal
    // exits 1).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: INCLUDE_STACKTRACE,
    hideSchemaDetailsFromClientErrors: !options.schemaHints,
    formatError: options.formatError,
    plugins: [
      fastifyApolloDrainPlugin(fastify),
      ApolloServerPluginLandingPageDisabled(),
      graphqlExchangePlugin(),
      noHttpSubscriptionsPlugin(),
      linkHandOutsPlugin(),
      queryDepthLimitPlugin(options.limits.maxDepth),
      aliasLimitPlugin(options.limits.maxAliases),
      queryCostLimitPlugin(options.limits.maxCost),
      // Responses are personal (join links): never cacheable, so no cache hints to compute, and
      // without this plugin no hook makes Apollo wrap every field of every request.
      ApolloServerPluginCacheControlDisabled(),
      // Its response replaces Apollo's execution; every plugin's `didResolveOperation` (the
      // limits) has run before, as Apollo calls `responseForOperation` only then.
      ...(compiled
        ? [
            compiledQueriesPlugin<GatewayContext>(compiled, {
              formatError: options.formatError,
              includeStacktraceInErrorResponses: INCLUDE_STACKTRACE,
            }),
          ]
        : []),
    ],
    logger: options.logger,
  });
  await apollo.start();
  return apollo;
}

async function registerWebsocketServer(fastify: FastifyInstance, maxPayload: number): Promise<void> {
  await fastify.register(fastifyWebsocket, {
    options: { handleProtocols, maxPayload },
    // Shutdown: every socket is closed with 1001 (going away), after what it had queued, so
    // graphql-ws clients reconnect to another replica; the default would close without a code.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'Server shutting down');
      this.websocketServer.close(() => done());
    },
  });
}

/** /graphql: the IDE page when it is on, and the subscriptions socket when they are. */
function graphqlRouteOptions(
  options: HttpServerOptions,
  apollo: ApolloServer<GatewayContext>,
  compiled: CompiledExecution | undefined,
): GraphqlRouteOptions {
  return {
    apollo,
    path: GRAPHQL_PATH,
    ...(options.ide.enabled ? { idePage: graphiqlPage({ endpoint: GRAPHQL_PATH, ...options.ide }) } : {}),
    context: options.context,
    requestTimeoutMs: options.limits.requestTimeoutMs,
    metrics: options.metrics,
    ...(options.subscriptions
      ? {
          websocketOrigins: options.subscriptions.subscriptions.allowedOrigins,
          websocketConnections: new WebsocketConnections(options.subscriptions.subscriptions),
          wsHandler: graphqlWsHandler({
            ...options.subscriptions,
            schema: options.schema,
            limits: options.limits,
            formatError: options.formatError,
            context: options.context,
            ...(compiled ? { compiled } : {}),
          }),
        }
      : {}),
  };
}
