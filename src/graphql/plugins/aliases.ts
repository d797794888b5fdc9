import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LIMIT_ERROR_CODES, limitExceededError } from './limit-errors.js';

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
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentCounts = new Map<string, number>();
  const counting = new Set<string>();

  const countIn = (selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) total += 1;
        if (selection.selectionSet) total += countIn(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += countIn(selection.selectionSet);
      } else {
        total += fragmentCount(selection.name.value);
      }
      if (total > ceiling) return ceiling + 1;
    }
    return total;
  };

  const fragmentCount = (name: string): number => {
    const known = fragmentCounts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (fragment === undefined || counting.has(name)) return 0;
    counting.add(name);
    const count = countIn(fragment.selectionSet);
    counting.delete(name);
    fragmentCounts.set(name, count);
    return count;
  };

  return countIn(operation.selectionSet);
}

/** Refuses alias bombs (`a1: x a2: x …`) above GRAPHQL_MAX_ALIASES before anything executes. */
export function aliasLimitPlugin<TContext extends object>(maxAliases: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation }) {
          if (operation === undefined) return;
          const aliases = countAliases(document, operation, maxAliases);
          if (aliases > maxAliases) {
            throw limitExceededError(
              LIMIT_ERROR_CODES.tooManyAliases,
              `The operation uses more than ${maxAliases} aliases.`,
              { limit: maxAliases },
            );
          }
        },
      };
    },
  };
}
