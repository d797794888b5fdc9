import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { LIMIT_ERROR_CODES, limitExceededError } from './limit-errors.js';
import { measureOperation, rememberedPerOperation } from './operation-measure.js';

/**
 * Aliases an operation would execute: aliases inside a fragment count once per spread, so a
 * few aliases multiplied through fragments are seen for what they are. Each fragment is counted
 * once and the total stops growing past `ceiling`, so the count itself stays cheap.
 */
export function countAliases(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  ceiling = Number.MAX_SAFE_INTEGER,
): number {
  return measureOperation(document, operation, {
    field: (field, inner) => (field.alias ? 1 : 0) + inner(),
    combine: (total, value) => total + value,
    ceiling,
  });
}

/** Refuses alias bombs (`a1: x a2: x …`) above GRAPHQL_MAX_ALIASES before anything executes. */
export function aliasLimitPlugin<TContext extends object>(maxAliases: number): ApolloServerPlugin<TContext> {
  // Counted up to the limit (and one past it): the remembered count says over or not, as a fresh one would.
  const aliasesOf = rememberedPerOperation((document, operation) =>
    countAliases(document, operation, maxAliases),
  );
  // No state per request: the same listener serves every one.
  const listener: GraphQLRequestListener<TContext> = {
    async didResolveOperation({ document, operation }) {
      if (operation === undefined) return;
      if (aliasesOf(document, operation) > maxAliases) {
        throw limitExceededError(
          LIMIT_ERROR_CODES.tooManyAliases,
          `The operation uses more than ${maxAliases} aliases.`,
          { limit: maxAliases },
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
