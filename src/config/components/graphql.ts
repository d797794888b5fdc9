/** GraphQL: how large an operation may be, and whether the IDE and introspection are served. */
import { booleanValue, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

export const GRAPHQL_VARIABLES = {
  GRAPHQL_MAX_DEPTH: {
    default: '10',
    description: 'Deepest GraphQL field nesting accepted (deeper: QUERY_TOO_DEEP).',
    schema: wholeNumber(2, 100),
  },
  GRAPHQL_MAX_COST: {
    default: '1000',
    description:
      'Highest GraphQL operation cost accepted, 1 per field unless the schema says more (higher: QUERY_TOO_COMPLEX).',
    schema: wholeNumber(10, 1_000_000),
  },
  GRAPHQL_MAX_ALIASES: {
    default: '15',
    description: 'Most aliases accepted in one GraphQL operation (more: TOO_MANY_ALIASES).',
    schema: wholeNumber(0, 1000),
  },
  GRAPHQL_MAX_TOKENS: {
    default: '1000',
    description: 'Most tokens accepted in one GraphQL document (more: TOO_MANY_TOKENS).',
    schema: wholeNumber(100, 1_000_000),
  },
  GRAPHQL_IDE: {
    defaultDescription: 'the value of DEV_MODE (false)',
    description: 'true: serve the GraphiQL IDE at /graphiql.',
    schema: booleanValue,
  },
  GRAPHQL_INTROSPECTION: {
    defaultDescription: 'the value of DEV_MODE (false)',
    description: 'true: answer GraphQL introspection queries.',
    schema: booleanValue,
  },
} as const satisfies VariableTable;

/** `config.graphql` */
export interface GraphqlConfig {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  /** GRAPHQL_IDE, off unless set or DEV_MODE=true. */
  ide: boolean;
  /** GRAPHQL_INTROSPECTION, off unless set or DEV_MODE=true. */
  introspection: boolean;
}

export function graphqlSection(v: ValuesOf<typeof GRAPHQL_VARIABLES>, devMode: boolean): GraphqlConfig {
  return {
    maxDepth: v.GRAPHQL_MAX_DEPTH,
    maxCost: v.GRAPHQL_MAX_COST,
    maxAliases: v.GRAPHQL_MAX_ALIASES,
    maxTokens: v.GRAPHQL_MAX_TOKENS,
    ide: v.GRAPHQL_IDE ?? devMode,
    introspection: v.GRAPHQL_INTROSPECTION ?? devMode,
  };
}
