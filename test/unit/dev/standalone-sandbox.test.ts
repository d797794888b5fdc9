import { startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { standaloneSandboxOptions } from '../../../dev/kaleyra-sandbox/standalone.js';

describe('the Kaleyra sandbox as a process of its own (compose.yaml)', () => {
  it('takes its key, address and port from the environment', () => {
    expect(standaloneSandboxOptions({ KALEYRA_SANDBOX_API_KEY: 'k', HOST: '0.0.0.0', PORT: '4100' })).toEqual(
      {
        apiKey: 'k',
        host: '0.0.0.0',
        port: 4100,
      },
    );
  });

  it('listens on loopback, port 4000, unless told otherwise', () => {
    expect(standaloneSandboxOptions({ KALEYRA_SANDBOX_API_KEY: 'k' })).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
    });
  });

  it('refuses to start without a key, rather than with one nobody chose', () => {
    expect(() => standaloneSandboxOptions({})).toThrow(/KALEYRA_SANDBOX_API_KEY is required/);
  });

  it.each(['http', '-1', '65536', '40.5'])('refuses PORT=%s', (port) => {
    expect(() => standaloneSandboxOptions({ KALEYRA_SANDBOX_API_KEY: 'k', PORT: port })).toThrow(
      /PORT must be/,
    );
  });

  it('serves the Kaleyra contract with that key', async () => {
    const sandbox = await startKaleyraSandbox(
      standaloneSandboxOptions({ KALEYRA_SANDBOX_API_KEY: 'k', PORT: '0' }),
    );
    try {
      const create = (apikey: string) =>
        fetch(`${sandbox.url}/v2/users`, {
          method: 'POST',
          headers: { apikey, 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'u1', role: 'plus' }),
        });
      expect((await create('other')).status).toBe(401);
      expect((await create('k')).status).toBe(201);
    } finally {
      await sandbox.close();
    }
  });
});
