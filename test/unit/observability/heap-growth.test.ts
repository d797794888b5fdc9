import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  HEAP_GROWING_FLAG,
  HEAP_GROWING_PERCENT,
  limitHeapGrowth,
} from '../../../src/observability/heap-growth.js';

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));

describe('the heap growth limit', () => {
  it('leaves a growth the command line chose', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=0'])).toBe(false);
    expect(limitHeapGrowth(['--heap-growing-percent', '20'])).toBe(false);
  });

  it('is a factor V8 accepts (an unknown flag would only print a warning)', () => {
    // A child process: the flag set here would change this test process's heap.
    const { stderr, status } = spawnSync(
      process.execPath,
      ['-e', `require('node:v8').setFlagsFromString('${HEAP_GROWING_FLAG}=${HEAP_GROWING_PERCENT}')`],
      { encoding: 'utf8' },
    );
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
  });

  it('is applied by the process entry before anything else', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(MAIN, 'utf8');
    const firstCall = source.indexOf('limitHeapGrowth();');
    expect(firstCall).toBeGreaterThan(0);
    expect(firstCall).toBeLessThan(source.indexOf('async function main'));
  });
});
