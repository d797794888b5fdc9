import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks a REST answer against an OpenAPI 3.1 document (by default the committed
 * schema/openapi.json, which other teams generate clients from): the status is declared for the
 * operation, the content type is one it declares for that status (none for a bodiless one), and
 * the body is valid against the declared schema, with **no property the document does not
 * declare** (objects are closed: `unevaluatedProperties: false` wherever the document leaves
 * them open), so a field added to an answer without the document fails too. The test gateway
 * (gateway.ts) runs it on every answer of a documented route.
 */

type Json = Record<string, unknown>;

/** One answer, as Fastify's onSend hook sees it. */
export interface RestAnswer {
  method: string;
  /** Fastify's route pattern (`/teleconsultation/:id`); undefined when no route matched. */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  /** The serialised body (a string or a Buffer); anything else (a stream) is not read. */
  payload: unknown;
}

export interface OpenApiResponseCheck {
  /** What is wrong with `answer` (empty when nothing is); null when no operation describes it. */
  violations(answer: RestAnswer): string[] | null;
}

const DOCUMENT_ID = 'openapi.json';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fastify's `/teleconsultation/:id` as OpenAPI writes it, `/teleconsultation/{id}`. */
export function openApiPath(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * A response schema ready to compile on its own: references point into the document (added to
 * Ajv under DOCUMENT_ID), and every object that lists properties without saying whether others
 * may appear is closed.
 */
function prepared(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepared);
  if (!isObject(schema)) return schema;
  const copy: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps names to schemas; `enum` and `const` hold values, not schemas.
    if (key === 'properties' && isObject(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, prepared(sub)]));
    } else if (key === 'enum' || key === 'const' || key === 'required') copy[key] = value;
    else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      copy[key] = `${DOCUMENT_ID}${value}`;
    else copy[key] = prepared(value);
  }
  if (
    isObject(schema.properties) &&
    !('additionalProperties' in schema) &&
    !('unevaluatedProperties' in schema)
  ) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}

/** The document's components, closed the same way, for the references to land on. */
function preparedDocument(document: Json): Json {
  return { $id: DOCUMENT_ID, components: prepared(document.components ?? {}) };
}

function mediaTypeOf(contentType: string | undefined): string | null {
  return contentType ? (contentType.split(';')[0]?.trim().toLowerCase() ?? null) : null;
}

function bodyText(payload: unknown): string | null {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (payload === null || payload === undefined) return '';
  return null;
}

/** Builds the check for `document`; schemas are compiled once each, on first use. */
export function openApiResponseCheck(document: unknown): OpenApiResponseCheck {
  if (!isObject(document) || !isObject(document.paths)) throw new Error('not an OpenAPI document');
  const paths = document.paths;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its function is the default export's `default`.
  addFormats.default(ajv);
  // Upload bodies are `format: binary`; answers never are, but the document names the format.
  ajv.addFormat('binary', true);
  ajv.addSchema(preparedDocument(document));
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: unknown): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(prepared(schema) as Json);
      compiled.set(key, validate);
    }
    return validate;
  };

  return {
    violations(answer) {
      if (answer.route === undefined) return null;
      const path = openApiPath(answer.route);
      const operation = isObject(paths[path])
        ? (paths[path] as Json)[answer.method.toLowerCase()]
        : undefined;
      if (!isObject(operation)) return null;
      const responses = isObject(operation.responses) ? operation.responses : {};
      const declared = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`];
      if (!isObject(declared)) {
        return [`status ${answer.status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
      }
      const content = isObject(declared.content) ? declared.content : {};
      const text = bodyText(answer.payload);
      const mediaTypes = Object.keys(content);
      if (mediaTypes.length === 0) {
        return text === '' || text === null
          ? []
          : [`status ${answer.status} declares no body, but one was sent`];
      }
      const mediaType = mediaTypeOf(answer.contentType);
      if (mediaType === null || !mediaTypes.includes(mediaType)) {
        return [
          `content type ${answer.contentType ?? '(none)'} is not declared (declared: ${mediaTypes.join(', ')})`,
        ];
      }
      if (text === null) return [];
      const schema = isObject(content[mediaType]) ? (content[mediaType] as Json).schema : undefined;
      if (schema === undefined) return [];
      let body: unknown = text;
      // JSON, and its suffixed kinds (application/fhir+json).
      if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
        try {
          body = JSON.parse(text);
        } catch {
          return ['the body is not JSON'];
        }
      }
      const validate = validatorFor(`${answer.method} ${path} ${answer.status} ${mediaType}`, schema);
      if (validate(body)) return [];
      return (validate.errors ?? []).map(
        (error) =>
          `body${error.instancePath} ${error.message ?? 'is invalid'}${
            error.keyword === 'unevaluatedProperties' ? ` (${String(error.params.unevaluatedProperty)})` : ''
          }`,
      );
    },
  };
}

let committed: OpenApiResponseCheck | undefined;

/** The check against the committed schema/openapi.json, built once per test file. */
export function committedOpenApiResponseCheck(): OpenApiResponseCheck {
  committed ??= openApiResponseCheck(
    JSON.parse(readFileSync(new URL('../../schema/openapi.json', import.meta.url), 'utf8')),
  );
  return committed;
}
