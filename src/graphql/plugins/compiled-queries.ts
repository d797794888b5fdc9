import {
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestListener,
  type GraphQLResponse,
  HeaderMap,
  type HTTPGraphQLHead,
} from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
  GraphQLError as GraphqlError,
} from 'graphql';
import type { CompiledExecution } from '../compiled-execution.js';

export interface CompiledQueriesOptions {
  /** The server's `formatError`: a compiled answer's errors are formatted by it as Apollo would. */
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** The server's `includeStacktraceInErrorResponses`. */
  includeStacktraceInErrorResponses: boolean;
}

/**
 * Runs query operations on compiled code (CompiledExecution) through Apollo's
 * `responseForOperation` hook: after `didResolveOperation` (where the depth, alias and cost limits
 * refuse), a non-null response there replaces Apollo's execution. Null (a mutation, a document run
 * once or not compilable, variables graphql-js refuses) lets Apollo execute on graphql-js; nothing
 * is executed twice, since `run` answers null before any resolver ran.
 *
 * Why this hook and not Apollo's `gateway` executor: for a gateway, Apollo builds per request an
 * object whose `status` getter and setter close over the whole request context, and on Node 20 an
 * object with per-call accessors keeps what they close over through young-generation collections:
 * every request was promoted to the old generation (test/e2e/hardening/request-retention.test.ts;
 * docs/performance.md, #28).
 *
 * What Apollo does after its own execution it skips for a plugin's response, so it is done here as
 * Apollo does it (requestPipeline.js, errorNormalize.js of @apollo/server 5.5): the errors are
 * recorded on the request context, formatted by the server's formatter (each error first given
 * INTERNAL_SERVER_ERROR for no code, its `extensions.http` moved to the response's status and
 * headers), and an answer with errors and no data is a 400. Apollo's other steps there do not
 * apply: `didEncounterErrors` and `executionDidStart`/`executionDidEnd` hooks (none of the
 * gateway's plugins has one; tracing, whose spans wrap graphql-js's `execute`, keeps compiled
 * queries off), variable coercion errors (left to graphql-js), an unresolved operation (idem).
 */
export function compiledQueriesPlugin<TContext extends BaseContext>(
  execution: CompiledExecution,
  options: CompiledQueriesOptions,
): ApolloServerPlugin<TContext> {
  const listener: GraphQLRequestListener<TContext> = {
    async responseForOperation(requestContext) {
      const result = await execution.run({
        document: requestContext.document,
        operation: requestContext.operation,
        variables: requestContext.request.variables,
        contextValue: requestContext.contextValue,
      });
      if (result === null) return null;
      if (result.errors === undefined || result.errors.length === 0)
        return answer(result, undefined, newHead());
      (requestContext as { errors?: ReadonlyArray<GraphQLError> }).errors = result.errors;
      const { formattedErrors, head } = formatErrors(result.errors, options);
      if (result.data === undefined && !head.status) head.status = 400;
      return answer(result, formattedErrors, head);
    },
  };
  const listening = Promise.resolve(listener);
  return { requestDidStart: () => listening };
}

function newHead(): HTTPGraphQLHead {
  return { status: undefined, headers: new HeaderMap() };
}

function answer(
  result: ExecutionResult,
  errors: GraphQLFormattedError[] | undefined,
  http: HTTPGraphQLHead,
): GraphQLResponse {
  return { http, body: { kind: 'single', singleResult: { ...result, errors } } };
}

/** Apollo's `normalizeAndFormatErrors` (errorNormalize.js), for errors that are GraphQLErrors. */
export function formatErrors(
  errors: ReadonlyArray<GraphQLError>,
  options: CompiledQueriesOptions,
): { formattedErrors: GraphQLFormattedError[]; head: HTTPGraphQLHead } {
  const head = newHead();
  const formatError = options.formatError ?? ((formatted: GraphQLFormattedError) => formatted);
  const enrich = (error: GraphQLError): GraphQLFormattedError => {
    const extensions: Record<string, unknown> = {
      ...error.extensions,
      code: error.extensions.code ?? ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
    };
    if (isPartialHead(extensions.http)) {
      const { status, headers } = extensions.http;
      if (status) head.status = status;
      for (const [name, value] of headers ?? []) head.headers.set(name, value);
      delete extensions.http;
    }
    if (options.includeStacktraceInErrorResponses) extensions.stacktrace = error.stack?.split('\n');
    return { ...error.toJSON(), extensions };
  };
  const formattedErrors = errors.map((error) => {
    try {
      return formatError(enrich(error), error);
    } catch (formattingError) {
      if (options.includeStacktraceInErrorResponses) {
        return enrich(
          formattingError instanceof GraphqlError
            ? formattingError
            : new GraphqlError(
                formattingError instanceof Error
                  ? formattingError.message
                  : `Unexpected error value: ${String(formattingError)}`,
                formattingError instanceof Error ? { originalError: formattingError } : {},
              ),
        );
      }
      return {
        message: 'Internal server error',
        extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
      };
    }
  });
  return { formattedErrors, head };
}

function isPartialHead(value: unknown): value is { status?: number; headers?: Map<string, string> } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (!('status' in value) || typeof value.status === 'number') &&
    (!('headers' in value) || value.headers instanceof Map)
  );
}
