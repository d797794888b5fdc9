/**
 * Reading what an OTLP/HTTP receiver got: the JSON encoding's spans (ids in hex, attribute values
 * unwrapped), and a walk of every export, whatever its encoding, for strings that must not be
 * there (names, ids, secrets planted by a test).
 */

export interface ReceivedExport {
  path: string;
  contentType: string;
  body: Buffer;
}

type AttributeValue = string | number | boolean | null;

export interface OtlpSpan {
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer (OTLP's numbering). */
  kind: number;
  attributes: Record<string, AttributeValue>;
  links: { traceId: string; spanId: string }[];
}

interface JsonValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: JsonValue }[];
  links?: { traceId: string; spanId: string }[];
}
interface JsonExport {
  resourceSpans: { scopeSpans: { scope: { name: string }; spans: JsonSpan[] }[] }[];
}

function unwrapped(value: JsonValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue;
  return value.doubleValue ?? null;
}

/** Every span of the JSON exports received. */
export function spansOf(exports: readonly ReceivedExport[]): OtlpSpan[] {
  return exports
    .filter((received) => received.contentType.startsWith('application/json'))
    .flatMap((received) => (JSON.parse(received.body.toString('utf8')) as JsonExport).resourceSpans)
    .flatMap((resource) => resource.scopeSpans)
    .flatMap(({ scope, spans }) =>
      spans.map((span) => ({
        scope: scope.name,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        kind: span.kind,
        attributes: Object.fromEntries(
          (span.attributes ?? []).map(({ key, value }) => [key, unwrapped(value)]),
        ),
        links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
      })),
    );
}

/**
 * Where a planted string shows up in what was exported: names, attributes, events, links, the
 * resource, in either encoding (strings are UTF-8 in both). Empty when nowhere.
 */
export function walkForPlanted(
  exports: readonly ReceivedExport[],
  planted: readonly string[],
): { planted: string; export: number }[] {
  return exports.flatMap((received, index) =>
    planted
      .filter((value) => received.body.includes(Buffer.from(value, 'utf8')))
      .map((value) => ({ planted: value, export: index })),
  );
}
