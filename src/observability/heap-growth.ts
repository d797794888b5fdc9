import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived its last full collection: 1.5×.
 * Left to itself, V8 picks a factor up to 4× when collections are fast and the process is busy;
 * under the read path's load (bench scenario 1) that let the heap fill with garbage to ~190 MB
 * and the process peak at 230–250 MB, for a live heap of ~35 MB. At 1.5× the peak stayed near
 * 170 MB with no measurable CPU cost per request (docs/performance.md): the full collections come
 * more often, each as short, and V8 marks concurrently on another core.
 */
export const HEAP_GROWING_PERCENT = 50;

export const HEAP_GROWING_FLAG = '--heap-growing-percent';

/**
 * Applies HEAP_GROWING_PERCENT to this process, unless its command line chose its own
 * (`node --heap-growing-percent=0 dist/main.js` restores V8's default). Called first thing by the
 * entry points (main.ts, the demo, the benchmark's gateway) that start a serving process.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (
    execArgv.some(
      (argument) => argument === HEAP_GROWING_FLAG || argument.startsWith(`${HEAP_GROWING_FLAG}=`),
    )
  )
    return false;
  setFlagsFromString(`${HEAP_GROWING_FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
