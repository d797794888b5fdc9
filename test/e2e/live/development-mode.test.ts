/**
 * `npm start` with no NODE_ENV and no DEV_MODE runs with production behaviour: identity sent in a
 * WebSocket's connection_init is not honoured (no impersonation over WebSocket), no IDE, no
 * introspection, no schema hints, and no warning. DEV_MODE=true switches the conveniences on, and
 * the service says so with a warning at start. Run through the real entry point (node dist/main.js).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestGateway } from '../../support/gateway.js';
import { openAdmitted } from './raw-socket.js';

const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

/** What a Mia-Platform deployment (or `npm start` on a laptop) sets, NODE_ENV and DEV_MODE aside. */
const ENV = {
  BANDYER_API_SECRET_KEY: 'e2e-secret',
  BANDYER_BASE_URL: 'http://127.0.0.1:9',
  STORE: 'memory',
  HOST: '127.0.0.1',
  PORT: '0',
  // SIGTERM waits WAIT_BEFORE_SERVER_CLOSE_SEC (10 s by default) before closing: not what is tested here.
  WAIT_BEFORE_SERVER_CLOSE_SEC: '0',
  LOG_LEVEL: 'info',
};

interface Started {
  child: ChildProcess;
  url: string;
  /** Log lines written until the service said it listens, parsed. */
  startLines: Array<{ level: number; msg: string; developmentConveniences?: string[] }>;
  stop(): Promise<void>;
}

async function startMain(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)"[^\n]*teleconsultation-gateway listening/.exec(stdout);
      if (listening?.[1]) resolve(listening[1]);
    });
    void exited.then(() => reject(new Error(`exited before listening: ${stderr}`)));
  });
  return {
    child,
    url,
    startLines: stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line)),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const conveniencesWarning = (started: Started) =>
  started.startLines.filter((line) => /development conveniences/.test(line.msg));

describe('npm start without NODE_ENV=production', () => {
  it('honours no identity sent in connection_init, serves no IDE, and warns of nothing', async () => {
    const environments: Array<Record<string, string>> = [{}, { NODE_ENV: 'development' }];
    for (const env of environments) {
      const started = await startMain(env);
      try {
        const raw = await openAdmitted(started.url);
        raw.send({ type: 'connection_init', payload: { miauserid: 'doc-1', miausergroups: 'doctor' } });
        expect(await raw.closed).toEqual({ code: 4403, reason: 'Forbidden' });
        expect(raw.received).toEqual([]);
        expect((await fetch(`${started.url}/graphiql`)).status).toBe(404);
        const introspection = await fetch(`${started.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
        });
        expect(introspection.status).toBe(400);
        expect(conveniencesWarning(started)).toEqual([]);
      } finally {
        await started.stop();
      }
    }
  });

  it('switches the conveniences on with DEV_MODE=true, with a warning at start', async () => {
    const started = await startMain({ DEV_MODE: 'true' });
    try {
      expect(conveniencesWarning(started)).toEqual([
        expect.objectContaining({
          level: 40,
          developmentConveniences: [
            'IDENTITY_FROM_CONNECTION_INIT',
            'SCHEMA_HINTS_IN_ERRORS',
            'GRAPHQL_IDE',
            'GRAPHQL_INTROSPECTION',
          ],
        }),
      ]);
      const raw = await openAdmitted(started.url);
      raw.send({ type: 'connection_init', payload: { miauserid: 'doc-1', miausergroups: 'doctor' } });
      expect(await raw.next('connection_ack')).toEqual({ type: 'connection_ack' });
      raw.socket.terminate();
      expect((await fetch(`${started.url}/graphiql`)).status).toBe(200);
    } finally {
      await started.stop();
    }
  });
});

describe('the warning at start', () => {
  it('names each convenience that is on, one by one', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ DEV_MODE: 'false' }, []],
      [{ DEV_MODE: 'false', GRAPHQL_IDE: 'true' }, ['GRAPHQL_IDE']],
      [{ DEV_MODE: 'false', GRAPHQL_INTROSPECTION: 'true' }, ['GRAPHQL_INTROSPECTION']],
      [
        {
          DEV_MODE: 'true',
          GRAPHQL_IDE: 'false',
          GRAPHQL_INTROSPECTION: 'false',
          SUBSCRIPTIONS_ENABLED: 'false',
        },
        ['SCHEMA_HINTS_IN_ERRORS'],
      ],
    ];
    for (const [env, expected] of cases) {
      const gateway = await startTestGateway({ env: { LOG_LEVEL: 'info', ...env } });
      try {
        const warnings = gateway
          .logs()
          .split('\n')
          .filter((line) => line.includes('development conveniences'))
          .map((line) => JSON.parse(line) as { level: number; developmentConveniences: string[] });
        expect({ env, warnings }).toEqual({
          env,
          warnings:
            expected.length === 0 ? [] : [{ ...warnings[0], level: 40, developmentConveniences: expected }],
        });
      } finally {
        await gateway.close();
      }
    }
  });
});
