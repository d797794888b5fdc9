/**
 * The documentation tables that have one source of truth in the code: written into the docs by
 * `npm run docs:tables` between generated-block markers, and compared with the code by
 * test/unit/docs/generated-tables.test.ts, so a change in the code that the docs do not follow
 * fails the tests.
 */
import { ENVIRONMENT_VARIABLES } from '../src/config/env.js';
import { OPERATION_KEYS, OPERATIONS } from '../src/domain/authorization/operations.js';
import { ERROR_REASONS } from '../src/domain/error-reasons.js';

export interface GeneratedTable {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** The block's name in its markers. */
  name: string;
  /** Where the rows come from (said in the marker, so a reader knows where to edit). */
  source: string;
  render(): string;
}

/** A table cell: pipes would end the cell early, newlines the row. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function code(text: string): string {
  return text === '' ? '(empty)' : `\`${cell(text)}\``;
}

export function renderEnvironmentTable(): string {
  const rows = ENVIRONMENT_VARIABLES.map(
    (variable) =>
      `| \`${variable.name}\` | ${variable.required ? 'yes' : 'no'} | ${
        variable.default === undefined ? '–' : code(variable.default)
      } | ${cell(variable.description)} |`,
  );
  return ['| variable | required | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export function renderErrorReasonsTable(): string {
  const rows = Object.entries(ERROR_REASONS).map(
    ([reason, meaning]) => `| \`${reason}\` | ${cell(meaning)} |`,
  );
  return ['| reason | meaning |', '|---|---|', ...rows].join('\n');
}

export function renderAuthorizationTable(): string {
  const rows = OPERATION_KEYS.map(
    (key) => `| \`${key}\` | ${cell(OPERATIONS[key].description)} | ${code(OPERATIONS[key].default)} |`,
  );
  return ['| operation | what it guards | default |', '|---|---|---|', ...rows].join('\n');
}

export const GENERATED_TABLES: readonly GeneratedTable[] = [
  {
    file: 'docs/configuration.md',
    name: 'environment-variables',
    source: 'src/config/env.ts',
    render: renderEnvironmentTable,
  },
  {
    file: 'docs/graphql-api.md',
    name: 'error-reasons',
    source: 'src/domain/error-reasons.ts',
    render: renderErrorReasonsTable,
  },
  {
    file: 'docs/security.md',
    name: 'authorization-defaults',
    source: 'src/domain/authorization/operations.ts',
    render: renderAuthorizationTable,
  },
];

const START = /<!-- generated:start (\S+) [^\n]*-->\n/g;

function endMarker(name: string): string {
  return `<!-- generated:end ${name} -->`;
}

export function startMarker(table: GeneratedTable): string {
  return `<!-- generated:start ${table.name} (npm run docs:tables writes this table from ${table.source}: edit it there) -->`;
}

interface Block {
  /** Where the start marker begins. */
  start: number;
  /** Where the end marker begins. */
  end: number;
  /** What is between the two markers' lines. */
  content: string;
}

function findBlock(markdown: string, name: string): Block | undefined {
  for (const match of markdown.matchAll(START)) {
    if (match[1] !== name) continue;
    const from = match.index + match[0].length;
    const end = markdown.indexOf(endMarker(name), from);
    if (end < 0) throw new Error(`generated block "${name}" has no end marker`);
    return { start: match.index, end, content: markdown.slice(from, end).replace(/\n$/, '') };
  }
  return undefined;
}

/** The text between a block's markers, or undefined when the file has no such block. */
export function readGeneratedBlock(markdown: string, name: string): string | undefined {
  return findBlock(markdown, name)?.content;
}

/** The file with the block's content replaced (markers rewritten too); throws when the block is missing. */
export function writeGeneratedBlock(markdown: string, table: GeneratedTable): string {
  const block = findBlock(markdown, table.name);
  if (block === undefined) {
    throw new Error(`${table.file} has no generated block "${table.name}" (add its two markers)`);
  }
  return `${markdown.slice(0, block.start)}${startMarker(table)}\n${table.render()}\n${markdown.slice(block.end)}`;
}
