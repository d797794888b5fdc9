/**
 * The child side of the runner's IPC: a server process reports `ready` with its URL, answers
 * `stats` requests, stops on `stop`, and exits on its own when the runner goes away, so no
 * server outlives a crashed or interrupted benchmark.
 */

const RSS_SAMPLE_MS = 50;

/**
 * @param {{ stop: () => Promise<void>, stats?: () => Record<string, unknown> }} server
 */
export function serveRunner(server) {
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

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    clearInterval(sampler);
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
        ...server.stats?.(),
      });
    } else if (message?.type === 'reset-peak') {
      rssPeak = process.memoryUsage.rss();
      atPeak = process.memoryUsage();
      process.send?.({ type: 'reset-peak', id: message.id });
    } else if (message?.type === 'stop') {
      void stop(0);
    }
  });
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
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
