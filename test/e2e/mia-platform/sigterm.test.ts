/**
 * SIGTERM on the real entry point (`node dist/main.js`): /-/ready answers 503 at once, requests
 * are still served for WAIT_BEFORE_SERVER_CLOSE_SEC (1 s here: the one real wait of these tests,
 * the longer ones run on a manual clock in status-and-shutdown.test.ts), then it closes and exits 0.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition never met');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SIGTERM on the entry point', () => {
  it('is not ready at once, keeps serving for WAIT_BEFORE_SERVER_CLOSE_SEC, then exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        BANDYER_API_SECRET_KEY: 'e2e-secret',
        BANDYER_BASE_URL: 'http://127.0.0.1:9',
        STORE: 'memory',
        HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        LOG_LEVEL: 'info',
        WAIT_BEFORE_SERVER_CLOSE_SEC: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; atMs: number }>((resolve) =>
      child.on('close', (code) => resolve({ code, atMs: Date.now() })),
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      await until(async () => {
        try {
          return (await fetch(`${url}/-/ready`)).status === 200;
        } catch {
          return false;
        }
      });

      const signalledAt = Date.now();
      child.kill('SIGTERM');
      // The signal is handled on the child's next turn; ready flips before any wait passes.
      await until(async () => (await fetch(`${url}/-/ready`)).status === 503, 500);
      const served = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ serviceConfig { mode } }' }),
      });
      expect(served.status).toBe(200);
      expect(Date.now() - signalledAt).toBeLessThan(1000);

      const { code, atMs } = await exited;
      expect(code).toBe(0);
      expect(atMs - signalledAt).toBeGreaterThanOrEqual(950);
      expect(stderr).toBe('');
    } finally {
      child.kill('SIGKILL');
    }
  }, 20_000);
});
