/**
 * The embedded default (`npm run demo`): a local Kaleyra sandbox, the in-memory store and the
 * gateway, with no environment variables needed; `VIDEO_PROVIDER=livekit npm run demo` hosts the
 * rooms on a local LiveKit sandbox instead (links open LiveKit's Meet app unless LIVEKIT_JOIN_URL
 * names another page; the sandbox has no media, so the call itself does not start). Other gateway variables (PORT, LOG_LEVEL,
 * IMMUTABLE_PERIOD_MS, TELECONSULTATION_SERVICE_CONFIG_PATH, …) are honoured; the store and the
 * Kaleyra connection are always the demo's own, and it listens on loopback unless HOST is set.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../src/config/load-config.js';
import { limitHeapGrowth } from '../src/observability/heap-growth.js';
import { demoEnvironment } from './demo-environment.js';
import { startKaleyraSandbox } from './kaleyra-sandbox/sandbox.js';
import { startLivekitSandbox } from './livekit-sandbox/sandbox.js';

// As `npm start` runs it (src/main.ts).
limitHeapGrowth();

const apiKey = `demo-${randomBytes(12).toString('hex')}`;
const sandbox = await startKaleyraSandbox({ apiKey });
const onLivekit = process.env.VIDEO_PROVIDER === 'livekit';
const livekitKeys = { apiKey: 'demo-livekit', apiSecret: randomBytes(32).toString('hex') };
const livekit = onLivekit ? await startLivekitSandbox(livekitKeys) : undefined;

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(
    demoEnvironment(
      process.env,
      { url: sandbox.url, apiKey },
      livekit && { url: livekit.url, wsUrl: livekit.wsUrl, ...livekitKeys },
    ),
  );
} catch (error) {
  await sandbox.close();
  await livekit?.close();
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Invalid configuration:\n${error.message}\n`);
  process.exit(1);
}

const { createApp } = await import('../src/app.js');
const app = await createApp(config);
const { url } = await app.start();
const start = new Date(Date.now() + 2 * 60_000).toISOString();

process.stdout.write(`
teleconsultation-gateway demo (in-memory store, ${livekit ? `rooms on the local LiveKit sandbox at ${livekit.url}` : `local Kaleyra sandbox at ${sandbox.url}`})

  GraphQL endpoint  ${url}/graphql
  GraphiQL IDE      ${url}/graphiql
  Health            ${url}/-/healthz

Schedule a visit two minutes from now, as a doctor (the "doctor" group may schedule; doctor-1 joins as PLUS):

  curl -s ${url}/graphql -H 'content-type: application/json' -H '${config.identity.userIdHeader}: doctor-1' -H '${config.identity.caller.groups}: doctor' -d '{"query":"mutation { createTeleconsultation(input: { startDate: \\"${start}\\", durationInSeconds: 1800, participants: [{ userId: \\"doctor-1\\", fullName: \\"Dr Demo\\", groups: [\\"doctor\\"] }, { userId: \\"patient-1\\", fullName: \\"Pat Demo\\", groups: [\\"customer\\"] }] }) { id status lockedFrom } }"}'

Then read it as a participant (the caller is the ${config.identity.userIdHeader} header); accessLinkURL appears at lockedFrom:

  curl -s ${url}/graphql -H 'content-type: application/json' -H '${config.identity.userIdHeader}: patient-1' -H '${config.identity.caller.groups}: customer' -d '{"query":"{ teleconsultation(id: \\"<id>\\") { status locked accessLinkURL } }"}'

Ctrl+C stops.
`);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  await app.stop();
  await sandbox.close();
  await livekit?.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
