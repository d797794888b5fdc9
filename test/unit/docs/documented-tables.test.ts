import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { isOperationKey } from '../../../src/domain/authorization/operations.js';
import { codeNames, ROOT, readDoc, tableAfter } from './markdown.js';

/**
 * The tables of the docs that describe a committed artifact (the schema, the OpenAPI document,
 * the config file's JSON Schema, package.json) name exactly what the artifact holds: a change to
 * one without the other fails here.
 */
function json<T>(file: string): T {
  return JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;
}

describe('the GraphQL operations table (docs/graphql-api.md)', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'schema/schema.graphql'), 'utf8'));
  const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
    .filter((type): type is GraphQLObjectType => type !== null && type !== undefined)
    .flatMap((type) => Object.keys(type.getFields()));
  const documented = tableAfter(readDoc('docs/graphql-api.md'), '## Operations')
    .flatMap((row) => codeNames(row[0] ?? ''))
    .map((name) => /^(?:subscription\s*\{\s*)?([A-Za-z_]\w*)/.exec(name)?.[1] ?? name);

  it('names every query, mutation and subscription of the schema', () => {
    expect(rootFields.filter((field) => !documented.includes(field))).toEqual([]);
  });

  it('names nothing the schema does not have', () => {
    expect(documented.filter((name) => !rootFields.includes(name))).toEqual([]);
  });
});

describe('the REST routes table (docs/rest-api.md)', () => {
  const openapi = json<{ paths: Record<string, Record<string, unknown>> }>('schema/openapi.json');
  const served = Object.entries(openapi.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  const table = tableAfter(readDoc('docs/rest-api.md'), '## Routes');

  it('has one row per route of the OpenAPI document, and no other', () => {
    const documented = table
      .map((row) => codeNames(row[0] ?? '')[0] ?? '')
      .map((call) => call.replace(/\?.*$/, '').replace(/:(\w+)/g, '{$1}'))
      .sort();
    expect(documented).toEqual(served);
  });

  it("names each route's policy key, a key of the operations table", () => {
    const keys = table.map((row) => codeNames(row.at(-1) ?? '')[0] ?? '');
    expect(keys.filter((key) => !isOperationKey(key))).toEqual([]);
  });
});

describe('the configuration file table (docs/configuration.md)', () => {
  it('describes every top-level property of the file, and no other', () => {
    const schema = json<{ properties: Record<string, unknown> }>('schema/service-config.schema.json');
    const documented = tableAfter(readDoc('docs/configuration.md'), '## The configuration file')
      .flatMap((row) => codeNames(row[0] ?? ''))
      .map((name) => name.split('.')[0] ?? name);
    expect([...new Set(documented)].sort()).toEqual(Object.keys(schema.properties).sort());
  });
});

describe('package.json in the docs', () => {
  const manifest = json<{
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  }>('package.json');

  it('has every npm script in the scripts table of CONTRIBUTING.md', () => {
    const documented = tableAfter(readDoc('CONTRIBUTING.md'), '## Scripts')
      .flatMap((row) => codeNames(row[0] ?? ''))
      .map((command) => command.replace(/^npm (?:run )?/, ''));
    const missing = Object.keys(manifest.scripts).filter((script) => !documented.includes(script));
    expect(missing).toEqual([]);
  });

  it('says why each dependency is there (docs/dependencies.md)', () => {
    const page = readDoc('docs/dependencies.md');
    const names = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];
    const unexplained = names.filter(
      (name) =>
        !page.includes(`\`${name}\``) &&
        !(name.startsWith('@') && page.includes(`\`${name.split('/')[0]}/*\``)),
    );
    expect(unexplained).toEqual([]);
  });
});
