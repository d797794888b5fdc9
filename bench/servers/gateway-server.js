/**
 * The real gateway (compiled, from dist-dev/: the same sources as dist/, with the sandbox beside them) in its own process, as `npm run demo` starts it: a
 * local Kaleyra sandbox, the in-memory store, configuration through loadConfig. Two modes:
 * - `read`: `records` locked teleconsultations seeded straight through the store port, a
 *   ManualClock ten minutes into them, so a participant's read returns their join link;
 * - `fanout`: an empty store and a sandbox that delays every Kaleyra call by `kaleyraDelayMs`;
 * - `agenda`: `records` future teleconsultations, AGENDA_VISITS of them with AGENDA_CALLER,
 *   spread over the store;
 * - `live`: `users` × `perUser` teleconsultations starting (and locking) at `lockAt`, on the
 *   system clock, user u the patient of visits u·perUser … u·perUser + perUser − 1;
 * - `waiting-room`: `visits` HOST_ADMITS visits, each with one doctor and `perVisit` patients,
 *   started five minutes ago on the system clock (locked, every window open): nobody checked in;
 * - `transcription`: one visit of `doctor-1` with its room, and its sessions' transcriptions of
 *   the sizes `transcriptions` names (`{ sessionId: { bytes, declared } }`), the sandbox writing
 *   them as they are read; TRANSCRIPTION_MAX_FILE_SIZE at its default.
 */
import { randomBytes } from 'node:crypto';
import { startKaleyraSandbox } from '../../dist-dev/dev/kaleyra-sandbox/sandbox.js';
import { createApp } from '../../dist-dev/src/app.js';
import { loadConfig } from '../../dist-dev/src/config/load-config.js';
import { ManualClock } from '../../dist-dev/src/domain/clock.js';
import { limitHeapGrowth } from '../../dist-dev/src/observability/heap-growth.js';
import { AGENDA_CALLER, isAgendaVisit } from '../lib/agenda-query.js';
import {
  callerOf,
  DURATION_SECONDS,
  READ_ANSWER_PREFIX,
  STARTED_MS_AGO,
  sampledIndexes,
  seededParticipants,
} from '../lib/read-query.js';
import { runnerOptions, serveRunner } from './child-protocol.js';

// The heap policy `npm start` applies (src/main.ts): the gateway process as it is deployed.
limitHeapGrowth();

const options = runnerOptions();
const mode = ['fanout', 'agenda', 'live', 'transcription', 'waiting-room'].includes(options.mode)
  ? options.mode
  : 'read';
const waitingVisits = mode === 'waiting-room' ? Number(options.visits) : 0;
const waitingPerVisit = mode === 'waiting-room' ? Number(options.perVisit) : 0;
const records =
  mode === 'fanout' || mode === 'transcription'
    ? 0
    : mode === 'live'
      ? Number(options.users) * Number(options.perUser)
      : mode === 'waiting-room'
        ? waitingVisits
        : Number(options.records ?? 100);
const logLevel = typeof options.logLevel === 'string' ? options.logLevel : 'info';

const apiKey = `bench-${randomBytes(12).toString('hex')}`;
const sandbox = await startKaleyraSandbox({ apiKey });
if (mode === 'fanout') {
  sandbox.injectFault({ path: '*', delayMs: Number(options.kaleyraDelayMs ?? 50), times: 'always' });
}

const config = loadConfig({
  NODE_ENV: 'production',
  STORE: 'memory',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: logLevel,
  BANDYER_BASE_URL: sandbox.url,
  BANDYER_API_SECRET_KEY: apiKey,
  // Scenario 6 opens every subscriber's socket from loopback: one client address for thousands.
  WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: String(
    Number(options.users ?? 0) + waitingVisits * (waitingPerVisit + 1) + 10,
  ),
});

const now = Date.now();
// Live updates run on the system clock: the instant they are measured against is a real one.
const app = await createApp(
  config,
  mode === 'fanout' || mode === 'live' || mode === 'waiting-room' ? {} : { clock: new ManualClock(now) },
);

/**
 * Stores seeded visit `n`: an hour-long active visit with its room, starting at `startDate`.
 * @param {number} n
 * @param {Date} startDate
 * @param {Array<Record<string, unknown>>} participants
 * @param {Date} createdAt
 */
function seedVisit(n, startDate, participants, createdAt, extra = {}) {
  return app.storage.teleconsultations.insert(
    {
      startDate,
      endDate: new Date(startDate.getTime() + DURATION_SECONDS * 1000),
      durationInSeconds: DURATION_SECONDS,
      participantsNumber: participants.length,
      participants,
      roomId: `room_bench_${n}`,
      state: 'active',
      recording: null,
      calendarSequence: 0,
      ...extra,
    },
    createdAt,
  );
}

/** @type {Array<{ id: string, caller: string }>} */
const reads = [];
const seedStarted = performance.now();
if (mode === 'read') {
  const startDate = new Date(now - STARTED_MS_AGO);
  const createdAt = new Date(now - 24 * 3600_000);
  const sample = sampledIndexes(records);
  for (let n = 0; n < records; n++) {
    const participants = seededParticipants(n);
    const record = await seedVisit(n, startDate, participants, createdAt);
    if (sample.has(n)) reads.push({ id: record.id, caller: callerOf(n) });
  }
}
if (mode === 'agenda') {
  const createdAt = new Date(now - 24 * 3600_000);
  for (let n = 0; n < records; n++) {
    // Visits a minute apart from tomorrow on: every one SCHEDULED, in a stable order.
    const startDate = new Date(now + 24 * 3600_000 + n * 60_000);
    const participants = seededParticipants(n);
    if (isAgendaVisit(n, records)) {
      participants[0] = { ...participants[0], userId: AGENDA_CALLER, videoUserId: `tg.${AGENDA_CALLER}` };
    }
    await seedVisit(n, startDate, participants, createdAt);
  }
}
if (mode === 'live') {
  const startDate = new Date(Number(options.lockAt));
  const perUser = Number(options.perUser);
  for (let n = 0; n < records; n++) {
    const user = Math.floor(n / perUser);
    const participants = [
      { ...seededParticipants(n)[0] },
      { ...seededParticipants(n)[1], userId: `live-${user}`, videoUserId: `tg.live-${user}` },
    ];
    const record = await seedVisit(n, startDate, participants, new Date(now - 3600_000));
    reads.push({ id: record.id, caller: `live-${user}` });
  }
}
/** @type {Array<{ id: string, doctor: string, patients: string[] }>} */
const waitingRoom = [];
if (mode === 'waiting-room') {
  const startDate = new Date(now - 5 * 60_000);
  for (let n = 0; n < waitingVisits; n++) {
    const [doctor, patient] = seededParticipants(n);
    const patients = Array.from({ length: waitingPerVisit }, (_, i) => ({
      ...patient,
      userId: `wr-pat-${n}-${i}`,
      videoUserId: `tg.wr-pat-${n}-${i}`,
      accessLinkURL: `${patient.accessLinkURL}-${i}`,
    }));
    const record = await seedVisit(n, startDate, [doctor, ...patients], new Date(now - 3600_000), {
      admission: 'HOST_ADMITS',
    });
    waitingRoom.push({ id: record.id, doctor: doctor.userId, patients: patients.map((p) => p.userId) });
  }
}
const seedMs = performance.now() - seedStarted;

const { url } = await app.start();

/** Transcription mode: the visit (created through the API, so its room exists on the sandbox) and its sessions. */
async function transcriptionVisit() {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', miauserid: 'doctor-1', miausergroups: 'doctor' },
    body: JSON.stringify({
      query: `mutation($input: CreateTeleconsultationInput!) { createTeleconsultation(input: $input) { id roomId } }`,
      variables: {
        input: {
          startDate: new Date(now + 3600_000).toISOString(),
          durationInSeconds: 1800,
          participants: [
            { userId: 'doctor-1', fullName: 'Bench Doctor', groups: ['doctor'] },
            { userId: 'patient-1', fullName: 'Bench Patient', groups: ['customer'] },
          ],
        },
      },
    }),
  });
  const { id, roomId } = (await response.json()).data.createTeleconsultation;
  for (const [sessionId, { bytes, declared }] of Object.entries(options.transcriptions ?? {})) {
    sandbox.addSession(roomId, {
      session_id: sessionId,
      transcription: { size_bytes: bytes, content_length: declared ? 'declared' : 'omitted' },
    });
  }
  return { id, roomId };
}
const transcription = mode === 'transcription' ? await transcriptionVisit() : null;

serveRunner({
  async stop() {
    await app.stop();
    await sandbox.close();
  },
  stats: () => ({ kaleyraRequests: sandbox.requests().length }),
});
process.send?.({
  type: 'ready',
  url,
  reads,
  records,
  seedMs,
  answerPrefix: READ_ANSWER_PREFIX,
  transcription,
  waitingRoom,
});
