import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError, type FieldPath } from '../domain/errors.js';
import { DeadlineExceededError } from '../shared/deadline.js';
import { LIMIT_ERROR_CODES } from './limits/limit-errors.js';
import { tokenLimitCode } from './limits/tokens.js';

/**
 * Codes Apollo and graphql-js give to requests they refuse before any resolver runs (Apollo's own
 * list, less its INTERNAL_SERVER_ERROR), and the gateway's own abuse limits (depth, cost, aliases,
 * tokens, body size, timeout).
 */
const REQUEST_ERROR_CODES = new Set<string>([
  ...Object.values(ApolloServerErrorCode).filter(
    (code) => code !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
  ),
  ...Object.values(LIMIT_ERROR_CODES),
]);

/**
 * Apollo refuses some requests with a GraphQLError that carries an HTTP 4xx status but no code
 * (an automatic persisted query whose hash does not match its text): a client error, BAD_REQUEST,
 * not an internal one.
 */
function clientErrorCode(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError) || error.originalError !== undefined) return undefined;
  // Apollo fills in INTERNAL_SERVER_ERROR for an error without a code before formatError sees it.
  const code = error.extensions.code;
  if (code !== undefined && code !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR) return undefined;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500
    ? ApolloServerErrorCode.BAD_REQUEST
    : undefined;
}

/**
 * Runs a service call whose command came from the GraphQL argument at `prefix`: field paths in
 * its errors are the service's own (`participants.1.groups`) and become the request's
 * (`input.participants.1.groups`).
 */
export async function fromArgument<T>(prefix: FieldPath, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof DomainError ? error.under(prefix) : error;
  }
}

/**
 * The one place errors become what clients see. Domain errors keep their contract code (plus
 * `reason` and `field`); request errors keep Apollo's code; anything else is masked as
 * INTERNAL_SERVER_ERROR and its details go to the log only.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DeadlineExceededError) {
      // The client was already answered REQUEST_TIMEOUT; this is the operation stopping as promised.
      return { message: original.message, extensions: { code: LIMIT_ERROR_CODES.requestTimeout } };
    }
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: original.code,
          ...(original.reason ? { reason: original.reason } : {}),
          ...(original.field ? { field: original.field } : {}),
          ...(original.operation ? { operation: original.operation } : {}),
        },
      };
    }
    const rawCode = clientErrorCode(error) ?? formatted.extensions?.code;
    const code = tokenLimitCode(rawCode, formatted.message) ?? rawCode;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      const { limit, actual } = formatted.extensions ?? {};
      return {
        message: formatted.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code,
          ...(typeof limit === 'number' ? { limit } : {}),
          ...(typeof actual === 'number' ? { actual } : {}),
        },
      };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
