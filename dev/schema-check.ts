/**
 * `npm run schema:check`: compares the working tree's schema/schema.graphql and
 * schema/openapi.json with the last released copies in schema/released/ and fails on a change
 * that breaks a client of the release (graphql-changes.ts and openapi-changes.ts say what
 * counts). `npm run schema:release` (this file with `release`) prints the same report, then makes
 * the working tree's files the released ones. How to change the API: CONTRIBUTING.md.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlChanges } from './schema-compat/graphql-changes.js';
import { openApiBreakingChanges } from './schema-compat/openapi-changes.js';

// Compiled to dist-dev/dev/: the repository root is two levels up.
const root = join(import.meta.dirname, '..', '..');
const ARTIFACTS = ['schema.graphql', 'openapi.json'] as const;
const current = (file: string) => join(root, 'schema', file);
const released = (file: string) => join(root, 'schema', 'released', file);
const read = (path: string) => readFileSync(path, 'utf8');

const mode = process.argv[2] ?? 'check';
if (mode !== 'check' && mode !== 'release') {
  process.stderr.write(`usage: schema-check.js [check|release] (got ${mode})\n`);
  process.exit(2);
}

const missing = ARTIFACTS.filter((file) => !existsSync(released(file)));
if (missing.length > 0 && mode === 'check') {
  process.stderr.write(
    `schema/released/ lacks ${missing.join(' and ')}: run \`npm run schema:release\` once\n`,
  );
  process.exit(1);
}

let breaking = 0;
if (missing.length === 0) {
  const changes = await graphqlChanges(read(released('schema.graphql')), read(current('schema.graphql')));
  for (const change of changes) {
    const tag =
      change.verdict === 'breaking' ? 'BREAKING' : change.verdict === 'accepted' ? 'accepted' : 'safe';
    process.stdout.write(`graphql ${tag} (${change.level} ${change.type}) ${change.message}\n`);
  }
  const rest = openApiBreakingChanges(
    JSON.parse(read(released('openapi.json'))),
    JSON.parse(read(current('openapi.json'))),
  );
  for (const problem of rest) process.stdout.write(`openapi BREAKING ${problem}\n`);
  breaking = changes.filter((change) => change.verdict === 'breaking').length + rest.length;
  process.stdout.write(
    `schema: ${breaking} breaking change(s), ${changes.length} GraphQL change(s) in all, since the last release\n`,
  );
}

if (mode === 'release') {
  mkdirSync(join(root, 'schema', 'released'), { recursive: true });
  for (const file of ARTIFACTS) copyFileSync(current(file), released(file));
  process.stdout.write(`schema/released/ now holds this tree's ${ARTIFACTS.join(' and ')}\n`);
} else if (breaking > 0) {
  process.stderr.write(
    'schema: a client of the last release would break. Deprecate first, remove in a later release ' +
      '(CONTRIBUTING.md, "Change the API"); a release that breaks clients on purpose runs `npm run schema:release`.\n',
  );
  process.exit(1);
}
