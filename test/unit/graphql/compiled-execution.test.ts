import { Writable } from 'node:stream';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  buildSchema,
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getOperationAST,
  parse,
} from 'graphql';
import { compileQuery } from 'graphql-jit';
import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import pino from 'pino';
import {
  CompiledExecution,
  type OperationRun,
  RUNS_BEFORE_COMPILING,
} from '../../../src/graphql/compiled-execution.js';
import { createErrorFormatter } from '../../../src/graphql/errors.js';
import { compiledQueriesPlugin } from '../../../src/graphql/plugins/compiled-queries.js';
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
      teapot: String
      tripping: String
    }
    type Query { visit(id: ID!, at: DateTime): Visit visits(status: Status): [Visit] required: Visit! }
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
  resolveWith(visitType, 'teapot', () => {
    throw new GraphQLError('short and stout', {
      extensions: { code: 'FORBIDDEN', http: { status: 418, headers: new Map([['x-teapot', 'yes']]) } },
    });
  });
  resolveWith(visitType, 'tripping', () => {
    throw new GraphQLError('formatter trips', { extensions: { code: 'FORBIDDEN' } });
  });
  resolveWith(schema.getQueryType(), 'required', () => {
    throw new Error('no visit required');
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

/** As Apollo runs an operation with the compiled-queries plugin: compiled, or else on graphql-js. */
async function runLikeApollo(
  execution: CompiledExecution,
  run: OperationRun & { operationName?: string | undefined },
): Promise<ExecutionResult> {
  return (
    (await execution.run(run)) ??
    execute({
      schema: execution.schema,
      document: run.document,
      contextValue: run.contextValue,
      variableValues: run.variables,
      operationName: run.operationName,
    })
  );
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
      const interpreted = await runLikeApollo(execution, runOf(document, variables));
      const compiled = await runLikeApollo(execution, runOf(document, variables));
      expect(calls).toHaveLength(1);
      expect(visible(interpreted)).toEqual(expected);
      expect(visible(compiled)).toEqual(expected);
    });
  });

  it('answers a value its scalar cannot serialize as graphql-js does, the thrown error an Error', async () => {
    const execution = new CompiledExecution(schema);
    const document = parse('{ visit(id: "bad-int") { id count } }');
    const expected = visible(await execute({ schema, document, contextValue: {} }));
    await runLikeApollo(execution, runOf(document));
    const compiled = visible(await runLikeApollo(execution, runOf(document)));
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
    await runLikeApollo(execution, runOf(document));
    const compiled = await runLikeApollo(execution, runOf(document));
    expect(calls).toHaveLength(1);
    expect(compiled).toEqual(expected);
  });

  it('runs a document on graphql-js first and compiles it once, on its next run, then reuses it', async () => {
    const { calls, compile } = countingCompile();
    const execution = new CompiledExecution(schema, { compile });
    const document = parse('{ visit(id: "v1") { id title } }');
    expect(RUNS_BEFORE_COMPILING).toBe(1);
    await runLikeApollo(execution, runOf(document));
    expect(calls).toHaveLength(0);
    for (let run = 0; run < 4; run += 1) {
      expect(await runLikeApollo(execution, runOf(document))).toEqual({
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
      expect(await runLikeApollo(execution, runOf(document, undefined, 'A'))).toEqual({
        data: { visit: { id: 'v1' } },
      });
      expect(await runLikeApollo(execution, runOf(document, undefined, 'B'))).toEqual({
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
      expect(visible(await runLikeApollo(execution, runOf(document)))).toEqual(expected);
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
      expect(visible(await runLikeApollo(execution, runOf(document)))).toEqual(expected);
    expect(attempts).toBe(1);
  });

  it('runs a document naming no operation it has on graphql-js, with its error', async () => {
    const execution = new CompiledExecution(schema);
    const document = parse('query A { visit(id: "v1") { id } } query B { visit(id: "v2") { id } }');
    const expected = visible(await execute({ schema, document, operationName: 'C' }));
    for (let run = 0; run < 2; run += 1) {
      expect(visible(await runLikeApollo(execution, runOf(document, undefined, 'C')))).toEqual(expected);
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
      await runLikeApollo(execution, runOf(document));
      await runLikeApollo(execution, runOf(document));
    };
    await twice(a);
    await twice(b);
    await twice(a); // a is now the most recently used: b leaves when c arrives
    await twice(c);
    expect(calls).toEqual([a, b, c]);
    await runLikeApollo(execution, runOf(a)); // still compiled
    expect(calls).toHaveLength(3);
    await runLikeApollo(execution, runOf(b)); // compiled again: it was dropped
    expect(calls).toEqual([a, b, c, b]);
  });
});

describe('compiled queries behind Apollo Server (responseForOperation)', () => {
  /** One server: its error formatter (the gateway's own) logs into `lines`; resolver runs counted. */
  function server(compiled: boolean) {
    const schema = testSchema();
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { base: null, timestamp: false },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const gatewayFormatter = createErrorFormatter(logger);
    // A formatter that fails on one error: Apollo answers INTERNAL_SERVER_ERROR for it.
    const formatError = (formatted: GraphQLFormattedError, error: unknown) => {
      if (formatted.message === 'formatter trips') throw new Error('formatter bug');
      return gatewayFormatter(formatted, error);
    };
    const { calls, compile } = countingCompile();
    const runs = { visit: 0 };
    const resolveVisit = schema.getQueryType()?.getFields().visit?.resolve;
    resolveWith(schema.getQueryType(), 'visit', (root, args, context, info) => {
      runs.visit += 1;
      return resolveVisit?.(root, args, context, info);
    });
    // What later hooks see of the request's errors (Apollo's `requestContext.errors`).
    const recordErrors: ApolloServerPlugin = {
      requestDidStart: async () => ({
        willSendResponse: async ({ errors }) => {
          lines.push({ errorsSeen: errors?.map((error) => error.message) ?? null });
        },
      }),
    };
    const apollo = new ApolloServer({
      schema,
      formatError,
      includeStacktraceInErrorResponses: false,
      plugins: compiled
        ? [
            recordErrors,
            compiledQueriesPlugin(new CompiledExecution(schema, { compile }), {
              formatError,
              includeStacktraceInErrorResponses: false,
            }),
          ]
        : [recordErrors],
    });
    return { apollo, lines, calls, runs };
  }
  const plain = server(false);
  const compiled = server(true);
  beforeAll(() => Promise.all([plain.apollo.start(), compiled.apollo.start()]));
  afterAll(() => Promise.all([plain.apollo.stop(), compiled.apollo.stop()]));

  /** Everything a client gets (status, headers, body) and the lines the formatter logged. */
  const answer = async (
    { apollo, lines }: ReturnType<typeof server>,
    query: string,
    variables?: Record<string, unknown>,
  ) => {
    lines.length = 0;
    const response = await apollo.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('not a single result');
    return {
      status: response.http.status,
      headers: [...response.http.headers],
      body: JSON.parse(JSON.stringify(response.body.singleResult)) as unknown,
      logged: lines.map(({ err, ...line }) => ({
        ...line,
        err: (err as { type?: string; message?: string } | undefined) && {
          type: (err as { type?: string }).type,
          message: (err as { message?: string }).message,
        },
      })),
    };
  };

  it.each([
    ...CASES.map(({ name, query, variables }) => [name, query, variables] as const),
    ['a field error carrying an HTTP status and header', '{ visit(id: "v1") { id teapot } }', undefined],
    ['a formatter failing on an error', '{ visit(id: "v1") { id tripping title } }', undefined],
    ['a failing non-null root field: data null', '{ required { id } }', undefined],
    ['introspection', '{ __type(name: "Visit") { name fields { name } } }', undefined],
  ] as const)(
    'answers %s as the plain server does, logs alike, on every run',
    async (_name, query, variables) => {
      const expected = await answer(plain, query, variables);
      for (let run = 0; run < 3; run += 1) {
        expect(await answer(compiled, query, variables)).toEqual(expected);
      }
    },
  );

  it('runs compiled code from a query document’s second run, each resolver once per request', async () => {
    const query = '{ visit(id: "v2") { id title later } }';
    compiled.calls.length = 0;
    const before = compiled.runs.visit;
    const expected = await answer(plain, query);
    for (let run = 0; run < 3; run += 1) expect(await answer(compiled, query)).toEqual(expected);
    expect(compiled.calls).toHaveLength(1);
    expect(compiled.runs.visit - before).toBe(3);
  });

  it('leaves a query whose variables graphql-js refuses to graphql-js, before any resolver ran', async () => {
    const query = 'query R($id: ID!) { visit(id: $id) { id } }';
    await answer(compiled, query, { id: 'v1' });
    await answer(compiled, query, { id: 'v1' }); // compiled by now
    const before = compiled.runs.visit;
    const refused = await answer(compiled, query, { id: [1] });
    expect(refused).toEqual(await answer(plain, query, { id: [1] }));
    expect(refused.status).toBe(400);
    expect(compiled.runs.visit).toBe(before);
  });

  it('answers errors without data with status 400, as Apollo does', async () => {
    const schema = testSchema();
    const errors = [new GraphQLError('no data at all')];
    const stub = { run: async () => ({ errors }) } as unknown as CompiledExecution;
    const apollo = new ApolloServer({
      schema,
      plugins: [compiledQueriesPlugin(stub, { includeStacktraceInErrorResponses: false })],
    });
    await apollo.start();
    try {
      const response = await apollo.executeOperation({ query: '{ visit(id: "v1") { id } }' });
      expect(response.http.status).toBe(400);
      expect(response.body).toEqual({
        kind: 'single',
        singleResult: {
          errors: [{ message: 'no data at all', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        },
      });
    } finally {
      await apollo.stop();
    }
  });
});
