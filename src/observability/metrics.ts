import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { UpstreamCallEvent } from '../shared/upstream-client.js';

/** One GraphQL request, as the HTTP route saw it end. */
export interface GraphqlRequestEvent {
  /** The operation's name; `anonymous` when it has none, `unknown` when none was resolved. */
  operation: string;
  outcome: 'ok' | 'error';
  durationMs: number;
  /** `extensions.code` of every error in the response (repeats included). */
  errorCodes: readonly string[];
}

export interface GatewayMetrics {
  readonly registry: Registry;
  observeGraphqlRequest(event: GraphqlRequestEvent): void;
  /**
   * The `observe` hook of the calls to the upstream named so (a video provider's name, or
   * `auth_service`): `upstream_call_*{upstream=…}`, and for `kaleyra` and `auth_service` also the
   * metrics they always had (`kaleyra_call_*`, `auth_service_call_*`). Names come from the code,
   * never from a request.
   */
  observeUpstream(upstream: string): (event: UpstreamCallEvent) => void;
  /** The Kaleyra client's `observe` hook: `observeUpstream('kaleyra')`. */
  observeKaleyra(event: UpstreamCallEvent): void;
  /** The auth-service directory's `observe` hook: `observeUpstream('auth_service')`. */
  observeAuthService(event: UpstreamCallEvent): void;
  /** One background job attempt ended (the job runner's `observe` hook). */
  observeJob(event: { kind: string; result: string; durationMs: number }): void;
  /**
   * A room no record pointed to was found (and deleted) by a sweep, on this provider:
   * `video_orphan_rooms_found_total{provider}`, and `kaleyra_orphan_rooms_found_total` for Kaleyra.
   */
  observeOrphanRoom(provider?: string): void;
  /** How many background jobs are in each state, read at every scrape. */
  trackJobStates(counts: () => Promise<Record<string, number>>): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Seconds: from a fast cache hit to a request that ran into REQUEST_TIMEOUT_MS. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

/**
 * Operation names come from clients: past this many distinct names the rest share the label
 * `other`, so a client inventing names cannot grow the metrics without bound.
 */
export const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Every metric of one app, in a registry of its own: tests build several apps in one process,
 * and nothing here touches prom-client's global registry.
 */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const graphqlDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL requests by operation name and outcome (ok: no error in the response).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const operations = new Set<string>();
  const operationLabel = (name: string): string => {
    if (!OPERATION_NAME.test(name)) return 'unknown';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATION_LABELS) return 'other';
    operations.add(name);
    return name;
  };

  const jobAttempts = new Counter({
    name: 'background_job_attempts_total',
    help: 'Background job attempts by kind and result (done, retried, dead, lost, unrecorded).',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'background_job_attempt_duration_seconds',
    help: 'How long background job attempts took, by kind.',
    labelNames: ['kind'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const orphanRooms = new Counter({
    name: 'kaleyra_orphan_rooms_found_total',
    help: 'Kaleyra rooms no record pointed to, found by a sweep after a failed or timed-out creation (and deleted).',
    registers: [registry],
  });
  const videoOrphanRooms = new Counter({
    name: 'video_orphan_rooms_found_total',
    help: 'Rooms no record pointed to, by video provider, found by a sweep after a failed or timed-out creation (and deleted).',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  let jobCounts: (() => Promise<Record<string, number>>) | null = null;
  new Gauge({
    name: 'background_jobs',
    help: 'Background jobs by state (pending: waiting to run; dead: gave up, needs a look).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (jobCounts === null) return;
      this.reset();
      // A store that cannot answer leaves the gauge empty rather than failing the whole scrape.
      const counts = await jobCounts().catch(() => ({}));
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });

  const observeUpstream = upstreamMetrics(registry);

  return {
    registry,
    observeGraphqlRequest(event) {
      graphqlDuration.observe(
        { operation: operationLabel(event.operation), outcome: event.outcome },
        event.durationMs / 1000,
      );
      for (const code of event.errorCodes) graphqlErrors.inc({ code });
    },
    observeUpstream,
    observeKaleyra: observeUpstream('kaleyra'),
    observeAuthService: observeUpstream('auth_service'),
    observeJob(event) {
      jobAttempts.inc({ kind: event.kind, result: event.result });
      jobDuration.observe({ kind: event.kind }, event.durationMs / 1000);
    },
    observeOrphanRoom(provider = 'kaleyra') {
      videoOrphanRooms.inc({ provider });
      if (provider === 'kaleyra') orphanRooms.inc();
    },
    trackJobStates(counts) {
      jobCounts = counts;
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/**
 * The calls to each upstream (a video provider, the auth service): `upstream_call_*` with the
 * upstream's name, and for Kaleyra and the auth service also the metrics they had before, under
 * their names. Returns one observing hook per upstream name.
 */
function upstreamMetrics(registry: Registry): (upstream: string) => (event: UpstreamCallEvent) => void {
  const upstream = (name: string, service: string) => ({
    duration: new Histogram({
      name: `${name}_call_duration_seconds`,
      help: `Calls to ${service} by operation and outcome, retries included.`,
      labelNames: ['operation', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    failures: new Counter({
      name: `${name}_call_failures_total`,
      help: `Failed calls to ${service} by operation and kind of failure.`,
      labelNames: ['operation', 'kind'] as const,
      registers: [registry],
    }),
  });
  const kaleyra = upstream('kaleyra', 'the Kaleyra Video API');
  const authService = upstream('auth_service', 'the auth service');

  const upstreamDuration = new Histogram({
    name: 'upstream_call_duration_seconds',
    help: 'Calls to each upstream (a video provider, the auth service) by operation and outcome, retries included.',
    labelNames: ['upstream', 'operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const upstreamFailures = new Counter({
    name: 'upstream_call_failures_total',
    help: 'Failed calls to each upstream (a video provider, the auth service) by operation and kind of failure.',
    labelNames: ['upstream', 'operation', 'kind'] as const,
    registers: [registry],
  });
  /** The metrics each upstream had before `upstream_call_*`, kept under their names. */
  const legacyUpstreams: Record<string, typeof kaleyra> = { kaleyra, auth_service: authService };
  const hooks = new Map<string, (event: UpstreamCallEvent) => void>();
  const observeUpstream = (upstream: string) => {
    let hook = hooks.get(upstream);
    if (hook) return hook;
    const legacy = legacyUpstreams[upstream];
    hook = (event: UpstreamCallEvent) => {
      const seconds = event.durationMs / 1000;
      upstreamDuration.observe({ upstream, operation: event.operation, outcome: event.outcome }, seconds);
      legacy?.duration.observe({ operation: event.operation, outcome: event.outcome }, seconds);
      if (event.outcome === 'error') {
        const kind = event.errorKind ?? 'error';
        upstreamFailures.inc({ upstream, operation: event.operation, kind });
        legacy?.failures.inc({ operation: event.operation, kind });
      }
    };
    hooks.set(upstream, hook);
    return hook;
  };

  return observeUpstream;
}
