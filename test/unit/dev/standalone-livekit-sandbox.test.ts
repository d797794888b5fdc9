import { RoomServiceClient } from 'livekit-server-sdk';
import { startLivekitSandbox } from '../../../dev/livekit-sandbox/sandbox.js';
import { standaloneLivekitSandboxOptions } from '../../../dev/livekit-sandbox/standalone.js';

const SECRET = 's'.repeat(32);

describe('the LiveKit sandbox as a process of its own', () => {
  it('takes its key, secret, address and port from the environment', () => {
    expect(
      standaloneLivekitSandboxOptions({
        LIVEKIT_SANDBOX_API_KEY: 'k',
        LIVEKIT_SANDBOX_API_SECRET: SECRET,
        HOST: '0.0.0.0',
        PORT: '7990',
      }),
    ).toEqual({ apiKey: 'k', apiSecret: SECRET, host: '0.0.0.0', port: 7990 });
  });

  it("listens on loopback, LiveKit's port 7880, unless told otherwise", () => {
    expect(
      standaloneLivekitSandboxOptions({ LIVEKIT_SANDBOX_API_KEY: 'k', LIVEKIT_SANDBOX_API_SECRET: SECRET }),
    ).toMatchObject({ host: '127.0.0.1', port: 7880 });
  });

  it('refuses to start without a key or a secret, rather than with ones nobody chose', () => {
    expect(() => standaloneLivekitSandboxOptions({ LIVEKIT_SANDBOX_API_KEY: 'k' })).toThrow(
      /LIVEKIT_SANDBOX_API_KEY and LIVEKIT_SANDBOX_API_SECRET are required/,
    );
    expect(() => standaloneLivekitSandboxOptions({ LIVEKIT_SANDBOX_API_SECRET: SECRET })).toThrow(/required/);
  });

  it.each(['http', '-1', '65536', '40.5'])('refuses PORT=%s', (port) => {
    expect(() =>
      standaloneLivekitSandboxOptions({
        LIVEKIT_SANDBOX_API_KEY: 'k',
        LIVEKIT_SANDBOX_API_SECRET: SECRET,
        PORT: port,
      }),
    ).toThrow(/PORT must be/);
  });

  it('serves the RoomService with that key and secret', async () => {
    const sandbox = await startLivekitSandbox(
      standaloneLivekitSandboxOptions({
        LIVEKIT_SANDBOX_API_KEY: 'k',
        LIVEKIT_SANDBOX_API_SECRET: SECRET,
        PORT: '0',
      }),
    );
    try {
      await new RoomServiceClient(sandbox.url, 'k', SECRET).createRoom({ name: 'r' });
      await expect(new RoomServiceClient(sandbox.url, 'k', 't'.repeat(32)).listRooms()).rejects.toMatchObject(
        {
          status: 401,
        },
      );
      expect(sandbox.rooms().map((room) => room.name)).toEqual(['r']);
    } finally {
      await sandbox.close();
    }
  });
});
