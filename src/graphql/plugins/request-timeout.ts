import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { LIMIT_ERROR_CODES } from './limit-errors.js';

/** What a client is told when its request outlives REQUEST_TIMEOUT_MS (HTTP 504). */
export function requestTimeoutMessage(timeoutMs: number): string {
  return (
    `The request took longer than ${timeoutMs} ms and was abandoned. ` +
    'A mutation may still have taken effect: read the teleconsultation before retrying.'
  );
}

/**
 * The HTTP route answers REQUEST_TIMEOUT when the deadline passes (graphql-js cannot abort a
 * running execution). This plugin makes the abandoned execution stop early: once past the
 * deadline, every field still to resolve fails at once instead of starting more upstream work.
 */
export function requestTimeoutPlugin<TContext extends object>(
  timeoutMs: number,
  /** Monotonic milliseconds; tests pass their own. */
  now: () => number = () => performance.now(),
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const deadline = now() + timeoutMs;
      const expired = () => now() > deadline;
      const timeoutError = () =>
        new GraphQLError(requestTimeoutMessage(timeoutMs), {
          extensions: { code: LIMIT_ERROR_CODES.requestTimeout },
        });
      return {
        async executionDidStart() {
          return {
            willResolveField() {
              if (expired()) throw timeoutError();
            },
          };
        },
      };
    },
  };
}
