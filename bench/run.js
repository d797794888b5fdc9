/**
 * `npm run bench`: starts the servers it needs on loopback (each in its own process), runs every
 * scenario after a warm-up, alternating each measurement with its baseline so machine noise hits
 * both, and prints one table of medians and ratios. Results go to bench/results/ as JSON (per run
 * and latest.json) and as markdown (latest.md, for docs/performance.md).
 *
 * Exit code 0 when the benchmark ran, whether or not targets were met (misses are printed as
 * MISS); non-zero only when the benchmark itself failed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENDA_ANSWER_PREFIX, AGENDA_PAGE_SIZE, AGENDA_VISITS, agendaRequest } from './lib/agenda-query.js';
import { killAll, ServerProcess, stopAll } from './lib/children.js';
import { openSubscribers } from './lib/live-clients.js';
import { readRequests, runLoad } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { startNodeFlags } from './lib/node-flags.js';
import { CALLER_HEADER, READ_ANSWER_PREFIX } from './lib/read-query.js';
import { markdownReport, textTable } from './lib/report.js';
import { median } from './lib/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');

/** @param {string} name @param {number} fallback */
function numberSetting(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

const settings = {
  rounds: numberSetting('BENCH_ROUNDS', 6),
  durationS: numberSetting('BENCH_DURATION_S', 4),
  warmupS: numberSetting('BENCH_WARMUP_S', 5),
  connections: numberSetting('BENCH_CONNECTIONS', 10),
  smallStore: numberSetting('BENCH_SMALL_STORE', 100),
  largeStore: numberSetting('BENCH_LARGE_STORE', 100_000),
  agendaSmallStore: numberSetting('BENCH_AGENDA_SMALL_STORE', 300),
  liveUsers: numberSetting('BENCH_LIVE_USERS', 2000),
  livePerUser: numberSetting('BENCH_LIVE_PER_USER', 5),
  liveIdleS: numberSetting('BENCH_LIVE_IDLE_S', 10),
  pollS: numberSetting('BENCH_POLL_S', 20),
  fanoutRuns: numberSetting('BENCH_FANOUT_RUNS', 15),
  kaleyraDelayMs: numberSetting('BENCH_KALEYRA_DELAY_MS', 50),
  gatewayLogLevel: process.env.BENCH_LOG_LEVEL || 'info',
};
const cpuProfile = process.env.BENCH_CPU_PROF === '1';

/**
 * BENCH_SCENARIOS: the scenarios to run, by number (`1,4`: the read path and its memory only, in
 * about 40 s); all of them when unset. 1, 3 and 4 share their servers: 3 adds the large store.
 */
function scenarioSetting() {
  const raw = process.env.BENCH_SCENARIOS;
  const all = new Set([1, 2, 3, 4, 5, 6]);
  if (raw === undefined || raw.trim() === '') return all;
  const chosen = new Set(raw.split(',').map((part) => Number(part.trim())));
  for (const scenario of chosen) {
    if (!all.has(scenario)) throw new Error(`BENCH_SCENARIOS lists scenarios 1 to 6, got ${raw}`);
  }
  return chosen;
}
const scenarios = scenarioSetting();
const readPath = scenarios.has(1) || scenarios.has(3) || scenarios.has(4);
const FANOUT_SIZES = [2, 10, 25];
const FANOUT_WARMUP_RUNS = 3;
const READ_TARGET = 0.8;
const SCALE_TARGET = 0.9;
const AGENDA_TARGET = 0.9;
const LIVE_LATENESS_TARGET_MS = 1000;
const LIVE_RSS_TARGET_MB = 500;
const LIVE_IDLE_CPU_TARGET = 5;
/** The polling the subscriptions replace: each client asks every this many seconds. */
const POLL_INTERVAL_S = 5;
const FANOUT_TARGET = 1.5;
const RSS_TARGET_MB = 200;
/** A run with more failed requests than this is not a measurement. */
const MAX_FAILED_SHARE = 0.001;

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const mb = (bytes) => bytes / 1024 ** 2;

/** With BENCH_CPU_PROF=1: --cpu-prof, written to bench/results/profiles on exit. */
function profileExecArgv(name) {
  if (!cpuProfile) return [];
  const dir = join(resultsDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${process.pid}.cpuprofile`];
}

/**
 * Gateway children: `npm start`'s node flags (package.json), optionally profiled, and optionally
 * on V8's own heap sizing.
 */
function gatewayExecArgv(name, { profiled = true } = {}) {
  // BENCH_V8_HEAP_DEFAULT=1: V8's own heap growth and young generation instead of the gateway's
  // (observability/heap-growth.ts and npm start's flags).
  const heap =
    process.env.BENCH_V8_HEAP_DEFAULT === '1'
      ? ['--heap-growing-percent=0']
      : startNodeFlags(join(here, '..', 'package.json'));
  // BENCH_GATEWAY_NODE_FLAGS: more node/V8 flags for the gateway processes, to try one out.
  const extra = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return [...heap, ...extra, ...(profiled ? profileExecArgv(name) : [])];
}

/**
 * One GraphQL read before any load: the server answers with data of the expected shape.
 * @returns {Promise<unknown>}
 */
async function probeRead(name, server) {
  const [request] = readRequests(server.reads.slice(0, 1));
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200 || !text.startsWith(server.answerPrefix)) {
    throw new Error(
      `${name} does not answer the read as expected (${response.status}): ${text.slice(0, 500)}`,
    );
  }
  return JSON.parse(text).data.teleconsultation;
}

/** The answers' shapes (keys, recursively, and value types) must match, or the comparison is unfair. */
function shapeOf(value) {
  if (Array.isArray(value)) return [value.length, ...value.map(shapeOf)];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).map((key) => [key, shapeOf(value[key])]));
  }
  return value === null ? 'null' : typeof value;
}

/**
 * A server's CPU (user + system) per request between two `stats` answers, and the main thread's
 * pauses for the garbage collector per request, by kind (child-protocol.js: `minor` scavenges,
 * `major`, `incremental` marking, and `minorPerMille`/`majorPerMille` collections per 1,000
 * requests). A build from before the GC figures reports none.
 */
function perRequest(before, after, result) {
  const gcMicrosPerRequest = Object.fromEntries(
    Object.keys(after.gcMicros ?? {}).map((kind) => [
      kind,
      Math.round(((after.gcMicros[kind] - before.gcMicros[kind]) / result.total) * 10) / 10,
    ]),
  );
  return { cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / result.total, gcMicrosPerRequest };
}

/**
 * Scenarios 1 and 3: alternating rounds over the baseline, the gateway with a small store and the
 * gateway with a large one. The order rotates every round so no side always runs first.
 * @param {Array<{ name: string, server: Awaited<ReturnType<ServerProcess['ready']>> }>} targets
 */
async function measureReads(targets) {
  for (const { name, server } of targets) {
    log(`warm-up ${name} (${settings.warmupS} s)`);
    await runLoad({
      url: server.url,
      requests: readRequests(server.reads),
      durationS: settings.warmupS,
      connections: settings.connections,
      answerPrefix: server.answerPrefix,
    });
  }
  /** @type {Record<string, import('./lib/load.js').LoadResult[]>} */
  const rounds = Object.fromEntries(targets.map(({ name }) => [name, []]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = targets.map((_, index) => targets[(index + round) % targets.length]);
    for (const { name, server, process: child } of order) {
      const before = await child.ask('stats');
      const result = await runLoad({
        url: server.url,
        requests: readRequests(server.reads),
        durationS: settings.durationS,
        connections: settings.connections,
        answerPrefix: server.answerPrefix,
      });
      const { cpuMicrosPerRequest, gcMicrosPerRequest } = perRequest(
        before,
        await child.ask('stats'),
        result,
      );
      if (result.failed > result.total * MAX_FAILED_SHARE) {
        throw new Error(`${name}: ${result.failed} of ${result.total} requests failed in round ${round + 1}`);
      }
      log(
        `round ${round + 1}/${settings.rounds} ${name}: ${Math.round(result.requestsPerSecond)} req/s, ` +
          `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${Math.round(cpuMicrosPerRequest)} µs CPU/request ` +
          `(GC pauses µs/request: ${JSON.stringify(gcMicrosPerRequest)})`,
      );
      rounds[name].push({ ...result, cpuMicrosPerRequest, gcMicrosPerRequest });
    }
  }
  return rounds;
}

/** One createTeleconsultation with `size` participants never seen before; client-side latency. */
async function createOnce(url, size, tag) {
  const participants = Array.from({ length: size }, (_, index) =>
    index === 0
      ? { userId: `${tag}-doctor`, fullName: 'Bench Doctor', groups: ['doctor'] }
      : { userId: `${tag}-patient-${index}`, fullName: `Bench Patient ${index}`, groups: ['customer'] },
  );
  const body = JSON.stringify({
    query: `mutation Create($input: CreateTeleconsultationInput!) {
      createTeleconsultation(input: $input) { id status roomId participants { userId } }
    }`,
    variables: {
      input: {
        startDate: new Date(Date.now() + 24 * 3600_000).toISOString(),
        durationInSeconds: 1800,
        participants,
      },
    },
  });
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    // The visit's doctor schedules it: in a plus group, which the default policy lets create.
    headers: {
      'content-type': 'application/json',
      [CALLER_HEADER]: `${tag}-doctor`,
      miausergroups: 'doctor',
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const answer = await response.json();
  const elapsedMs = performance.now() - started;
  const created = answer?.data?.createTeleconsultation;
  if (response.status !== 200 || answer.errors || created?.participants?.length !== size || !created.roomId) {
    throw new Error(
      `createTeleconsultation (${size} participants) failed: ${JSON.stringify(answer).slice(0, 500)}`,
    );
  }
  return elapsedMs;
}

/** Scenario 2: sequential creations, sizes interleaved (rotating), after a warm-up of each size. */
async function measureFanout(gateway, server) {
  let sequence = 0;
  const tag = () => `bench${process.pid}-${Date.now().toString(36)}-${sequence++}`;
  for (const size of FANOUT_SIZES) {
    for (let run = 0; run < FANOUT_WARMUP_RUNS; run++) await createOnce(server.url, size, tag());
  }
  /** @type {Record<number, { ms: number[], kaleyraCalls: number[] }>} */
  const samples = Object.fromEntries(FANOUT_SIZES.map((size) => [size, { ms: [], kaleyraCalls: [] }]));
  for (let run = 0; run < settings.fanoutRuns; run++) {
    const order = FANOUT_SIZES.map((_, index) => FANOUT_SIZES[(index + run) % FANOUT_SIZES.length]);
    for (const size of order) {
      const before = (await gateway.ask('stats')).kaleyraRequests;
      samples[size].ms.push(await createOnce(server.url, size, tag()));
      samples[size].kaleyraCalls.push((await gateway.ask('stats')).kaleyraRequests - before);
    }
  }
  for (const size of FANOUT_SIZES) {
    log(
      `fan-out ${size} participants: median ${median(samples[size].ms).toFixed(1)} ms, ` +
        `${median(samples[size].kaleyraCalls)} Kaleyra calls`,
    );
  }
  return samples;
}

/**
 * The agenda's pages, walked once as the caller: the first page's request and the deep page's
 * (the last one, after AGENDA_VISITS − AGENDA_PAGE_SIZE visits).
 */
async function agendaPages(name, server) {
  let after = null;
  const pages = AGENDA_VISITS / AGENDA_PAGE_SIZE;
  for (let page = 1; page < pages; page++) {
    const request = agendaRequest(after);
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await response.json();
    const connection = answer?.data?.myTeleconsultations;
    if (connection?.edges?.length !== AGENDA_PAGE_SIZE || !connection.pageInfo.hasNextPage) {
      throw new Error(
        `${name}: agenda page ${page} is not a full page: ${JSON.stringify(answer).slice(0, 500)}`,
      );
    }
    after = connection.pageInfo.endCursor;
  }
  return { first: [agendaRequest(null)], deep: [agendaRequest(after)] };
}

/**
 * Scenario 5: the agenda of one participant with AGENDA_VISITS visits, in a small and a large
 * store, first and deep page, alternating rounds like the read path.
 */
async function measureAgenda(targets) {
  const requestsOf = {};
  for (const { name, server } of targets) {
    requestsOf[name] = await agendaPages(name, server);
    log(`warm-up ${name} (${settings.warmupS} s)`);
    await runLoad({
      url: server.url,
      requests: [...requestsOf[name].first, ...requestsOf[name].deep],
      durationS: settings.warmupS,
      connections: settings.connections,
      answerPrefix: AGENDA_ANSWER_PREFIX,
    });
  }
  /** @type {Record<string, import('./lib/load.js').LoadResult[]>} */
  const rounds = {};
  for (let round = 0; round < settings.rounds; round++) {
    for (const page of ['first', 'deep']) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length]);
      for (const { name, server, process: child } of order) {
        const key = `${name}-${page}`;
        const before = await child.ask('stats');
        const result = await runLoad({
          url: server.url,
          requests: requestsOf[name][page],
          durationS: settings.durationS,
          connections: settings.connections,
          answerPrefix: AGENDA_ANSWER_PREFIX,
        });
        const { cpuMicrosPerRequest, gcMicrosPerRequest } = perRequest(
          before,
          await child.ask('stats'),
          result,
        );
        if (result.failed > result.total * MAX_FAILED_SHARE) {
          throw new Error(
            `${key}: ${result.failed} of ${result.total} requests failed in round ${round + 1}`,
          );
        }
        log(
          `round ${round + 1}/${settings.rounds} ${key}: ${Math.round(result.requestsPerSecond)} req/s, ` +
            `p99 ${result.p99Ms} ms, ${Math.round(cpuMicrosPerRequest)} µs CPU/request ` +
            `(GC pauses µs/request: ${JSON.stringify(gcMicrosPerRequest)})`,
        );
        rounds[key] ??= [];
        rounds[key].push({ ...result, cpuMicrosPerRequest, gcMicrosPerRequest });
      }
    }
  }
  return rounds;
}

/**
 * Scenario 6: `liveUsers × livePerUser` subscriptions to visits that all lock at one instant, on
 * one gateway process: how late each link arrives, the peak RSS, the CPU while idle between
 * events; then the same visits polled every POLL_INTERVAL_S by as many clients, for comparison.
 */
async function measureLive() {
  const total = settings.liveUsers * settings.livePerUser;
  // Enough lead for seeding, opening every subscription and the idle window.
  const lockAt = Date.now() + 45_000 + settings.liveIdleS * 1000 + total * 3;
  const server = new ServerProcess(
    'gateway-live',
    join(here, 'servers', 'gateway-server.js'),
    {
      mode: 'live',
      users: settings.liveUsers,
      perUser: settings.livePerUser,
      lockAt,
      logLevel: settings.gatewayLogLevel,
    },
    // BENCH_CPU_PROF=1 profiles the instant only (below), not the seeding and opening.
    { execArgv: gatewayExecArgv('gateway-live', { profiled: false }), readyTimeoutMs: 120_000 },
  );
  const ready = await server.ready();
  log(
    `live: ${total} visits locking at ${new Date(lockAt).toISOString()}; opening ${settings.liveUsers} connections × ${settings.livePerUser}`,
  );
  const openedStarted = performance.now();
  const subscribers = await openSubscribers({ url: ready.url, visits: ready.reads });
  const openMs = performance.now() - openedStarted;
  const refused = subscribers.subscriptions.filter((s) => s.errors > 0).length;
  if (refused > 0) throw new Error(`live: ${refused} subscriptions were refused`);
  log(`live: ${total} subscriptions open in ${Math.round(openMs)} ms`);

  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleBefore = (await server.ask('stats')).cpuMicros;
  await new Promise((resolve) => setTimeout(resolve, settings.liveIdleS * 1000));
  const idleCpuMicros = (await server.ask('stats')).cpuMicros - idleBefore;
  const idleCpuPercent = (idleCpuMicros / 1e6 / settings.liveIdleS) * 100;
  if (Date.now() >= lockAt) throw new Error('live: the lock instant passed before the idle window ended');
  log(`live: idle CPU ${idleCpuPercent.toFixed(2)} % of one core; waiting for the lock`);

  // The server's CPU from just before the instant until every link arrived and the server answered
  // (the process's: GC helper threads included; the links' records when they ran before the
  // answer). Other load on the machine stretches it less than the lateness.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, lockAt - 300 - Date.now())));
  if (cpuProfile) await server.ask('cpu-profile-start');
  const burstBefore = (await server.ask('stats')).cpuMicros;
  await subscribers.linksArrived(lockAt - Date.now() + 30_000);
  const burstCpuMs = ((await server.ask('stats')).cpuMicros - burstBefore) / 1000;
  if (cpuProfile) {
    const dir = join(resultsDir, 'profiles');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `gateway-live-instant-${process.pid}.cpuprofile`);
    const { file } = await server.ask('cpu-profile-stop', 30_000, { path });
    log(`live: profile of the instant in ${file}`);
  }
  const lateness = subscribers.subscriptions
    .filter((s) => s.linkAt !== null)
    .map((s) => (s.linkAt ?? 0) - lockAt)
    .sort((a, b) => a - b);
  const missing = total - lateness.length;
  const percentile = (p) =>
    lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))] ?? Number.NaN;
  const peakMB = mb(server.kernelPeakRssBytes() ?? (await server.ask('stats')).rssPeakBytes);
  await subscribers.close();
  log(
    `live: links p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${lateness.at(-1)} ms late; ${missing} missing; server CPU for the instant ${Math.round(burstCpuMs)} ms`,
  );

  // The same visits, polled: one client per subscription, one read every POLL_INTERVAL_S.
  const rate = Math.round(total / POLL_INTERVAL_S);
  const pollBefore = (await server.ask('stats')).cpuMicros;
  const polled = await runLoad({
    url: ready.url,
    requests: readRequests(ready.reads.slice(0, 1000)),
    durationS: settings.pollS,
    connections: 50,
    answerPrefix: READ_ANSWER_PREFIX,
    overallRate: rate,
  });
  const pollCpuMicros = (await server.ask('stats')).cpuMicros - pollBefore;
  await server.stop();
  log(
    `live: polling at ${rate} req/s: ${Math.round(polled.requestsPerSecond)} req/s answered, ${Math.round(pollCpuMicros / polled.total)} µs CPU/request`,
  );
  return {
    total,
    openMs,
    idleCpuPercent,
    lateness: { p50: percentile(50), p99: percentile(99), max: lateness.at(-1) ?? Number.NaN, missing },
    burstCpuMs,
    peakMB,
    polling: {
      rate,
      achieved: polled.requestsPerSecond,
      failed: polled.failed,
      cpuSecondsPerMinute: (pollCpuMicros / 1e6 / polled.durationS) * 60,
      requestsPerMinute: polled.requestsPerSecond * 60,
    },
    idleCpuSecondsPerMinute: (idleCpuMicros / 1e6 / settings.liveIdleS) * 60,
  };
}

/** Scenarios 1, 3 and 4: the baseline and the gateway's read path (the large store only for 3). */
async function runReadPath() {
  const gatewayOptions = (records) => ({ mode: 'read', records, logLevel: settings.gatewayLogLevel });
  const withLarge = scenarios.has(3);
  // BENCH_COMPARE_WITH=<another checkout, its dist-dev built>: that build's gateway joins the
  // rounds as `gateway-compare`, so two builds are compared in one run (an A/B of one change).
  const compareRoot = process.env.BENCH_COMPARE_WITH;
  // Profiled too: a profile of the gateway reads against the baseline's, function by function.
  const baseline = new ServerProcess(
    'baseline',
    join(here, 'servers', 'baseline-server.js'),
    { records: settings.smallStore },
    { execArgv: profileExecArgv('baseline') },
  );
  const small = new ServerProcess(
    'gateway-small',
    join(here, 'servers', 'gateway-server.js'),
    gatewayOptions(settings.smallStore),
    { execArgv: gatewayExecArgv('gateway-small') },
  );
  const large = withLarge
    ? new ServerProcess(
        'gateway-large',
        join(here, 'servers', 'gateway-server.js'),
        gatewayOptions(settings.largeStore),
        { execArgv: gatewayExecArgv('gateway-large'), readyTimeoutMs: 180_000 },
      )
    : null;
  const compare = compareRoot
    ? new ServerProcess(
        'gateway-compare',
        join(compareRoot, 'bench', 'servers', 'gateway-server.js'),
        gatewayOptions(settings.smallStore),
        { execArgv: gatewayExecArgv('gateway-compare') },
      )
    : null;
  log(
    `starting baseline, gateway (${settings.smallStore} records)${withLarge ? `, gateway (${settings.largeStore} records)` : ''}`,
  );
  const [baselineServer, smallServer, largeServer, compareServer] = await Promise.all([
    baseline.ready(),
    small.ready(),
    large?.ready() ?? null,
    compare?.ready() ?? null,
  ]);
  if (compareServer) await probeRead('gateway-compare', compareServer);
  if (largeServer) log(`seeded ${settings.largeStore} records in ${Math.round(largeServer.seedMs ?? 0)} ms`);

  const answers = {
    baseline: await probeRead('baseline', baselineServer),
    small: await probeRead('gateway-small', smallServer),
    ...(largeServer ? { large: await probeRead('gateway-large', largeServer) } : {}),
  };
  if (JSON.stringify(shapeOf(answers.baseline)) !== JSON.stringify(shapeOf(answers.small))) {
    throw new Error(
      `the baseline's answer is not shaped like the gateway's:\n${JSON.stringify(answers.baseline)}\n${JSON.stringify(answers.small)}`,
    );
  }
  if (answers.small.status !== 'LOCKED' || !answers.small.accessLinkURL) {
    throw new Error(
      `the seeded teleconsultations are not locked with a link: ${JSON.stringify(answers.small)}`,
    );
  }

  await small.ask('reset-peak');
  const servers = [
    ['baseline', baseline, baselineServer],
    ['gateway-small', small, smallServer],
    ...(large ? [['gateway-large', large, largeServer]] : []),
    ...(compare ? [['gateway-compare', compare, compareServer]] : []),
  ];
  const rounds = await measureReads(
    servers.map(([name, child, server]) => ({ name, server, process: child })),
  );
  const memory = {};
  for (const [name, server] of servers) {
    const stats = await server.ask('stats');
    memory[name] = {
      sampledPeakDuringLoadMB: mb(stats.rssPeakBytes),
      kernelPeakMB: server.kernelPeakRssBytes() === null ? null : mb(server.kernelPeakRssBytes()),
      rssAtEndMB: mb(stats.rssBytes),
      heapUsedAtEndMB: mb(stats.heapUsedBytes),
      // process.memoryUsage() when the sampled RSS peaked: V8's heap (reserved, used), Buffers.
      atSampledPeakMB: Object.fromEntries(
        Object.entries(stats.atPeak ?? {}).map(([key, bytes]) => [key, Math.round(mb(bytes) * 10) / 10]),
      ),
    };
  }
  await Promise.all(servers.map(([, server]) => server.stop()));
  return { rounds, memory, seedMsLarge: largeServer?.seedMs ?? null };
}

/** Scenario 2: fan-out against a slow Kaleyra. */
async function runFanout() {
  const fanoutGateway = new ServerProcess(
    'gateway-fanout',
    join(here, 'servers', 'gateway-server.js'),
    { mode: 'fanout', kaleyraDelayMs: settings.kaleyraDelayMs, logLevel: settings.gatewayLogLevel },
    { execArgv: gatewayExecArgv('gateway-fanout') },
  );
  const fanoutServer = await fanoutGateway.ready();
  log(`fan-out: Kaleyra sandbox delays every call by ${settings.kaleyraDelayMs} ms`);
  const fanout = await measureFanout(fanoutGateway, fanoutServer);
  await fanoutGateway.stop();
  return fanout;
}

/** Scenario 5: the agenda, in a small and a large store. */
async function runAgenda() {
  const agendaSmall = new ServerProcess(
    'agenda-small',
    join(here, 'servers', 'gateway-server.js'),
    { mode: 'agenda', records: settings.agendaSmallStore, logLevel: settings.gatewayLogLevel },
    { execArgv: gatewayExecArgv('agenda-small') },
  );
  const agendaLarge = new ServerProcess(
    'agenda-large',
    join(here, 'servers', 'gateway-server.js'),
    { mode: 'agenda', records: settings.largeStore, logLevel: settings.gatewayLogLevel },
    { execArgv: gatewayExecArgv('agenda-large'), readyTimeoutMs: 180_000 },
  );
  const [agendaSmallServer, agendaLargeServer] = await Promise.all([
    agendaSmall.ready(),
    agendaLarge.ready(),
  ]);
  const agendaRounds = await measureAgenda([
    { name: 'agenda-small', server: agendaSmallServer, process: agendaSmall },
    { name: 'agenda-large', server: agendaLargeServer, process: agendaLarge },
  ]);
  await Promise.all([agendaSmall.stop(), agendaLarge.stop()]);
  return agendaRounds;
}

async function main() {
  if (!existsSync(join(here, '..', 'dist-dev', 'src', 'app.js'))) {
    throw new Error(
      'dist-dev/src/app.js is missing: run `npm run bench` (it builds first) or `npm run build:dev`',
    );
  }
  const startedAt = new Date();
  const machine = describeMachine();
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  log(
    `settings: ${JSON.stringify(settings)}, scenarios ${[...scenarios].sort().join(',')}${cpuProfile ? ' (gateway CPU profiles on)' : ''}`,
  );

  const read = readPath ? await runReadPath() : { rounds: {}, memory: {}, seedMsLarge: null };
  const { rounds, memory } = read;
  const fanout = scenarios.has(2) ? await runFanout() : null;
  if (scenarios.has(5)) Object.assign(rounds, await runAgenda());
  const live = scenarios.has(6) ? await measureLive() : null;

  const rows = resultRows({ rounds, memory, fanout, live });
  const finishedAt = new Date();
  const misses = rows.filter((row) => row.pass === false);
  const notes = [
    ...(readPath
      ? [
          `Read path: autocannon, ${settings.connections} connections, ${settings.rounds} alternating rounds of ` +
            `${settings.durationS} s after ${settings.warmupS} s of warm-up; values are medians, read-path ratios the median of ` +
            `per-round ratios. Gateway NODE_ENV=production, LOG_LEVEL=${settings.gatewayLogLevel} (stdout to /dev/null).`,
        ]
      : []),
    ...(fanout
      ? [
          `Fan-out: ${settings.fanoutRuns} sequential creations per size after ${FANOUT_WARMUP_RUNS} warm-ups, ` +
            `Kaleyra calls per creation (median): ${FANOUT_SIZES.map((size) => `${size} → ${median(fanout[size].kaleyraCalls)}`).join(', ')}.`,
        ]
      : []),
    'Peak RSS is the kernel high-water mark (VmHWM) of the server process over its whole life.',
    ...(scenarios.size < 6 ? [`Only scenarios ${[...scenarios].sort().join(', ')} (BENCH_SCENARIOS).`] : []),
  ];
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine,
    settings,
    scenarios: [...scenarios].sort(),
    rows,
    misses: misses.map((row) => `${row.scenario}: ${row.metric}`),
    raw: { readRounds: rounds, fanout, memory, seedMsLarge: read.seedMsLarge },
  };

  mkdirSync(resultsDir, { recursive: true });
  const stamp = finishedAt.toISOString().replaceAll(':', '-');
  writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    join(resultsDir, 'latest.md'),
    markdownReport(rows, machine, settings, finishedAt.toISOString(), notes),
  );

  process.stdout.write(`\n${textTable(rows)}\n\n`);
  process.stdout.write(
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}\n`,
  );
  if (misses.length > 0) {
    process.stdout.write(`MISS: ${misses.length} target(s) missed: ${report.misses.join('; ')}\n`);
  } else {
    process.stdout.write('All targets met.\n');
  }
  process.stdout.write(
    `Results: bench/results/${stamp}.json, bench/results/latest.json, bench/results/latest.md\n`,
  );
}

/**
 * The table, of the scenarios that ran. Read-path ratios are the median of per-round ratios: each
 * round pairs a run with its baseline's run right next to it, so slow drifts on a shared machine
 * cancel out.
 * @returns {import('./lib/report.js').Row[]}
 */
function resultRows({ rounds, memory, fanout, live }) {
  const medianOf = (name, key) => median(rounds[name].map((result) => result[key]));
  const pairedRatio = (name, baseName, key) =>
    median(rounds[name].map((result, round) => result[key] / rounds[baseName][round][key]));
  // CPU per request, the base's over this one's per round (higher is better, like throughput).
  const cpuEfficiency = (name, baseName) => pairedRatio(baseName, name, 'cpuMicrosPerRequest');
  const peakOf = (name) => memory[name].kernelPeakMB ?? memory[name].sampledPeakDuringLoadMB;
  const smallLabel = `${settings.smallStore.toLocaleString('en-US')} records`;
  const largeLabel = `${settings.largeStore.toLocaleString('en-US')} records`;

  /**
   * @param {string} scenario @param {string} metric @param {string} name @param {string} baseName
   * @param {string} baseOf @param {'requestsPerSecond' | 'p50Ms' | 'p99Ms' | 'cpuMicrosPerRequest'} key
   * @param {number | null} atLeast
   * @returns {import('./lib/report.js').Row}
   */
  const readRow = (scenario, metric, name, baseName, baseOf, key, atLeast = null) => {
    const ratio = pairedRatio(name, baseName, key);
    return {
      scenario,
      metric,
      value: medianOf(name, key),
      baseline: medianOf(baseName, key),
      baselineOf: baseOf,
      ratio,
      unit: key === 'requestsPerSecond' ? 'req/s' : key === 'cpuMicrosPerRequest' ? 'µs' : 'ms',
      target: atLeast === null ? '' : `ratio ≥ ${atLeast.toFixed(2)}`,
      pass: atLeast === null ? null : ratio >= atLeast,
    };
  };

  /** @type {import('./lib/report.js').Row[]} */
  const rows = [];
  if (scenarios.has(1)) {
    // The read path's primary ratio is CPU per request, the baseline's over the gateway's (higher
    // is better, like a throughput ratio): on a shared 2-core machine the load generator caps both
    // servers' request rates, while CPU per request measures the server alone.
    const readEfficiency = cpuEfficiency('gateway-small', 'baseline');
    rows.push(
      {
        scenario: '1 read path',
        metric: `server CPU per request (${smallLabel}), primary`,
        value: medianOf('gateway-small', 'cpuMicrosPerRequest'),
        baseline: medianOf('baseline', 'cpuMicrosPerRequest'),
        baselineOf: 'plain Apollo',
        ratio: readEfficiency,
        unit: 'µs',
        target: `baseline/gateway ≥ ${READ_TARGET.toFixed(2)}`,
        pass: readEfficiency >= READ_TARGET,
      },
      readRow(
        '1 read path',
        `throughput (${smallLabel})`,
        'gateway-small',
        'baseline',
        'plain Apollo',
        'requestsPerSecond',
      ),
      readRow('1 read path', 'latency p50', 'gateway-small', 'baseline', 'plain Apollo', 'p50Ms'),
      readRow('1 read path', 'latency p99', 'gateway-small', 'baseline', 'plain Apollo', 'p99Ms'),
    );
    if (rounds['gateway-compare']) {
      // CPU per request of this build over the compared one's: below 1 means this build is cheaper.
      rows.push(
        readRow(
          '1 read path',
          `server CPU per request, this build vs BENCH_COMPARE_WITH (${smallLabel})`,
          'gateway-small',
          'gateway-compare',
          'compared build',
          'cpuMicrosPerRequest',
        ),
      );
    }
  }
  if (fanout) {
    const fanoutMs = Object.fromEntries(FANOUT_SIZES.map((size) => [size, median(fanout[size].ms)]));
    const fanoutRatio = (size) => fanoutMs[size] / fanoutMs[FANOUT_SIZES[0]];
    rows.push(
      ...FANOUT_SIZES.map((size) => {
        const first = size === FANOUT_SIZES[0];
        const judged = size === FANOUT_SIZES[FANOUT_SIZES.length - 1];
        return {
          scenario: '2 fan-out',
          metric: `create, ${size} new participants (+${settings.kaleyraDelayMs} ms/Kaleyra call)`,
          value: fanoutMs[size],
          baseline: first ? null : fanoutMs[FANOUT_SIZES[0]],
          baselineOf: `${FANOUT_SIZES[0]} participants`,
          ratio: first ? null : fanoutRatio(size),
          unit: 'ms',
          target: judged ? `ratio ≤ ${FANOUT_TARGET.toFixed(2)}` : '',
          pass: judged ? fanoutRatio(size) <= FANOUT_TARGET : null,
        };
      }),
    );
  }
  if (scenarios.has(3)) {
    rows.push(
      readRow(
        '3 scale',
        `throughput (${largeLabel})`,
        'gateway-large',
        'gateway-small',
        smallLabel,
        'requestsPerSecond',
        SCALE_TARGET,
      ),
      {
        // Beside the target's throughput: the server's own cost, as the read path's primary (a
        // throughput ratio also carries the load generator's share of the 2 cores). Information.
        scenario: '3 scale',
        metric: `server CPU per request (${largeLabel})`,
        value: medianOf('gateway-large', 'cpuMicrosPerRequest'),
        baseline: medianOf('gateway-small', 'cpuMicrosPerRequest'),
        baselineOf: smallLabel,
        ratio: cpuEfficiency('gateway-large', 'gateway-small'),
        unit: 'µs',
        target: '',
        pass: null,
      },
      readRow(
        '3 scale',
        `latency p99 (${largeLabel})`,
        'gateway-large',
        'gateway-small',
        smallLabel,
        'p99Ms',
      ),
    );
  }
  if (scenarios.has(5)) {
    rows.push(
      ...['first', 'deep'].flatMap((page) => [
        readRow(
          '5 agenda',
          `${page === 'first' ? 'first page' : 'deep page (10th)'}, ${AGENDA_VISITS} visits among ${largeLabel}`,
          `agenda-large-${page}`,
          `agenda-small-${page}`,
          `${settings.agendaSmallStore.toLocaleString('en-US')} records`,
          'requestsPerSecond',
          AGENDA_TARGET,
        ),
        readRow(
          '5 agenda',
          `${page} page, server CPU per request`,
          `agenda-large-${page}`,
          `agenda-small-${page}`,
          `${settings.agendaSmallStore.toLocaleString('en-US')} records`,
          'cpuMicrosPerRequest',
        ),
      ]),
    );
  }
  if (live) rows.push(...liveRows(live));
  if (readPath) {
    rows.push({
      scenario: '4 memory',
      metric: `gateway peak RSS, scenario 1 (${smallLabel})`,
      value: peakOf('gateway-small'),
      baseline: peakOf('baseline'),
      baselineOf: 'plain Apollo',
      ratio: peakOf('gateway-small') / peakOf('baseline'),
      unit: 'MB',
      target: `< ${RSS_TARGET_MB} MB`,
      pass: peakOf('gateway-small') < RSS_TARGET_MB,
    });
  }
  if (scenarios.has(3)) {
    rows.push({
      scenario: '4 memory',
      metric: `gateway peak RSS, scenario 3 (${largeLabel})`,
      value: peakOf('gateway-large'),
      baseline: peakOf('gateway-small'),
      baselineOf: smallLabel,
      ratio: peakOf('gateway-large') / peakOf('gateway-small'),
      unit: 'MB',
      target: '',
      pass: null,
    });
  }
  return rows;
}

/** @returns {import('./lib/report.js').Row[]} */
function liveRows(live) {
  const label = `${live.total.toLocaleString('en-US')} subscriptions`;
  const row = (metric, value, unit, target, pass, baseline = null, baselineOf = '', ratio = null) => ({
    scenario: '6 live',
    metric,
    value,
    baseline,
    baselineOf,
    ratio,
    unit,
    target,
    pass,
  });
  return [
    row(`link lateness p50 (${label}, one instant)`, live.lateness.p50, 'ms', '', null),
    row('link lateness p99', live.lateness.p99, 'ms', '', null),
    row(
      `link lateness max (${live.lateness.missing} missing)`,
      live.lateness.max,
      'ms',
      `≤ ${LIVE_LATENESS_TARGET_MS} ms`,
      live.lateness.missing === 0 && live.lateness.max <= LIVE_LATENESS_TARGET_MS,
    ),
    row('server CPU from the instant until every link arrived', live.burstCpuMs, 'ms', '', null),
    row(
      `gateway peak RSS with ${label}`,
      live.peakMB,
      'MB',
      `< ${LIVE_RSS_TARGET_MB} MB`,
      live.peakMB < LIVE_RSS_TARGET_MB,
    ),
    row(
      'server CPU while idle between events',
      live.idleCpuPercent,
      '% core',
      `< ${LIVE_IDLE_CPU_TARGET} %`,
      live.idleCpuPercent < LIVE_IDLE_CPU_TARGET,
    ),
    row(
      `server CPU per minute: subscriptions idle vs polling every ${POLL_INTERVAL_S} s`,
      live.idleCpuSecondsPerMinute,
      's',
      '',
      null,
      live.polling.cpuSecondsPerMinute,
      `${live.polling.rate} req/s polling`,
      live.idleCpuSecondsPerMinute / live.polling.cpuSecondsPerMinute,
    ),
    row('requests per minute saved', live.polling.requestsPerMinute, 'req', '', null),
  ];
}

let interrupted = false;
const onSignal = (signal) => {
  if (interrupted) return;
  interrupted = true;
  log(`${signal}: stopping the servers`);
  stopAll().finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', killAll);

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(`[bench] FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  await stopAll();
}
