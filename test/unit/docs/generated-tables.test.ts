import {
  GENERATED_TABLES,
  readGeneratedBlock,
  renderAuthorizationTable,
  renderEnvironmentTable,
  renderErrorReasonsTable,
  writeGeneratedBlock,
} from '../../../dev/doc-tables.js';
import { ENVIRONMENT_VARIABLES } from '../../../src/config/env.js';
import { OPERATION_KEYS, OPERATIONS } from '../../../src/domain/authorization/operations.js';
import { ERROR_REASONS } from '../../../src/domain/error-reasons.js';
import { readDoc, tableAfter } from './markdown.js';

/** The rows of a rendered table, as cells. */
function rows(table: string): string[][] {
  return tableAfter(`# t\n\n${table}\n`, '# t');
}

describe('the generated tables of the docs', () => {
  it.each(GENERATED_TABLES)(
    '$file holds $name exactly as $source makes it (npm run docs:tables)',
    (table) => {
      const block = readGeneratedBlock(readDoc(table.file), table.name);
      expect(block).toBeDefined();
      expect(block).toBe(table.render());
    },
  );

  it('lists every environment variable with whether it is required, its default and its meaning', () => {
    const table = rows(renderEnvironmentTable());
    expect(table.map((row) => row[0])).toEqual(
      ENVIRONMENT_VARIABLES.map((variable) => `\`${variable.name}\``),
    );
    const secret = table.find((row) => row[0] === '`BANDYER_API_SECRET_KEY`');
    expect(secret?.slice(1, 3)).toEqual(['yes', '–']);
    const port = table.find((row) => row[0] === '`PORT`');
    expect(port?.[2]).toBe('`3000`');
    expect(port?.[3]).toContain('Accepted: 0 to 65535.');
  });

  it('lists every error reason with its meaning, and no other', () => {
    expect(rows(renderErrorReasonsTable())).toEqual(
      Object.entries(ERROR_REASONS).map(([reason, meaning]) => [`\`${reason}\``, meaning]),
    );
  });

  it('lists every operation key with its default expression, pipes kept inside their cell', () => {
    const table = rows(renderAuthorizationTable());
    expect(table.map((row) => [row[0], row[2]])).toEqual(
      OPERATION_KEYS.map((key) => [`\`${key}\``, `\`${OPERATIONS[key].default}\``]),
    );
    expect(table.find((row) => row[0] === '`createTeleconsultation`')?.[2]).toBe(
      '`inPlusGroups || isBackoffice`',
    );
  });
});

describe('writing a generated block', () => {
  const table = GENERATED_TABLES[0] ?? (undefined as never);

  it('replaces what is between the markers and nothing else', () => {
    const page = `# Page\n\nbefore\n\n<!-- generated:start ${table.name} (old note) -->\n| stale |\n<!-- generated:end ${table.name} -->\n\nafter\n`;
    const written = writeGeneratedBlock(page, table);
    expect(written.startsWith('# Page\n\nbefore\n\n<!-- generated:start ')).toBe(true);
    expect(written.endsWith(`\n<!-- generated:end ${table.name} -->\n\nafter\n`)).toBe(true);
    expect(readGeneratedBlock(written, table.name)).toBe(table.render());
    expect(writeGeneratedBlock(written, table)).toBe(written);
  });

  it('refuses a page without the markers rather than guessing where the table goes', () => {
    expect(() => writeGeneratedBlock('# Page\n', table)).toThrow(/has no generated block/);
  });
});
