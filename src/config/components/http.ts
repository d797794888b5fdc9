/** The HTTP server: where it listens, how large and how long a request may be, and the REST API. */
import { booleanValue, MINUTE, text, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

export const HTTP_VARIABLES = {
  HOST: { default: '0.0.0.0', description: 'Address the HTTP server listens on.', schema: text },
  PORT: {
    default: '3000',
    description: 'Port the HTTP server listens on (0 picks a free one).',
    schema: wholeNumber(0, 65535),
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
  /** 0: any free port. */
  port: number;
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
    port: v.PORT,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    restApiEnabled: v.REST_API_ENABLED,
  };
}
