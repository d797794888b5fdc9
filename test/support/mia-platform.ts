/**
 * Mia-Platform's own definitions, kept verbatim in test/fixtures/mia-platform/ (see its README),
 * compiled with ajv as lc39's tests and the marketplace catalog's checks do.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

const FIXTURES = new URL('../fixtures/mia-platform/', import.meta.url);

export function miaFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

/** lc39's tests/log.schema.json, compiled as lc39's own tests did (ajv 8, default options). */
export function lc39LogLineValidator(): ValidateFunction {
  return new Ajv().compile(miaFixture('lc39-log.schema.json') as object);
}

/** lc39's status route answers: the 200 schema (status OK) and the 503 one (status KO). */
export function lc39StatusValidators(): { 200: ValidateFunction; 503: ValidateFunction } {
  const { response } = miaFixture('lc39-status-routes.schema.json') as {
    response: { 200: object; 503: object };
  };
  const ajv = new Ajv();
  return { 200: ajv.compile(response[200]), 503: ajv.compile(response[503]) };
}

/**
 * The catalog's plugin manifest schema, compiled as the catalog's check-items script does:
 * draft-07 ajv with `addUsedSchema: false, allErrors: true` and ajv-formats (date-time, email).
 */
export function pluginManifestValidator(): ValidateFunction {
  const ajv = new Ajv({ addUsedSchema: false, allErrors: true });
  // ajv-formats is CommonJS: its function is the module itself, typed as the `default` it also sets.
  ajvFormats.default(ajv);
  return ajv.compile(miaFixture('plugin-manifest.schema.json') as object);
}

export type LogLine = Record<string, unknown> & { level: number; msg?: string; reqId?: string };

export function parseLogLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LogLine);
}

/** Property paths (`http.response.statusCode`) a line must carry. */
function missingPaths(line: object, paths: readonly string[]): string[] {
  return paths.filter((path) => {
    let current: unknown = line;
    for (const key of path.split('.')) {
      if (current === null || typeof current !== 'object' || !(key in current)) return true;
      current = (current as Record<string, unknown>)[key];
    }
    return current === undefined;
  });
}

/** What the `mia-json` request lines carry (docs/operations.md#logs), beyond lc39's lax schema. */
export const INCOMING_FIELDS = ['reqId', 'time', 'http.request.method', 'url.path', 'url.params', 'host.ip'];
export const COMPLETED_FIELDS = [...INCOMING_FIELDS, 'http.response.statusCode', 'responseTime'] as const;

/**
 * Every problem with `lines` as `mia-json` request logs: a line with a reqId that lc39's schema
 * refuses, a time that is not epoch milliseconds, a request line without a field it must carry.
 * Empty: all good.
 */
export function miaLogProblems(lines: readonly LogLine[]): string[] {
  const validate = lc39LogLineValidator();
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const where = `line ${index} (${line.msg})`;
    if (!Number.isInteger(line.time) || (line.time as number) < 1e12) {
      problems.push(`${where}: time ${JSON.stringify(line.time)} is not epoch milliseconds`);
    }
    const isRequestLine = line.msg === 'incoming request' || line.msg === 'request completed';
    if (line.reqId === undefined && !isRequestLine) return;
    if (!validate(line)) problems.push(`${where}: ${JSON.stringify(validate.errors)}`);
    const wanted =
      line.msg === 'request completed'
        ? COMPLETED_FIELDS
        : line.msg === 'incoming request'
          ? INCOMING_FIELDS
          : [];
    const missing = missingPaths(line, wanted);
    if (missing.length > 0) problems.push(`${where}: missing ${missing.join(', ')}`);
  });
  return problems;
}
