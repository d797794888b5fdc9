/**
 * The REST half of `npm run schema:check`: the changes between the released OpenAPI document and
 * the working tree's that break a client written against the release. A small structural check
 * (the libraries that diff OpenAPI documents refuse 3.1, which ours is), over what clients of
 * this API depend on:
 *
 * - a path, a method, a response status or a response media type removed (an operation or a
 *   path the release marked `deprecated: true` may go: deprecation first, removal later);
 * - a response property removed (unless the release marked it `deprecated: true`), no longer
 *   required, or given a type it could not have (enum values added to a response are accepted,
 *   as in GraphQL: clients tolerate unknown ones);
 * - a request body that becomes required, a request media type removed, a request property or a
 *   parameter that becomes required (new and required, or made required), a request property
 *   that loses a type or enum value it accepted.
 *
 * Schemas are compared property by property: `$ref`s to components are followed, `anyOf`/`oneOf`
 * branches merge (a property exists if a branch has it), array items are `name[]`. Limits: it
 * does not compare formats, patterns or bounds (minLength, minimum), which a change should not
 * tighten either: review them by eye.
 */

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Json {
  return isObject(value) ? value : {};
}

function objectAt(value: unknown, key: string): Json {
  return isObject(value) ? asObject(value[key]) : {};
}

/** The path of the property holding `path` ('' for a top-level property). */
function parentOf(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  return dot === -1 ? '' : path.slice(0, dot);
}

/** What a schema says of one property path: its types, whether it must be there, its enum. */
interface PropertyFacts {
  types: Set<string>;
  required: boolean;
  enum: Set<string> | null;
  /** `deprecated: true`: a later release may remove it. */
  deprecated: boolean;
}

type Shape = Map<string, PropertyFacts>;

/** A local `$ref` (`#/components/schemas/Error`) followed to its schema. */
function resolve(document: Json, schema: Json, seen: Set<string>): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || seen.has(ref)) return schema;
  seen.add(ref);
  let target: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isObject(target) ? resolve(document, target, seen) : schema;
}

function typesOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === 'string') return [schema.type];
  if (isObject(schema.properties)) return ['object'];
  return [];
}

function record(shape: Shape, path: string, facts: PropertyFacts): void {
  const known = shape.get(path);
  if (!known) {
    shape.set(path, facts);
    return;
  }
  for (const type of facts.types) known.types.add(type);
  known.required ||= facts.required;
  known.deprecated ||= facts.deprecated;
  known.enum = known.enum && facts.enum ? new Set([...known.enum, ...facts.enum]) : null;
}

/** Every property path of `schema` (the root is ''), branches merged. */
function shapeOf(
  document: Json,
  schema: unknown,
  path = '',
  required = true,
  shape: Shape = new Map(),
): Shape {
  if (!isObject(schema)) return shape;
  const resolved = resolve(document, schema, new Set());
  const branches = [resolved.anyOf, resolved.oneOf, resolved.allOf].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  const types = typesOf(resolved);
  // A schema without a type (and no branch to give one) accepts anything.
  const facts: PropertyFacts = {
    types: new Set(types.length === 0 && branches.length === 0 ? ['any'] : types),
    required,
    enum: Array.isArray(resolved.enum) ? new Set(resolved.enum.map((value) => JSON.stringify(value))) : null,
    deprecated: resolved.deprecated === true || schema.deprecated === true,
  };
  record(shape, path, facts);
  for (const branch of branches) {
    // A branch's types are the property's types too.
    const branchShape = shapeOf(document, branch, path, required);
    for (const [branchPath, branchFacts] of branchShape) record(shape, branchPath, branchFacts);
  }
  const requiredNames = new Set(Array.isArray(resolved.required) ? resolved.required.map(String) : []);
  for (const [name, property] of Object.entries(objectAt(resolved, 'properties'))) {
    const child = path === '' ? name : `${path}.${name}`;
    shapeOf(document, property, child, requiredNames.has(name), shape);
  }
  if (isObject(resolved.items)) shapeOf(document, resolved.items, `${path}[]`, true, shape);
  return shape;
}

/** Whether every type of `narrow` is one `wide` has (an integer is a number; `any` has all). */
function covers(wide: Set<string>, narrow: Set<string>): boolean {
  if (wide.has('any')) return true;
  return [...narrow].every((type) => wide.has(type) || (type === 'integer' && wide.has('number')));
}

const named = (path: string): string => (path === '' ? 'the body' : path);
const listed = (values: Iterable<string>): string => [...values].sort().join(', ');

function responseShapeChanges(released: Shape, current: Shape): string[] {
  const problems: string[] = [];
  for (const [path, before] of released) {
    const now = current.get(path);
    if (!now) {
      // Said once, for the outermost property removed; a deprecated one may go.
      if (!before.deprecated && (path === '' || current.has(parentOf(path)))) {
        problems.push(`${named(path)} removed`);
      }
      continue;
    }
    if (before.required && !now.required) problems.push(`${named(path)} no longer required`);
    if (!covers(before.types, now.types)) {
      problems.push(`${named(path)} may now be ${listed(now.types)} (was ${listed(before.types)})`);
    }
  }
  return problems;
}

function requestShapeChanges(released: Shape, current: Shape): string[] {
  const problems: string[] = [];
  for (const [path, now] of current) {
    const before = released.get(path);
    // Required inside a property that is new itself: no existing request has to change.
    if (now.required && !before?.required && path !== '' && released.has(parentOf(path))) {
      problems.push(`${named(path)} ${before ? 'now required' : 'added as required'}`);
    }
    if (!before) continue;
    if (!covers(now.types, before.types)) {
      problems.push(`${named(path)} no longer accepts ${listed(before.types)} (now ${listed(now.types)})`);
    }
    const dropped = before.enum && now.enum ? [...before.enum].filter((value) => !now.enum?.has(value)) : [];
    if (dropped.length > 0) problems.push(`${named(path)} no longer accepts ${dropped.join(', ')}`);
  }
  return problems;
}

function contentChanges(
  documents: { released: Json; current: Json },
  released: Json,
  current: Json,
  direction: 'request' | 'response',
): string[] {
  const problems: string[] = [];
  const nowContent = objectAt(current, 'content');
  for (const [mediaType, media] of Object.entries(objectAt(released, 'content'))) {
    if (!(mediaType in nowContent)) {
      problems.push(`${mediaType} removed`);
      continue;
    }
    const before = shapeOf(documents.released, objectAt(media, 'schema'));
    const now = shapeOf(documents.current, objectAt(nowContent[mediaType], 'schema'));
    const found =
      direction === 'response' ? responseShapeChanges(before, now) : requestShapeChanges(before, now);
    problems.push(...found.map((problem) => `${mediaType}: ${problem}`));
  }
  return problems;
}

function parameterChanges(released: Json, current: Json): string[] {
  const key = (parameter: Json) => `${String(parameter.in)} parameter ${String(parameter.name)}`;
  const parameters = (operation: Json) =>
    new Map(
      (Array.isArray(operation.parameters) ? operation.parameters : [])
        .filter(isObject)
        .map((parameter) => [key(parameter), parameter] as const),
    );
  const before = parameters(released);
  const problems: string[] = [];
  for (const [name, parameter] of parameters(current)) {
    const old = before.get(name);
    if (parameter.required === true && old?.required !== true) {
      problems.push(`${name} ${old ? 'now required' : 'added as required'}`);
    }
    if (
      old &&
      !covers(new Set(typesOf(objectAt(parameter, 'schema'))), new Set(typesOf(objectAt(old, 'schema'))))
    ) {
      problems.push(`${name} no longer accepts every type it did`);
    }
  }
  return problems;
}

function operationChanges(
  documents: { released: Json; current: Json },
  released: Json,
  current: Json,
): string[] {
  const problems = parameterChanges(released, current);
  const bodyBefore = objectAt(released, 'requestBody');
  const bodyNow = objectAt(current, 'requestBody');
  if (bodyNow.required === true && bodyBefore.required !== true) problems.push('request body now required');
  problems.push(...contentChanges(documents, bodyBefore, bodyNow, 'request').map((p) => `request ${p}`));
  const responsesNow = objectAt(current, 'responses');
  for (const [status, response] of Object.entries(objectAt(released, 'responses'))) {
    if (!(status in responsesNow)) {
      problems.push(`response ${status} removed`);
      continue;
    }
    const found = contentChanges(documents, asObject(response), asObject(responsesNow[status]), 'response');
    problems.push(...found.map((problem) => `response ${status} ${problem}`));
  }
  return problems;
}

/** The breaking changes from `released` to `current`, one line each (`METHOD /path: what`). */
export function openApiBreakingChanges(released: unknown, current: unknown): string[] {
  const documents = {
    released: isObject(released) ? released : {},
    current: isObject(current) ? current : {},
  };
  const pathsNow = objectAt(documents.current, 'paths');
  const problems: string[] = [];
  for (const [path, item] of Object.entries(objectAt(documents.released, 'paths'))) {
    const methods = METHODS.filter((method) => isObject(asObject(item)[method]));
    const deprecated = (method: string) => objectAt(item, method).deprecated === true;
    if (!(path in pathsNow)) {
      // Once every operation of the path was deprecated, it may go.
      if (!methods.every(deprecated)) problems.push(`${path}: path removed`);
      continue;
    }
    for (const method of methods) {
      const operation = `${method.toUpperCase()} ${path}`;
      const now = objectAt(pathsNow[path], method);
      if (Object.keys(now).length === 0) {
        if (!deprecated(method)) problems.push(`${operation}: method removed`);
        continue;
      }
      const found = operationChanges(documents, objectAt(item, method), now);
      problems.push(...found.map((problem) => `${operation}: ${problem}`));
    }
  }
  return problems;
}
