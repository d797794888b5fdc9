import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { printGatewaySchema } from '../../../src/graphql/print-schema.js';
import { buildGatewaySchema } from '../../../src/graphql/schema.js';
import { renderOpenApiDocument } from '../../../src/http/rest/openapi-document.js';

const root = new URL('../../../', import.meta.url);

describe('committed schema artifacts', () => {
  it('schema/schema.graphql is exactly what the type-graphql classes emit (run `npm run schema:emit`)', async () => {
    const committed = await readFile(new URL('schema/schema.graphql', root), 'utf8');
    expect(printGatewaySchema(await buildGatewaySchema())).toBe(committed);
  });

  it('schema/openapi.json is exactly what the REST routes declare (run `npm run openapi:emit`)', async () => {
    const committed = await readFile(new URL('schema/openapi.json', root), 'utf8');
    const { version } = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
      version: string;
    };
    expect(await renderOpenApiDocument(version)).toBe(committed);
  });

  it('test/generated/graphql.ts is current for the schema and operations (run `npm run codegen`)', async () => {
    const cli = new URL('node_modules/@graphql-codegen/cli/cjs/bin.js', root).pathname;
    // --check exits non-zero when generation would change a file.
    await expect(
      promisify(execFile)(process.execPath, [cli, '--config', 'codegen.yml', '--check'], {
        cwd: root.pathname,
      }),
    ).resolves.toBeDefined();
  }, 60_000);

  it('keeps the contract names other teams generate clients from', async () => {
    const sdl = await readFile(new URL('schema/schema.graphql', root), 'utf8');
    for (const line of [
      'teleconsultation(id: ID!, language: String, useBackground: Boolean): Teleconsultation',
      'serviceConfig: ServiceConfig!',
      'createTeleconsultation(input: CreateTeleconsultationInput!): Teleconsultation!',
      'addParticipants(id: ID!, participants: [ParticipantInput!]!): Teleconsultation!',
      'updateTeleconsultation(id: ID!, input: UpdateTeleconsultationInput!): Teleconsultation!',
      'deleteTeleconsultation(id: ID!): Teleconsultation!',
      'deleteTeleconsultationUploads(id: ID!): UploadsDeletion!',
      'accessLinkURL: URL',
      'lockedFrom: DateTime!',
    ]) {
      expect(sdl).toContain(line);
    }
  });
});
