/**
 * `npm run bench:tracing`: what tracing costs on the read path (scenario 1's query, 100 records,
 * as a participant with the join link). Gateways, each in its own process, measured in
 * alternating rounds after a warm-up:
 * - `before`: the code before tracing existed, when BENCH_BEFORE_DIR names a checkout of it built
 *   with `npm run build:dev` (its own bench/servers/gateway-server.js is started);
 * - `off`: this code, tracing off (the default);
 * - `on 0.1`: this code with tracing on, `parentbased_traceidratio` at 0.1, spans exported over
 *   OTLP/HTTP protobuf to a sink on loopback (the export's cost included).
 * Prints server CPU per request and throughput (medians of rounds) and the ratios, and writes
 * bench/results/tracing-latest.md for docs/performance.md#tracing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerProcess, stopAll } from './lib/children.js';
import { readRequests, runLoad } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { READ_ANSWER_PREFIX } from './lib/read-query.js';
import { median } from './lib/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const number = (name, fallback) => Number(process.env[name] || fallback);
const settings = {
  rounds: number('BENCH_ROUNDS', 6),
  durationS: number('BENCH_DURATION_S', 4),
  warmupS: number('BENCH_WARMUP_S', 5),
  connections: number('BENCH_CONNECTIONS', 10),
  records: number('BENCH_SMALL_STORE', 100),
  ratio: number('BENCH_TRACING_RATIO', 0.1),
};
const log = (message) => process.stderr.write(`[bench:tracing] ${message}\n`);

const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    sink.exported += 1;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
sink.exported = 0;
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
process.env.BENCH_TRACING = JSON.stringify({
  serviceName: 'teleconsultation-gateway-bench',
  exporter: 'otlp',
  otlpTracesUrl: `http://127.0.0.1:${sink.address().port}/v1/traces`,
  protocol: 'http/protobuf',
  sampler: 'parentbased_traceidratio',
  samplerRatio: settings.ratio,
  resourceAttributes: {},
});

const options = { mode: 'read', records: settings.records, logLevel: 'info' };
const targets = [
  ...(process.env.BENCH_BEFORE_DIR
    ? [
        {
          name: 'before',
          script: join(process.env.BENCH_BEFORE_DIR, 'bench/servers/gateway-server.js'),
          execArgv: [],
        },
      ]
    : []),
  { name: 'off', script: join(here, 'servers/gateway-server.js'), execArgv: [] },
  {
    name: `on ${settings.ratio}`,
    script: join(here, 'servers/gateway-server.js'),
    execArgv: ['--import', join(here, 'servers/with-tracing.js')],
  },
].map((target) => ({
  ...target,
  process: new ServerProcess(target.name, target.script, options, { execArgv: target.execArgv }),
}));

try {
  const servers = await Promise.all(targets.map((target) => target.process.ready()));
  for (const [index, target] of targets.entries()) {
    target.server = servers[index];
    target.requests = readRequests(target.server.reads);
    log(`warm-up ${target.name} (${settings.warmupS} s)`);
    await runLoad({
      url: target.server.url,
      requests: target.requests,
      durationS: settings.warmupS,
      connections: settings.connections,
      answerPrefix: READ_ANSWER_PREFIX,
    });
  }
  const rounds = Object.fromEntries(targets.map((target) => [target.name, []]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = targets.map((_, index) => targets[(index + round) % targets.length]);
    for (const target of order) {
      const before = (await target.process.ask('stats')).cpuMicros;
      const result = await runLoad({
        url: target.server.url,
        requests: target.requests,
        durationS: settings.durationS,
        connections: settings.connections,
        answerPrefix: READ_ANSWER_PREFIX,
      });
      if (result.failed > result.total * 0.001)
        throw new Error(`${target.name}: ${result.failed} requests failed`);
      const cpu = ((await target.process.ask('stats')).cpuMicros - before) / result.total;
      log(
        `round ${round + 1} ${target.name}: ${Math.round(result.requestsPerSecond)} req/s, ${Math.round(cpu)} µs CPU/request`,
      );
      rounds[target.name].push({ cpu, rps: result.requestsPerSecond });
    }
  }
  const summary = Object.fromEntries(
    targets.map(({ name }) => [
      name,
      { cpu: median(rounds[name].map((r) => r.cpu)), rps: median(rounds[name].map((r) => r.rps)) },
    ]),
  );
  // Per-round ratios, then their median: each pair of rounds ran back to back.
  const ratio = (a, b, key) => median(rounds[a].map((r, i) => r[key] / rounds[b][i][key]));
  const rows = [];
  const compare = (name, base) => {
    rows.push(
      `| ${name} vs ${base} | ${Math.round(summary[name].cpu)} µs vs ${Math.round(summary[base].cpu)} µs | ${ratio(name, base, 'cpu').toFixed(3)}x | ${Math.round(summary[name].rps)} vs ${Math.round(summary[base].rps)} req/s | ${ratio(name, base, 'rps').toFixed(3)}x |`,
    );
  };
  if (summary.before) compare('off', 'before');
  compare(`on ${settings.ratio}`, 'off');
  const machine = describeMachine();
  const table = [
    `Measured ${new Date().toISOString()} with \`npm run bench:tracing\` on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ${settings.rounds} alternating rounds of ${settings.durationS} s, ${settings.connections} connections, ${settings.records} records; ${sink.exported} OTLP exports received.`,
    '',
    '| Gateways | server CPU per request (median) | CPU ratio | throughput (median) | throughput ratio |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'tracing-latest.md'), `${table}\n`);
} finally {
  await stopAll();
  sink.close();
}
