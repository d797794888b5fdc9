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
 * Field nesting of an operation: `{ a { b } }` is 2. Fragments count where they are spread
 * (each fragment is measured once, so a fragment bomb costs linear time). Introspection subtrees
 * (`__schema`, `__type`) are not counted: the IDE's introspection query is deep by nature, and
 * introspection has its own switch (GRAPHQL_INTROSPECTION).
 */
export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentDepths = new Map<string, number>();
  /** Fragments being measured: a cycle (already refused by validation) counts as 0, not forever. */
  const measuring = new Set<string>();

  const depthOf = (selectionSet: SelectionSetNode): number => {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      let depth = 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__schema' || selection.name.value === '__type') continue;
        depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        depth = depthOf(selection.selectionSet);
      } else {
        depth = fragmentDepth(selection.name.value);
      }
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  };

  const fragmentDepth = (name: string): number => {
    const known = fragmentDepths.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (fragment === undefined || measuring.has(name)) return 0;
    measuring.add(name);
    const depth = depthOf(fragment.selectionSet);
    measuring.delete(name);
    fragmentDepths.set(name, depth);
    return depth;
  };

  return depthOf(operation.selectionSet);
}

/** Refuses operations nested deeper than GRAPHQL_MAX_DEPTH before anything executes. */
export function queryDepthLimitPlugin<TContext extends object>(
  maxDepth: number,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation }) {
          if (operation === undefined) return;
          const depth = operationDepth(document, operation);
          if (depth > maxDepth) {
            throw limitExceededError(
              LIMIT_ERROR_CODES.queryTooDeep,
              `The operation is nested ${depth} levels deep; at most ${maxDepth} are accepted.`,
              { limit: maxDepth, actual: depth },
            );
          }
        },
      };
    },
  };
}
