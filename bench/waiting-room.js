/**
 * `npm run bench:waiting-room`: the waiting room's pushes under load. One gateway (its sandbox and
 * memory store, in its own process, on the system clock) holds BENCH_WR_VISITS (400) HOST_ADMITS
 * visits of one doctor and BENCH_WR_PER_VISIT (5) patients each: 2,000 patients and 400 doctors,
 * each on a graphql-ws connection of their own (identity in the upgrade request's headers, as the
 * platform's gateway sets it), every one subscribed to their visit. Then, BENCH_WR_IN_FLIGHT (8)
 * at a time over HTTP:
 * 1. every patient checks in: the time from sending `checkIn` until the doctor's subscription
 *    shows them WAITING (target: p99 under 200 ms);
 * 2. the doctor admits every patient: the time from sending `admitParticipant` until that
 *    patient's subscription carries their link (target: p99 under 200 ms).
 * Each figure includes the mutation's own round trip, which is printed beside it.
 *
 * Prints a markdown table for docs/performance.md. Exit code 0 when it ran (misses are printed
 * as MISS); non-zero when a push never came or a mutation failed (then the numbers mean nothing).
 */
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { killAll, ServerProcess, stopAll } from './lib/children.js';
import { describeMachine } from './lib/machine.js';

const here = dirname(fileURLToPath(import.meta.url));
const VISITS = Number(process.env.BENCH_WR_VISITS || 400);
const PER_VISIT = Number(process.env.BENCH_WR_PER_VISIT || 5);
const IN_FLIGHT = Number(process.env.BENCH_WR_IN_FLIGHT || 8);
const OPEN_CONCURRENCY = 200;
const PUSH_TIMEOUT_MS = 10_000;
const TARGET_P99_MS = 200;

const HOST_SUBSCRIPTION = `subscription Host($id: ID!) {
  teleconsultationChanged(id: $id) { id participants { userId attendance } }
}`;
const PATIENT_SUBSCRIPTION = `subscription Patient($id: ID!) {
  teleconsultationChanged(id: $id) { id joinState accessLinkURL }
}`;

const log = (message) => process.stderr.write(`[bench:waiting-room] ${message}\n`);

/** @param {number[]} values @param {number} p */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function socketFor(userId, groups) {
  return class extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers: { miauserid: userId, miausergroups: groups } });
    }
  };
}

/** Who waits for which push: a key (`visit:user`) → the resolver of the op waiting on it. */
const waiters = new Map();
const settle = (key) => {
  const waiter = waiters.get(key);
  if (waiter) {
    waiters.delete(key);
    waiter(performance.now());
  }
};

/** Opens one connection per user and subscribes each to their visit; resolves once every first view came. */
async function openAll(url, visits) {
  const users = visits.flatMap((visit) => [
    { userId: visit.doctor, groups: 'doctor', visit, host: true },
    ...visit.patients.map((userId) => ({ userId, groups: 'customer', visit, host: false })),
  ]);
  const clients = [];
  let firstsWaiting = users.length;
  let allFirst = () => {};
  const firsts = new Promise((resolve) => (allFirst = resolve));
  let errors = 0;
  for (let start = 0; start < users.length; start += OPEN_CONCURRENCY) {
    for (const user of users.slice(start, start + OPEN_CONCURRENCY)) {
      const client = createClient({
        url: `${url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: socketFor(user.userId, user.groups),
        retryAttempts: 0,
        lazy: false,
        keepAlive: 0,
        onNonLazyError: () => {},
      });
      clients.push(client);
      let first = true;
      client.subscribe(
        { query: user.host ? HOST_SUBSCRIPTION : PATIENT_SUBSCRIPTION, variables: { id: user.visit.id } },
        {
          next: (result) => {
            if (result.errors) errors += 1;
            const view = result.data?.teleconsultationChanged;
            if (first) {
              first = false;
              firstsWaiting -= 1;
              if (firstsWaiting === 0) allFirst();
            }
            if (!view) return;
            if (user.host) {
              for (const p of view.participants) {
                if (p.attendance === 'WAITING') settle(`in:${user.visit.id}:${p.userId}`);
              }
            } else if (view.accessLinkURL) {
              settle(`admit:${user.visit.id}:${user.userId}`);
            }
          },
          error: () => {
            errors += 1;
          },
          complete: () => {},
        },
      );
    }
    // Let this batch's upgrades through before the next.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.race([
    firsts,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${firstsWaiting} subscriptions got no first view`)), 120_000),
    ),
  ]);
  return { clients, errors: () => errors, users: users.length };
}

async function mutate(url, caller, groups, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', miauserid: caller, miausergroups: groups },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${caller}: ${JSON.stringify(body.errors[0])}`);
}

/**
 * Runs `ops` IN_FLIGHT at a time; each sends its mutation and waits for its push.
 * @returns {Promise<{ push: number[], roundTrip: number[] }>}
 */
async function measure(label, ops) {
  const push = [];
  const roundTrip = [];
  let next = 0;
  const worker = async () => {
    while (next < ops.length) {
      const op = ops[next++];
      const arrived = new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(op.key);
          reject(new Error(`${label}: no push for ${op.key} within ${PUSH_TIMEOUT_MS} ms`));
        }, PUSH_TIMEOUT_MS);
        waiters.set(op.key, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const sent = performance.now();
      await op.send();
      roundTrip.push(performance.now() - sent);
      push.push((await arrived) - sent);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { push, roundTrip };
}

const summary = (values) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  max: percentile(values, 100),
});

async function main() {
  const gateway = new ServerProcess(
    'gateway-waiting-room',
    join(here, 'servers', 'gateway-server.js'),
    { mode: 'waiting-room', visits: VISITS, perVisit: PER_VISIT, logLevel: 'warn' },
    { readyTimeoutMs: 120_000 },
  );
  const ready = await gateway.ready();
  const visits = /** @type {Array<{ id: string, doctor: string, patients: string[] }>} */ (ready.waitingRoom);
  log(`${visits.length} visits seeded; opening ${visits.length * (PER_VISIT + 1)} connections`);
  const opened = performance.now();
  const live = await openAll(ready.url, visits);
  log(`${live.users} subscriptions open in ${Math.round(performance.now() - opened)} ms`);

  // Warm-up, not measured: every doctor announces a delay and clears it (the same write, publish
  // and push path, every subscriber woken), so the JIT has seen it before the clock starts.
  const delay = 'mutation($id: ID!, $m: Int!) { announceDelay(teleconsultationId: $id, minutes: $m) { id } }';
  for (const minutes of [5, 0]) {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < visits.length) {
          const visit = visits[next++];
          await mutate(ready.url, visit.doctor, 'doctor', delay, { id: visit.id, m: minutes });
        }
      }),
    );
  }
  log('warmed up');
  const loadBefore = os.loadavg()[0];

  // Patients in an order that spreads consecutive check-ins over visits.
  const patients = [];
  for (let i = 0; i < PER_VISIT; i++)
    for (const visit of visits) patients.push({ visit, userId: visit.patients[i] });

  const checkIns = await measure(
    'check-in',
    patients.map(({ visit, userId }) => ({
      key: `in:${visit.id}:${userId}`,
      send: () =>
        mutate(
          ready.url,
          userId,
          'customer',
          'mutation($id: ID!) { checkIn(teleconsultationId: $id) { attendance } }',
          { id: visit.id },
        ),
    })),
  );
  log(`check-in → host push: p99 ${percentile(checkIns.push, 99).toFixed(1)} ms`);
  const admissions = await measure(
    'admission',
    patients.map(({ visit, userId }) => ({
      key: `admit:${visit.id}:${userId}`,
      send: () =>
        mutate(
          ready.url,
          visit.doctor,
          'doctor',
          'mutation($id: ID!, $user: ID!) { admitParticipant(teleconsultationId: $id, userId: $user) { attendance } }',
          { id: visit.id, user: userId },
        ),
    })),
  );
  log(`admission → patient push: p99 ${percentile(admissions.push, 99).toFixed(1)} ms`);
  if (live.errors() > 0) throw new Error(`${live.errors()} subscription errors`);
  await Promise.all(live.clients.map((client) => client.dispose()));
  await stopAll();

  const rows = [
    ['check-in → host push', summary(checkIns.push), summary(checkIns.roundTrip)],
    ['admission → patient push', summary(admissions.push), summary(admissions.roundTrip)],
  ];
  const ms = (value) => `${value.toFixed(1)} ms`;
  const machine = describeMachine();
  const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`;
  const lines = [
    `Measured ${new Date().toISOString()} with \`npm run bench:waiting-room\` on ${machine.cpuModel}, ${machine.cores} cores (${load}), Node ${machine.node}: ${visits.length} HOST_ADMITS visits, ${patients.length} patients and ${visits.length} doctors subscribed (one connection each), ${IN_FLIGHT} mutations in flight.`,
    '',
    '| from the mutation sent until | samples | p50 | p99 | max | mutation round trip p50 / p99 | target (p99) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      ([label, push, trip]) =>
        `| ${label} | ${patients.length} | ${ms(push.p50)} | ${ms(push.p99)} | ${ms(push.max)} | ${ms(trip.p50)} / ${ms(trip.p99)} | < ${TARGET_P99_MS} ms ${push.p99 < TARGET_P99_MS ? 'met' : 'MISS'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(async (error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAll();
  process.exitCode = 1;
});
