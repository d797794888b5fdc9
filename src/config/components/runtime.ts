/** The process itself: what environment it runs in, how it logs, how long a stop may take, its file. */
import {
  booleanValue,
  MINUTE,
  oneOf,
  SECOND,
  text,
  type ValuesOf,
  type VariableTable,
  wholeNumber,
} from '../values.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['production', 'development', 'test'] as const;

/** The variable naming the service configuration file (read by load-config.ts). */
export const SERVICE_CONFIG_PATH_VARIABLE = 'TELECONSULTATION_SERVICE_CONFIG_PATH';

export const RUNTIME_VARIABLES = {
  [SERVICE_CONFIG_PATH_VARIABLE]: {
    description:
      'Path of the JSON service configuration file (schema/service-config.schema.json). Unset: the default configuration applies.',
    schema: text,
  },
  NODE_ENV: {
    default: 'production',
    description:
      "production, development or test, for the libraries that read it. The gateway's own behaviour does not depend on it: production behaviour is the default whatever NODE_ENV says, and development conveniences need DEV_MODE=true.",
    schema: oneOf(NODE_ENVS),
  },
  DEV_MODE: {
    default: 'false',
    description:
      'true: development conveniences, for a workstation or a trial (npm run demo): the GraphQL IDE and introspection on unless GRAPHQL_IDE / GRAPHQL_INTROSPECTION say otherwise, "did you mean" schema hints in errors, and identity headers taken from a WebSocket\'s connection_init payload when its upgrade request carries none (anyone reaching the gateway can then claim any identity over WebSocket). The service logs a warning at start while any convenience is on. Never in production.',
    schema: booleanValue,
  },
  LOG_LEVEL: {
    default: 'info',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
    schema: oneOf(LOG_LEVELS),
  },
  WAIT_BEFORE_SERVER_CLOSE_SEC: {
    default: '10',
    description:
      'On SIGTERM, how long the service keeps serving before it closes, in seconds, with /-/ready already answering 503 so the platform stops sending new requests (0: close at once). SIGINT does not wait.',
    schema: wholeNumber(0, 10 * 60),
  },
  SHUTDOWN_TIMEOUT_MS: {
    default: '10000',
    description:
      'How long closing (after WAIT_BEFORE_SERVER_CLOSE_SEC on SIGTERM, at once on SIGINT) may take to finish the requests in flight, in milliseconds; then the process exits anyway, logging what was still open. A second signal exits at once.',
    schema: wholeNumber(100, 10 * MINUTE),
  },
} as const satisfies VariableTable;

/** `config.runtime` */
export interface RuntimeConfig {
  /** NODE_ENV, as given (production by default); nothing of the gateway's own depends on it. */
  nodeEnv: (typeof NODE_ENVS)[number];
  /**
   * DEV_MODE=true: the development conveniences (the IDE and introspection by default, schema
   * hints in errors, identity in connection_init). Off unless switched on: production behaviour
   * is the default.
   */
  devMode: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** WAIT_BEFORE_SERVER_CLOSE_SEC, in milliseconds: on SIGTERM, not ready but still serving for this long. */
  waitBeforeCloseMs: number;
  /** SHUTDOWN_TIMEOUT_MS: how long closing may take (after the wait) before the process exits anyway. */
  shutdownTimeoutMs: number;
}

export function runtimeSection(v: ValuesOf<typeof RUNTIME_VARIABLES>): RuntimeConfig {
  return {
    nodeEnv: v.NODE_ENV,
    devMode: v.DEV_MODE,
    logLevel: v.LOG_LEVEL,
    waitBeforeCloseMs: v.WAIT_BEFORE_SERVER_CLOSE_SEC * SECOND,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
  };
}
