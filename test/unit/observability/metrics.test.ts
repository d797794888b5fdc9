import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema } from 'graphql';
import { register as globalRegistry } from 'prom-client';
import {
  errorCodesFromBody,
  exchangeOf,
  GRAPHQL_EXCHANGE,
  type GraphqlExchange,
  graphqlExchangePlugin,
  graphqlLogFields,
  observeGraphqlRequest,
} from '../../../src/graphql/plugins/request-log.js';
import { createMetrics, MAX_OPERATION_LABELS } from '../../../src/observability/metrics.js';

/** One sample: `sample` is the series name (`<histogram>_sum`, or the counter's own name). */
async function value(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string>,
  sample = name,
) {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const found = metric?.values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === sample &&
      Object.entries(labels).every(([key, label]) => v.labels[key] === label),
  );
  return found?.value;
}

describe('createMetrics', () => {
  it('keeps its metrics in a registry of its own, never the global one', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.observeGraphqlRequest({ operation: 'Op', outcome: 'ok', durationMs: 5, errorCodes: [] });
    expect(await b.render()).not.toMatch(/graphql_request_duration_seconds_count\{operation="Op"/);
    expect(await a.render()).toMatch(
      /graphql_request_duration_seconds_count\{operation="Op",outcome="ok"\} 1/,
    );
    expect(globalRegistry.getSingleMetric('graphql_request_duration_seconds')).toBeUndefined();
  });

  it('counts every error code of a response', async () => {
    const metrics = createMetrics();
    metrics.observeGraphqlRequest({
      operation: 'Op',
      outcome: 'error',
      durationMs: 5,
      errorCodes: ['NOT_FOUND', 'NOT_FOUND', 'FORBIDDEN'],
    });
    const text = await metrics.render();
    expect(text).toContain('graphql_errors_total{code="NOT_FOUND"} 2');
    expect(text).toContain('graphql_errors_total{code="FORBIDDEN"} 1');
  });

  it(`caps distinct operation labels at ${MAX_OPERATION_LABELS}; the rest count as "other"`, async () => {
    const metrics = createMetrics();
    for (let i = 0; i < MAX_OPERATION_LABELS + 5; i += 1) {
      metrics.observeGraphqlRequest({ operation: `Op${i}`, outcome: 'ok', durationMs: 1, errorCodes: [] });
    }
    metrics.observeGraphqlRequest({ operation: 'Op0', outcome: 'ok', durationMs: 1, errorCodes: [] });
    const text = await metrics.render();
    expect(text).toContain('graphql_request_duration_seconds_count{operation="other",outcome="ok"} 5');
    expect(text).toContain('graphql_request_duration_seconds_count{operation="Op0",outcome="ok"} 2');
  });

  it('records upstream calls in seconds and counts failures by kind', async () => {
    const metrics = createMetrics();
    metrics.observeKaleyra({ operation: 'createRoom', durationMs: 250, outcome: 'ok' });
    metrics.observeKaleyra({
      operation: 'createRoom',
      durationMs: 40,
      outcome: 'error',
      errorKind: 'unavailable',
    });
    metrics.observeAuthService({ operation: 'getUser', durationMs: 12, outcome: 'error' });
    expect(
      await value(
        metrics,
        'kaleyra_call_duration_seconds',
        { operation: 'createRoom', outcome: 'ok' },
        'kaleyra_call_duration_seconds_sum',
      ),
    ).toBe(0.25);
    expect(
      await value(metrics, 'kaleyra_call_failures_total', { operation: 'createRoom', kind: 'unavailable' }),
    ).toBe(1);
    expect(
      await value(metrics, 'auth_service_call_failures_total', { operation: 'getUser', kind: 'error' }),
    ).toBe(1);
  });

  it('labels every upstream call by its upstream, keeping the metrics Kaleyra and the auth service had', async () => {
    const metrics = createMetrics();
    metrics.observeUpstream('kaleyra')({ operation: 'deleteRoom', durationMs: 100, outcome: 'ok' });
    metrics.observeUpstream('livekit')({ operation: 'deleteRoom', durationMs: 300, outcome: 'ok' });
    metrics.observeUpstream('livekit')({
      operation: 'createRoom',
      durationMs: 5,
      outcome: 'error',
      errorKind: 'rejected',
    });
    metrics.observeAuthService({ operation: 'getUser', durationMs: 12, outcome: 'ok' });
    const sum = (labels: Record<string, string>) =>
      value(metrics, 'upstream_call_duration_seconds', labels, 'upstream_call_duration_seconds_sum');

    expect(await sum({ upstream: 'kaleyra', operation: 'deleteRoom', outcome: 'ok' })).toBe(0.1);
    expect(await sum({ upstream: 'livekit', operation: 'deleteRoom', outcome: 'ok' })).toBe(0.3);
    expect(await sum({ upstream: 'auth_service', operation: 'getUser', outcome: 'ok' })).toBe(0.012);
    expect(
      await value(metrics, 'upstream_call_failures_total', {
        upstream: 'livekit',
        operation: 'createRoom',
        kind: 'rejected',
      }),
    ).toBe(1);
    // Kaleyra's own metric counts Kaleyra's calls only.
    expect(
      await value(
        metrics,
        'kaleyra_call_duration_seconds',
        { operation: 'deleteRoom', outcome: 'ok' },
        'kaleyra_call_duration_seconds_sum',
      ),
    ).toBe(0.1);
    expect(await value(metrics, 'kaleyra_call_failures_total', { operation: 'createRoom' })).toBeUndefined();
  });

  it('counts orphan rooms by provider, and Kaleyra’s under their old name too', async () => {
    const metrics = createMetrics();
    metrics.observeOrphanRoom('kaleyra');
    metrics.observeOrphanRoom('livekit');
    metrics.observeOrphanRoom('livekit');
    expect(await value(metrics, 'video_orphan_rooms_found_total', { provider: 'livekit' })).toBe(2);
    expect(await value(metrics, 'video_orphan_rooms_found_total', { provider: 'kaleyra' })).toBe(1);
    expect(await value(metrics, 'kaleyra_orphan_rooms_found_total', {})).toBe(1);
  });

  it('exposes process metrics', async () => {
    expect(await createMetrics().render()).toMatch(/^process_cpu_user_seconds_total /m);
  });
});

describe('graphql request records', () => {
  it('give the completed line the operation, the outcome and the distinct codes', () => {
    const exchange: GraphqlExchange = {
      operationName: 'Create',
      errorCodes: ['BAD_USER_INPUT', 'BAD_USER_INPUT'],
    };
    expect(graphqlLogFields(exchange, 200)).toEqual({
      operationName: 'Create',
      outcome: 'error',
      errorCodes: ['BAD_USER_INPUT'],
    });
    expect(graphqlLogFields({ operationName: 'Read', errorCodes: [] }, 200)).toEqual({
      operationName: 'Read',
      outcome: 'ok',
    });
  });

  it('calls a request refused with an HTTP error status an error even without codes', () => {
    expect(graphqlLogFields({ operationName: null, errorCodes: null }, 400)).toMatchObject({
      operationName: 'unknown',
      outcome: 'error',
    });
  });

  it('count the request in the metrics by operation and outcome', async () => {
    const metrics = createMetrics();
    observeGraphqlRequest(
      { operationName: 'Create', errorCodes: ['BAD_USER_INPUT'] },
      { statusCode: 200, durationMs: 12.6, metrics },
    );
    const text = await metrics.render();
    expect(text).toMatch(
      /graphql_request_duration_seconds_count\{[^}]*operation="Create"[^}]*outcome="error"[^}]*\} 1/,
    );
    expect(text).toMatch(/graphql_errors_total\{code="BAD_USER_INPUT"\} 1/);
  });

  it('reads the codes of a response Apollo built outside its pipeline', () => {
    expect(
      errorCodesFromBody('{"errors":[{"message":"x","extensions":{"code":"BAD_REQUEST"}},{"message":"y"}]}'),
    ).toEqual(['BAD_REQUEST', 'INTERNAL_SERVER_ERROR']);
    expect(errorCodesFromBody('not json')).toEqual([]);
  });

  it('reach the Apollo plugin on the HTTP request handed to Apollo, and stay out of its JSON', () => {
    const exchange: GraphqlExchange = { operationName: null, errorCodes: null };
    const http = {
      method: 'POST',
      headers: new HeaderMap(),
      search: '',
      body: {},
      [GRAPHQL_EXCHANGE]: exchange,
    };
    expect(exchangeOf(http)).toBe(exchange);
    expect(exchangeOf({ method: 'POST' })).toBeUndefined();
    expect(exchangeOf(undefined)).toBeUndefined();
    expect(JSON.stringify(http)).not.toContain('operationName');
  });
});

describe('the GraphQL exchange plugin', () => {
  const server = new ApolloServer({
    schema: buildSchema('type Query { hello: String! broken: String! }'),
    rootValue: {
      hello: () => 'world',
      broken: () => {
        throw new Error('boom');
      },
    },
    plugins: [graphqlExchangePlugin()],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function exchangeAfter(body: Record<string, unknown>): Promise<GraphqlExchange> {
    const exchange: GraphqlExchange = { operationName: null, errorCodes: null };
    const headers = new HeaderMap([['content-type', 'application/json']]);
    await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers,
        search: '',
        body,
        [GRAPHQL_EXCHANGE]: exchange,
      } as never,
      context: async () => ({}),
    });
    return exchange;
  }

  it('records the operation and the codes of each response into the exchange of its HTTP request', async () => {
    expect(await exchangeAfter({ query: 'query Greet { hello }' })).toEqual({
      operationName: 'Greet',
      errorCodes: [],
    });
    expect(await exchangeAfter({ query: '{ hello broken }' })).toEqual({
      operationName: 'anonymous',
      errorCodes: ['INTERNAL_SERVER_ERROR'],
    });
    expect(await exchangeAfter({ query: '{ nope }' })).toEqual({
      operationName: null,
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
  });

  it('records nothing for a request without an exchange (in-process, or over WebSocket)', async () => {
    const response = await server.executeOperation({ query: '{ hello }' });
    expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ hello: 'world' });
  });
});
