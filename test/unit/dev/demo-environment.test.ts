import { DEMO_LIVEKIT_JOIN_URL, demoEnvironment } from '../../../dev/demo-environment.js';
import { loadConfig } from '../../../src/config/load-config.js';

const sandbox = { url: 'http://127.0.0.1:4010', apiKey: 'demo-key' };

describe('the demo environment', () => {
  it('listens on loopback by default: the IDE and introspection are on, no identity gate is in front', () => {
    const config = loadConfig(demoEnvironment({}, sandbox));
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.graphql).toMatchObject({ ide: true, introspection: true });
  });

  it('switches the development conveniences on (DEV_MODE), whatever NODE_ENV says', () => {
    for (const NODE_ENV of [undefined, 'production', 'development']) {
      const config = loadConfig(demoEnvironment({ NODE_ENV }, sandbox));
      expect(config.runtime.devMode).toBe(true);
      // GraphiQL sends the Headers tab's identity in connection_init.
      expect(config.subscriptions.identityFromConnectionParams).toBe(true);
    }
  });

  it('listens where HOST says when it is set (a container, on purpose)', () => {
    expect(loadConfig(demoEnvironment({ HOST: '0.0.0.0' }, sandbox)).http.host).toBe('0.0.0.0');
  });

  it('always uses its own store and sandbox, whatever the environment says', () => {
    const config = loadConfig(
      demoEnvironment(
        { MONGODB_URL: 'mongodb://db.example/prod', BANDYER_BASE_URL: 'https://kaleyra.example' },
        sandbox,
      ),
    );
    expect(config.store.backend).toEqual({ kind: 'memory' });
    expect(config.video.kaleyra?.baseUrl).toBe(sandbox.url);
  });
});

describe('the demo environment on LiveKit', () => {
  const livekit = {
    url: 'http://127.0.0.1:7880',
    wsUrl: 'ws://127.0.0.1:7880',
    apiKey: 'demo-lk',
    apiSecret: 's'.repeat(32),
  };

  it("connects to its LiveKit sandbox, whatever the environment says, with LiveKit's Meet app as the join page", () => {
    const config = loadConfig(
      demoEnvironment(
        { LIVEKIT_URL: 'https://livekit.example', LIVEKIT_API_SECRET: 'x'.repeat(40) },
        sandbox,
        livekit,
      ),
    );
    expect(config.livekit).toMatchObject({
      url: livekit.url,
      wsUrl: livekit.wsUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      joinUrlTemplate: DEMO_LIVEKIT_JOIN_URL,
    });
  });

  it('keeps a join page the caller chose', () => {
    const config = loadConfig(
      demoEnvironment({ LIVEKIT_JOIN_URL: 'https://meet.clinic.example/?t={token}' }, sandbox, livekit),
    );
    expect(config.livekit?.joinUrlTemplate).toBe('https://meet.clinic.example/?t={token}');
  });
});
