import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every markdown page of the documentation, relative to the root: the front door, docs/, the how-tos. */
export function documentationFiles(): string[] {
  const docs: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) docs.push(path);
    }
  };
  walk('docs');
  return ['README.md', 'CONTRIBUTING.md', 'bench/README.md', ...docs.sort()];
}

export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

export function relativeToRoot(path: string): string {
  return relative(ROOT, path);
}

/** A fenced code block: where it is, its language and its text (without the fence's indentation). */
export interface CodeBlock {
  file: string;
  /** 1-based line of the first line inside the fence. */
  line: number;
  lang: string;
  code: string;
}

const OPEN = /^( *)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

export function codeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const trimmed = line.trim();
      if (trimmed.startsWith(fence) && /^[`~]+$/.test(trimmed) && trimmed[0] === fence[0]) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    blocks.push({ file, line: i + 2, lang: lang.toLowerCase(), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The markdown outside fenced code blocks (same line count: fenced lines become empty). */
export function prose(markdown: string): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const trimmed = line.trim();
      if (fence === undefined) {
        const open = OPEN.exec(line);
        if (open) {
          fence = open[2];
          return '';
        }
        return line;
      }
      if (trimmed.startsWith(fence) && /^[`~]+$/.test(trimmed)) fence = undefined;
      return '';
    })
    .join('\n');
}

/** Inline code spans of the prose, with their line. */
export function inlineCode(markdown: string): Array<{ line: number; code: string }> {
  return prose(markdown)
    .split('\n')
    .flatMap((text, index) =>
      [...text.matchAll(/(`+)([^`]+?)\1/g)].map((match) => ({
        line: index + 1,
        code: (match[2] ?? '').trim(),
      })),
    );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a page offers: its headings (numbered like GitHub when repeated). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Relative links of the prose (no scheme, no mail), with their line. */
export function relativeLinks(markdown: string): Array<{ line: number; target: string }> {
  return prose(markdown)
    .split('\n')
    .flatMap((text, index) =>
      [...text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1] ?? '')
        .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
        .map((target) => ({ line: index + 1, target })),
    );
}

/**
 * The rows of the first markdown table after `heading` (a line that starts with it), as cells
 * without their surrounding spaces; the header and separator rows are left out.
 */
export function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start < 0) throw new Error(`no "${heading}" in the page`);
  const first = lines.findIndex((line, index) => index > start && line.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i]?.startsWith('|'); i++) {
    // Split on the pipes that end cells, not on escaped ones (`a \|\| b` inside a cell).
    const cells = (lines[i] ?? '').split(/(?<!\\)\|/).slice(1, -1);
    rows.push(cells.map((cell) => cell.replaceAll('\\|', '|').trim()));
  }
  return rows;
}

/** The `names` in a cell: every `code span` (a name is what such a span holds, up to a parenthesis or space). */
export function codeNames(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}
