/**
 * Runs the LiveKit sandbox alone until SIGTERM or SIGINT (see standalone.ts for its environment):
 * `node dist-dev/dev/livekit-sandbox/serve.js`.
 */
import { startLivekitSandbox } from './sandbox.js';
import { standaloneLivekitSandboxOptions } from './standalone.js';

let options: ReturnType<typeof standaloneLivekitSandboxOptions>;
try {
  options = standaloneLivekitSandboxOptions(process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const sandbox = await startLivekitSandbox(options);
process.stdout.write(`LiveKit sandbox listening on ${sandbox.url} (in memory; everything is lost on stop)\n`);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
