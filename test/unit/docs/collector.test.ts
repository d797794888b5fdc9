import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { ROOT, readDoc } from './markdown.js';

/**
 * The example OpenTelemetry Collector configuration of docs/operations.md#tracing: no collector
 * runs here, so what can be checked without one is: it is YAML, every pipeline names components
 * the file defines, and it receives what the gateway sends (OTLP over HTTP on 4318).
 */
const FILE = 'deploy/opentelemetry/collector.yaml';
const config = parse(readFileSync(join(ROOT, FILE), 'utf8')) as {
  receivers: Record<string, { protocols?: { http?: { endpoint?: string } } }>;
  processors: Record<string, unknown>;
  exporters: Record<string, unknown>;
  service: { pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
};

describe('the example collector configuration', () => {
  it('receives OTLP over HTTP on 4318, where OTEL_EXPORTER_OTLP_ENDPOINT points', () => {
    expect(config.receivers.otlp?.protocols?.http?.endpoint).toBe('0.0.0.0:4318');
  });

  it('has a traces pipeline from the otlp receiver, through batch, to an otlphttp exporter', () => {
    const traces = config.service.pipelines.traces;
    expect(traces?.receivers).toEqual(['otlp']);
    expect(traces?.processors).toContain('batch');
    expect(traces?.processors[0]).toBe('memory_limiter');
    expect(traces?.exporters.some((name) => name.split('/')[0] === 'otlphttp')).toBe(true);
  });

  it('defines every component a pipeline names', () => {
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const name of pipeline.receivers) expect(Object.keys(config.receivers)).toContain(name);
      for (const name of pipeline.processors) expect(Object.keys(config.processors)).toContain(name);
      for (const name of pipeline.exporters) expect(Object.keys(config.exporters)).toContain(name);
    }
  });

  it('is the file the operations guide links to', () => {
    expect(readDoc('docs/operations.md')).toContain(`(../${FILE})`);
  });
});
