/**
 * The environment the demo runs the gateway with: the caller's variables, with the store and the
 * video connection always the demo's own (its Kaleyra sandbox, or with `VIDEO_PROVIDER=livekit`
 * its LiveKit sandbox), and DEV_MODE on. It listens on loopback unless HOST says otherwise: the
 * demo has the IDE and introspection on, takes identity from a WebSocket's connection_init, and
 * has no real identity in front of it, so it must not be reachable from the network by default.
 */
export interface DemoLivekitSandbox {
  url: string;
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
}

/** Where the demo's LiveKit links lead unless LIVEKIT_JOIN_URL says otherwise: LiveKit's own Meet app. */
export const DEMO_LIVEKIT_JOIN_URL = 'https://meet.livekit.io/custom?liveKitUrl={url}&token={token}';

export function demoEnvironment(
  env: Record<string, string | undefined>,
  sandbox: { url: string; apiKey: string },
  livekit?: DemoLivekitSandbox,
): Record<string, string | undefined> {
  return {
    ...env,
    // The development conveniences (the IDE, identity in connection_init): the service warns at start.
    DEV_MODE: 'true',
    HOST: env.HOST || '127.0.0.1',
    STORE: 'memory',
    MONGODB_URL: undefined,
    BANDYER_BASE_URL: sandbox.url,
    BANDYER_API_SECRET_KEY: sandbox.apiKey,
    ...(livekit === undefined
      ? {}
      : {
          LIVEKIT_URL: livekit.url,
          LIVEKIT_WS_URL: livekit.wsUrl,
          LIVEKIT_API_KEY: livekit.apiKey,
          LIVEKIT_API_SECRET: livekit.apiSecret,
          LIVEKIT_JOIN_URL: env.LIVEKIT_JOIN_URL || DEMO_LIVEKIT_JOIN_URL,
        }),
    GRAPHQL_IDE: 'true',
    GRAPHQL_INTROSPECTION: 'true',
  };
}
