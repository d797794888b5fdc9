/**
 * `npm run bench:transcription`: the memory a transcription costs the gateway process. One gateway
 * (with its Kaleyra sandbox, which writes each transcription as it is read) in its own process,
 * TRANSCRIPTION_MAX_FILE_SIZE at its default (50 MB); this process reads the answers and counts
 * their bytes, keeping none. For each case, in rounds: the child's RSS peak (sampled every 50 ms)
 * is reset, the answer read to its end, and the peak's growth over the RSS before it reported
 * (median and largest round). A gateway that held a transcription whole would grow by at least its
 * size; garbage not yet collected shows up too, so this is an upper bound of what is held.
 *
 * Prints a markdown table for docs/performance.md. Exit code 0 when it ran; non-zero when an answer
 * was not what the case expects (then the numbers mean nothing).
 */
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, ServerProcess, stopAll } from './lib/children.js';
import { describeMachine } from './lib/machine.js';
import { median } from './lib/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const MB = 1024 ** 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const caller = { miauserid: 'doctor-1', miausergroups: 'doctor' };

/** The transcriptions the sandbox holds: size, and whether Kaleyra declares it (content-length). */
const TRANSCRIPTIONS = {
  'declared-60': { bytes: 60 * MB, declared: true },
  'undeclared-60': { bytes: 60 * MB, declared: false },
  'within-40': { bytes: 40 * MB, declared: true },
};

const log = (message) => process.stderr.write(`[bench:transcription] ${message}\n`);
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * Reads an answer to its end (or its breaking off), counting bytes.
 * @returns {Promise<{ status: number, bytes: number, complete: boolean }>}
 */
function read(url, path, options = {}) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      new URL(path, url),
      { method: options.body ? 'POST' : 'GET', headers: { ...caller, ...options.headers } },
      (response) => {
        let bytes = 0;
        let settled = false;
        const settle = (complete) => {
          if (settled) return;
          settled = true;
          resolve({ status: response.statusCode ?? 0, bytes, complete });
        };
        response.on('data', (chunk) => {
          bytes += chunk.length;
        });
        response.on('end', () => settle(response.complete));
        response.on('close', () => settle(response.complete));
        response.on('error', () => settle(false));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The cases: what is asked, and what the answer must be for the measurement to count. */
function cases(ready) {
  const { roomId, id } = ready.transcription;
  const graphql = (sessionId) => ({
    body: JSON.stringify({
      query: 'query($id: ID!, $s: ID!) { transcription(teleconsultationId: $id, sessionId: $s) }',
      variables: { id, s: sessionId },
    }),
    headers: { 'content-type': 'application/json' },
  });
  return [
    {
      name: 'REST, 60 MB declared by Kaleyra',
      path: `/transcription/${roomId}/declared-60`,
      expect: (o) => o.status === 413,
      outcome: '413, refused before reading',
    },
    {
      name: 'REST, 60 MB sent without a length',
      path: `/transcription/${roomId}/undeclared-60`,
      expect: (o) => o.status === 200 && !o.complete && o.bytes <= 50 * MB,
      outcome: '200, cut off at 50 MB',
    },
    {
      name: 'REST, 40 MB within the limit',
      path: `/transcription/${roomId}/within-40`,
      expect: (o) => o.status === 200 && o.complete && o.bytes === 40 * MB,
      outcome: '200, streamed whole',
    },
    {
      name: 'GraphQL, 40 MB within the limit (one JSON value: held whole by design)',
      path: '/graphql',
      options: graphql('within-40'),
      expect: (o) => o.status === 200 && o.complete && o.bytes > 40 * MB,
      outcome: '200, data',
    },
    {
      name: 'GraphQL, 60 MB declared by Kaleyra',
      path: '/graphql',
      options: graphql('declared-60'),
      expect: (o) => o.status === 200 && o.complete && o.bytes < 1024,
      outcome: 'PAYLOAD_TOO_LARGE, refused before reading',
    },
  ];
}

async function main() {
  const server = new ServerProcess('gateway-transcription', join(here, 'servers', 'gateway-server.js'), {
    mode: 'transcription',
    transcriptions: TRANSCRIPTIONS,
    logLevel: 'warn',
  });
  const ready = await server.ready();
  log(`gateway at ${ready.url}, room ${ready.transcription.roomId}`);
  const rows = [];
  for (const scenario of cases(ready)) {
    // One unmeasured read: code paths compiled, pools and sockets open.
    await read(ready.url, scenario.path, scenario.options);
    const growth = [];
    for (let round = 0; round < ROUNDS; round++) {
      await server.ask('reset-peak');
      const before = await server.ask('stats');
      const outcome = await read(ready.url, scenario.path, scenario.options);
      const after = await server.ask('stats');
      if (!scenario.expect(outcome)) {
        throw new Error(`${scenario.name}: unexpected answer ${JSON.stringify(outcome)}`);
      }
      growth.push(after.rssPeakBytes - before.rssBytes);
      log(
        `${scenario.name}, round ${round + 1}: peak RSS +${mb(growth.at(-1))}, ${mb(outcome.bytes)} answered`,
      );
    }
    rows.push({ ...scenario, median: median(growth), max: Math.max(...growth) });
  }
  await server.stop();

  const machine = describeMachine();
  process.stdout.write(
    [
      `Measured ${new Date().toISOString()} with \`npm run bench:transcription\` on ${machine.cpuModel}, ${machine.cores} cores, Node ${process.version}; ${ROUNDS} rounds per case, medians.`,
      '',
      '| Case | Answer | Gateway process: peak RSS growth during the answer, median | largest round |',
      '| --- | --- | --- | --- |',
      ...rows.map((row) => `| ${row.name} | ${row.outcome} | ${mb(row.median)} | ${mb(row.max)} |`),
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
try {
  await main();
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stopAll();
  process.exitCode = 1;
}
