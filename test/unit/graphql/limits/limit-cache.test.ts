import { ApolloServer } from '@apollo/server';
import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { aliasLimitPlugin } from '../../../../src/graphql/limits/aliases.js';
import { queryDepthLimitPlugin } from '../../../../src/graphql/limits/depth.js';
import { rememberedPerOperation } from '../../../../src/graphql/limits/operation-measure.js';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node }
`);

async function codeOf(
  server: ApolloServer,
  query: string,
  options: { variables?: Record<string, unknown>; operationName?: string } = {},
) {
  const response = await server.executeOperation({ query, ...options });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return response.body.singleResult.errors?.[0]?.extensions?.code ?? 'OK';
}

describe('rememberedPerOperation', () => {
  it('measures each operation of a document once, and each operation apart', () => {
    const document = parse('query A { node { id } } query B { node { child { id } } }');
    const [a, b] = document.definitions as OperationDefinitionNode[];
    if (!a || !b) throw new Error('two operations expected');
    let measured = 0;
    const depthOf = rememberedPerOperation((_document, operation) => {
      measured++;
      return operation.name?.value === 'A' ? 2 : 3;
    });
    expect([depthOf(document, a), depthOf(document, a), depthOf(document, b), depthOf(document, b)]).toEqual([
      2, 2, 3, 3,
    ]);
    expect(measured).toBe(2);
  });
});

describe('depth and alias limits, with their remembered measures', () => {
  // Depth 3: node, child, id. Aliases: 2.
  const server = new ApolloServer({
    schema,
    plugins: [queryDepthLimitPlugin(2), aliasLimitPlugin(1)],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('refuses the same too-deep document every time, not only when it was first measured', async () => {
    const query = '{ node { child { id } } }';
    expect(await codeOf(server, query)).toBe('QUERY_TOO_DEEP');
    expect(await codeOf(server, query)).toBe('QUERY_TOO_DEEP');
    expect(await codeOf(server, '{ node { id } }')).toBe('OK');
    expect(await codeOf(server, '{ node { id } }')).toBe('OK');
  });

  it('refuses the same alias-heavy document every time', async () => {
    const query = '{ a: node { id } b: node { id } }';
    expect(await codeOf(server, query)).toBe('TOO_MANY_ALIASES');
    expect(await codeOf(server, query)).toBe('TOO_MANY_ALIASES');
    expect(await codeOf(server, '{ a: node { id } }')).toBe('OK');
  });

  it('measures each operation of a multi-operation document apart', async () => {
    const query = 'query Shallow { node { id } } query Deep { node { child { id } } }';
    expect(await codeOf(server, query, { operationName: 'Shallow' })).toBe('OK');
    expect(await codeOf(server, query, { operationName: 'Deep' })).toBe('QUERY_TOO_DEEP');
    expect(await codeOf(server, query, { operationName: 'Shallow' })).toBe('OK');
  });

  it('counts fields under @include/@skip whatever the variables say, so no verdict depends on them', async () => {
    const query = 'query Q($deep: Boolean!) { node { id child @include(if: $deep) { id } } }';
    expect(await codeOf(server, query, { variables: { deep: false } })).toBe('QUERY_TOO_DEEP');
    expect(await codeOf(server, query, { variables: { deep: true } })).toBe('QUERY_TOO_DEEP');
    const aliases = 'query Q($both: Boolean!) { a: node { id } b: node @include(if: $both) { id } }';
    expect(await codeOf(server, aliases, { variables: { both: false } })).toBe('TOO_MANY_ALIASES');
    expect(await codeOf(server, aliases, { variables: { both: true } })).toBe('TOO_MANY_ALIASES');
  });
});
