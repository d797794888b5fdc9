import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Codes of the requests the gateway refuses before doing any work. They are part of the
 * interface (clients and dashboards key on them), so formatError passes them through unchanged.
 */
export const LIMIT_ERROR_CODES = {
  queryTooDeep: 'QUERY_TOO_DEEP',
  queryTooComplex: 'QUERY_TOO_COMPLEX',
  tooManyAliases: 'TOO_MANY_ALIASES',
  tooManyTokens: 'TOO_MANY_TOKENS',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  requestTimeout: 'REQUEST_TIMEOUT',
  tooManySubscriptions: 'TOO_MANY_SUBSCRIPTIONS',
  tooManyConnections: 'TOO_MANY_CONNECTIONS',
} as const;

export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[keyof typeof LIMIT_ERROR_CODES];

/** What a refusal says: the limit and, when it is cheap to know, how far over the request went. */
export interface LimitDetails {
  limit: number;
  actual?: number;
}

/**
 * A refusal with a stable code and HTTP 400 (Apollo reads `extensions.http` and strips it from
 * the response). Thrown from `didResolveOperation`, it ends the request before execution.
 */
export function limitExceededError(
  code: LimitErrorCode,
  message: string,
  details: LimitDetails,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      limit: details.limit,
      ...(details.actual === undefined ? {} : { actual: details.actual }),
      http: { status: 400, headers: new HeaderMap() },
    },
  });
}
