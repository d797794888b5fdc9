/**
 * The node flags the gateway is deployed with: `npm start`'s (package.json), repeated by the
 * Dockerfile's CMD and read by the benchmark for its gateway processes. V8 fixes the young
 * generation's size when the process starts, so these cannot be set from inside it as the old
 * generation's growth is (src/observability/heap-growth.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error: the benchmark's plain JavaScript, without declarations.
import { nodeFlagsOf, startNodeFlags } from '../../../bench/lib/node-flags.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE_JSON = `${ROOT}package.json`;

const flagsOf = nodeFlagsOf as (command: string) => string[];
const startFlags = () => (startNodeFlags as (path: string) => string[])(PACKAGE_JSON);

/** The Dockerfile's CMD (its exec form) as a command line. */
function dockerCommand(): string {
  const line = readFileSync(`${ROOT}Dockerfile`, 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith('CMD '));
  if (line === undefined) throw new Error('the Dockerfile has no CMD');
  return (JSON.parse(line.slice('CMD '.length)) as string[]).join(' ');
}

/** The young generation's size (one semi-space, bytes) of a node started with `flags`. */
function newSpaceOf(flags: readonly string[]): number {
  const { stdout, stderr, status } = spawnSync(
    process.execPath,
    [
      ...flags,
      '-e',
      "process.stdout.write(String(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))",
    ],
    { encoding: 'utf8' },
  );
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return Number(stdout);
}

describe("the gateway's node flags", () => {
  it('are npm start’s, and the Dockerfile runs the same script with the same flags', () => {
    expect(startFlags()).toEqual(['--min-semi-space-size=16']);
    const start = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).scripts.start as string;
    expect(dockerCommand()).toBe(start);
  });

  it('give the young generation its full 16 MB from the start, which node alone does not', () => {
    const MiB = 1024 * 1024;
    expect(newSpaceOf(startFlags())).toBeGreaterThanOrEqual(16 * MiB);
    // V8 starts it at 1 MB and shrinks it back there when the process idles.
    expect(newSpaceOf([])).toBeLessThan(16 * MiB);
  });

  it('are read from a command line as the words between node and the script', () => {
    expect(flagsOf('node dist/main.js')).toEqual([]);
    expect(flagsOf('node --a=1 --b dist/main.js --c')).toEqual(['--a=1', '--b']);
    expect(() => flagsOf('tsx src/main.ts')).toThrow('not a node command line');
    expect(() => flagsOf('node --a=1')).toThrow('no script');
  });
});
