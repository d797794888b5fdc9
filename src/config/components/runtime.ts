/** The process itself: what environment it runs in, how it logs, how long a stop may take, its file. */
import { MINUTE, oneOf, SECOND, text, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

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
    default: 'development',
    description: 'production, development or test. production turns the GraphQL IDE and introspection off.',
    schema: oneOf(NODE_ENVS),
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
  nodeEnv: (typeof NODE_ENVS)[number];
  /** NODE_ENV=production: the IDE, introspection and identity in connection_init default to off. */
  production: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** WAIT_BEFORE_SERVER_CLOSE_SEC, in milliseconds: on SIGTERM, not ready but still serving for this long. */
  waitBeforeCloseMs: number;
  /** SHUTDOWN_TIMEOUT_MS: how long closing may take (after the wait) before the process exits anyway. */
  shutdownTimeoutMs: number;
}

export function runtimeSection(v: ValuesOf<typeof RUNTIME_VARIABLES>): RuntimeConfig {
  return {
    nodeEnv: v.NODE_ENV,
    production: v.NODE_ENV === 'production',
    logLevel: v.LOG_LEVEL,
    waitBeforeCloseMs: v.WAIT_BEFORE_SERVER_CLOSE_SEC * SECOND,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
  };
}
