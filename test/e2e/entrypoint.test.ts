/**
 * Starts the real entry point (`node dist/main.js`, what `npm start` runs) with a controlled
 * environment and checks that bad configuration stops it with exit code 1 and a message naming
 * the culprit, never a stack trace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Nothing inherited (a developer's MONGODB_URL or PORT must not leak in), except what node needs. */
const VALID_ENV = {
  BANDYER_API_SECRET_KEY: 'e2e-secret',
  BANDYER_BASE_URL: 'http://127.0.0.1:9',
  STORE: 'memory',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  // SIGTERM closes at once (the wait before closing is tested in test/e2e/mia-platform/).
  WAIT_BEFORE_SERVER_CLOSE_SEC: '0',
};

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startMain(env: Record<string, string>): { child: ChildProcess; done: Promise<Outcome> } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

function runMain(env: Record<string, string>): Promise<Outcome> {
  return startMain(env).done;
}

function expectNoStackTrace(output: string): void {
  expect(output).not.toMatch(/^\s+at /m);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'telecons-entrypoint-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeConfigFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('npm start with bad configuration exits 1 and says why', () => {
  it('names a missing required variable', async () => {
    const { BANDYER_API_SECRET_KEY: _key, ...env } = VALID_ENV;
    const result = await runMain(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:\n/);
    expect(result.stderr).toMatch(/^ {2}BANDYER_API_SECRET_KEY: required but not set/m);
    expectNoStackTrace(result.stderr);
  });

  it('names a bad boolean', async () => {
    const result = await runMain({ ...VALID_ENV, LIVE_TELECONSULTATION: 'yes' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LIVE_TELECONSULTATION: expected true or false, got "yes"');
    expectNoStackTrace(result.stderr);
  });

  it('names a bad integer', async () => {
    const result = await runMain({ ...VALID_ENV, IMMUTABLE_PERIOD_MS: '10m' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'IMMUTABLE_PERIOD_MS: expected a whole number from 0 to 604800000 (digits only), got "10m"',
    );
    expectNoStackTrace(result.stderr);
  });

  it('refuses to start without a store and says how to choose one', async () => {
    const { STORE: _store, ...env } = VALID_ENV;
    const result = await runMain(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MONGODB_URL, STORE: no store chosen');
    expect(result.stderr).toMatch(/set MONGODB_URL .* or STORE=memory/);
    expectNoStackTrace(result.stderr);
  });

  it('reports an unreadable config file', async () => {
    const missing = join(dir, 'does-not-exist.json');
    const result = await runMain({ ...VALID_ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: missing });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `TELECONSULTATION_SERVICE_CONFIG_PATH (${missing}): cannot read the file: no such file (ENOENT)`,
    );
    expectNoStackTrace(result.stderr);
  });

  // root reads any file regardless of its mode, so there the check cannot be made.
  const itUnlessRoot = process.getuid?.() === 0 ? it.skip : it;
  itUnlessRoot('reports a config file without read permission', async () => {
    const path = writeConfigFile('unreadable.json', '{}');
    chmodSync(path, 0o000);
    const result = await runMain({ ...VALID_ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`(${path}): cannot read the file: permission denied`);
  });

  it('reports a config file that is a directory', async () => {
    const result = await runMain({ ...VALID_ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`TELECONSULTATION_SERVICE_CONFIG_PATH (${dir}): cannot read the file:`);
    expectNoStackTrace(result.stderr);
  });

  it('reports a config file that is not valid JSON', async () => {
    const path = writeConfigFile('invalid.json', '{ "privileges": { "basic": ');
    const result = await runMain({ ...VALID_ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`TELECONSULTATION_SERVICE_CONFIG_PATH (${path}): not valid JSON:`);
    expectNoStackTrace(result.stderr);
  });

  it('reports a schema violation with its property path', async () => {
    const path = writeConfigFile(
      'schema-violation.json',
      JSON.stringify({
        privileges: { basic: { groups: ['customer'] }, plus: { groups: 'doctor' } },
        environment: 'sandbox',
      }),
    );
    const result = await runMain({ ...VALID_ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `TELECONSULTATION_SERVICE_CONFIG_PATH (${path}) privileges.plus.groups: expected an array of strings`,
    );
    expectNoStackTrace(result.stderr);
  });

  it('reports an authorization expression that does not parse, naming its path', async () => {
    const path = writeConfigFile(
      'bad-policy.json',
      JSON.stringify({
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        authorization: { updateTeleconsultation: 'groups.doctor && (isBackoffice' },
      }),
    );
    const result = await runMain({ ...VALID_ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `TELECONSULTATION_SERVICE_CONFIG_PATH (${path}) authorization.updateTeleconsultation: expected ")" but found the end of the expression (at column 31)`,
    );
    expectNoStackTrace(result.stderr);
  });

  it('lists every problem at once, one per line, and starts nothing', async () => {
    const path = writeConfigFile(
      'no-environment.json',
      JSON.stringify({ privileges: { basic: { groups: [] } } }),
    );
    const result = await runMain({
      PORT: '-1',
      UNLIMITED_TELECONSULTATION: 'TRUE',
      TELECONSULTATION_SERVICE_CONFIG_PATH: path,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((line) => line.split(':')[0]?.trim())).toEqual([
      'BANDYER_API_SECRET_KEY',
      'BANDYER_BASE_URL',
      'UNLIMITED_TELECONSULTATION',
      'PORT',
      'MONGODB_URL, STORE',
      `TELECONSULTATION_SERVICE_CONFIG_PATH (${path}) privileges.plus`,
      `TELECONSULTATION_SERVICE_CONFIG_PATH (${path}) environment`,
    ]);
    expect(result.stdout).toBe('');
  });
});

describe('npm start with valid configuration', () => {
  it('serves until SIGTERM, then stops and exits 0', async () => {
    const port = await findFreePort();
    const { child, done } = startMain({ ...VALID_ENV, PORT: String(port) });
    try {
      await waitUntilServing(port, done);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    expectNoStackTrace(result.stderr);
  });

  it('exits 1 with a one-line message when the port is taken', async () => {
    const blocker = await listen(0);
    try {
      const port = String((blocker.address() as { port: number }).port);
      const result = await runMain({ ...VALID_ENV, PORT: port });
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^Failed to start: .*EADDRINUSE/),
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function findFreePort(): Promise<number> {
  const server = await listen(0);
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Any HTTP answer means the server is up; the app's routes and log format are not this test's business. */
async function waitUntilServing(port: number, exited: Promise<Outcome>): Promise<void> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`main exited before serving: ${(await exited).stderr}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`main did not serve on port ${port} within 15 s`);
}
