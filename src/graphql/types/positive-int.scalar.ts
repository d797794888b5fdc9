import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { PositiveIntResolver } from 'graphql-scalars';

const MAX_INT = 2_147_483_647;

function positiveInt(value: unknown): number {
  // graphql-scalars' PositiveInt reads "300" as 300, [900] as 900, 1800.5 as 1800 and 1e21 as 1:
  // a client sending any of them has a bug worth hearing about. Only an integral number is one.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_INT) {
    throw new GraphQLError(
      `PositiveInt must be a whole number from 1 to ${MAX_INT}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * `PositiveInt`, with the name and description clients know from graphql-scalars, and
 * graphql-js's own Int strictness: no strings, no lists, no fractions, no exponents past 2^31.
 */
export const PositiveIntScalar = new GraphQLScalarType({
  name: 'PositiveInt',
  description: PositiveIntResolver.description,
  specifiedByURL: PositiveIntResolver.specifiedByURL,
  serialize: positiveInt,
  parseValue: positiveInt,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT)
      throw new GraphQLError(`PositiveInt must be an integer literal, got ${ast.kind}.`);
    return positiveInt(Number(ast.value));
  },
});
