/**
 * `npm run docs:tables`: rewrites every generated table of the docs from the code (see
 * doc-tables.ts) and says which files changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_TABLES, writeGeneratedBlock } from './doc-tables.js';

// Compiled to dist-dev/dev/: the repository root is two levels up.
const root = join(import.meta.dirname, '..', '..');

for (const table of GENERATED_TABLES) {
  const path = join(root, table.file);
  const before = readFileSync(path, 'utf8');
  const after = writeGeneratedBlock(before, table);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${table.file}: ${table.name} ${after === before ? 'unchanged' : 'rewritten'}\n`);
}
