/**
 * The runtime image holds only what `npm start` needs: the production build (tsconfig.build.json
 * into dist/) compiles src/ alone, and the Dockerfile ships nothing else. The Kaleyra sandbox and
 * the demo live in dev/ and are built into dist-dev/ by tsconfig.dev.json.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the production build', () => {
  it('compiles src/ only: no sandbox, no demo, no test code', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const listed = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('/node_modules/'))
      .map((line) => relative(ROOT, line.trim()));
    expect(listed.length).toBeGreaterThan(20);
    expect(listed.filter((file) => !file.startsWith('src/'))).toEqual([]);
    expect(listed.filter((file) => /sandbox|demo/i.test(file))).toEqual([]);
  });

  it('emitted into dist/ holds no sandbox module and nothing imports one', () => {
    // test/support/global-setup.js cleans and builds dist/ before the suites run.
    const emitted = filesUnder(join(ROOT, 'dist')).map((file) => relative(ROOT, file));
    expect(emitted).toContain('dist/main.js');
    expect(emitted.filter((file) => /sandbox|demo/i.test(file))).toEqual([]);
    const importers = emitted
      .filter((file) => file.endsWith('.js'))
      .filter((file) =>
        /from ['"][^'"]*(kaleyra-sandbox|\/dev\/)[^'"]*['"]/.test(readFileSync(join(ROOT, file), 'utf8')),
      );
    expect(importers).toEqual([]);
  });

  it('is all the Dockerfile copies into the runtime image, besides the package manifest and schema/', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    const copies = [...runtime.matchAll(/^COPY\s+(?:--from=\S+\s+)?(.+?)\s+\S+$/gm)].map((m) => m[1]);
    expect(copies).toEqual(['package.json package-lock.json', '/app/dist', 'schema']);
    const build = dockerfile.slice(0, dockerfile.indexOf('AS runtime'));
    expect(build).toMatch(/RUN npm run build\b/);
    expect(build).not.toMatch(/COPY\s+dev\b/);
  });
});
