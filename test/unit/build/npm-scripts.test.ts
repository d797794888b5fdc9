/**
 * The npm scripts people expect keep pointing at things that exist: a moved emitter or test folder
 * breaks this test, not the next person who runs `npm run generate`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** The compiled entry points a script runs (`node dist/x.js`), as the sources they come from. */
function sourcesRunBy(script: string): string[] {
  return [...script.matchAll(/\bnode (dist|dist-dev)\/(\S+)\.js\b/g)].map(([, out, path]) =>
    out === 'dist' ? `src/${path}.ts` : `${path}.ts`,
  );
}

describe('the npm scripts', () => {
  it('run compiled entry points whose sources exist', () => {
    const missing = Object.entries(scripts).flatMap(([name, script]) =>
      sourcesRunBy(script)
        .filter((source) => !existsSync(join(ROOT, source)))
        .map((source) => `${name}: ${source}`),
    );
    expect(missing).toEqual([]);
  });

  it('generate builds once, then runs every emitter the *:emit scripts run, then codegen on the new schema', () => {
    const generate = scripts.generate ?? '';
    expect(generate.match(/npm run build\b/g)).toHaveLength(1);
    expect(generate.startsWith('npm run build')).toBe(true);
    const emitters = ['schema:emit', 'openapi:emit', 'config-schema:emit'].flatMap((name) =>
      sourcesRunBy(scripts[name] ?? ''),
    );
    expect(emitters).toHaveLength(3);
    expect(sourcesRunBy(generate)).toEqual(emitters);
    // Codegen reads schema/schema.graphql: it runs after the schema is written.
    expect(generate.indexOf('npm run codegen')).toBeGreaterThan(generate.indexOf('emit-schema.js'));
  });

  it('test:unit, test:integration and test:e2e select folders that hold tests', () => {
    for (const [name, folder] of [
      ['test:unit', 'test/unit/'],
      ['test:integration', 'test/integration/'],
      ['test:e2e', 'test/e2e/'],
    ] as const) {
      expect(scripts[name]).toBe(`npm test -- ${folder}`);
      expect(existsSync(join(ROOT, folder))).toBe(true);
    }
  });

  it('check is what CI runs: lint, dependency rules, types, then the tests (extra arguments go to Jest)', () => {
    expect(scripts.check).toBe('npm run lint && npm run lint:deps && npm run typecheck && npm test --');
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm run check -- /m);
  });
});
