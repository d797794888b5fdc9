/**
 * The providers the contract suite (provider-contract.test.ts) runs against: each one's sandbox,
 * and the provider built over it as the factory builds it. A new provider adds one entry to
 * PROVIDERS_UNDER_CONTRACT (CONTRIBUTING.md, "Add a video provider").
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { startLivekitSandbox } from '../../../dev/livekit-sandbox/sandbox.js';
import type { ManualClock } from '../../../src/domain/clock.js';
import type { VideoCapability } from '../../../src/domain/video-provider.js';
import { createKaleyraClient } from '../../../src/video/kaleyra/client.js';
import { kaleyraProvider } from '../../../src/video/kaleyra/provider.js';
import { createLivekitClient } from '../../../src/video/livekit/client.js';
import { livekitProvider } from '../../../src/video/livekit/provider.js';
import type { VideoProvider } from '../../../src/video/port.js';

/** A provider over its running sandbox. */
export interface RunningProvider {
  provider: VideoProvider;
  /** From now on every request to the sandbox fails as an outage does (5xx), until `heal`. */
  breakDown(): void;
  heal(): void;
  /** Rooms the sandbox holds now, by id. */
  roomIds(): string[];
  close(): Promise<void>;
}

export interface ProviderUnderContract {
  /** `VIDEO_PROVIDER`'s value for it. */
  name: string;
  /** What it declares (`capabilitiesOf` must say exactly this), in VIDEO_CAPABILITIES' order. */
  capabilities: VideoCapability[];
  /** Whether it keeps users with roles of its own (`VideoProvider.users`). */
  keepsUsers: boolean;
  /** Starts its sandbox on the suite's clock, and builds the provider over it (no retries: faults are seen at once). */
  start(clock: ManualClock): Promise<RunningProvider>;
}

const kaleyra: ProviderUnderContract = {
  name: 'kaleyra',
  capabilities: [
    'COMPANY_SETTINGS',
    'VIRTUAL_BACKGROUNDS',
    'RECORDING',
    'TRANSCRIPTION',
    'UPLOADS_DELETION',
    'SDK_CREDENTIALS',
  ],
  keepsUsers: true,
  async start(clock) {
    const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
    const sandbox = await startKaleyraSandbox({ apiKey, clock });
    const client = createKaleyraClient({
      baseUrl: sandbox.url,
      apiKey,
      timeoutMs: 2000,
      retryLimit: 0,
      logger: pino({ level: 'silent' }),
    });
    return {
      provider: kaleyraProvider(client),
      breakDown: () => sandbox.injectFault({ path: '*', status: 503, times: 'always' }),
      heal: () => sandbox.clearFaults(),
      roomIds: () => sandbox.rooms().map((room) => room.roomId),
      close: () => sandbox.close(),
    };
  },
};

const livekit: ProviderUnderContract = {
  name: 'livekit',
  // Rooms, links, roles, tools, join windows and clean-up only (the spec's "Capabilities on LiveKit").
  capabilities: [],
  keepsUsers: false,
  async start(clock) {
    const key = {
      apiKey: `API${randomBytes(6).toString('hex')}`,
      apiSecret: randomBytes(32).toString('hex'),
    };
    const sandbox = await startLivekitSandbox({ ...key, clock });
    const client = createLivekitClient({
      url: sandbox.url,
      ...key,
      timeoutMs: 2000,
      retryLimit: 0,
      logger: pino({ level: 'silent' }),
      clock,
    });
    return {
      provider: livekitProvider(client, {
        key,
        wsUrl: sandbox.wsUrl,
        joinUrlTemplate: 'https://meet.example/custom?liveKitUrl={url}&token={token}',
        unboundedTokenTtlMs: 3_600_000,
      }),
      breakDown: () => sandbox.injectFault({ path: '*', status: 503, times: 'always' }),
      heal: () => sandbox.clearFaults(),
      roomIds: () => sandbox.rooms().map((room) => room.name),
      close: () => sandbox.close(),
    };
  },
};

export const PROVIDERS_UNDER_CONTRACT: readonly ProviderUnderContract[] = [kaleyra, livekit];
