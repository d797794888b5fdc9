/**
 * The child side of the runner's IPC: a server process reports `ready` with its URL, answers
 * `stats` requests, stops on `stop`, and exits on its own when the runner goes away, so no
 * server outlives a crashed or interrupted benchmark.
 */

import { constants, PerformanceObserver } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

const RSS_SAMPLE_MS = 50;

/**
 * @param {{ stop: () => Promise<void>, stats?: () => Record<string, unknown> }} server
 */
export async function serveRunner(server) {
  if (typeof process.send !== 'function') {
    throw new Error('bench servers are started by bench/run.js (they talk to it over IPC)');
  }
  let rssPeak = process.memoryUsage.rss();
  /** What V8 held when the sampled RSS peaked (heap reserved and used, Buffers): where it went. */
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > rssPeak) {
      rssPeak = rss;
      atPeak = process.memoryUsage();
    }
  }, RSS_SAMPLE_MS);
  sampler.unref();

  const gc = collectionTimes();
  const instantProfile = stretchProfile();
  const allocations = await allocationProfile();
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    clearInterval(sampler);
    await allocations?.write();
    // Never hang here: a server that cannot close in time is ended anyway.
    const deadline = setTimeout(() => process.exit(code === 0 ? 3 : code), 5000);
    deadline.unref();
    try {
      await server.stop();
    } finally {
      process.exit(code);
    }
  };

  process.on('message', (message) => {
    if (message?.type === 'stats') {
      process.send?.({
        type: 'stats',
        id: message.id,
        rssPeakBytes: rssPeak,
        atPeak,
        rssBytes: process.memoryUsage.rss(),
        heapUsedBytes: process.memoryUsage().heapUsed,
        cpuMicros: cpuMicros(),
        gcMicros: { ...gc },
        ...server.stats?.(),
      });
    } else if (message?.type === 'reset-peak') {
      rssPeak = process.memoryUsage.rss();
      atPeak = process.memoryUsage();
      process.send?.({ type: 'reset-peak', id: message.id });
    } else if (message?.type === 'heap-snapshot') {
      // A diagnostic: what the process holds at this instant (bench/README.md, BENCH_ALLOC_PROF).
      const file = writeHeapSnapshot(message.path ?? `/tmp/bench-${process.pid}-${Date.now()}.heapsnapshot`);
      process.send?.({ type: 'heap-snapshot', id: message.id, file });
    } else if (message?.type === 'cpu-profile-start') {
      // A diagnostic: a CPU profile of one stretch (scenario 6's instant, BENCH_CPU_PROF=1).
      void instantProfile.start().then(() => process.send?.({ type: 'cpu-profile-start', id: message.id }));
    } else if (message?.type === 'cpu-profile-stop') {
      void instantProfile
        .stop(message.path)
        .then((file) => process.send?.({ type: 'cpu-profile-stop', id: message.id, file }));
    } else if (message?.type === 'stop') {
      void stop(0);
    }
  });
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
}

/**
 * The sampling heap profiler's settings, counting what the collector already took;
 * BENCH_ALLOC_PROF_MINOR=0 leaves out what died young: what a scavenge kept.
 */
function heapSampling() {
  return {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOC_PROF_MINOR !== '0',
  };
}

/** A CPU profile of one stretch of the server's life, through the inspector (no --cpu-prof). */
function stretchProfile() {
  let session = null;
  return {
    // BENCH_ALLOC_PROF_MINOR set: what the stretch allocated (=1) or what of it a scavenge kept
    // (=0), with the sampling heap profiler (.heapprofile), instead of where its CPU went.
    async start() {
      const { Session } = await import('node:inspector/promises');
      session = new Session();
      session.connect();
      if (process.env.BENCH_ALLOC_PROF_MINOR !== undefined) {
        await session.post('HeapProfiler.startSampling', heapSampling());
        return;
      }
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    },
    async stop(path) {
      if (session === null) return null;
      const { writeFile } = await import('node:fs/promises');
      const heap = process.env.BENCH_ALLOC_PROF_MINOR !== undefined;
      const { profile } = await session.post(heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
      session.disconnect();
      session = null;
      const file = heap ? path.replace(/\.cpuprofile$/, '.heapprofile') : path;
      await writeFile(file, JSON.stringify(profile));
      return file;
    },
  };
}

/**
 * Time the garbage collector paused the main thread, by kind (scavenges `minor`, `major`,
 * `incremental` marking steps, `weakcb`), in microseconds since the start: the runner reports it
 * per request beside the CPU.
 */
function collectionTimes() {
  const KINDS = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const times = { minor: 0, major: 0, incremental: 0, weakcb: 0, minorPerMille: 0, majorPerMille: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = KINDS[entry.detail?.kind] ?? 'major';
      times[kind] += entry.duration * 1000;
      if (kind === 'minor' || kind === 'major') times[`${kind}PerMille`] += 1000; // per request, ×1000: collections per 1,000 requests
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return times;
}

/**
 * BENCH_ALLOC_PROF=<dir>: V8's sampling heap profiler over the process's life, counting objects
 * the garbage collector already took (what --heap-prof leaves out): where a request's garbage is
 * allocated. Written to <dir>/<argv[2]'s mode>-<pid>.heapprofile when the server stops.
 */
async function allocationProfile() {
  const dir = process.env.BENCH_ALLOC_PROF;
  if (!dir) return null;
  const { Session } = await import('node:inspector/promises');
  const { writeFile, mkdir } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', heapSampling());
  return {
    async write() {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await mkdir(dir, { recursive: true });
      const name = `${process.argv[1].split('/').pop().replace('.js', '')}-${process.pid}.heapprofile`;
      await writeFile(`${dir}/${name}`, JSON.stringify(profile));
    },
  };
}

/** User + system CPU time this process has used, in microseconds. */
function cpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Options the runner passes as the first argument, as JSON.
 * @returns {Record<string, unknown>}
 */
export function runnerOptions() {
  return JSON.parse(process.argv[2] ?? '{}');
}
