import { readFileSync } from 'node:fs';

/**
 * The node flags `npm start` runs the gateway with (package.json's `start` script, which the
 * Dockerfile's CMD repeats): the benchmark's gateway processes run with them too, so what is
 * measured is what is deployed.
 * @param {string} packageJsonPath
 * @returns {string[]}
 */
export function startNodeFlags(packageJsonPath) {
  const { scripts } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  return nodeFlagsOf(String(scripts?.start ?? ''));
}

/**
 * The flags of a `node <flags…> <script>` command line: the words between `node` and the first
 * word that is not a flag (so a flag's value is written with `=`, as `--min-semi-space-size=16`).
 * @param {string} command
 * @returns {string[]}
 */
export function nodeFlagsOf(command) {
  const [program, ...words] = command.trim().split(/\s+/);
  if (program !== 'node') throw new Error(`not a node command line: ${command}`);
  const script = words.findIndex((word) => !word.startsWith('-'));
  if (script === -1) throw new Error(`no script in: ${command}`);
  return words.slice(0, script);
}
