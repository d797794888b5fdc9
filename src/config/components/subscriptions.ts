/**
 * GraphQL subscriptions over WebSocket: on or off, how many subscriptions and sockets, from which
 * pages and addresses, how long a socket may stay without authenticating or subscribing.
 */
import {
  allowedOrigins,
  booleanValue,
  HOUR,
  MINUTE,
  type ValuesOf,
  type VariableTable,
  wholeNumber,
} from '../values.js';

export const SUBSCRIPTIONS_VARIABLES = {
  SUBSCRIPTIONS_ENABLED: {
    default: 'true',
    description:
      'true: GraphQL subscriptions (teleconsultationChanged) over graphql-ws at /graphql; with MongoDB they need a replica set (change streams) and the service refuses to start on a standalone server. false: no WebSocket endpoint.',
    schema: booleanValue,
  },
  SUBSCRIPTIONS_PER_CONNECTION: {
    default: '10',
    description:
      'Most subscriptions one WebSocket connection may hold at once (more: TOO_MANY_SUBSCRIPTIONS). Counted when a subscribe is admitted, before its first read.',
    schema: wholeNumber(1, 1000),
  },
  SUBSCRIPTIONS_PER_PROCESS: {
    default: '20000',
    description:
      'Most subscriptions one gateway process holds at once (more: TOO_MANY_SUBSCRIPTIONS). Counted when a subscribe is admitted, before its first read, so a burst of subscribes cannot pass it.',
    schema: wholeNumber(1, 1_000_000),
  },
  WEBSOCKET_MAX_CONNECTIONS: {
    defaultDescription: 'the value of SUBSCRIPTIONS_PER_PROCESS (20000)',
    description:
      'Most WebSocket connections one gateway process holds at once, whatever their state (not yet authenticated, idle, subscribed). A further upgrade is answered 503 (TOO_MANY_CONNECTIONS, with Retry-After) before any socket exists. Each connection that stays holds at least one subscription, so the subscription limit sizes it.',
    schema: wholeNumber(1, 1_000_000),
  },
  WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: {
    default: '200',
    description:
      "Most WebSocket connections one client address may hold at once; a further upgrade from it is answered 429 (TOO_MANY_CONNECTIONS, with Retry-After). The address is the one Fastify sees (the X-Forwarded-For client only from a trusted proxy): behind a proxy that is not trusted every client shares the proxy's address, so trust the proxy or raise this bound.",
    schema: wholeNumber(1, 1_000_000),
  },
  SUBSCRIPTIONS_ALLOWED_ORIGINS: {
    default: '',
    description:
      "Comma-separated page origins (https://clinic.example) a browser may open the subscriptions WebSocket from, besides the gateway's own host; * allows any. A browser always sends its page's Origin on the upgrade and WebSockets have no CORS preflight, so another site's page could otherwise subscribe with the visitor's cookies. Clients that send no Origin (servers, mobile apps) are not concerned. The same list lets those pages send the REST POSTs a browser sends without a CORS preflight (a form, multipart/form-data, text/plain, no body).",
    schema: allowedOrigins,
  },
  SUBSCRIPTION_INIT_TIMEOUT_MS: {
    default: '3000',
    description:
      'How long a WebSocket connection may wait before its connection_init, in milliseconds (then closed 4408). A connection_init that names no caller is refused at once (4403).',
    schema: wholeNumber(100, MINUTE),
  },
  WEBSOCKET_IDLE_TIMEOUT_MS: {
    default: '30000',
    description:
      'How long an authenticated WebSocket connection may hold no subscription, in milliseconds (from its connection_ack, or from the end of its last subscription); then it is closed with 1000 and the reason "Idle: no subscription" (graphql-ws clients reconnect on their next subscribe).',
    schema: wholeNumber(100, HOUR),
  },
  SUBSCRIPTION_KEEPALIVE_MS: {
    default: '12000',
    description:
      'Interval of the WebSocket pings, in milliseconds; a connection that misses a pong is closed.',
    schema: wholeNumber(1000, 10 * MINUTE),
  },
} as const satisfies VariableTable;

/** `config.subscriptions` */
export interface SubscriptionsConfig {
  enabled: boolean;
  perConnection: number;
  perProcess: number;
  /** WEBSOCKET_MAX_CONNECTIONS: sockets of this process, whatever their state. */
  maxConnections: number;
  /** WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: sockets of one client address. */
  maxConnectionsPerAddress: number;
  initTimeoutMs: number;
  /** WEBSOCKET_IDLE_TIMEOUT_MS: how long an acknowledged socket may hold no subscription. */
  idleTimeoutMs: number;
  keepAliveMs: number;
  /** SUBSCRIPTIONS_ALLOWED_ORIGINS: page origins a browser may open the socket from ('*': any). */
  allowedOrigins: readonly string[];
  /**
   * Identity headers may come in connection_init (browsers, GraphiQL included, cannot set a
   * WebSocket's headers): only with DEV_MODE=true.
   */
  identityFromConnectionParams: boolean;
}

export function subscriptionsSection(
  v: ValuesOf<typeof SUBSCRIPTIONS_VARIABLES>,
  devMode: boolean,
): SubscriptionsConfig {
  return {
    enabled: v.SUBSCRIPTIONS_ENABLED,
    perConnection: v.SUBSCRIPTIONS_PER_CONNECTION,
    perProcess: v.SUBSCRIPTIONS_PER_PROCESS,
    maxConnections: v.WEBSOCKET_MAX_CONNECTIONS ?? v.SUBSCRIPTIONS_PER_PROCESS,
    maxConnectionsPerAddress: v.WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS,
    initTimeoutMs: v.SUBSCRIPTION_INIT_TIMEOUT_MS,
    idleTimeoutMs: v.WEBSOCKET_IDLE_TIMEOUT_MS,
    keepAliveMs: v.SUBSCRIPTION_KEEPALIVE_MS,
    allowedOrigins: v.SUBSCRIPTIONS_ALLOWED_ORIGINS,
    identityFromConnectionParams: devMode,
  };
}
