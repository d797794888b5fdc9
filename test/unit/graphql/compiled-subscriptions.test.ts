import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  parse,
  subscribe,
} from 'graphql';
import { compileQuery } from 'graphql-jit';
import { CompiledExecution } from '../../../src/graphql/compiled-execution.js';

/**
 * A subscription's events answered by compiled code (CompiledExecution.subscribe) look exactly as
 * graphql-js's `subscribe` makes them: the same data and errors per event, the same refusals, and
 * the source ended when the subscriber ends. Compiled from a document's second subscription on.
 */

interface Event {
  id: string;
  title: string | null;
  fail?: 'plain' | 'coded' | 'nonNull';
}

/** A source of events that notes whether it was ended. */
function eventSource(events: Event[]) {
  const state = { ended: false };
  async function* generate() {
    try {
      for (const event of events) yield event;
      // Open until ended, like a live subscription.
      await new Promise(() => {});
    } finally {
      state.ended = true;
    }
  }
  return { state, generate };
}

function testSchema(source: () => AsyncGenerator<Event>): GraphQLSchema {
  const schema = buildSchema(`
    type Visit { id: ID! title: String failing: String required: String! }
    type Query { ping: String }
    type Subscription { changed(id: ID!, times: Int): Visit }
  `);
  const subscriptionField = schema.getSubscriptionType()?.getFields().changed;
  if (!subscriptionField) throw new Error('no field');
  subscriptionField.subscribe = ((_root, args: { id: string }) => {
    if (args.id === 'forbidden') throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
    return source();
  }) as GraphQLFieldResolver<unknown, unknown>;
  subscriptionField.resolve = ((event: Event) => event) as GraphQLFieldResolver<unknown, unknown>;
  const visitFields = (schema.getType('Visit') as ReturnType<typeof schema.getQueryType>)?.getFields();
  if (!visitFields) throw new Error('no Visit');
  (visitFields.failing as { resolve: GraphQLFieldResolver<Event, unknown> }).resolve = (event) => {
    if (event.fail === 'plain') throw new Error('upstream down');
    if (event.fail === 'coded')
      throw new GraphQLError('Gone.', { extensions: { code: 'NOT_FOUND', reason: 'DELETED' } });
    return 'fine';
  };
  (visitFields.required as { resolve: GraphQLFieldResolver<Event, unknown> }).resolve = (event) =>
    event.fail === 'nonNull' ? null : 'here';
  return schema;
}

const DOCUMENT = `subscription Live($id: ID!, $times: Int) {
  changed(id: $id, times: $times) { id title failing required }
}`;

/** An error as a client and the formatter see it. */
const seen = (error: GraphQLError) => ({
  ...error.toJSON(),
  originalMessage: error.originalError?.message,
  originalCode: (error.originalError as GraphQLError | undefined)?.extensions?.code,
});
const seenResult = (result: ExecutionResult) => ({
  data: result.data,
  errors: result.errors?.map(seen),
});

async function take(
  subscription: AsyncIterableIterator<ExecutionResult> | ExecutionResult,
  count: number,
): Promise<ExecutionResult[]> {
  if (!(Symbol.asyncIterator in subscription)) throw new Error(`refused: ${JSON.stringify(subscription)}`);
  const results: ExecutionResult[] = [];
  for (let n = 0; n < count; n++) {
    const next = await subscription.next();
    if (next.done) break;
    results.push(next.value);
  }
  return results;
}

/** Both engines over the same events: graphql-js, then a compiled run (the document's second). */
async function bothWays(events: Event[], variables: Record<string, unknown>, count: number) {
  const plainSource = eventSource(events);
  const compiledSource = eventSource(events);
  let current = plainSource;
  const schema = testSchema(() => current.generate());
  const compiles: string[] = [];
  const execution = new CompiledExecution(schema, {
    compile: (...args) => {
      compiles.push('compiled');
      return compileQuery(...args);
    },
  });
  const document = parse(DOCUMENT);
  const args: ExecutionArgs = { schema, document, variableValues: variables, contextValue: {} };

  const plain = await subscribe(args);
  const plainResults = Array.isArray((plain as ExecutionResult).errors)
    ? []
    : await take(plain as never, count);
  // The document's first subscription runs on graphql-js; its second is compiled.
  await execution.subscribe(args);
  current = compiledSource;
  const compiled = await execution.subscribe(args);
  const compiledResults = Array.isArray((compiled as ExecutionResult).errors)
    ? []
    : await take(compiled as never, count);
  return { plain, compiled, plainResults, compiledResults, compiles, plainSource, compiledSource };
}

describe('compiled subscription events', () => {
  it('answer every event as graphql-js does', async () => {
    const events: Event[] = [
      { id: 'v1', title: 'first' },
      { id: 'v1', title: null },
      { id: 'v1', title: 'third' },
    ];
    const run = await bothWays(events, { id: 'v1' }, 3);
    expect(run.compiles).toEqual(['compiled']);
    expect(run.compiledResults).toHaveLength(3);
    expect(run.compiledResults.map(seenResult)).toEqual(run.plainResults.map(seenResult));
    expect(run.compiledResults[0]?.data).toEqual({
      changed: { id: 'v1', title: 'first', failing: 'fine', required: 'here' },
    });
  });

  it("give a field's error, coded or not, and a null in a non-null field, as graphql-js does", async () => {
    const events: Event[] = [
      { id: 'v1', title: 'a', fail: 'plain' },
      { id: 'v1', title: 'b', fail: 'coded' },
      { id: 'v1', title: 'c', fail: 'nonNull' },
    ];
    const run = await bothWays(events, { id: 'v1' }, 3);
    expect(run.compiledResults.map(seenResult)).toEqual(run.plainResults.map(seenResult));
    const [plainFailure, coded, nonNull] = run.compiledResults;
    expect(plainFailure?.errors?.[0]?.path).toEqual(['changed', 'failing']);
    expect(plainFailure?.errors?.[0]?.locations).toEqual([{ line: 2, column: 46 }]);
    expect(plainFailure?.errors?.[0]?.originalError?.message).toBe('upstream down');
    expect(coded?.errors?.[0]?.originalError).toBeInstanceOf(GraphQLError);
    expect(nonNull?.data).toEqual({ changed: null });
  });

  it('refuse a subscription as graphql-js does (the subscribe resolver throws, a variable is wrong)', async () => {
    const forbidden = await bothWays([], { id: 'forbidden' }, 0);
    expect((forbidden.compiled as ExecutionResult).errors?.map(seen)).toEqual(
      (forbidden.plain as ExecutionResult).errors?.map(seen),
    );
    expect((forbidden.compiled as ExecutionResult).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const badVariable = await bothWays([], { id: 'v1', times: 'often' }, 0);
    expect((badVariable.compiled as ExecutionResult).errors?.map(seen)).toEqual(
      (badVariable.plain as ExecutionResult).errors?.map(seen),
    );
    expect((badVariable.compiled as ExecutionResult).errors?.[0]?.message).toMatch(/\$times/);
  });

  it('end their source when the subscriber ends', async () => {
    const run = await bothWays([{ id: 'v1', title: 'only' }], { id: 'v1' }, 1);
    const compiled = run.compiled as AsyncIterableIterator<ExecutionResult>;
    expect(run.compiledSource.state.ended).toBe(false);
    await expect(compiled.return?.()).resolves.toEqual({ done: true, value: undefined });
    expect(run.compiledSource.state.ended).toBe(true);
    await expect(compiled.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("reject the next event, as graphql-js does, when the source's next throws at once", async () => {
    // A source breaking the async-iterator contract: its next throws instead of rejecting.
    const broken = () =>
      ({
        [Symbol.asyncIterator]() {
          return {
            next() {
              throw new Error('source broke');
            },
          };
        },
      }) as unknown as AsyncGenerator<Event>;
    const schema = testSchema(broken);
    const execution = new CompiledExecution(schema, { compile: compileQuery });
    const args: ExecutionArgs = { schema, document: parse(DOCUMENT), variableValues: { id: 'v1' } };
    const plain = (await subscribe(args)) as AsyncIterableIterator<ExecutionResult>;
    await execution.subscribe(args);
    const compiled = (await execution.subscribe(args)) as AsyncIterableIterator<ExecutionResult>;
    for (const subscription of [plain, compiled]) {
      let next: Promise<unknown> | undefined;
      expect(() => {
        next = subscription.next();
      }).not.toThrow();
      await expect(next).rejects.toThrow('source broke');
    }
  });

  it('leave mutations, queries and unknown operations to graphql-js', async () => {
    const schema = testSchema(() => eventSource([]).generate());
    const compiles: string[] = [];
    const execution = new CompiledExecution(schema, {
      compile: (...args) => {
        compiles.push('compiled');
        return compileQuery(...args);
      },
    });
    const query = { schema, document: parse('query Q { ping }'), contextValue: {} };
    for (let n = 0; n < 3; n++) await execution.subscribe(query);
    const unknown = { ...query, document: parse(DOCUMENT), operationName: 'Other' };
    for (let n = 0; n < 3; n++) await execution.subscribe(unknown);
    expect(compiles).toEqual([]);
  });
});
