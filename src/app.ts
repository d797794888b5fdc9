import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/types.js';
import { type Clock, systemClock } from './domain/clock.js';
import { MAX_PARTICIPANTS } from './domain/teleconsultation.js';
import type { GatewayContext } from './graphql/context.js';
import { createErrorFormatter } from './graphql/errors.js';
import { AgendaResolver } from './graphql/resolvers/agenda.resolver.js';
import { CompanySettingsResolver } from './graphql/resolvers/company-settings.resolver.js';
import { CredentialsResolver } from './graphql/resolvers/credentials.resolver.js';
import { LiveResolver } from './graphql/resolvers/live.resolver.js';
import { ParticipantResolver } from './graphql/resolvers/participant.resolver.js';
import { ServiceConfigResolver } from './graphql/resolvers/service-config.resolver.js';
import { TeleconsultationResolver } from './graphql/resolvers/teleconsultation.resolver.js';
import { WebhookResolver } from './graphql/resolvers/webhook.resolver.js';
import { buildGatewaySchema } from './graphql/schema.js';
import { createHttpServer } from './http/server.js';
import { createAuthServiceDirectory } from './identity/auth-service-directory.js';
import { callerFrom } from './identity/caller.js';
import type { UserDirectory } from './identity/ports.js';
import { JobRunner } from './jobs/job-runner.js';
import { createKaleyraClient } from './kaleyra/client.js';
import type { KaleyraVideo } from './kaleyra/port.js';
import { createLogger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { AccessControl } from './services/access/access-control.js';
import { CredentialsService } from './services/access/credentials.service.js';
import { EventLog } from './services/events/event-log.js';
import { WebhookService } from './services/events/webhook.service.js';
import { LiveService } from './services/live/live.service.js';
import { KaleyraUsers } from './services/participants/kaleyra-users.js';
import { ParticipantNamesService } from './services/participants/participant-names.service.js';
import { ParticipantPreparation } from './services/participants/participant-preparation.js';
import { ParticipantProfiles } from './services/participants/participant-profiles.js';
import { ParticipantRoles } from './services/participants/participant-roles.js';
import { CompanySettingsService } from './services/settings/company-settings.service.js';
import { ServiceConfigService } from './services/settings/service-config.service.js';
import { AgendaService } from './services/visits/agenda.service.js';
import { CalendarEvents } from './services/visits/calendar-events.js';
import { CallerViews } from './services/visits/caller-views.js';
import { RoomCleanup } from './services/visits/room-cleanup.js';
import { TeleconsultationService } from './services/visits/teleconsultation.service.js';
import { TeleconsultationRooms } from './services/visits/teleconsultation-rooms.js';
import { VisitFacts } from './services/visits/visit-facts.js';
import { WakeUps } from './shared/wake-ups.js';
import { createStorage } from './storage/create-storage.js';
import type { Storage } from './storage/ports.js';
import { createHttpWebhookTransport } from './webhooks/http-transport.js';
import type { WebhookTransport } from './webhooks/port.js';

/** Adapters tests (and the demo) may swap; everything else is built from the config. */
export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  storage?: Storage;
  kaleyra?: KaleyraVideo;
  userDirectory?: UserDirectory | null;
  webhookTransport?: WebhookTransport;
  /**
   * How often live subscriptions look at a clock that may be moved by hand (a ManualClock);
   * the system clock's instants fire on time anyway. Default 1000 ms.
   */
  liveTickMs?: number;
}

export interface App {
  /** Listens on config.host:config.port (0 = any free port) and returns the base URL. */
  start(): Promise<{ url: string }>;
  /** Stops accepting requests, finishes those in flight, then closes the store. */
  stop(): Promise<void>;
  readonly server: FastifyInstance;
  readonly storage: Storage;
  readonly logger: Logger;
  /** Requests received and not yet answered. */
  openRequests(): number;
  /** This replica's background job runner (tests drive it with `runDue`). */
  readonly jobs: JobRunner;
  /** The event log (its sweep publishes what a crash left in an outbox). */
  readonly events: EventLog;
}

const PACKAGE = packageIdentity();

/** The nearest package.json above this module: dist/app.js in the image, dist-dev/src/app.js in development. */
function packageIdentity(): { name: string; version: string } {
  let directory = new URL('.', import.meta.url);
  for (let depth = 0; depth < 4; depth++) {
    const candidate = new URL('package.json', directory);
    if (existsSync(candidate))
      return JSON.parse(readFileSync(candidate, 'utf8')) as { name: string; version: string };
    directory = new URL('..', directory);
  }
  throw new Error('package.json not found above the application module');
}

/** The only composition root: a validated Config in, a startable service out. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config);
  const metrics = createMetrics();
  const clock = overrides.clock ?? systemClock;
  const storage = overrides.storage ?? (await createStorage(config.store, config.collections));
  try {
    await storage.init();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }

  const kaleyra =
    overrides.kaleyra ??
    createKaleyraClient({
      ...config.kaleyra,
      logger: logger.child({ component: 'kaleyra' }),
      observe: metrics.observeKaleyra,
    });
  // An override (even null) wins; otherwise AUTH_SERVICE selects the directory mode.
  const userDirectory =
    overrides.userDirectory !== undefined
      ? overrides.userDirectory
      : config.authService
        ? createAuthServiceDirectory({
            ...config.authService,
            headersToProxy: config.additionalHeadersToProxy,
            defaultClientType: config.defaultClientType,
            clock,
            logger: logger.child({ component: 'auth-service' }),
            observe: metrics.observeAuthService,
          })
        : null;
  // As many concurrent user creations as a room can have participants: a 25-person visit costs
  // one round trip of user creations, not four (bench: fan-out).
  const kaleyraUsers = new KaleyraUsers(storage.userIdMap, kaleyra, MAX_PARTICIPANTS);

  // Durable background work: every replica runs a runner over the one job store.
  const jobs = new JobRunner({
    store: storage.jobs,
    logger: logger.child({ component: 'jobs' }),
    clock,
    sweepIntervalMs: config.jobs.cleanupIntervalMs,
    // Below SHUTDOWN_TIMEOUT_MS: running attempts get most of the stop, and leases do the rest.
    stopTimeoutMs: Math.floor(config.shutdownTimeoutMs / 2),
    observe: (event) => metrics.observeJob(event),
  });
  metrics.trackJobStates(() => storage.jobs.counts());
  const roomCleanup = new RoomCleanup({
    jobs: storage.jobs,
    runner: jobs,
    store: storage.teleconsultations,
    kaleyra,
    clock,
    logger: logger.child({ component: 'room-cleanup' }),
    cleanupIntervalMs: config.jobs.cleanupIntervalMs,
    requestTimeoutMs: config.graphql.requestTimeoutMs,
    observe: () => metrics.observeOrphanRoom(),
  });

  const { privileges } = config.service;
  const rules = config.teleconsultation;
  // The event log: events are stored with their change, then published to the sinks.
  const eventLog = new EventLog({
    store: storage.teleconsultations,
    events: storage.events,
    clock,
    logger: logger.child({ component: 'events' }),
    immutablePeriodMs: rules.immutablePeriodMs,
  });
  const facts = new VisitFacts({ store: storage.teleconsultations, events: eventLog, clock });
  const roles = new ParticipantRoles(privileges, userDirectory);
  const access = new AccessControl({
    policies: config.service.authorization,
    privileges,
    directory: userDirectory,
    roles,
  });
  const companySettings = new CompanySettingsService({
    access,
    kaleyra,
    clock,
    ttlMs: config.companySettingsTtlMs,
    logger: logger.child({ component: 'company-settings' }),
  });
  const webhooks = new WebhookService({
    endpoints: config.webhooks,
    jobs: storage.jobs,
    runner: jobs,
    transport: overrides.webhookTransport ?? createHttpWebhookTransport(),
    access,
    clock,
    logger: logger.child({ component: 'webhooks' }),
    timeoutMs: config.webhookDelivery.timeoutMs,
  });
  eventLog.subscribe(webhooks);
  const views = new CallerViews(clock, rules, config.service.groupsWithBackgroundList, config.service.join);
  const teleconsultations = new TeleconsultationService({
    access,
    events: eventLog,
    facts,
    backgrounds: companySettings,
    calendar: new CalendarEvents(clock, {
      ...config.service.calendar,
      frontendUrlTemplate: config.frontendTeleconsultationUrl,
    }),
    store: storage.teleconsultations,
    kaleyra,
    rooms: new TeleconsultationRooms({ kaleyra, cleanup: roomCleanup, roles, privileges, rules }),
    participants: new ParticipantPreparation(
      new ParticipantProfiles(userDirectory),
      kaleyraUsers,
      privileges,
    ),
    roles,
    views,
    clock,
    rules,
  });
  const agenda = new AgendaService({
    access,
    store: storage.teleconsultations,
    views,
    roles,
    backgrounds: companySettings,
    facts,
    clock,
    rules,
  });

  const live = new LiveService({
    teleconsultations,
    events: storage.events,
    clock,
    wakeUps: new WakeUps(() => clock.now().getTime(), overrides.liveTickMs ?? 1000),
    logger: logger.child({ component: 'subscriptions' }),
  });
  const liveResolver = new LiveResolver(live, privileges);

  const credentials = new CredentialsService({
    access,
    kaleyra,
    kaleyraUsers,
    directory: userDirectory,
    privileges,
  });
  const names = new ParticipantNamesService(userDirectory);
  const schema = await buildGatewaySchema({
    teleconsultation: new TeleconsultationResolver(teleconsultations, privileges),
    serviceConfig: new ServiceConfigResolver(new ServiceConfigService(access, config.service)),
    credentials: new CredentialsResolver(credentials),
    participant: new ParticipantResolver(names),
    companySettings: new CompanySettingsResolver(companySettings),
    agenda: new AgendaResolver(agenda, privileges),
    webhooks: new WebhookResolver(webhooks),
    live: liveResolver,
  });

  const callerHeaders = { userIdPath: config.service.userIdPathInRequest, ...config.callerHeaders };
  const production = config.nodeEnv === 'production';
  const storeChecks = [{ name: 'store', check: () => storage.ping() }];
  const { fastify, openRequests } = await createHttpServer({
    logger,
    schema,
    context: async (request, deadline): Promise<GatewayContext> => ({
      deadline,
      requestId: request.id,
      caller: callerFrom(request, callerHeaders),
      headers: request.headers,
      logger: request.log as Logger,
    }),
    ...(config.restApiEnabled
      ? {
          rest: {
            teleconsultations,
            companySettings,
            credentials,
            names,
            scopeOf: (request, deadline) => ({
              caller: callerFrom(request, callerHeaders),
              headers: request.headers,
              logger: request.log as Logger,
              deadline,
            }),
            usesAuthService: userDirectory !== null,
            requestTimeoutMs: config.graphql.requestTimeoutMs,
            version: PACKAGE.version,
          },
        }
      : {}),
    formatError: createErrorFormatter(logger),
    ...(config.subscriptions.enabled
      ? {
          subscriptions: {
            subscriptions: config.subscriptions,
            live: {
              changes: (args, context) => liveResolver.changes(args, context),
              get subscriptions() {
                return live.subscriptions;
              },
            },
            identityFromConnectionParams: !production && config.graphql.ide,
            identityHeaders: [
              config.userIdHeaderKey.toLowerCase(),
              config.callerHeaders.groups,
              config.callerHeaders.backoffice,
              config.callerHeaders.clientType,
            ],
          },
        }
      : {}),
    production,
    ide: {
      enabled: config.graphql.ide,
      userIdHeaderKey: config.userIdHeaderKey,
      groupsHeaderKey: config.callerHeaders.groups,
    },
    introspection: config.graphql.introspection,
    limits: config.graphql,
    metrics,
    health: {
      name: PACKAGE.name,
      version: PACKAGE.version,
      // The store is the only dependency a request cannot do without; Kaleyra's contract has no
      // cheap probe, so check-up reports the same (one place to add one later).
      ready: storeChecks,
      checkUp: [
        ...storeChecks,
        // Dead jobs are work the system gave up on (a room Kaleyra would not delete): a person
        // should look, the service keeps serving.
        {
          name: 'jobs',
          check: async () => ((await storage.jobs.counts()).dead > 0 ? 'DEGRADED' : undefined),
        },
      ],
    },
  });

  let stopping: Promise<void> | null = null;
  let sweepTimer: NodeJS.Timeout | undefined;
  return {
    server: fastify,
    storage,
    logger,
    openRequests,
    jobs,
    events: eventLog,
    async start() {
      // Before listening: on a MongoDB without change streams, subscriptions refuse to start.
      if (config.subscriptions.enabled) await live.start();
      const url = await fastify.listen({ host: config.host, port: config.port });
      jobs.start(config.jobs.pollIntervalMs);
      // Events a crash left in an outbox are published by this sweep, on every replica.
      sweepTimer = setInterval(() => void eventLog.sweep(), config.jobs.cleanupIntervalMs).unref();
      logger.info({ url }, 'teleconsultation-gateway listening');
      return { url: url.replace('0.0.0.0', '127.0.0.1') };
    },
    stop() {
      stopping ??= (async () => {
        if (sweepTimer) clearInterval(sweepTimer);
        await fastify.close();
        await live.stop();
        // Before the store closes: attempts still running record their end through it.
        await jobs.stop();
        await storage.close();
        logger.info('teleconsultation-gateway stopped');
      })();
      return stopping;
    },
  };
}
