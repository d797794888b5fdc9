/**
 * The service graph for unit tests, built by the app's own createServices over test adapters: an
 * in-memory store (or the parts a test gives), a silent logger, the test's clock and Kaleyra.
 */
import pino from 'pino';
import type { Adapters } from '../../src/composition/adapters.js';
import { createServices, type Services } from '../../src/composition/services.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import type { Clock } from '../../src/domain/clock.js';
import type { ServiceConfig, TeleconsultationRules } from '../../src/domain/settings.js';
import type { UserDirectory } from '../../src/identity/ports.js';
import type { JobRunner } from '../../src/jobs/job-runner.js';
import type { JobStore } from '../../src/jobs/port.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { TeleconsultationService } from '../../src/services/visits/teleconsultation.service.js';
import { createMemoryStorage } from '../../src/storage/memory/memory-storage.js';
import type { EventStore, TeleconsultationStore, UserIdMapStore } from '../../src/storage/ports.js';
import { videoProviders } from '../../src/video/create-video-provider.js';
import type { KaleyraVideo } from '../../src/video/kaleyra/api.js';
import { kaleyraProvider } from '../../src/video/kaleyra/provider.js';
import type { VideoProviders } from '../../src/video/port.js';
import type { WebhookTransport } from '../../src/webhooks/port.js';

export interface ServiceUnderTest {
  store: TeleconsultationStore;
  userIdMap: UserIdMapStore;
  /** Where room clean-up jobs go; a fresh in-memory job store when absent. */
  jobs?: JobStore;
  /** The event log; a fresh in-memory one when absent. */
  events?: EventStore;
  kaleyra: KaleyraVideo;
  /** The video providers, in place of the Kaleyra provider over `kaleyra`. */
  video?: VideoProviders;
  clock: Clock;
  rules: TeleconsultationRules;
  service: ServiceConfig;
  directory?: UserDirectory | null;
}

/** Unit tests deliver no webhook: a delivery attempt fails the test loudly. */
const NO_WEBHOOKS: WebhookTransport = {
  post: async () => {
    throw new Error('no webhook transport in this test');
  },
};

/** The configuration of a test graph: the defaults, with the test's rules and service file if given. */
export function testConfig(rules?: TeleconsultationRules, service?: ServiceConfig): Config {
  const defaults = loadConfig({
    STORE: 'memory',
    BANDYER_BASE_URL: 'http://kaleyra.test',
    BANDYER_API_SECRET_KEY: 'test-key',
  });
  return {
    ...defaults,
    visits: { ...defaults.visits, rules: rules ?? defaults.visits.rules },
    service: service ?? defaults.service,
  };
}

/** Test adapters over the given store parts (fresh in-memory ones for the rest). */
export function testAdapters(deps: ServiceUnderTest): Adapters {
  const memory = createMemoryStorage();
  return {
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    clock: deps.clock,
    storage: {
      ...memory,
      teleconsultations: deps.store,
      userIdMap: deps.userIdMap,
      jobs: deps.jobs ?? memory.jobs,
      events: deps.events ?? memory.events,
    },
    video: deps.video ?? videoProviders(kaleyraProvider(deps.kaleyra)),
    userDirectory: deps.directory ?? null,
    webhookTransport: NO_WEBHOOKS,
  };
}

/** Every service, wired by the app's createServices over the given adapters. */
export function servicesFor(deps: ServiceUnderTest): Services {
  return createServices(testAdapters(deps), testConfig(deps.rules, deps.service));
}

const runners = new WeakMap<TeleconsultationService, JobRunner>();

/** The job runner of a service built here: run its room clean-up with `runDue()`. */
export function jobRunnerOf(service: TeleconsultationService): JobRunner {
  const runner = runners.get(service);
  if (!runner) throw new Error('not a service built by teleconsultationServiceFor');
  return runner;
}

/** The teleconsultation service, wired as the app wires it, over the given adapters. */
export function teleconsultationServiceFor(deps: ServiceUnderTest): TeleconsultationService {
  const services = servicesFor(deps);
  runners.set(services.teleconsultations, services.jobs);
  return services.teleconsultations;
}
