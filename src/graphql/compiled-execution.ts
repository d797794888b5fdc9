/**
 * Query operations and subscription events run on code graphql-jit compiles from their document;
 * mutations, and any document graphql-jit cannot compile, are left to graphql-js `execute` as
 * before (`run` answers null: Apollo executes them itself; plugged in by
 * plugins/compiled-queries.ts; subscriptions: `subscribe`, graphql-ws's own). On the read path
 * graphql-js's `execute` was about a tenth of the gateway's CPU per request (bench scenario 1,
 * issue #28); a compiled query does the same work several times faster.
 *
 * What a client sees does not change: variables are coerced by graphql-js first (its error
 * messages, which Apollo turns into BAD_USER_INPUT), and every field error of a compiled run is
 * rebuilt as graphql-js builds it (`locatedError` over the field's nodes and path, the thrown
 * value as `originalError`), so the error formatter and the logs see what they saw before.
 *
 * graphql-jit reads a field without a resolver as a plain property: unlike graphql-js's default
 * resolver it neither calls a method nor awaits a promise found there. Our object types are
 * type-graphql classes holding plain values, and every computed field has a resolver.
 *
 * A document is compiled on its second run, not its first: compiling costs far more than one
 * execution, and a client sending a new document every time must not make every request pay it.
 * At most MAX_COMPILED documents keep their compiled code (least recently used leave first).
 */
import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  locatedError,
  type OperationDefinitionNode,
  subscribe,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** Documents whose compiled code is kept; one compiled query is a few tens of kB. */
export const MAX_COMPILED = 500;

/** Runs of a document on graphql-js before it is compiled (one: compiled on its second run). */
export const RUNS_BEFORE_COMPILING = 1;

/** What one request's execution needs: Apollo's parsed document and resolved operation. */
export interface OperationRun {
  document: DocumentNode;
  /** The operation Apollo resolved; absent when the document names none that matches. */
  operation: OperationDefinitionNode | undefined;
  variables: Record<string, unknown> | undefined;
  contextValue: unknown;
}

export interface CompiledExecutionOptions {
  /** graphql-jit's compiler, replaceable so tests can count compilations. */
  compile?: typeof compileQuery;
  maxCompiled?: number;
}

/** A compiled query, or why there is none: graphql-jit refused the document. */
type Compiled = CompiledQuery | 'uncompilable';

/** Field nodes by where they start (`line:column`): graphql-jit's errors carry locations, not nodes. */
function fieldNodesByLocation(document: DocumentNode): Map<string, FieldNode> {
  const fields = new Map<string, FieldNode>();
  visit(document, {
    [Kind.FIELD](node: FieldNode) {
      const start = node.loc?.startToken;
      if (start) fields.set(`${start.line}:${start.column}`, node);
    },
  });
  return fields;
}

export class CompiledExecution {
  private readonly compile: typeof compileQuery;
  private readonly maxCompiled: number;
  /** How often each document ran uncompiled; dies with the document. */
  private readonly runs = new WeakMap<DocumentNode, number>();
  /** Compiled operations per document, least recently used first. */
  private readonly compiled = new Map<DocumentNode, Map<OperationDefinitionNode, Compiled>>();
  private readonly fieldNodes = new WeakMap<DocumentNode, Map<string, FieldNode>>();

  constructor(
    readonly schema: GraphQLSchema,
    options: CompiledExecutionOptions = {},
  ) {
    this.compile = options.compile ?? compileQuery;
    this.maxCompiled = options.maxCompiled ?? MAX_COMPILED;
  }

  /**
   * The operation's result from its compiled code, or null before any resolver ran: graphql-js is
   * to execute it (not a query, no operation, not compiled (yet), or variables graphql-js refuses,
   * so their errors are graphql-js's own, BAD_USER_INPUT and status 400 included).
   */
  async run(run: OperationRun): Promise<ExecutionResult | null> {
    const { operation } = run;
    if (operation === undefined || operation.operation !== 'query') return null;
    const compiled = this.compiledFor(run.document, operation);
    if (compiled === undefined) return null;
    // graphql-js's coercion decides; graphql-jit coerces the same values again.
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], run.variables ?? {}, {
      maxErrors: 50,
    });
    if (coerced.errors) return null;
    const result = await compiled.query(undefined, run.contextValue, run.variables ?? {});
    return result.errors
      ? { ...result, errors: this.asGraphqlJsErrors(run.document, result.errors) }
      : result;
  }

  /**
   * graphql-js's `subscribe`, each event's answer computed by the operation's compiled code (the
   * document's second subscription on): the source stream, its refusals and the variables'
   * coercion stay graphql-js's (`createSourceEventStream`), only the per-event `execute` changes,
   * its field errors rebuilt as graphql-js builds them. When thousands of links open at one
   * instant, that execution runs once per subscriber (#28, live lateness).
   */
  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const operation = getOperationAST(args.document, args.operationName) ?? undefined;
    const compiled =
      operation?.operation === 'subscription' ? this.compiledFor(args.document, operation) : undefined;
    if (compiled === undefined) return subscribe(args);
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const variables = args.variableValues ?? {};
    return mapEvents(source, async (payload) => {
      const result = await compiled.query(payload, args.contextValue, variables);
      return result.errors
        ? { ...result, errors: this.asGraphqlJsErrors(args.document, result.errors) }
        : result;
    });
  }

  /** The compiled query for this operation once the document has run before; undefined: not (yet). */
  private compiledFor(document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | undefined {
    const operations = this.compiled.get(document);
    const known = operations?.get(operation);
    if (known !== undefined) {
      // Most recently used goes last.
      this.compiled.delete(document);
      this.compiled.set(document, operations as Map<OperationDefinitionNode, Compiled>);
      return known === 'uncompilable' ? undefined : known;
    }
    const runs = this.runs.get(document) ?? 0;
    if (runs < RUNS_BEFORE_COMPILING) {
      this.runs.set(document, runs + 1);
      return undefined;
    }
    const result = this.compile(this.schema, document, operation.name?.value);
    const compiled: Compiled = isCompiledQuery(result) ? result : 'uncompilable';
    this.remember(document, operation, compiled);
    return compiled === 'uncompilable' ? undefined : compiled;
  }

  private remember(document: DocumentNode, operation: OperationDefinitionNode, compiled: Compiled): void {
    const operations = this.compiled.get(document) ?? new Map<OperationDefinitionNode, Compiled>();
    operations.set(operation, compiled);
    this.compiled.delete(document);
    this.compiled.set(document, operations);
    while (this.compiled.size > this.maxCompiled) {
      const oldest = this.compiled.keys().next().value as DocumentNode;
      this.compiled.delete(oldest);
    }
  }

  /** Each error as graphql-js's `executeField` makes it: `locatedError(thrown, fieldNodes, path)`. */
  private asGraphqlJsErrors(document: DocumentNode, errors: readonly GraphQLError[]): GraphQLError[] {
    let fields = this.fieldNodes.get(document);
    if (fields === undefined) {
      fields = fieldNodesByLocation(document);
      this.fieldNodes.set(document, fields);
    }
    const byLocation = fields;
    return errors.map((error) => {
      const nodes = (error.locations ?? [])
        .map(({ line, column }) => byLocation.get(`${line}:${column}`))
        .filter((node): node is FieldNode => node !== undefined);
      // graphql-js raises an Error for a null in a non-null field and for a failed serialization.
      const thrown: unknown = error.originalError ?? new Error(error.message);
      return locatedError(thrown, nodes.length > 0 ? nodes : undefined, error.path);
    });
  }
}

/** The promise of `call()`; a synchronous throw is a rejection, as from an async function. */
function promiseOf<V>(call: () => V | PromiseLike<V>): Promise<V> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof Object(value)[Symbol.asyncIterator] === 'function';
}

/**
 * Each event of `source` mapped by `map`, as graphql-js's `mapAsyncIterator` does it: a failing
 * map ends the source (`return`) and rejects; `return` and `throw` go to the source.
 */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (value: T) => Promise<R>): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<R>> => {
    if (result.done) return result;
    try {
      return { value: await map(result.value), done: false };
    } catch (error) {
      try {
        await iterator.return?.();
      } catch {
        // The source's own failure to end adds nothing to the error that ended it.
      }
      throw error;
    }
  };
  return {
    // Not an async function: a subscriber waiting for its next event then holds the source's
    // promise and one reaction, not a suspended frame as well (10,000 subscribers re-arm at one
    // instant when their links open, and what they hold is promoted to the old generation).
    next: () => promiseOf(() => iterator.next()).then(mapResult),
    return: async () =>
      typeof iterator.return === 'function'
        ? mapResult(await iterator.return())
        : { value: undefined, done: true },
    throw: async (error?: unknown) => {
      if (typeof iterator.throw === 'function') return mapResult(await iterator.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
