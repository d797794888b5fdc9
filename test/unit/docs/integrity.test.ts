import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { anchors, documentationFiles, inlineCode, prose, ROOT, readDoc, relativeLinks } from './markdown.js';

const pages = documentationFiles();

describe('the README', () => {
  it('stays a front door: at most about 15 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(15 * 1024);
  });

  it('starts with the two commands that work on a fresh clone', () => {
    const [, firstBlock] = readDoc('README.md').split('```sh\n');
    expect(firstBlock?.split('```')[0]).toMatch(/^npm ci && npm run demo .*\nnpm ci && npm test .*\n$/);
  });
});

describe.each(pages)('%s', (page) => {
  const markdown = readDoc(page);

  it('links only to files and headings that exist', () => {
    const broken = relativeLinks(markdown).filter(({ target }) => {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? page : normalize(join(dirname(page), decodeURI(path)));
      if (!existsSync(join(ROOT, file))) return true;
      if (anchor === undefined || !file.endsWith('.md')) return false;
      return !anchors(readDoc(file)).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('keeps runnable operations and calls in code blocks, where the examples test runs them', () => {
    const lines = markdown.split('\n');
    // Table cells name signatures (`subscription { teleconsultationChanged(id, …) }`), not examples.
    const inline = inlineCode(markdown)
      .filter(({ line }) => !lines[line - 1]?.trimStart().startsWith('|'))
      .filter(({ code }) => /^(?:(?:query|mutation|subscription)\b.*\{|curl\s)/.test(code));
    expect(inline).toEqual([]);
  });

  it('names only files of the repository that exist', () => {
    if (page === 'CONTRIBUTING.md') return; // its how-tos name files a change creates
    const named = inlineCode(markdown)
      .map(({ code }) => code)
      .filter((code) => /^(?:src|dev|test|bench|schema)\/[\w./-]+$/.test(code))
      .filter((path) => !existsSync(join(ROOT, path.replace(/\/$/, ''))));
    expect(named).toEqual([]);
  });
});

describe('pointers outside the repository', () => {
  function files(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'generated' ? [] : files(path);
      return /\.(ts|js|cjs|md)$/.test(entry.name) ? [path] : [];
    });
  }

  /** The team's specification folder beside the repository, or any absolute path of this machine. */
  const OUTSIDE = /shared\/spec\b|\/work\/(?:shared|seeds)\b|\.\.\/seeds\//;
  const pointing = [...['src', 'dev', 'test', 'bench', 'docs'].flatMap(files), 'README.md', 'CONTRIBUTING.md']
    .filter((file) => !file.startsWith('test/unit/docs/'))
    .filter((file) => OUTSIDE.test(readFileSync(join(ROOT, file), 'utf8')));

  it('exist nowhere: specifications the code cites are in docs/specs/', () => {
    expect(pointing).toEqual([]);
  });

  it('are not in the prose of the docs either', () => {
    expect(pages.filter((page) => OUTSIDE.test(prose(readDoc(page))))).toEqual([]);
  });
});
