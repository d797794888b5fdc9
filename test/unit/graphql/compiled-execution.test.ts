import { ApolloServer } from '@apollo/server';
import {
  buildSchema,
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getOperationAST,
  parse,
} from 'graphql';
import { compileQuery } from 'graphql-jit';
import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import {
  CompiledExecution,
  compiledExecutionGateway,
  RUNS_BEFORE_COMPILING,
} from '../../../src/graphql/compiled-execution.js';
import { buildGatewaySchema } from '../../../src/graphql/schema.js';

class Refused extends Error {
  readonly code = 'REFUSED';
}

/** Gives a field of the schema its resolver. */
function resolveWith(
  type: GraphQLObjectType | null | undefined,
  name: string,
  resolve: GraphQLFieldResolver<never, unknown, never>,
) {
  const field = type?.getFields()[name];
  if (!field) throw new Error(`no field ${name}`);
  field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
}

/** A small schema with what the gateway's answers are made of: scalars, enums, lists, non-null, failures. */
function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    scalar DateTime
    scalar URL
    enum Status { SCHEDULED ENDED }
    type Participant { id: ID! name: String link: URL }
    type Visit {
      id: ID!
      title: String
      status: Status!
      startsAt: DateTime!
      participants: [Participant!]!
      count: Int
      failing: String
      failingNonNull: String!
      nullNonNull: String!
      refused: String
      coded: String
      later: String
    }
    type Query { visit(id: ID!, at: DateTime): Visit visits(status: Status): [Visit] }
    type Mutation { touch(id: ID!): Visit }
  `);
  const scalars = { DateTime: DateTimeResolver, URL: URLResolver };
  for (const [name, resolver] of Object.entries(scalars)) {
    Object.assign(schema.getType(name) as object, {
      serialize: resolver.serialize,
      parseValue: resolver.parseValue,
      parseLiteral: resolver.parseLiteral,
    });
  }
  const visit = (id: string) => ({
    id,
    title: id === 'v2' ? null : `Visit ${id}`,
    status: id === 'v2' ? 'ENDED' : 'SCHEDULED',
    startsAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    participants: [
      { id: 'p1', name: 'Ann', link: new URL('https://meet.example/p1') },
      { id: 'p2', name: null, link: null },
    ],
    count: id === 'bad-int' ? 'many' : 3,
    nullNonNull: null,
  });
  // Computed fields have resolvers: graphql-jit reads a field without one as a plain property
  // (graphql-js would also call a method or await a promise found there).
  const visitType = schema.getType('Visit') as GraphQLObjectType;
  resolveWith(visitType, 'failing', () => {
    throw new Error('storage unavailable');
  });
  resolveWith(visitType, 'failingNonNull', () => Promise.reject(new Refused('not yours')));
  resolveWith(visitType, 'refused', () => {
    throw new Refused('no access');
  });
  resolveWith(visitType, 'coded', () => {
    throw new GraphQLError('coded refusal', { extensions: { code: 'FORBIDDEN', reason: 'x' } });
  });
  resolveWith(visitType, 'later', (source: { id: string }) => Promise.resolve(`later ${source.id}`));
  resolveWith(schema.getQueryType(), 'visit', (_root, args: { id: string }) =>
    args.id === 'none' ? null : visit(args.id),
  );
  resolveWith(schema.getQueryType(), 'visits', async () => [visit('v1'), visit('v2')]);
  resolveWith(schema.getMutationType(), 'touch', (_root, args: { id: string }) => visit(args.id));
  return schema;
}

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    name: 'fields, aliases, __typename, enums and custom scalars',
    query: `query Read($id: ID!) { visit(id: $id) { __typename id title heading: title status startsAt
      participants { id name link } later } }`,
    variables: { id: 'v1' },
  },
  {
    name: '@include and @skip under variables, fragments',
    query: `query Read($id: ID!, $withTitle: Boolean!, $noStatus: Boolean!) {
      visit(id: $id) { id title @include(if: $withTitle) status @skip(if: $noStatus) ...Parts } }
      fragment Parts on Visit { participants { ... on Participant { id } } }`,
    variables: { id: 'v1', withTitle: false, noStatus: true },
  },
  {
    name: 'a list of objects, resolved asynchronously, with an enum argument',
    query: '{ visits(status: ENDED) { id status title startsAt } }',
  },
  {
    name: 'a failing nullable field: partial data, the error at its path',
    query: '{ visit(id: "v1") { id failing refused } }',
  },
  {
    name: 'a failing non-null field: the nearest nullable parent becomes null',
    query: '{ visits { id failingNonNull } }',
  },
  {
    name: 'null in a non-null field',
    query: '{ visit(id: "v1") { id nullNonNull } }',
  },
  {
    name: 'a GraphQLError thrown with extensions keeps them',
    query: '{ visit(id: "v1") { coded } }',
  },
  {
    name: 'a variable of the wrong type',
    query: 'query Read($id: ID!) { visit(id: $id) { id } }',
    variables: { id: { not: 'an id' } },
  },
  {
    name: 'a missing required variable and a bad custom scalar',
    query: 'query Read($id: ID!, $at: DateTime) { visit(id: $id, at: $at) { id } }',
    variables: { at: 'yesterday' },
  },
  {
    name: 'a good custom scalar variable',
    query: 'query Read($id: ID!, $at: DateTime) { visit(id: $id, at: $at) { id startsAt } }',
    variables: { id: 'v2', at: '2026-01-02T03:04:05Z' },
  },
  {
    name: 'a null result',
    query: '{ visit(id: "none") { id } }',
  },
];

/** Everything of a result a client or the error formatter can see, errors included. */
function visible(result: ExecutionResult) {
  return {
    data: result.data,
    errors: result.errors?.map((error) => ({
      json: error.toJSON(),
      isGraphQLError: error instanceof GraphQLError,
      extensions: error.extensions,
      nodes: error.nodes?.map((node) => node.kind),
      positions: error.positions,
      original: error.originalError && {
        type: error.originalError.constructor.name,
        message: error.originalError.message,
      },
    })),
  };
}

function countingCompile() {
  const calls: DocumentNode[] = [];
  const compile: typeof compileQuery = (schema, document, operationName, options) => {
    calls.push(document);
    return compileQuery(schema, document, operationName, options);
  };
  return { calls, compile };
}

function runOf(document: DocumentNode, variables?: Record<string, unknown>, operationName?: string) {
  return {
    document,
    operation: getOperationAST(document, operationName) ?? undefined,
    operationName,
    variables,
    contextValue: {},
  };
}

describe('query operations on compiled code', () => {
  const schema = testSchema();

  describe.each(CASES)('answers as graphql-js does: $name', ({ query, variables }) => {
    it('on the compiled run as on the interpreted one', async () => {
      const { calls, compile } = countingCompile();
      const execution = new CompiledExecution(schema, { compile });
      const document = parse(query);
      const expected = visible(
        await execute({ schema, document, variableValues: variables, contextValue: {} }),
      );
      const interpreted = await execution.execute(runOf(document, variables));
      const compiled = await execution.execute(runOf(document, variables));
      expect(calls).toHaveLength(1);
      expect(visible(interpreted)).toEqual(expected);
      expect(visible(compiled)).toEqual(expected);
    });
  });

  it('answers a value its scalar cannot serialize as graphql-js does, the thrown error an Error', async () => {
    const execution = new CompiledExecution(schema);
    const document = parse('{ visit(id: "bad-int") { id count } }');
    const expected = visible(await execute({ schema, document, contextValue: {} }));
    await execution.execute(runOf(document));
    const compiled = visible(await execution.execute(runOf(document)));
    // graphql-jit keeps the scalar's message, not the GraphQLError it threw: masked alike
    // (INTERNAL_SERVER_ERROR), only the log line names another class.
    const original = { type: 'Error', message: 'Int cannot represent non-integer value: "many"' };
    expect(expected.errors?.[0]?.original).toEqual({ ...original, type: 'GraphQLError' });
    expect(compiled).toEqual({
      ...expected,
      errors: expected.errors?.map((error) => ({ ...error, original })),
    });
  });

  it('answers the IDE introspection query on the gateway schema as graphql-js does', async () => {
    const gatewaySchema = await buildGatewaySchema(undefined, { decide: async () => undefined });
    const { calls, compile } = countingCompile();
    const execution = new CompiledExecution(gatewaySchema, { compile });
    const document = parse(getIntrospectionQuery());
    const expected = await execute({ schema: gatewaySchema, document });
    await execution.execute(runOf(document));
    const compiled = await execution.execute(runOf(document));
    expect(calls).toHaveLength(1);
    expect(compiled).toEqual(expected);
  });

  it('runs a document on graphql-js first and compiles it once, on its next run, then reuses it', async () => {
    const { calls, compile } = countingCompile();
    const execution = new CompiledExecution(schema, { compile });
    const document = parse('{ visit(id: "v1") { id title } }');
    expect(RUNS_BEFORE_COMPILING).toBe(1);
    await execution.execute(runOf(document));
    expect(calls).toHaveLength(0);
    for (let run = 0; run < 4; run += 1) {
      expect(await execution.execute(runOf(document))).toEqual({
        data: { visit: { id: 'v1', title: 'Visit v1' } },
      });
    }
    expect(calls).toEqual([document]);
  });

  it('compiles each operation of a document on its own, under its name', async () => {
    const { calls, compile } = countingCompile();
    const execution = new CompiledExecution(schema, { compile });
    const document = parse('query A { visit(id: "v1") { id } } query B { visit(id: "v2") { title } }');
    for (let run = 0; run < 3; run += 1) {
      expect(await execution.execute(runOf(document, undefined, 'A'))).toEqual({
        data: { visit: { id: 'v1' } },
      });
      expect(await execution.execute(runOf(document, undefined, 'B'))).toEqual({
        data: { visit: { title: null } },
      });
    }
    expect(calls).toHaveLength(2);
  });

  it('never compiles a mutation: it runs on graphql-js every time', async () => {
    const { calls, compile } = countingCompile();
    const execution = new CompiledExecution(schema, { compile });
    const document = parse('mutation { touch(id: "v1") { id failing } }');
    const expected = visible(await execute({ schema, document, contextValue: {} }));
    for (let run = 0; run < 3; run += 1)
      expect(visible(await execution.execute(runOf(document)))).toEqual(expected);
    expect(calls).toHaveLength(0);
  });

  it('runs a document graphql-jit cannot compile on graphql-js, and tries compiling it only once', async () => {
    let attempts = 0;
    const execution = new CompiledExecution(schema, {
      compile: () => {
        attempts += 1;
        return { errors: [new GraphQLError('graphql-jit cannot compile this')] };
      },
    });
    const document = parse('{ visit(id: "v1") { id failing } }');
    const expected = visible(await execute({ schema, document, contextValue: {} }));
    for (let run = 0; run < 4; run += 1)
      expect(visible(await execution.execute(runOf(document)))).toEqual(expected);
    expect(attempts).toBe(1);
  });

  it('runs a document naming no operation it has on graphql-js, with its error', async () => {
    const execution = new CompiledExecution(schema);
    const document = parse('query A { visit(id: "v1") { id } } query B { visit(id: "v2") { id } }');
    const expected = visible(await execute({ schema, document, operationName: 'C' }));
    for (let run = 0; run < 2; run += 1) {
      expect(visible(await execution.execute(runOf(document, undefined, 'C')))).toEqual(expected);
    }
    expect(expected.errors?.[0]?.json.message).toBe('Unknown operation named "C".');
  });

  it('keeps the compiled code of at most maxCompiled documents, the least recently used leaving first', async () => {
    const { calls, compile } = countingCompile();
    const execution = new CompiledExecution(schema, { compile, maxCompiled: 2 });
    const a = parse('{ visit(id: "a") { id } }');
    const b = parse('{ visit(id: "b") { id } }');
    const c = parse('{ visit(id: "c") { id } }');
    const twice = async (document: DocumentNode) => {
      await execution.execute(runOf(document));
      await execution.execute(runOf(document));
    };
    await twice(a);
    await twice(b);
    await twice(a); // a is now the most recently used: b leaves when c arrives
    await twice(c);
    expect(calls).toEqual([a, b, c]);
    await execution.execute(runOf(a)); // still compiled
    expect(calls).toHaveLength(3);
    await execution.execute(runOf(b)); // compiled again: it was dropped
    expect(calls).toEqual([a, b, c, b]);
  });
});

describe('compiled execution behind Apollo Server', () => {
  const schema = testSchema();
  const servers = [
    new ApolloServer({ schema }),
    new ApolloServer({ gateway: compiledExecutionGateway(schema) }),
  ] as const;
  beforeAll(() => Promise.all(servers.map((server) => server.start())));
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  const answer = async (server: ApolloServer, query: string, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('not a single result');
    return { status: response.http.status, result: response.body.singleResult };
  };

  it.each([
    ['a read with a failing field', '{ visit(id: "v1") { id title failing refused startsAt } }', undefined],
    ['a bad variable (BAD_USER_INPUT)', 'query R($id: ID!) { visit(id: $id) { id } }', { id: [1] }],
    ['introspection', '{ __type(name: "Visit") { name fields { name } } }', undefined],
  ])('answers %s as the plain server does, on every run', async (_name, query, variables) => {
    const [plain, compiled] = servers;
    const expected = await answer(plain, query, variables);
    for (let run = 0; run < 3; run += 1) expect(await answer(compiled, query, variables)).toEqual(expected);
  });
});
