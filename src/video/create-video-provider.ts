/**
 * The video providers a process serves, built from their connections as `storage/create-storage.ts`
 * builds a store: `VIDEO_PROVIDER` picks the one that hosts new rooms, and every other provider
 * whose credentials are configured too serves the records whose rooms it created.
 *
 * A provider is one entry of PROVIDER_FACTORIES: its folder's provider over its client, or null
 * when its connection is not configured. Adding one is that entry, its connection in
 * VideoConnections, its name in VIDEO_PROVIDER_NAMES (src/domain/video-provider.ts) and its
 * variables (CONTRIBUTING.md, "Add a video provider").
 */
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { VIDEO_PROVIDER_NAMES, type VideoProviderName } from '../domain/video-provider.js';
import type { UpstreamCallEvent } from '../shared/upstream-client.js';
import { createKaleyraClient } from './kaleyra/client.js';
import { kaleyraProvider } from './kaleyra/provider.js';
import { createLivekitClient } from './livekit/client.js';
import { livekitProvider } from './livekit/provider.js';
import type { VideoProvider, VideoProviders } from './port.js';

/** Each provider's connection, as the config gives it; null when its variables are not set. */
export interface VideoConnections {
  /** BANDYER_BASE_URL, BANDYER_API_SECRET_KEY, KALEYRA_TIMEOUT_MS, KALEYRA_RETRY_LIMIT */
  kaleyra: { baseUrl: string; apiKey: string; timeoutMs: number; retryLimit: number } | null;
  /** LIVEKIT_* (config.livekit); absent or null when not configured. */
  livekit?: LivekitConnection | null;
}

/** LiveKit's server API and how links are made (LIVEKIT_*). */
export interface LivekitConnection {
  url: string;
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  joinUrlTemplate: string;
  timeoutMs: number;
  retryLimit: number;
  unboundedTokenTtlMs: number;
}

export interface VideoProviderDeps {
  /** Each provider logs as `component: <name>`. */
  logger: Logger;
  /** The metrics hook of the calls to the upstream named so (`upstream_call_*{upstream=…}`). */
  observe: (upstream: string) => (event: UpstreamCallEvent) => void;
  /** The time claims of the tokens a provider signs (LiveKit); the system clock when absent. */
  clock?: Clock;
}

type ProviderFactory = (connections: VideoConnections, deps: VideoProviderDeps) => VideoProvider | null;

/** One entry per provider: the only place that knows every provider's folder. */
const PROVIDER_FACTORIES: { [Name in VideoProviderName]: ProviderFactory } = {
  kaleyra: ({ kaleyra }, { logger, observe }) =>
    kaleyra &&
    kaleyraProvider(
      createKaleyraClient({
        ...kaleyra,
        logger: logger.child({ component: 'kaleyra' }),
        observe: observe('kaleyra'),
      }),
    ),
  livekit: ({ livekit }, { logger, observe, clock }) =>
    livekit ? livekitOver(livekit, logger, observe, clock) : null,
};

function livekitOver(
  livekit: LivekitConnection,
  logger: Logger,
  observe: VideoProviderDeps['observe'],
  clock: Clock | undefined,
): VideoProvider {
  return livekitProvider(
    createLivekitClient({
      url: livekit.url,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      timeoutMs: livekit.timeoutMs,
      retryLimit: livekit.retryLimit,
      logger: logger.child({ component: 'livekit' }),
      observe: observe('livekit'),
      ...(clock ? { clock } : {}),
    }),
    {
      key: { apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
      wsUrl: livekit.wsUrl,
      joinUrlTemplate: livekit.joinUrlTemplate,
      unboundedTokenTtlMs: livekit.unboundedTokenTtlMs,
    },
  );
}

/** A VIDEO_PROVIDER this build cannot serve, or one whose connection is missing: refused at start. */
export class VideoProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoProviderConfigError';
  }
}

/**
 * The configured provider and every other one whose connection is set. `overrides` (tests, the
 * demo) replace a provider by name, built or not.
 */
export function createVideoProviders(
  choice: { provider: string } & VideoConnections,
  deps: VideoProviderDeps,
  overrides: Partial<Record<string, VideoProvider>> = {},
): VideoProviders {
  if (!isProviderName(choice.provider)) {
    throw new VideoProviderConfigError(
      `VIDEO_PROVIDER: expected one of ${VIDEO_PROVIDER_NAMES.join(', ')}, got "${choice.provider}".`,
    );
  }
  const built = new Map<string, VideoProvider>();
  for (const name of VIDEO_PROVIDER_NAMES) {
    const provider = overrides[name] ?? PROVIDER_FACTORIES[name](choice, deps);
    if (provider) built.set(name, provider);
  }
  for (const [name, provider] of Object.entries(overrides)) if (provider) built.set(name, provider);
  const configured = built.get(choice.provider);
  if (!configured) {
    throw new VideoProviderConfigError(
      `VIDEO_PROVIDER=${choice.provider}, but its connection is not configured (see docs/configuration.md).`,
    );
  }
  return videoProviders(configured, built);
}

/** A registry over providers already built (tests and doubles use it directly). */
export function videoProviders(
  configured: VideoProvider,
  others: ReadonlyMap<string, VideoProvider> | Iterable<VideoProvider> = [],
): VideoProviders {
  const byName = new Map<string, VideoProvider>(
    others instanceof Map ? others : [...(others as Iterable<VideoProvider>)].map((p) => [p.name, p]),
  );
  byName.set(configured.name, configured);
  return { configured, named: (name) => byName.get(name) ?? null };
}

function isProviderName(name: string): name is VideoProviderName {
  return (VIDEO_PROVIDER_NAMES as readonly string[]).includes(name);
}
