import { type GraphQLScalarSerializer, GraphQLScalarType } from 'graphql';
import { URLResolver } from 'graphql-scalars';

/** Distinct links remembered; past it the memory starts over (a bound, not an LRU). */
const REMEMBERED = 1024;

/**
 * graphql-scalars' `URL` scalar, with its output memoized: its `serialize` parses every value
 * (`new URL(value).toString()`, the normalized form) on every answer, and a visit's links are read
 * again and again (each participant's join link, on every read of the visit) while they never
 * change. The same input string always gives the same output, so the answer is remembered per
 * string, a bounded number of them; a value that does not parse throws as before and is not
 * remembered. Name, description, input parsing and `specifiedByURL` are graphql-scalars' own: the
 * schema is unchanged.
 */
export function memoizedSerialize(
  serialize: GraphQLScalarSerializer<unknown>,
): GraphQLScalarSerializer<unknown> {
  const remembered = new Map<string, unknown>();
  return (value) => {
    if (typeof value !== 'string') return serialize(value);
    const known = remembered.get(value);
    if (known !== undefined) return known;
    const serialized = serialize(value);
    if (remembered.size >= REMEMBERED) remembered.clear();
    remembered.set(value, serialized);
    return serialized;
  };
}

const config = URLResolver.toConfig();

export const URLScalar = new GraphQLScalarType({ ...config, serialize: memoizedSerialize(config.serialize) });
