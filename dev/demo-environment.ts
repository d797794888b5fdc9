/**
 * The environment the demo runs the gateway with: the caller's variables, with the store and the
 * Kaleyra connection always the demo's own. It listens on loopback unless HOST says otherwise:
 * the demo has the IDE and introspection on and no real identity in front of it, so it must not
 * be reachable from the network by default.
 */
export function demoEnvironment(
  env: Record<string, string | undefined>,
  sandbox: { url: string; apiKey: string },
): Record<string, string | undefined> {
  return {
    ...env,
    NODE_ENV: env.NODE_ENV === 'production' ? 'development' : env.NODE_ENV,
    HOST: env.HOST || '127.0.0.1',
    STORE: 'memory',
    MONGODB_URL: undefined,
    BANDYER_BASE_URL: sandbox.url,
    BANDYER_API_SECRET_KEY: sandbox.apiKey,
    GRAPHQL_IDE: 'true',
    GRAPHQL_INTROSPECTION: 'true',
  };
}
