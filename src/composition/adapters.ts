/**
 * The adapters: everything that does I/O or keeps time, built from the config unless an override
 * is given (tests, the demo and the bench swap some). Services see these only through their ports.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { createAuthServiceDirectory } from '../identity/auth-service-directory.js';
import type { UserDirectory } from '../identity/ports.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics, type GatewayMetrics } from '../observability/metrics.js';
import { createStorage } from '../storage/create-storage.js';
import type { Storage } from '../storage/ports.js';
import { createVideoProviders } from '../video/create-video-provider.js';
import type { KaleyraVideo } from '../video/kaleyra/api.js';
import { kaleyraProvider } from '../video/kaleyra/provider.js';
import type { VideoProvider, VideoProviders } from '../video/port.js';
import { createHttpWebhookTransport } from '../webhooks/http-transport.js';
import type { WebhookTransport } from '../webhooks/port.js';

export interface Adapters {
  logger: Logger;
  metrics: GatewayMetrics;
  clock: Clock;
  /** Initialised: ready to serve. */
  storage: Storage;
  /** The video providers: the configured one (VIDEO_PROVIDER) and every other one with credentials. */
  video: VideoProviders;
  /** The auth service; null when participants carry their names and groups (no AUTH_SERVICE). */
  userDirectory: UserDirectory | null;
  webhookTransport: WebhookTransport;
}

/** Adapters tests (and the demo) may swap; everything else is built from the config. */
export interface AdapterOverrides {
  logger?: Logger;
  clock?: Clock;
  /** Initialised here like the configured one. */
  storage?: Storage;
  /** Kaleyra's client (the sandbox's double, a fake): served as the `kaleyra` provider. */
  kaleyra?: KaleyraVideo;
  /** Providers by name, in place of the ones the config would build (a test double of the port). */
  videoProviders?: Partial<Record<string, VideoProvider>>;
  /** An override (even null) wins over AUTH_SERVICE. */
  userDirectory?: UserDirectory | null;
  webhookTransport?: WebhookTransport;
}

export async function createAdapters(config: Config, overrides: AdapterOverrides = {}): Promise<Adapters> {
  const logger = overrides.logger ?? createLogger(config.runtime);
  const metrics = createMetrics();
  const clock = overrides.clock ?? systemClock;
  // Before the store opens: a provider refused at start leaves nothing to close.
  const video = createVideoProviders(
    { ...config.video, livekit: config.livekit ?? null },
    { logger, observe: metrics.observeUpstream, clock },
    {
      ...(overrides.kaleyra ? { kaleyra: kaleyraProvider(overrides.kaleyra) } : {}),
      ...overrides.videoProviders,
    },
  );
  const storage = overrides.storage ?? (await createStorage(config.store.backend, config.store.collections));
  try {
    await storage.init();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const { authService } = config.identity;
  const userDirectory =
    overrides.userDirectory !== undefined
      ? overrides.userDirectory
      : authService
        ? createAuthServiceDirectory({
            ...authService,
            clock,
            logger: logger.child({ component: 'auth-service' }),
            observe: metrics.observeAuthService,
          })
        : null;
  const webhookTransport = overrides.webhookTransport ?? createHttpWebhookTransport();
  return { logger, metrics, clock, storage, video, userDirectory, webhookTransport };
}
