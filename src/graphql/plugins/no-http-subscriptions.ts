import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';

/**
 * A `subscription` sent over plain HTTP is the client's mistake, not ours: refused before
 * execution with BAD_REQUEST (400), instead of graphql-js's "schema is not configured" surfacing
 * as an internal error logged at error level.
 */
export function noHttpSubscriptionsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions are not served over HTTP requests.', {
            extensions: {
              code: ApolloServerErrorCode.BAD_REQUEST,
              http: { status: 400, headers: new HeaderMap() },
            },
          });
        },
      };
    },
  };
}
