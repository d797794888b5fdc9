/**
 * Preloaded with `--import` into a gateway server of `npm run bench:tracing`: starts tracing as
 * main.ts does with ENABLE_TRACING=true, before the app's modules load, with the options the
 * runner passes in BENCH_TRACING (JSON of src/observability/tracing.ts `TracingOptions`).
 */
import { startTracing } from '../../dist-dev/src/observability/tracing.js';

await startTracing(JSON.parse(process.env.BENCH_TRACING ?? '{}'));
