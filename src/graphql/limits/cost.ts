import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
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
 * How a connection's page size weighs, by measure: the shape of an operation counts each field
 * once, since a page's nodes are mapped in memory from one store query; its upstream calls
 * (fields with a declared complexity, such as `details`) count once per node a page may hold.
 */
interface CostContext {
  perNode: boolean;
}

/** What a connection field's `complexity` function returns: its nodes, once or once per node. */
export function connectionComplexity(
  {
    args,
    childComplexity,
    context,
  }: { args: Record<string, unknown>; childComplexity: number; context?: Record<string, unknown> },
  defaultPageSize: number,
  maxPageSize: number,
): number {
  const requested = args[PAGE_SIZE_ARGUMENT] ?? defaultPageSize;
  // A page size out of range is refused by the resolver (BAD_USER_INPUT), not here.
  const pageSize =
    typeof requested === 'number' && Number.isInteger(requested) && requested >= 1 && requested <= maxPageSize
      ? requested
      : 1;
  const perNode = (context as CostContext | undefined)?.perNode === true;
  return 1 + (perNode ? pageSize : 1) * childComplexity;
}

/** Counts only fields that declare a complexity (upstream calls) and the connections around them. */
const upstreamOnlyEstimator: queryComplexity.ComplexityEstimator = (args) => {
  const declared = args.field.extensions?.complexity;
  if (typeof declared === 'number') return args.childComplexity + declared;
  if (typeof declared === 'function') return declared(args);
  return args.childComplexity;
};

/**
 * The cost of an operation: its shape (1 per field, or the field's declared `complexity`, each
 * list once) plus what its upstream calls add for every further node of a page. `Infinity` when
 * the operation is too large to measure; `undefined` when the variables do not coerce (execution
 * reports that as BAD_USER_INPUT, with a better message than we could).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): number | undefined {
  try {
    const measure = (estimators: queryComplexity.ComplexityEstimator[], context: CostContext) =>
      getComplexity({
        schema,
        query: document,
        ...(operationName === undefined ? {} : { operationName }),
        variables: variables ?? {},
        estimators,
        maxQueryNodes: MAX_QUERY_NODES,
        context: { ...context },
      });
    const shape = measure([fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })], {
      perNode: false,
    });
    const upstreamPerNode = measure([upstreamOnlyEstimator], { perNode: true });
    const upstreamOnce = measure([upstreamOnlyEstimator], { perNode: false });
    return shape + (upstreamPerNode - upstreamOnce);
  } catch (error) {
    if (error instanceof Error && error.message === NODE_LIMIT_MESSAGE) return Number.POSITIVE_INFINITY;
    return undefined;
  }
}

/** The page size of connections: the one argument a field's complexity is a function of. */
export const PAGE_SIZE_ARGUMENT = 'first';

/**
 * Whether variables can change the cost: through `@skip`/`@include`, or through a page size given
 * as a variable (a connection costs its page size times its nodes). No other argument changes a
 * complexity (keep it so, or drop the cache).
 */
function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Argument(node) {
      if (node.name.value === PAGE_SIZE_ARGUMENT && node.value.kind === Kind.VARIABLE) {
        depends = true;
        return BREAK;
      }
      return undefined;
    },
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
  // No state per request: the same listener serves every one.
  const listener: GraphQLRequestListener<TContext> = {
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
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
