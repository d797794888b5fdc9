import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
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

const EXCHANGE = Symbol('graphqlExchange');

/**
 * Links the Fastify request and the GraphQL context of one exchange, so the Apollo plugin can
 * record what the HTTP route later logs and measures. Apollo copies the context's own enumerable
 * properties for each operation: an enumerable symbol key survives that copy and stays out of
 * JSON and log lines. Weak and per request: nothing to clean up.
 */
export class GraphqlExchanges {
  private readonly byRequest = new WeakMap<object, GraphqlExchange>();

  start(request: object): GraphqlExchange {
    const exchange: GraphqlExchange = { operationName: null, errorCodes: null };
    this.byRequest.set(request, exchange);
    return exchange;
  }

  ofRequest(request: object): GraphqlExchange | undefined {
    return this.byRequest.get(request);
  }

  /** The request turned out not to be a GraphQL exchange (the IDE page): no GraphQL log line. */
  forget(request: object): void {
    this.byRequest.delete(request);
  }

  /** Tags the GraphQL context built for `request` with the request's exchange. */
  link(request: object, context: object): void {
    const exchange = this.byRequest.get(request);
    if (exchange !== undefined)
      Object.defineProperty(context, EXCHANGE, { value: exchange, enumerable: true });
  }

  ofContext(context: object): GraphqlExchange | undefined {
    return (context as { [EXCHANGE]?: GraphqlExchange })[EXCHANGE];
  }
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

/** Records the operation name and the (already formatted) error codes of each response. */
export function graphqlExchangePlugin<TContext extends object>(
  exchanges: GraphqlExchanges,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const exchange = exchanges.ofContext(contextValue);
      if (exchange === undefined) return;
      return {
        async willSendResponse({ operation, operationName, response }) {
          exchange.operationName = operation ? (operationName ?? 'anonymous') : null;
          exchange.errorCodes = errorCodesOf(responseErrors(response));
        },
      };
    },
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
    errorCodes: [...new Set(errorCodes)],
  };
}

/** The GraphQL fields of the request's `request completed` line: the operation and its outcome. */
export function graphqlLogFields(exchange: GraphqlExchange, statusCode: number): Record<string, unknown> {
  const { operationName, outcome, errorCodes } = graphqlOutcome(exchange, statusCode);
  return { operationName, outcome, ...(errorCodes.length > 0 ? { errorCodes } : {}) };
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
