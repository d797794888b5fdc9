import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { queryCostLimitPlugin } from '../../../../src/graphql/limits/cost.js';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node }
`);
// buildSchema leaves fields without resolvers; the default resolver on an empty root is enough.

async function codeOf(server: ApolloServer, query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return response.body.singleResult.errors?.[0]?.extensions?.code ?? 'OK';
}

describe('queryCostLimitPlugin, with its per-document cost cache', () => {
  // { node { id child { id } } } costs 4: node, id, child, id.
  const server = new ApolloServer({ schema, plugins: [queryCostLimitPlugin(3)] });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('refuses the same over-cost document every time, not only on the first request', async () => {
    const query = '{ node { id child { id } } }';
    expect(await codeOf(server, query)).toBe('QUERY_TOO_COMPLEX');
    expect(await codeOf(server, query)).toBe('QUERY_TOO_COMPLEX');
    expect(await codeOf(server, '{ node { id } }')).toBe('OK');
    expect(await codeOf(server, '{ node { id } }')).toBe('OK');
  });

  it('recomputes when @include/@skip on a variable makes the cost depend on it', async () => {
    const query = 'query Q($deep: Boolean!) { node { id child @include(if: $deep) { id } } }';
    expect(await codeOf(server, query, { deep: false })).toBe('OK');
    expect(await codeOf(server, query, { deep: true })).toBe('QUERY_TOO_COMPLEX');
    expect(await codeOf(server, query, { deep: false })).toBe('OK');
  });

  it('costs each operation of a multi-operation document separately', async () => {
    const query = 'query Small { node { id } } query Big { node { id child { id } } }';
    const run = async (operationName: string) => {
      const response = await server.executeOperation({ query, operationName });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return response.body.singleResult.errors?.[0]?.extensions?.code ?? 'OK';
    };
    expect(await run('Small')).toBe('OK');
    expect(await run('Big')).toBe('QUERY_TOO_COMPLEX');
    expect(await run('Small')).toBe('OK');
  });
});
