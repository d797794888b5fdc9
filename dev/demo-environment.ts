/**
 * The environment the demo runs the gateway with: the caller's variables, with the store and the
 * Kaleyra connection always the demo's own, and DEV_MODE on. It listens on loopback unless HOST
 * says otherwise: the demo has the IDE and introspection on, takes identity from a WebSocket's
 * connection_init, and has no real identity in front of it, so it must not be reachable from the
 * network by default.
 */
export function demoEnvironment(
  env: Record<string, string | undefined>,
  sandbox: { url: string; apiKey: string },
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
    GRAPHQL_IDE: 'true',
    GRAPHQL_INTROSPECTION: 'true',
  };
}
