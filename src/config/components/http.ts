/**
 * The HTTP server: where it listens, which proxies it believes, how large and how long a request
 * may be, and the REST API.
 */
import type { EnvironmentIssue } from '../issues.js';
import {
  addressList,
  booleanValue,
  MINUTE,
  text,
  type ValuesOf,
  type VariableTable,
  wholeNumber,
} from '../values.js';

const DEFAULT_PORT = 3000;

export const HTTP_VARIABLES = {
  HOST: { default: '0.0.0.0', description: 'Address the HTTP server listens on.', schema: text },
  HTTP_PORT: {
    defaultDescription: String(DEFAULT_PORT),
    description:
      "Port the HTTP server listens on (0 picks a free one): Mia-Platform's name for it, which its deployments set.",
    schema: wholeNumber(0, 65535),
  },
  PORT: {
    defaultDescription: String(DEFAULT_PORT),
    description:
      'The same port under its older name: either may be set; both set to different ports is a configuration error.',
    schema: wholeNumber(0, 65535),
  },
  TRUSTED_PROXIES: {
    description:
      "Comma-separated IP addresses and CIDR ranges (10.0.0.0/8,172.16.0.0/12) of the proxies in front of the service. Only a connection from one of them may say who the client is (X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto): that address is the request's in the logs. Unset: no proxy is believed, the client is the connection's address.",
    schema: addressList,
  },
  BODY_LIMIT_BYTES: {
    default: '102400',
    description: 'Largest request body accepted, in bytes (larger: 413, PAYLOAD_TOO_LARGE).',
    schema: wholeNumber(1024, 100 * 1024 * 1024),
  },
  REQUEST_TIMEOUT_MS: {
    default: '15000',
    description:
      'Time allowed for a whole HTTP request, body included, in milliseconds. A body still arriving then gets 408; an operation that has not begun committing is stopped (nothing changes) and answered 504, REQUEST_TIMEOUT; one whose commit is under way is waited for.',
    schema: wholeNumber(100, 10 * MINUTE),
  },
  REST_API_ENABLED: {
    default: 'true',
    description:
      "true: serve the original service's REST API (/teleconsultation, /credentials, /settings) and its OpenAPI document (/openapi.json) beside GraphQL. false: those routes do not exist.",
    schema: booleanValue,
  },
} as const satisfies VariableTable;

/** `config.http` */
export interface HttpConfig {
  host: string;
  /** HTTP_PORT (or PORT); 0: any free port. */
  port: number;
  /** TRUSTED_PROXIES: addresses and ranges whose X-Forwarded-* headers are believed; empty: none. */
  trustedProxies: readonly string[];
  /** BODY_LIMIT_BYTES */
  bodyLimitBytes: number;
  /** REQUEST_TIMEOUT_MS: a whole request, body included (and how long a write may still land). */
  requestTimeoutMs: number;
  /** REST_API_ENABLED: the original's REST API is served beside GraphQL. */
  restApiEnabled: boolean;
}

export function httpSection(v: ValuesOf<typeof HTTP_VARIABLES>): HttpConfig {
  return {
    host: v.HOST,
    port: v.HTTP_PORT ?? v.PORT ?? DEFAULT_PORT,
    trustedProxies: v.TRUSTED_PROXIES ?? [],
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    restApiEnabled: v.REST_API_ENABLED,
  };
}

/**
 * HTTP_PORT is what Mia-Platform deployments set, PORT what ours did: either names the port, and
 * two different ports are a mistake worth stopping for (one of them would be silently ignored).
 */
export function portConflict(
  httpPort: number | undefined,
  port: number | undefined,
): EnvironmentIssue | undefined {
  if (httpPort === undefined || port === undefined || httpPort === port) return undefined;
  return {
    path: 'HTTP_PORT, PORT',
    message: `two different ports (HTTP_PORT=${httpPort}, PORT=${port}): set one of them, or both to the same port`,
  };
}
