import type { ApolloServerPlugin, GraphQLRequestListener, GraphQLResponse } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { clipForLog } from '../../shared/log-values.js';

/** What one GraphQL request turned out to be, filled in as it goes through the pipeline. */
export interface GraphqlExchange {
  /** Set once Apollo resolved an operation; `anonymous` for an unnamed one. */
  operationName: string | null;
  /** Codes of the errors in the response; null until a response was recorded. */
  errorCodes: string[] | null;
}

/**
 * The key under which the HTTP route hands Apollo a request's exchange: on the HTTP request it
 * builds for Apollo (`HTTPGraphQLRequest`), which Apollo keeps as `request.http` for the plugins.
 * A symbol: it is in no JSON and no log line.
 */
export const GRAPHQL_EXCHANGE: unique symbol = Symbol('graphqlExchange');

/** The exchange an HTTP request to Apollo was tagged with (none over WebSocket or in-process). */
export function exchangeOf(http: object | undefined): GraphqlExchange | undefined {
  return (http as { [GRAPHQL_EXCHANGE]?: GraphqlExchange } | undefined)?.[GRAPHQL_EXCHANGE];
}

/** `extensions.code` of each error, `INTERNAL_SERVER_ERROR` for one without (formatError adds it anyway). */
export function errorCodesOf(errors: ReadonlyArray<GraphQLFormattedError> | undefined): string[] {
  return (errors ?? []).map((error) => {
    const code = error.extensions?.code;
    return typeof code === 'string' ? code : ApolloServerErrorCode.INTERNAL_SERVER_ERROR;
  });
}

function responseErrors(response: GraphQLResponse): ReadonlyArray<GraphQLFormattedError> | undefined {
  if (response.body.kind === 'single') return response.body.singleResult.errors;
  return response.body.initialResult.errors;
}

/** Longer client-chosen operation names are clipped in the log line (metrics bound them too). */
const MAX_LOGGED_OPERATION_NAME = 100;

/**
 * Records the operation name and the (already formatted) error codes of each response. One
 * listener for every request (it finds the exchange on the request), and hooks that answer
 * settled promises instead of being `async`: Apollo awaits what they return, nothing is allocated.
 */
export function graphqlExchangePlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  const done = Promise.resolve();
  const listener: GraphQLRequestListener<TContext> = {
    willSendResponse({ request, operation, operationName, response }) {
      const exchange = exchangeOf(request.http);
      if (exchange !== undefined) {
        exchange.operationName = operation ? (operationName ?? 'anonymous') : null;
        exchange.errorCodes = errorCodesOf(responseErrors(response));
      }
      return done;
    },
  };
  const listening = Promise.resolve(listener);
  const notListening = Promise.resolve(undefined);
  return {
    requestDidStart: ({ request }) => (exchangeOf(request.http) === undefined ? notListening : listening),
  };
}

/**
 * Codes from a response Apollo built without running the pipeline (CSRF, batching, context
 * failure): its body is the formatted `{ errors }` JSON.
 */
export function errorCodesFromBody(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: GraphQLFormattedError[] };
    return Array.isArray(parsed.errors) ? errorCodesOf(parsed.errors) : [];
  } catch {
    return [];
  }
}

/** What a finished GraphQL request was: its operation (clipped), outcome and distinct error codes. */
export function graphqlOutcome(
  exchange: GraphqlExchange,
  statusCode: number,
): { operationName: string; outcome: 'ok' | 'error'; errorCodes: string[] } {
  const errorCodes = exchange.errorCodes ?? [];
  return {
    operationName: clipForLog(exchange.operationName ?? 'unknown', MAX_LOGGED_OPERATION_NAME),
    outcome: errorCodes.length === 0 && statusCode < 400 ? 'ok' : 'error',
    // Distinct codes: a copy only when there may be repeats (most responses have none or one).
    errorCodes: errorCodes.length > 1 ? [...new Set(errorCodes)] : errorCodes,
  };
}

/** The GraphQL fields of the request's `request completed` line: the operation and its outcome. */
export function graphqlLogFields(exchange: GraphqlExchange, statusCode: number): Record<string, unknown> {
  const { operationName, outcome, errorCodes } = graphqlOutcome(exchange, statusCode);
  const fields: Record<string, unknown> = { operationName, outcome };
  if (errorCodes.length > 0) fields.errorCodes = errorCodes;
  return fields;
}

/** The metrics of a finished GraphQL request. */
export function observeGraphqlRequest(
  exchange: GraphqlExchange,
  ended: { statusCode: number; durationMs: number; metrics: GatewayMetrics },
): void {
  const { operationName, outcome } = graphqlOutcome(exchange, ended.statusCode);
  ended.metrics.observeGraphqlRequest({
    operation: operationName,
    outcome,
    durationMs: ended.durationMs,
    errorCodes: exchange.errorCodes ?? [],
  });
}
