import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';

/**
 * Records the join links an HTTP answer hands out (LINK_ISSUED), once the answer is complete and
 * before it is sent: see LinkHandOuts. Subscriptions record theirs after each push (graphql-ws).
 */
export function linkHandOutsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const data = response.body.kind === 'single' ? response.body.singleResult.data : undefined;
          await contextValue.linkHandOuts.take(data, contextValue.logger)();
        },
      };
    },
  };
}
