import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { graphqlChanges, type JudgedChange } from '../../../dev/schema-compat/graphql-changes.js';
import { openApiBreakingChanges } from '../../../dev/schema-compat/openapi-changes.js';

/**
 * `npm run schema:check`: what it fails on and what it lets through, on changes made to the
 * released artifacts themselves (schema/released/).
 */

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const RELEASED_SDL = read('schema/released/schema.graphql');

/** `sdl` with `from` replaced by `to`; fails if `from` is not there, so a test cannot go stale. */
function edit(sdl: string, from: string, to: string): string {
  if (!sdl.includes(from)) throw new Error(`not in the SDL: ${from}`);
  return sdl.replace(from, to);
}

const breaking = (changes: JudgedChange[]) =>
  changes.filter((change) => change.verdict === 'breaking').map((change) => [change.type, change.path]);

describe('schema check: GraphQL', () => {
  it('finds nothing between the released SDL and itself', async () => {
    expect(await graphqlChanges(RELEASED_SDL, RELEASED_SDL)).toEqual([]);
  });

  it('fails when a field is removed', async () => {
    const current = edit(
      RELEASED_SDL,
      'type CompanyLogo {\n  url: URL\n}',
      'type CompanyLogo {\n  _: Boolean\n}',
    );

    expect(breaking(await graphqlChanges(RELEASED_SDL, current))).toContainEqual([
      'FIELD_REMOVED',
      'CompanyLogo.url',
    ]);
  });

  it('fails when an argument becomes required, or a required one is added', async () => {
    const required = edit(RELEASED_SDL, '    from: DateTime\n', '    from: DateTime!\n');
    const added = edit(
      RELEASED_SDL,
      'teleconsultation(id: ID!, language: String,',
      'teleconsultation(id: ID!, tenant: ID!, language: String,',
    );

    expect(breaking(await graphqlChanges(RELEASED_SDL, required))).toEqual([
      ['FIELD_ARGUMENT_TYPE_CHANGED', 'Query.myTeleconsultations.from'],
    ]);
    expect(breaking(await graphqlChanges(RELEASED_SDL, added))).toEqual([
      ['FIELD_ARGUMENT_ADDED', 'Query.teleconsultation.tenant'],
    ]);
  });

  it('passes additive changes: a field, an optional argument, an enum value (the last two DANGEROUS, accepted)', async () => {
    let current = edit(
      RELEASED_SDL,
      'type CompanyLogo {\n  url: URL\n}',
      'type CompanyLogo {\n  url: URL\n  alt: String\n}',
    );
    current = edit(current, '    from: DateTime\n', '    from: DateTime\n    timezone: String\n');
    current = edit(current, '  NONE\n}', '  NONE\n\n  """Recorded on request."""\n  ON_REQUEST\n}');

    const changes = await graphqlChanges(RELEASED_SDL, current);

    expect(breaking(changes)).toEqual([]);
    expect(changes.map((change) => [change.verdict, change.level, change.type, change.path])).toEqual([
      ['accepted', 'DANGEROUS', 'FIELD_ARGUMENT_ADDED', 'Query.myTeleconsultations.timezone'],
      ['accepted', 'DANGEROUS', 'ENUM_VALUE_ADDED', 'RecordingMode.ON_REQUEST'],
      ['safe', 'NON_BREAKING', 'FIELD_ADDED', 'CompanyLogo.alt'],
      ['safe', 'NON_BREAKING', 'ENUM_VALUE_DESCRIPTION_CHANGED', 'RecordingMode.ON_REQUEST'],
    ]);
  });

  it('fails a DANGEROUS change that is not additive: a changed default', async () => {
    const current = edit(RELEASED_SDL, '    first: Int = 20\n', '    first: Int = 50\n');

    expect(breaking(await graphqlChanges(RELEASED_SDL, current))).toEqual([
      ['FIELD_ARGUMENT_DEFAULT_CHANGED', 'Query.myTeleconsultations.first'],
    ]);
  });

  it('lets a field go once a release deprecated it, and not before; a removed type always fails', async () => {
    const deprecated = edit(
      RELEASED_SDL,
      'type CompanyLogo {\n  url: URL\n}',
      'type CompanyLogo {\n  url: URL\n  href: URL @deprecated(reason: "Use url.")\n}',
    );
    const withoutHref = edit(deprecated, '  href: URL @deprecated(reason: "Use url.")\n', '');
    const withoutUrl = edit(deprecated, '  url: URL\n  href', '  href');

    expect(breaking(await graphqlChanges(deprecated, withoutHref))).toEqual([]);
    expect(await graphqlChanges(deprecated, withoutHref)).toMatchObject([
      { verdict: 'accepted', level: 'DANGEROUS', type: 'FIELD_REMOVED', path: 'CompanyLogo.href' },
    ]);
    expect(breaking(await graphqlChanges(deprecated, withoutUrl))).toEqual([
      ['FIELD_REMOVED', 'CompanyLogo.url'],
    ]);

    const withType = edit(RELEASED_SDL, 'type PageInfo {', 'type Unused {\n  a: Int\n}\n\ntype PageInfo {');
    expect(breaking(await graphqlChanges(withType, RELEASED_SDL))).toEqual([['TYPE_REMOVED', 'Unused']]);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the tests edit JSON documents freely
type Json = Record<string, any>;

const RELEASED_OPENAPI: Json = JSON.parse(read('schema/released/openapi.json'));
/** A copy of the released document, changed by `change`. */
function changed(change: (document: Json) => void): Json {
  const copy = structuredClone(RELEASED_OPENAPI);
  change(copy);
  return copy;
}
const credentials201 = (document: Json) =>
  document.paths['/credentials'].post.responses['201'].content['application/json'].schema;
const credentialsBody = (document: Json) =>
  document.paths['/credentials'].post.requestBody.content['application/json'].schema;

describe('schema check: OpenAPI', () => {
  it('finds nothing between the released document and itself (refs, anyOf and oneOf included)', () => {
    expect(openApiBreakingChanges(RELEASED_OPENAPI, structuredClone(RELEASED_OPENAPI))).toEqual([]);
  });

  it('fails when a path, a method or a response status is removed', () => {
    expect(
      openApiBreakingChanges(
        RELEASED_OPENAPI,
        changed((d) => delete d.paths['/credentials']),
      ),
    ).toEqual(['/credentials: path removed']);
    expect(
      openApiBreakingChanges(
        RELEASED_OPENAPI,
        changed((d) => delete d.paths['/teleconsultation/{id}'].patch),
      ),
    ).toEqual(['PATCH /teleconsultation/{id}: method removed']);
    expect(
      openApiBreakingChanges(
        RELEASED_OPENAPI,
        changed((d) => delete d.paths['/credentials'].post.responses['502']),
      ),
    ).toEqual(['POST /credentials: response 502 removed']);
  });

  it('fails when a response field is removed, no longer required, or may have another type', () => {
    const removed = changed((d) => {
      delete credentials201(d).properties.bandyerUserId;
      credentials201(d).required = ['accessToken', 'expiresAt'];
    });
    const optional = changed((d) => {
      credentials201(d).required = ['accessToken', 'bandyerUserId'];
    });
    const nullable = changed((d) => {
      credentials201(d).properties.accessToken.type = ['string', 'null'];
    });
    // Through a $ref: the shared Error schema answers every error status.
    const errorField = changed((d) => {
      delete d.components.schemas.Error.properties.code;
      d.components.schemas.Error.required = ['error'];
    });

    expect(openApiBreakingChanges(RELEASED_OPENAPI, removed)).toEqual([
      'POST /credentials: response 201 application/json: bandyerUserId removed',
    ]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, optional)).toEqual([
      'POST /credentials: response 201 application/json: expiresAt no longer required',
    ]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, nullable)).toEqual([
      'POST /credentials: response 201 application/json: accessToken may now be null, string (was string)',
    ]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, errorField)).toContain(
      'POST /credentials: response 400 application/json: code removed',
    );
  });

  it('fails when a request field or a parameter becomes required, or a request field narrows', () => {
    const newRequired = changed((d) => {
      credentialsBody(d).properties.deviceId = { type: 'string' };
      credentialsBody(d).required = ['deviceId'];
    });
    const madeRequired = changed((d) => {
      credentialsBody(d).required = ['expiresIn'];
    });
    const parameter = changed((d) => {
      d.paths['/teleconsultation/{id}'].get.parameters.push({ in: 'query', name: 'tenant', required: true });
    });
    const narrowed = changed((d) => {
      d.paths['/teleconsultation/{id}'].patch.requestBody.content[
        'application/json'
      ].schema.properties.recording.enum = ['none', 'manual'];
    });

    expect(openApiBreakingChanges(RELEASED_OPENAPI, newRequired)).toEqual([
      'POST /credentials: request application/json: deviceId added as required',
    ]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, madeRequired)).toEqual([
      'POST /credentials: request application/json: expiresIn now required',
    ]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, parameter)).toEqual([
      'GET /teleconsultation/{id}: query parameter tenant added as required',
    ]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, narrowed)).toEqual([
      'PATCH /teleconsultation/{id}: request application/json: recording no longer accepts "automatic"',
    ]);
  });

  it('lets an operation or a response field go once a release deprecated it, and not before', () => {
    const deprecated = changed((d) => {
      d.paths['/teleconsultation/{id}'].patch.deprecated = true;
      credentials201(d).properties.bandyerUserId.deprecated = true;
    });
    const removed = (document: Json) => {
      const copy = structuredClone(document);
      delete copy.paths['/teleconsultation/{id}'].patch;
      delete credentials201(copy).properties.bandyerUserId;
      credentials201(copy).required = ['accessToken', 'expiresAt'];
      return copy;
    };

    expect(openApiBreakingChanges(deprecated, removed(deprecated))).toEqual([]);
    expect(openApiBreakingChanges(RELEASED_OPENAPI, removed(RELEASED_OPENAPI))).toEqual([
      'PATCH /teleconsultation/{id}: method removed',
      'POST /credentials: response 201 application/json: bandyerUserId removed',
    ]);
  });

  it('passes additive changes: a path, a status, an optional request field, a response field', () => {
    const additive = changed((d) => {
      d.paths['/health'] = { get: { responses: { 200: { description: 'Up.' } } } };
      d.paths['/credentials'].post.responses['429'] = { description: 'Too many requests.' };
      credentialsBody(d).properties.deviceId = { type: 'string' };
      credentials201(d).properties.refreshToken = { type: 'string' };
      // A new object with a required field inside: required only when the object is sent.
      credentialsBody(d).properties.device = {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' } },
      };
      // A response may widen an enum, as GraphQL may add enum values.
      credentials201(d).properties.bandyerUserId.enum = undefined;
    });

    expect(openApiBreakingChanges(RELEASED_OPENAPI, additive)).toEqual([]);
  });
});
