/**
 * Starts the OpenTelemetry Node SDK, as lc39's `--enable-tracing` does for Mia-Platform services
 * (lib/otel-instrumentation.js there): before the instrumented modules load, configured by the
 * standard OTEL_* variables (validated in src/config/components/tracing.ts), stopped after the
 * app so the last spans are flushed. Only main.ts calls it, and only when tracing is on: with it
 * off not one OpenTelemetry SDK module is loaded. docs/operations.md#tracing.
 */
import { register } from 'node:module';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { PrivateSpanExporter } from './span-privacy.js';

/** What the SDK needs (src/config/components/tracing.ts `TracingConfig`). */
export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  exporter: 'otlp' | 'console' | 'none';
  otlpTracesUrl: string;
  protocol: 'http/protobuf' | 'http/json';
  sampler:
    | 'always_on'
    | 'always_off'
    | 'traceidratio'
    | 'parentbased_always_on'
    | 'parentbased_always_off'
    | 'parentbased_traceidratio';
  samplerRatio: number;
  resourceAttributes: Record<string, string>;
}

export interface Tracing {
  /** Flushes the spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/** Requests that are not worth a trace: the platform's probes and the metrics scrape. */
const PROBE_PATHS = /^\/-\//;

/** The modules the ESM loader hook wraps: those the instrumentations patch (fewer wrapped, faster start). */
const HOOKED_MODULES = [
  'fastify',
  'graphql',
  'mongodb',
  'undici',
  'http',
  'https',
  'node:http',
  'node:https',
];

async function spanExporter(options: TracingOptions): Promise<SpanExporter | null> {
  if (options.exporter === 'none') return null;
  if (options.exporter === 'console') {
    const { ConsoleSpanExporter } = await import('@opentelemetry/sdk-trace-base');
    return new ConsoleSpanExporter();
  }
  if (options.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter({ url: options.otlpTracesUrl });
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url: options.otlpTracesUrl });
}

/** The sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG name. */
export async function samplerOf(options: Pick<TracingOptions, 'sampler' | 'samplerRatio'>) {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = await import(
    '@opentelemetry/sdk-trace-base'
  );
  const rule = options.sampler.replace(/^parentbased_/, '');
  const root =
    rule === 'always_on'
      ? new AlwaysOnSampler()
      : rule === 'always_off'
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(options.samplerRatio);
  return options.sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/** The instrumentations: Fastify, GraphQL (operation spans, no field spans), HTTP, undici, MongoDB. */
async function instrumentations() {
  const [{ FastifyOtelInstrumentation }, http, graphql, mongodb, undici] = await Promise.all([
    import('@fastify/otel'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-graphql'),
    import('@opentelemetry/instrumentation-mongodb'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  const probe = (url: string | undefined) => PROBE_PATHS.test(url ?? '');
  return [
    new http.HttpInstrumentation({ ignoreIncomingRequestHook: (request) => probe(request.url) }),
    new undici.UndiciInstrumentation(),
    // Literal values in the document become `*` (allowValues false); variables are never recorded.
    new graphql.GraphQLInstrumentation({
      allowValues: false,
      ignoreResolveSpans: true,
      mergeItems: true,
      ignoreTrivialResolveSpans: true,
    }),
    // Statements stay out (they would hold names); the filter drops them too.
    new mongodb.MongoDBInstrumentation({ enhancedDatabaseReporting: false }),
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      ignorePaths: (route) => probe(route.url),
    }),
  ];
}

/**
 * Registers the ESM loader hook (import-in-the-middle, for the instrumented modules only), then
 * starts the SDK. Call before importing anything instrumented: main.ts imports the app after.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: HOOKED_MODULES },
  });
  const [{ NodeSDK }, { BatchSpanProcessor }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  const exporter = await spanExporter(options);
  const sdk = new NodeSDK({
    autoDetectResources: false,
    resource: resourceFromAttributes({
      ...options.resourceAttributes,
      'service.name': options.serviceName,
      ...(options.serviceVersion === undefined ? {} : { 'service.version': options.serviceVersion }),
    }),
    sampler: await samplerOf(options),
    spanProcessors: exporter === null ? [] : [new BatchSpanProcessor(new PrivateSpanExporter(exporter))],
    // Traces only: metrics stay with Prometheus (/-/metrics), logs with stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: await instrumentations(),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
