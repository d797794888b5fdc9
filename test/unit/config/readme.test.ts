import { readFile } from 'node:fs/promises';
import { ENVIRONMENT_VARIABLES } from '../../../src/config/env.js';
import { ERROR_REASONS } from '../../../src/domain/error-reasons.js';

/** The README's configuration table, row by row, as src/config/env.ts describes the variables. */
function expectedRow(variable: (typeof ENVIRONMENT_VARIABLES)[number]): string {
  const fallback = variable.default === undefined ? '–' : `\`${variable.default}\``;
  return `| \`${variable.name}\` | ${variable.required ? 'yes' : 'no'} | ${fallback} | ${variable.description} |`;
}

describe('README configuration table', () => {
  it('has one row per environment variable, with the default and meaning the code uses', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const missing = ENVIRONMENT_VARIABLES.map(expectedRow).filter((row) => !readme.includes(row));
    expect(missing).toEqual([]);
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (?:yes|no) \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(ENVIRONMENT_VARIABLES.map((v) => v.name).sort());
  });
});

describe('README error reasons table', () => {
  it('lists every reason of the typed list with its meaning, and no other', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const rows = Object.entries(ERROR_REASONS).map(([reason, meaning]) => `| \`${reason}\` | ${meaning} |`);
    expect(rows.filter((row) => !readme.includes(row))).toEqual([]);
    const start = readme.indexOf('| reason | meaning |');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| /gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_REASONS).sort());
  });
});
