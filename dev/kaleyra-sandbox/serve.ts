/**
 * Runs the Kaleyra sandbox alone until SIGTERM or SIGINT (see standalone.ts for its environment):
 * `node dist-dev/dev/kaleyra-sandbox/serve.js`, and the container compose.yaml starts.
 */
import { startKaleyraSandbox } from './sandbox.js';
import { standaloneSandboxOptions } from './standalone.js';

let options: ReturnType<typeof standaloneSandboxOptions>;
try {
  options = standaloneSandboxOptions(process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const sandbox = await startKaleyraSandbox(options);
process.stdout.write(`Kaleyra sandbox listening on ${sandbox.url} (in memory; everything is lost on stop)\n`);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
