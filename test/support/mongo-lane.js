// `npm run test:mongo`: the MongoDB halves of the store contract suites and the document mappings,
// over the wire, against an in-memory MongoDB emulator (jongodb, a devDependency: a native binary
// for linux-x64 with glibc). Starts it on a free port as a single-node replica set, runs Jest with
// MONGODB_URL set, and stops it however the run ends (success, failure, Ctrl-C). The tests the
// emulator cannot run are listed, with what it lacks, in test/integration/storage/emulator-gaps.js
// and skipped here only. Extra arguments go to Jest (`npm run test:mongo -- jobs.contract`).
// What this lane proves and does not: docs/storage.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_GAPS } from '../integration/storage/emulator-gaps.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUITES = ['test/integration/storage/', 'test/unit/storage/'];
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** Printed on stderr each time a client disconnects: noise, not a failure. */
const DISCONNECT_NOISE = /jongodb tcp client io failure/;

const require = createRequire(import.meta.url);
const binary = join(
  dirname(require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json')),
  'bin/jongodb',
);

/** Starts the emulator and resolves with its URI once it listens. */
async function startEmulator() {
  const child = spawn(binary, ['--port=0', '--topology-profile=singleNodeReplicaSet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const line of chunk.split('\n')) {
      if (line.trim() !== '' && !DISCONNECT_NOISE.test(line)) process.stderr.write(`jongodb: ${line}\n`);
    }
  });
  const uri = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`jongodb did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const found = /^JONGODB_URI=(\S+)$/m.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited (${signal ?? code}) before listening: ${stderr.slice(-500)}`));
    });
  });
  return { child, uri };
}

/** SIGTERM (its shutdown hook takes milliseconds), then SIGKILL if it lingers. */
async function stopEmulator(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Jest's test name: the describe titles and the test's, joined by spaces. */
const fullName = (titles) => titles.join(' ');

/** Every test but the gaps (Jest reports the others as skipped). */
function testNamePattern() {
  const gaps = EMULATOR_GAPS.map((gap) => escapeRegExp(fullName(gap.test)));
  return `^(?!(?:${gaps.join('|')})$)`;
}

async function runJest(uri, report, extraArgs, onStart) {
  const { default: baseConfig } = await import(new URL('../../jest.config.js', import.meta.url).href);
  // The storage suites need no build of dist/ (the default globalSetup's work).
  const config = { ...baseConfig, rootDir: ROOT, globalSetup: undefined };
  const jest = spawn(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      join(ROOT, 'node_modules/jest/bin/jest.js'),
      '--config',
      JSON.stringify(config),
      '--testNamePattern',
      testNamePattern(),
      '--json',
      '--outputFile',
      report,
      ...(extraArgs.length > 0 ? extraArgs : SUITES),
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MONGODB_URL: uri } },
  );
  onStart(jest);
  const [code, signal] = await once(jest, 'exit');
  return code ?? (signal ? 1 : 0);
}

/** What the report must show: the MongoDB blocks ran, and every gap named a test it skipped. */
function checkReport(report) {
  const problems = [];
  const results = JSON.parse(readFileSync(report, 'utf8')).testResults;
  const tests = results.flatMap((file) =>
    file.assertionResults.map((test) => ({ ...test, file: relative(ROOT, file.name) })),
  );
  const onMongo = tests.filter((test) => /^MongoDB /.test(test.ancestorTitles[0] ?? ''));
  if (onMongo.filter((test) => test.status === 'passed').length === 0) {
    problems.push('no MongoDB test ran: was MONGODB_URL picked up?');
  }
  let skipped = 0;
  for (const gap of EMULATOR_GAPS) {
    if (!results.some((file) => relative(ROOT, file.name) === gap.file)) continue;
    const name = fullName(gap.test);
    const test = tests.find((t) => t.file === gap.file && fullName([...t.ancestorTitles, t.title]) === name);
    if (!test) problems.push(`emulator-gaps.js names a test that does not exist: ${gap.file} › ${name}`);
    else if (test.status !== 'pending')
      problems.push(`an emulator gap was not skipped (${test.status}): ${name}`);
    else skipped += 1;
  }
  const count = (status) => onMongo.filter((test) => test.status === status).length;
  process.stdout.write(
    `mongo lane: ${count('passed')} MongoDB tests passed, ${count('failed')} failed, ${skipped} skipped as ` +
      'emulator gaps (test/integration/storage/emulator-gaps.js)\n',
  );
  return problems;
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'mongo-lane-'));
  const report = join(workDir, 'jest.json');
  let emulator;
  let jest;
  const stopAll = async (signal) => {
    jest?.kill(signal);
    if (emulator) await stopEmulator(emulator.child);
    rmSync(workDir, { recursive: true, force: true });
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => void stopAll(signal));
  // Last resort (an exception here): never leave the emulator running.
  process.once('exit', () => emulator?.child.kill('SIGKILL'));

  let status = 1;
  try {
    emulator = await startEmulator();
    process.stdout.write(`mongo lane: jongodb listening at ${emulator.uri}\n`);
    status = await runJest(emulator.uri, report, process.argv.slice(2), (child) => {
      jest = child;
    });
    const problems = checkReport(report);
    for (const problem of problems) process.stderr.write(`mongo lane: ${problem}\n`);
    if (problems.length > 0) status = 1;
  } catch (error) {
    process.stderr.write(`mongo lane: ${error instanceof Error ? error.message : String(error)}\n`);
    status = 1;
  } finally {
    if (emulator) await stopEmulator(emulator.child);
    rmSync(workDir, { recursive: true, force: true });
  }
  process.exit(status);
}

await main();
