import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.js';
import { LIMIT_ERROR_CODES } from './plugins/limit-errors.js';
import { tokenLimitCode } from './plugins/tokens.js';

/**
 * Codes Apollo and graphql-js give to requests they refuse before any resolver runs, and the
 * gateway's own abuse limits (depth, cost, aliases, tokens, body size, timeout).
 */
const REQUEST_ERROR_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  ...Object.values(LIMIT_ERROR_CODES),
]);

/**
 * The one place errors become what clients see. Domain errors keep their contract code (plus
 * `reason` and `field`); request errors keep Apollo's code; anything else is masked as
 * INTERNAL_SERVER_ERROR and its details go to the log only.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: original.code,
          ...(original.reason ? { reason: original.reason } : {}),
          ...(original.field ? { field: original.field } : {}),
        },
      };
    }
    const rawCode = formatted.extensions?.code;
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
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
