import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { LIMIT_ERROR_CODES, limitExceededError } from './limit-errors.js';
import { measureOperation, rememberedPerOperation } from './operation-measure.js';

/**
 * Field nesting of an operation: `{ a { b } }` is 2. Fragments count where they are spread
 * (each fragment is measured once, so a fragment bomb costs linear time). Introspection subtrees
 * (`__schema`, `__type`) are not counted: the IDE's introspection query is deep by nature, and
 * introspection has its own switch (GRAPHQL_INTROSPECTION).
 */
export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  return measureOperation(document, operation, {
    field: (field, inner) =>
      field.name.value === '__schema' || field.name.value === '__type' ? 0 : 1 + inner(),
    combine: Math.max,
  });
}

/** Refuses operations nested deeper than GRAPHQL_MAX_DEPTH before anything executes. */
export function queryDepthLimitPlugin<TContext extends object>(
  maxDepth: number,
): ApolloServerPlugin<TContext> {
  const depthOf = rememberedPerOperation(operationDepth);
  // No state per request: the same listener serves every one.
  const listener: GraphQLRequestListener<TContext> = {
    async didResolveOperation({ document, operation }) {
      if (operation === undefined) return;
      const depth = depthOf(document, operation);
      if (depth > maxDepth) {
        throw limitExceededError(
          LIMIT_ERROR_CODES.queryTooDeep,
          `The operation is nested ${depth} levels deep; at most ${maxDepth} are accepted.`,
          { limit: maxDepth, actual: depth },
        );
      }
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
