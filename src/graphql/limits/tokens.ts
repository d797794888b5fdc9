import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { ParseOptions } from 'graphql';
import { LIMIT_ERROR_CODES } from './limit-errors.js';

/**
 * The token limit is graphql-js's own: `parse` stops counting at `maxTokens` and aborts, so an
 * oversized document costs no more than the limit to refuse. Apollo turns that abort into a
 * GRAPHQL_PARSE_FAILED error; `tokenLimitCode` lets formatError give it its own code.
 */
export function tokenLimitParseOptions(maxTokens: number): ParseOptions {
  return { maxTokens };
}

/**
 * graphql-js's message for the abort. graphql 16 spells it "more that N tokens"; the fixed
 * spelling is accepted too, so an upgrade does not silently turn the code back into a parse error.
 */
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] \d+ tokens\. Parsing aborted\./;

/** TOO_MANY_TOKENS when a parse failure is the token limit, else undefined. */
export function tokenLimitCode(
  code: unknown,
  message: string,
): typeof LIMIT_ERROR_CODES.tooManyTokens | undefined {
  return code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED && TOKEN_LIMIT_MESSAGE.test(message)
    ? LIMIT_ERROR_CODES.tooManyTokens
    : undefined;
}
