import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, type DocumentNode, type GraphQLSchema, Kind, visit } from 'graphql';
// The CommonJS build on purpose: the ESM build imports `graphql/index.mjs`, a second copy of
// graphql next to the `graphql` (CommonJS) that type-graphql and Apollo use, and graphql refuses
// to mix types from two copies ("from another module or realm").
import queryComplexity from 'graphql-query-complexity/cjs';
import { LIMIT_ERROR_CODES, limitExceededError } from './limit-errors.js';

const { getComplexity, fieldExtensionsEstimator, simpleEstimator } = queryComplexity;

/** graphql-query-complexity's own guard against fragment bombs (it walks every spread). */
const MAX_QUERY_NODES = 10_000;
const NODE_LIMIT_MESSAGE = 'Query exceeds the maximum allowed number of nodes.';

/**
 * The cost of an operation: type-graphql's `@Field({ complexity })` where a field declares one
 * (fields that call Kaleyra should), 1 for every other field. `Infinity` when the operation is
 * too large to measure; `undefined` when the variables do not coerce (execution reports that
 * as BAD_USER_INPUT, with a better message than we could).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): number | undefined {
  try {
    return getComplexity({
      schema,
      query: document,
      ...(operationName === undefined ? {} : { operationName }),
      variables: variables ?? {},
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: MAX_QUERY_NODES,
    });
  } catch (error) {
    if (error instanceof Error && error.message === NODE_LIMIT_MESSAGE) return Number.POSITIVE_INFINITY;
    return undefined;
  }
}

/**
 * Whether variables can change the cost: only through `@skip`/`@include`, since no field of ours
 * declares a complexity that is a function of its arguments (keep it so, or drop the cache).
 */
function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Directive(node) {
      if (
        (node.name.value === 'skip' || node.name.value === 'include') &&
        node.arguments?.some((a) => a.value.kind === Kind.VARIABLE)
      ) {
        depends = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return depends;
}

/** Refuses operations whose computed cost exceeds GRAPHQL_MAX_COST before anything executes. */
export function queryCostLimitPlugin<TContext extends object>(maxCost: number): ApolloServerPlugin<TContext> {
  // Apollo hands the same parsed DocumentNode to every request with the same query text, so the
  // cost of the frontend's polling query is computed once, not on every poll.
  const costs = new WeakMap<DocumentNode, Map<string, number | undefined>>();
  const costOf = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): number | undefined => {
    let byOperation = costs.get(document);
    if (byOperation === undefined) {
      if (costDependsOnVariables(document)) return operationCost(schema, document, operationName, variables);
      byOperation = new Map();
      costs.set(document, byOperation);
    }
    const key = operationName ?? '';
    if (byOperation.has(key)) return byOperation.get(key);
    const cost = operationCost(schema, document, operationName, variables);
    // An undefined cost means the variables did not coerce: specific to this request.
    if (cost !== undefined) byOperation.set(key, cost);
    return cost;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (operation === undefined) return;
          const cost = costOf(schema, document, operation.name?.value, request.variables);
          if (cost !== undefined && cost > maxCost) {
            throw limitExceededError(
              LIMIT_ERROR_CODES.queryTooComplex,
              `The operation costs ${Number.isFinite(cost) ? cost : 'too much to measure'}; at most ${maxCost} is accepted.`,
              { limit: maxCost, ...(Number.isFinite(cost) ? { actual: cost } : {}) },
            );
          }
        },
      };
    },
  };
}
