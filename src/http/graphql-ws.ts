import type { Socket } from 'node:net';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { WebSocket, WebsocketHandler } from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  type OperationDefinitionNode,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import {
  CloseCode,
  type Context,
  makeServer,
  type ServerOptions,
  type WebSocket as WebSocketLike,
} from 'graphql-ws';
import type { Caller } from '../domain/authorization/caller.js';
import type { CompiledExecution } from '../graphql/compiled-execution.js';
import type { GatewayContext, LiveFeed } from '../graphql/context.js';
import { countAliases } from '../graphql/limits/aliases.js';
import { operationCost } from '../graphql/limits/cost.js';
import { operationDepth } from '../graphql/limits/depth.js';
import { LIMIT_ERROR_CODES } from '../graphql/limits/limit-errors.js';
import { tokenLimitCode, tokenLimitParseOptions } from '../graphql/limits/tokens.js';
import { LinkHandOuts } from '../graphql/link-hand-outs.js';
import { Deadline } from '../shared/deadline.js';
import { isRecord } from '../shared/is-record.js';
import type { GraphqlLimits } from '../shared/request-limits.js';
import { SocketSubscriptions, type SubscriptionRefusal, SubscriptionSlots } from './websocket-limits.js';

export interface SubscriptionLimits {
  /** SUBSCRIPTIONS_PER_CONNECTION */
  perConnection: number;
  /** SUBSCRIPTIONS_PER_PROCESS */
  perProcess: number;
  /** WEBSOCKET_MAX_CONNECTIONS, counted before the upgrade (websocket-limits.ts). */
  maxConnections: number;
  /** WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS, counted before the upgrade (websocket-limits.ts). */
  maxConnectionsPerAddress: number;
  /** How long a connection may stay without its connection_init (then 4408). */
  initTimeoutMs: number;
  /** WEBSOCKET_IDLE_TIMEOUT_MS: how long an acknowledged connection may hold no subscription. */
  idleTimeoutMs: number;
  /** RFC 6455 pings; a connection that misses one pong is closed. */
  keepAliveMs: number;
  /** Page origins a browser may connect from, besides the gateway's own host; '*' for any. */
  allowedOrigins: readonly string[];
}

export interface GraphqlWsOptions {
  schema: GraphQLSchema;
  limits: GraphqlLimits;
  subscriptions: SubscriptionLimits;
  /** The same context builder as HTTP requests, over the upgrade request. */
  context: (request: FastifyRequest, deadline: Deadline) => Promise<GatewayContext>;
  live: LiveFeed;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /**
   * DEV_MODE only: identity headers may come in the connection_init payload, since browsers
   * (GraphiQL) cannot set headers on a WebSocket. Otherwise only the upgrade request's headers
   * count: the platform's gateway sets those, not the payload.
   */
  identityFromConnectionParams: boolean;
  identityHeaders: readonly string[];
  /**
   * Each event's answer from compiled code (CompiledExecution.subscribe); absent (tracing on):
   * graphql-js's `subscribe`.
   */
  compiled?: CompiledExecution;
}

/** The close of a socket that held no subscription for WEBSOCKET_IDLE_TIMEOUT_MS: a normal one. */
export const IDLE_CLOSE = { code: 1000, reason: 'Idle: no subscription' } as const;

interface Extra {
  socket: WebSocket;
  request: FastifyRequest;
  context?: GatewayContext;
  /** The subscriptions this socket holds (places of the process), and its idle watch. */
  held: SocketSubscriptions;
}

const refuse = (message: string, code: string, extensions: Record<string, unknown> = {}) => [
  new GraphQLError(message, { extensions: { code, ...extensions } }),
];

type SubscribeContext = Context<Record<string, unknown> | undefined, Extra>;
type SubscribePayload = Parameters<NonNullable<ServerOptions<undefined, Extra>['onSubscribe']>>[2];

/**
 * GraphQL subscriptions over the graphql-ws protocol, on the same /graphql path (an upgraded GET).
 * A socket must name a caller in its connection_init (from the upgrade request's headers; with
 * DEV_MODE also from the payload), or it is closed 4403. Every subscription goes through the
 * limits queries go through (tokens, depth, aliases, cost), plus a cap per connection and per
 * process counted at admission; its context, identity included, is built exactly as for an HTTP
 * request. A socket that holds no subscription for WEBSOCKET_IDLE_TIMEOUT_MS is closed.
 */
export function graphqlWsHandler(options: GraphqlWsOptions): WebsocketHandler {
  const slots = new SubscriptionSlots(options.subscriptions.perProcess);
  const { compiled } = options;
  // Valid subscription documents by their text (parseSubscription).
  const documents = new Map<string, DocumentNode>();
  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    schema: options.schema,
    ...(compiled ? { subscribe: (args) => compiled.subscribe(args) } : {}),
    connectionInitWaitTimeout: options.subscriptions.initTimeoutMs,
    onConnect: async (ctx) => {
      const request = requestWithIdentity(ctx.extra.request, ctx.connectionParams, options);
      const context = await options.context(request, new Deadline());
      // Every subscription needs a caller: a socket that names none is refused (4403, Forbidden).
      if (!namesACaller(context.caller)) return false;
      ctx.extra.context = { ...context, live: options.live };
      ctx.extra.held.acknowledge();
      return true;
    },
    onSubscribe: (ctx: SubscribeContext, id, payload) =>
      admitSubscription(ctx, id, payload, options, documents),
    // Whichever way a subscription that was admitted ends, graphql-ws completes it here (the
    // socket's close covers the ways it does not).
    onComplete: (ctx, id) => ctx.extra.held.release(id),
    // The errors of results go through the one formatter, as Apollo's do: codes kept, the rest masked.
    onNext: (_ctx, _id, _payload, args, result) => {
      recordLinksAfterPush(args.contextValue as GatewayContext, result.data);
      return result.errors
        ? { ...result, errors: result.errors.map((error) => options.formatError(error.toJSON(), error)) }
        : result;
    },
    onError: (_ctx, _id, _payload, errors) =>
      errors.map((error) => options.formatError(error.toJSON(), error)),
  });

  return function handleSocket(socket, request) {
    const stopPinging = keepAlive(socket, options.subscriptions.keepAliveMs);
    const held = new SocketSubscriptions(slots, {
      timeoutMs: options.subscriptions.idleTimeoutMs,
      onIdle: () => socket.close(IDLE_CLOSE.code, IDLE_CLOSE.reason),
    });
    const closed = server.opened(socketTransport(socket, request), { socket, request, held });
    socket.once('close', (code, reason) => {
      stopPinging();
      held.close();
      void closed(code, String(reason));
    });
  };
}

/**
 * Whether the identity headers name someone a policy can judge: a user id, the back-office flag
 * or groups. Identity headers that are there but unusable (repeated, not UTF-8) do name someone:
 * each subscribe is then refused with the reason.
 */
function namesACaller(caller: Caller): boolean {
  return (
    caller.id !== null || caller.isBackoffice || (caller.groups?.length ?? 0) > 0 || caller.problem !== null
  );
}

/**
 * What graphql-ws runs for a `subscribe` message: the errors that refuse it, checked in order
 * (parse, validation, operation kind, depth, aliases, cost, then the caps), or the execution it
 * starts. The caps are checked and a place taken in the same synchronous step, so subscribes sent
 * back to back are counted one by one, before any of them is read.
 */
function admitSubscription(
  ctx: SubscribeContext,
  id: string,
  payload: SubscribePayload,
  options: GraphqlWsOptions,
  documents: Map<string, DocumentNode>,
): readonly GraphQLError[] | ExecutionArgs {
  const parsed = parseSubscription(payload.query, options, documents);
  if (!('document' in parsed)) return parsed;
  const { document } = parsed;
  const operation = getOperationAST(document, payload.operationName);
  if (!operation)
    return refuse('The operation to run is not clear: name one.', ApolloServerErrorCode.BAD_REQUEST);
  if (operation.operation !== 'subscription') {
    return refuse(
      'Send queries and mutations with POST /graphql; this socket serves subscriptions.',
      ApolloServerErrorCode.BAD_REQUEST,
    );
  }
  const overLimit = operationLimitRefusal(document, operation, payload, options);
  if (overLimit) return overLimit;
  const capped = subscriptionCapRefusal(
    ctx.extra.held.admit(id, options.subscriptions.perConnection),
    options,
  );
  if (capped) return capped;
  return {
    schema: options.schema,
    document,
    operationName: payload.operationName ?? null,
    variableValues: payload.variables ?? null,
    // Its own hand-outs: pushes of one subscription go one at a time, those of two interleave.
    contextValue: { ...(ctx.extra.context as GatewayContext), linkHandOuts: new LinkHandOuts() },
  };
}

/**
 * The links a push hands out are recorded after it is sent, off its path: when thousands of links
 * open at one instant, they are recorded once the last of those pushes is sent, so no push waits
 * for writes. Taken now, before the next push of the subscription can offer more.
 */
function recordLinksAfterPush(context: GatewayContext, data: unknown): void {
  const record = context.linkHandOuts.take(data, context.logger);
  const run = () => void record();
  if (context.live) context.live.afterPushes(run);
  else setImmediate(run);
}

/** SUBSCRIPTIONS_PER_CONNECTION and SUBSCRIPTIONS_PER_PROCESS, as the subscribe's error. */
function subscriptionCapRefusal(
  refusal: SubscriptionRefusal | undefined,
  options: GraphqlWsOptions,
): GraphQLError[] | undefined {
  if (refusal === 'connection') {
    return refuse(
      `At most ${options.subscriptions.perConnection} subscriptions per connection.`,
      LIMIT_ERROR_CODES.tooManySubscriptions,
      { limit: options.subscriptions.perConnection },
    );
  }
  if (refusal === 'process') {
    return refuse(
      'This server holds all the subscriptions it can; try again later.',
      LIMIT_ERROR_CODES.tooManySubscriptions,
      { limit: options.subscriptions.perProcess },
    );
  }
  return undefined;
}

/** Distinct valid subscription documents remembered per server; past it the memory starts over. */
const REMEMBERED_DOCUMENTS = 256;
/** Longer texts are parsed every time: what is remembered stays a few MB whatever clients send. */
const REMEMBERED_TEXT_LENGTH = 4096;

/**
 * The document, parsed within GRAPHQL_MAX_TOKENS and valid against the schema, or why not. Valid
 * documents are remembered by their text (`documents`), as Apollo's document store keeps those of
 * queries: a client's subscriptions share one document, parsed and validated once, and the
 * compiled code of its events is found again for each of them (compiled-execution.ts keys it by
 * document).
 */
export function parseSubscription(
  query: string,
  options: Pick<GraphqlWsOptions, 'schema' | 'limits'>,
  documents: Map<string, DocumentNode>,
): { document: DocumentNode } | GraphQLError[] {
  const known = documents.get(query);
  if (known !== undefined) return { document: known };
  const parsed = parseAndValidate(query, options);
  if ('document' in parsed && query.length <= REMEMBERED_TEXT_LENGTH) {
    if (documents.size >= REMEMBERED_DOCUMENTS) documents.clear();
    documents.set(query, parsed.document);
  }
  return parsed;
}

/** parseSubscription's work for a text not seen before. */
function parseAndValidate(
  query: string,
  { schema, limits }: Pick<GraphqlWsOptions, 'schema' | 'limits'>,
): { document: DocumentNode } | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, tokenLimitParseOptions(limits.maxTokens));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return refuse(
      message,
      tokenLimitCode(ApolloServerErrorCode.GRAPHQL_PARSE_FAILED, message) ??
        ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
    );
  }
  const errors = validate(schema, document, specifiedRules);
  if (errors.length > 0) {
    return errors.map(
      (error) =>
        new GraphQLError(error.message, {
          ...(error.nodes ? { nodes: error.nodes } : {}),
          extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
        }),
    );
  }
  return { document };
}

/** GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES and GRAPHQL_MAX_COST, as for queries. */
function operationLimitRefusal(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  payload: SubscribePayload,
  { schema, limits }: GraphqlWsOptions,
): GraphQLError[] | undefined {
  const depth = operationDepth(document, operation);
  if (depth > limits.maxDepth) {
    return refuse(
      `The operation is nested ${depth} levels deep; at most ${limits.maxDepth} are accepted.`,
      LIMIT_ERROR_CODES.queryTooDeep,
      { limit: limits.maxDepth, actual: depth },
    );
  }
  const aliases = countAliases(document, operation, limits.maxAliases);
  if (aliases > limits.maxAliases) {
    return refuse(
      `The operation uses ${aliases} aliases; at most ${limits.maxAliases} are accepted.`,
      LIMIT_ERROR_CODES.tooManyAliases,
      { limit: limits.maxAliases, actual: aliases },
    );
  }
  const cost = operationCost(
    schema,
    document,
    payload.operationName ?? undefined,
    payload.variables ?? undefined,
  );
  if (cost !== undefined && cost > limits.maxCost) {
    return refuse(
      `The operation costs ${Number.isFinite(cost) ? cost : 'too much to measure'}; at most ${limits.maxCost} is accepted.`,
      LIMIT_ERROR_CODES.queryTooComplex,
      { limit: limits.maxCost, ...(Number.isFinite(cost) ? { actual: cost } : {}) },
    );
  }
  return undefined;
}

/** RFC 6455 pings every `keepAliveMs`; a socket that missed the last pong is terminated. Returns the stop. */
function keepAlive(socket: WebSocket, keepAliveMs: number): () => void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const ping = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, keepAliveMs);
  ping.unref();
  return () => clearInterval(ping);
}

/**
 * Messages sent to one socket in one turn of the event loop leave in one write: the socket is
 * corked at the first and uncorked once the turn's pending work has run (process.nextTick from a
 * promise continuation runs after every queued continuation). When a connection's subscriptions
 * are woken at one instant (a clinician's or a patient's visits locking together), their pushes
 * share a system call and a TCP segment instead of taking one each (#28, live lateness). Not
 * setImmediate: work queued for the next turn (the links' records after the last push of an
 * instant) would run before the write.
 */
export function turnBatching(socket: Pick<Socket, 'cork' | 'uncork'>): () => void {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    process.nextTick(uncork);
  };
}

/** graphql-ws's view of the socket; a message that fails unexpectedly closes it (4500). */
function socketTransport(socket: WebSocket, request: FastifyRequest): WebSocketLike {
  // The upgraded request's TCP socket: the one the WebSocket writes its frames to.
  const batchThisTurn = turnBatching(request.raw.socket);
  return {
    protocol: socket.protocol,
    send: (data) =>
      new Promise<void>((resolve, reject) => {
        if (socket.readyState !== socket.OPEN) return resolve();
        batchThisTurn();
        socket.send(data, (error) => (error ? reject(error) : resolve()));
      }),
    close: (code, reason) => socket.close(code, reason),
    onMessage: (callback) =>
      socket.on('message', async (data) => {
        try {
          await callback(String(data));
        } catch (error) {
          request.log.error({ err: error }, 'graphql-ws message failed');
          socket.close(CloseCode.InternalServerError, 'Internal server error');
        }
      }),
  };
}

/**
 * The upgrade request, with identity headers from the connection_init payload when that is
 * allowed and the upgrade carried none of them.
 */
function requestWithIdentity(
  request: FastifyRequest,
  params: Record<string, unknown> | undefined,
  options: GraphqlWsOptions,
): FastifyRequest {
  if (!options.identityFromConnectionParams || !isRecord(params)) return request;
  if (options.identityHeaders.some((name) => request.headers[name] !== undefined)) return request;
  const fromParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const key = name.toLowerCase();
    if (options.identityHeaders.includes(key) && typeof value === 'string') fromParams[key] = value;
  }
  return Object.create(request, {
    headers: { value: { ...request.headers, ...fromParams } },
  }) as FastifyRequest;
}
