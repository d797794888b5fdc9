import type { KaleyraSandboxOptions } from './sandbox.js';

/**
 * The Kaleyra sandbox as a process of its own (compose.yaml's `kaleyra-sandbox` service, built by
 * dev/kaleyra-sandbox/Dockerfile): its options from the environment. The key is required, so a
 * gateway and its sandbox agree on it on purpose, never by a default nobody chose.
 */
export function standaloneSandboxOptions(env: Record<string, string | undefined>): KaleyraSandboxOptions {
  const apiKey = env.KALEYRA_SANDBOX_API_KEY;
  if (!apiKey) {
    throw new Error(
      'KALEYRA_SANDBOX_API_KEY is required: the key gateways send (their BANDYER_API_SECRET_KEY)',
    );
  }
  const port = env.PORT || '4000';
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  return {
    apiKey,
    port: Number(port),
    host: env.HOST || '127.0.0.1',
    ...(env.KALEYRA_SANDBOX_LINK_HOST ? { linkHost: env.KALEYRA_SANDBOX_LINK_HOST } : {}),
  };
}
