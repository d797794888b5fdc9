/** GraphQL subscriptions over WebSocket: on or off, how many, from which pages, how kept alive. */
import {
  allowedOrigins,
  booleanValue,
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
      'Most subscriptions one WebSocket connection may hold at once (more: TOO_MANY_SUBSCRIPTIONS).',
    schema: wholeNumber(1, 1000),
  },
  SUBSCRIPTIONS_PER_PROCESS: {
    default: '20000',
    description: 'Most subscriptions one gateway process holds at once (more: TOO_MANY_SUBSCRIPTIONS).',
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
      'How long a WebSocket connection may wait before its connection_init, in milliseconds (then closed 4408).',
    schema: wholeNumber(100, MINUTE),
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
  initTimeoutMs: number;
  keepAliveMs: number;
  /** SUBSCRIPTIONS_ALLOWED_ORIGINS: page origins a browser may open the socket from ('*': any). */
  allowedOrigins: readonly string[];
  /**
   * Identity headers may come in connection_init (GraphiQL cannot set a WebSocket's headers):
   * only outside production and with the IDE on.
   */
  identityFromConnectionParams: boolean;
}

export function subscriptionsSection(
  v: ValuesOf<typeof SUBSCRIPTIONS_VARIABLES>,
  from: { production: boolean; ide: boolean },
): SubscriptionsConfig {
  return {
    enabled: v.SUBSCRIPTIONS_ENABLED,
    perConnection: v.SUBSCRIPTIONS_PER_CONNECTION,
    perProcess: v.SUBSCRIPTIONS_PER_PROCESS,
    initTimeoutMs: v.SUBSCRIPTION_INIT_TIMEOUT_MS,
    keepAliveMs: v.SUBSCRIPTION_KEEPALIVE_MS,
    allowedOrigins: v.SUBSCRIPTIONS_ALLOWED_ORIGINS,
    identityFromConnectionParams: !from.production && from.ide,
  };
}
