import { buildSchema, GraphQLError, type OperationDefinitionNode, parse } from 'graphql';
import { countAliases } from '../../../../src/graphql/limits/aliases.js';
import { operationCost } from '../../../../src/graphql/limits/cost.js';
import { operationDepth } from '../../../../src/graphql/limits/depth.js';
import { tokenLimitCode, tokenLimitParseOptions } from '../../../../src/graphql/limits/tokens.js';

const schema = buildSchema(`
  type Query { node: Node nodes(first: Int!): [Node!]! }
  type Node { id: ID! child: Node }
`);

function firstOperation(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  );
  if (!operation) throw new Error('no operation');
  return { document, operation };
}

describe('operationDepth', () => {
  it('counts field nesting', () => {
    const { document, operation } = firstOperation('{ node { child { child { id } } } }');
    expect(operationDepth(document, operation)).toBe(4);
  });

  it('measures fragments and inline fragments where they are spread', () => {
    const { document, operation } = firstOperation(
      '{ node { ...F } } fragment F on Node { child { ... on Node { child { id } } } }',
    );
    expect(operationDepth(document, operation)).toBe(4);
  });

  it('does not count introspection subtrees (they have their own switch)', () => {
    const { document, operation } = firstOperation(
      '{ __schema { types { fields { type { ofType { ofType { name } } } } } } node { id } }',
    );
    expect(operationDepth(document, operation)).toBe(2);
  });

  it('measures a fragment bomb in linear time', () => {
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Node { ...F${i + 1} ...F${i + 1} }`,
    );
    const { document, operation } = firstOperation(
      `{ node { ...F0 } } ${fragments.join(' ')} fragment F40 on Node { id }`,
    );
    expect(operationDepth(document, operation)).toBe(2);
  });
});

describe('countAliases', () => {
  it('counts aliases, multiplied by the number of times their fragment is spread', () => {
    const { document, operation } = firstOperation(
      '{ a: node { id } node { ...F ...F } } fragment F on Node { x: id y: id }',
    );
    expect(countAliases(document, operation)).toBe(5);
  });

  it('stops counting past the ceiling, however many aliases a fragment bomb multiplies', () => {
    const fragments = Array.from(
      { length: 60 },
      (_, i) => `fragment F${i} on Node { ...F${i + 1} ...F${i + 1} }`,
    );
    const { document, operation } = firstOperation(
      `{ node { ...F0 } } ${fragments.join(' ')} fragment F60 on Node { a: id }`,
    );
    expect(countAliases(document, operation, 15)).toBe(16);
  });
});

describe('operationCost', () => {
  it('costs 1 per field by default', () => {
    const { document } = firstOperation('{ node { id child { id } } }');
    expect(operationCost(schema, document, undefined, {})).toBe(4);
  });

  it('is unknown (left to execution) when the variables do not coerce', () => {
    const { document } = firstOperation('query Q($n: Int!) { nodes(first: $n) { id } }');
    expect(operationCost(schema, document, 'Q', { n: 'not a number' })).toBeUndefined();
  });

  it('is infinite for a document too large to measure (fragment bomb)', () => {
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Node { ...F${i + 1} ...F${i + 1} }`,
    );
    const { document } = firstOperation(
      `{ node { ...F0 } } ${fragments.join(' ')} fragment F30 on Node { id }`,
    );
    expect(operationCost(schema, document, undefined, {})).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('token limit', () => {
  it("recognises graphql-js's abort as TOO_MANY_TOKENS, and nothing else", () => {
    let message = '';
    try {
      parse(`{ ${'id '.repeat(20)}}`, tokenLimitParseOptions(10));
    } catch (error) {
      message = (error as GraphQLError).message;
    }
    expect(tokenLimitCode('GRAPHQL_PARSE_FAILED', message)).toBe('TOO_MANY_TOKENS');
    expect(tokenLimitCode('GRAPHQL_PARSE_FAILED', 'Syntax Error: Expected Name, found "}".')).toBeUndefined();
    expect(tokenLimitCode('GRAPHQL_VALIDATION_FAILED', message)).toBeUndefined();
  });
});
