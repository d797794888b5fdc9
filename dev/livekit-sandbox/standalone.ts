import type { LivekitSandboxOptions } from './sandbox.js';

/**
 * The LiveKit sandbox as a process of its own: its options from the environment. Key and secret
 * are required, so a gateway and its sandbox agree on them on purpose, never by a default nobody chose.
 */
export function standaloneLivekitSandboxOptions(
  env: Record<string, string | undefined>,
): LivekitSandboxOptions {
  const apiKey = env.LIVEKIT_SANDBOX_API_KEY;
  const apiSecret = env.LIVEKIT_SANDBOX_API_SECRET;
  if (!apiKey || !apiSecret) {
    throw new Error(
      'LIVEKIT_SANDBOX_API_KEY and LIVEKIT_SANDBOX_API_SECRET are required: the key and secret gateways sign with (their LIVEKIT_API_KEY and LIVEKIT_API_SECRET)',
    );
  }
  const port = env.PORT || '7880';
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  return { apiKey, apiSecret, port: Number(port), host: env.HOST || '127.0.0.1' };
}
