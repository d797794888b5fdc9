import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';

const HEADER = '# Generated from the type-graphql classes by `npm run schema:emit`. Do not edit.\n\n';

/** Sorted so that moving a resolver between files does not churn the committed SDL. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}
