/**
 * A stop has a deadline: the real entry point (`node dist/main.js`) with a request stuck on a
 * Kaleyra call that never answers exits SHUTDOWN_TIMEOUT_MS after closing began (SIGTERM plus
 * WAIT_BEFORE_SERVER_CLOSE_SEC), saying what was open; a second signal exits at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { doctor, patient, TEST_API_KEY } from '../../support/gateway.js';

const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition never met');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; stdout: string; stderr: string; atMs: number }>;
}

async function startMain(sandbox: KaleyraSandbox, shutdownTimeoutMs: number, waitSec = 0): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      STORE: 'memory',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      BANDYER_BASE_URL: sandbox.url,
      BANDYER_API_SECRET_KEY: TEST_API_KEY,
      // Nothing but the shutdown deadline may end the stuck request.
      KALEYRA_TIMEOUT_MS: '120000',
      REQUEST_TIMEOUT_MS: '600000',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      WAIT_BEFORE_SERVER_CLOSE_SEC: String(waitSec),
    },
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
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string; atMs: number }>(
    (resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, atMs: Date.now() })),
  );
  await until(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/-/healthz`)).ok;
    } catch {
      return false;
    }
  });
  return { child, port, exited };
}

/** A create (an hour from the real now: the process runs on the system clock) whose room Kaleyra never finishes. */
function stuckCreate(port: number): Promise<unknown> {
  const query = `mutation { createTeleconsultation(input: { startDate: "${new Date(Date.now() + 3_600_000).toISOString()}", durationInSeconds: 1800, participants: [${[
    doctor('sd-doc'),
    patient('sd-pat'),
  ]
    .map((p) => `{ userId: "${p.userId}", fullName: "${p.fullName}", groups: ["${p.groups[0]}"] }`)
    .join(', ')}] }) { id } }`;
  return fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', isbackoffice: 'true' },
    body: JSON.stringify({ query }),
  }).catch(() => undefined);
}

describe('stopping with a request that never ends', () => {
  let sandbox: KaleyraSandbox;
  let running: Running | undefined;
  beforeEach(async () => {
    sandbox = await startKaleyraSandbox({ apiKey: TEST_API_KEY });
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 600_000 });
  });
  afterEach(async () => {
    running?.child.kill('SIGKILL');
    await sandbox.close();
  });

  it('exits SHUTDOWN_TIMEOUT_MS after SIGTERM, logging the request still open', async () => {
    running = await startMain(sandbox, 700);
    void stuckCreate(running.port);
    await until(() => sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));

    const signalledAt = Date.now();
    running.child.kill('SIGTERM');
    const result = await running.exited;

    expect(result.code).toBe(1);
    expect(result.atMs - signalledAt).toBeGreaterThanOrEqual(650);
    expect(result.atMs - signalledAt).toBeLessThan(5000);
    expect(result.stderr).toContain('Stopping took longer than SHUTDOWN_TIMEOUT_MS (700 ms); exiting now.');
    const line = result.stdout
      .split('\n')
      .filter((text) => text.includes('shutdown deadline passed'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)[0];
    expect(line).toMatchObject({ openRequests: 1, level: 50 });
    expect(line?.activeResources).toEqual(expect.arrayContaining(['TCPSocketWrap']));
  });

  it('counts SHUTDOWN_TIMEOUT_MS from the end of the wait before closing', async () => {
    running = await startMain(sandbox, 700, 1);
    void stuckCreate(running.port);
    await until(() => sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));

    const signalledAt = Date.now();
    running.child.kill('SIGTERM');
    const result = await running.exited;

    expect(result.code).toBe(1);
    expect(result.atMs - signalledAt).toBeGreaterThanOrEqual(1650);
    expect(result.atMs - signalledAt).toBeLessThan(6000);
    expect(result.stderr).toContain('Stopping took longer than SHUTDOWN_TIMEOUT_MS (700 ms); exiting now.');
  });

  it('exits at once on a second signal', async () => {
    running = await startMain(sandbox, 60_000);
    void stuckCreate(running.port);
    await until(() => sandbox.requests().some((r) => r.method === 'POST' && r.path === '/v2/rooms'));

    running.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const secondAt = Date.now();
    running.child.kill('SIGTERM');
    const result = await running.exited;

    expect(result.code).toBe(1);
    expect(result.atMs - secondAt).toBeLessThan(2000);
    expect(result.stderr).toContain('Received SIGTERM again while stopping; exiting now.');
  });
});
