import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeBlocks, documentationFiles, readDoc } from '../../unit/docs/markdown.js';
import { ExampleRunner } from './example-runner.js';

/**
 * Every GraphQL operation, curl call, configuration file and receiver of the documentation runs,
 * page by page and in the page's order, against a real gateway with the Kaleyra sandbox: an
 * example that stops working as written fails here (how to write one: CONTRIBUTING.md).
 */
const pages = documentationFiles()
  .map((file) => ({ file, blocks: codeBlocks(readDoc(file), file).filter(ExampleRunner.runs) }))
  .filter((page) => page.blocks.length > 0);

describe.each(pages)('the examples of $file', ({ file, blocks }) => {
  let runner: ExampleRunner;
  const workdir = mkdtempSync(join(tmpdir(), 'tg-doc-examples-'));

  beforeAll(async () => {
    runner = await ExampleRunner.start(workdir);
  });

  afterAll(async () => {
    await runner?.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it.each(blocks.map((block) => ({ ...block, name: `${file}:${block.line} (${block.lang})` })))(
    '$name runs as written',
    async (block) => {
      await runner.run(block);
    },
  );
});

describe('the documentation', () => {
  it('has runnable examples on the pages that promise them', () => {
    const runnable = new Set(pages.map((page) => page.file));
    for (const page of [
      'README.md',
      'docs/graphql-api.md',
      'docs/rest-api.md',
      'docs/configuration.md',
      'docs/fhir.md',
    ]) {
      expect(runnable).toContain(page);
    }
  });
});
