/**
 * Tracing (OpenTelemetry): off unless ENABLE_TRACING=true (our name for lc39's `--enable-tracing`
 * switch) and OTEL_SDK_DISABLED is not true. Everything else is the standard OTEL_* variables of
 * the OpenTelemetry specification, validated here like every other variable, so a typo stops the
 * start instead of silently exporting nowhere. docs/operations.md#tracing.
 */
import { z } from 'zod';
import { booleanValue, httpUrl, oneOf, text, type ValuesOf, type VariableTable } from '../values.js';

export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

const quoted = (value: unknown): string => JSON.stringify(value);

/** A probability: a decimal from 0 to 1 (`0.1`, `1`, `.25`). */
const ratio = z.string().transform((raw, ctx) => {
  const value = Number(raw);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw) || !(value >= 0 && value <= 1)) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: `expected a decimal from 0 to 1, got ${quoted(raw)}`,
    });
    return z.NEVER;
  }
  return value;
});

/**
 * `key=value,key=value` (W3C Baggage-like, values percent-encoded), as the specification defines
 * OTEL_RESOURCE_ATTRIBUTES. A malformed pair is a mistake worth stopping for: the SDK would drop
 * the whole list silently.
 */
const resourceAttributes = z.string().transform((raw, ctx) => {
  const attributes: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    let value: string | undefined;
    try {
      value = at > 0 ? decodeURIComponent(pair.slice(at + 1).trim()) : undefined;
    } catch {
      value = undefined;
    }
    if (key === '' || value === undefined || !/^[\x21-\x7e]+$/.test(key)) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected key=value pairs separated by commas (values percent-encoded), got ${quoted(pair)}`,
      });
      return z.NEVER;
    }
    attributes[key] = value;
  }
  return attributes;
});

export const TRACING_VARIABLES = {
  ENABLE_TRACING: {
    default: 'false',
    description:
      "true: traces are recorded with the OpenTelemetry Node SDK and exported as the OTEL_* variables say (what lc39's --enable-tracing does for Mia-Platform services). Off by default; OTEL_SDK_DISABLED=true turns it off again.",
    schema: booleanValue,
  },
  OTEL_SDK_DISABLED: {
    default: 'false',
    description: 'true: no tracing, whatever ENABLE_TRACING says (the OpenTelemetry standard switch).',
    schema: booleanValue,
  },
  OTEL_SERVICE_NAME: {
    default: 'teleconsultation-gateway',
    description: 'The service.name resource attribute of every span.',
    schema: text,
  },
  OTEL_TRACES_EXPORTER: {
    default: 'otlp',
    description: `Where spans go: ${TRACES_EXPORTERS.join(', ')} (console: one line per span on stdout, for a workstation; none: sampled but not exported).`,
    schema: oneOf(TRACES_EXPORTERS),
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    defaultDescription: 'http://localhost:4318',
    description:
      'Base URL of the OTLP/HTTP receiver (an OpenTelemetry Collector); spans are sent to <this>/v1/traces.',
    schema: httpUrl,
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    description:
      'Full URL spans are sent to, as is (no /v1/traces added); wins over OTEL_EXPORTER_OTLP_ENDPOINT.',
    schema: httpUrl,
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    default: 'http/protobuf',
    description: `OTLP encoding: ${OTLP_PROTOCOLS.join(' or ')} (grpc is not supported: use a collector's HTTP receiver).`,
    schema: oneOf(OTLP_PROTOCOLS),
  },
  OTEL_TRACES_SAMPLER: {
    default: 'parentbased_always_on',
    description: `Which traces are recorded: ${TRACES_SAMPLERS.join(', ')}. parentbased_*: an incoming traceparent's sampled flag decides, the rule after the underscore decides for new traces.`,
    schema: oneOf(TRACES_SAMPLERS),
  },
  OTEL_TRACES_SAMPLER_ARG: {
    default: '1',
    description:
      'The ratio of new traces recorded by traceidratio and parentbased_traceidratio, from 0 to 1 (0.1: one in ten). Ignored by the other samplers.',
    schema: ratio,
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    description:
      'Extra resource attributes of every span, key=value pairs separated by commas (deployment.environment=prod,service.namespace=visits). OTEL_SERVICE_NAME wins over a service.name given here.',
    schema: resourceAttributes,
  },
} as const satisfies VariableTable;

/** `config.tracing` */
export interface TracingConfig {
  /** ENABLE_TRACING=true and OTEL_SDK_DISABLED not true. */
  enabled: boolean;
  serviceName: string;
  exporter: (typeof TRACES_EXPORTERS)[number];
  /** Where OTLP spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  otlpTracesUrl: string;
  protocol: (typeof OTLP_PROTOCOLS)[number];
  sampler: (typeof TRACES_SAMPLERS)[number];
  samplerRatio: number;
  resourceAttributes: Record<string, string>;
}

const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

export function tracingSection(v: ValuesOf<typeof TRACING_VARIABLES>): TracingConfig {
  const base = (v.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
  return {
    enabled: v.ENABLE_TRACING && !v.OTEL_SDK_DISABLED,
    serviceName: v.OTEL_SERVICE_NAME,
    exporter: v.OTEL_TRACES_EXPORTER,
    otlpTracesUrl: v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base}/v1/traces`,
    protocol: v.OTEL_EXPORTER_OTLP_PROTOCOL,
    sampler: v.OTEL_TRACES_SAMPLER,
    samplerRatio: v.OTEL_TRACES_SAMPLER_ARG,
    resourceAttributes: v.OTEL_RESOURCE_ATTRIBUTES ?? {},
  };
}
