import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type AdapterOverrides, createAdapters } from './composition/adapters.js';
import { createHttp, developmentConveniences } from './composition/http.js';
import { createServices, type ServiceOptions } from './composition/services.js';
import type { Config } from './config/types.js';
import type { JobRunner } from './jobs/job-runner.js';
import type { JobTimers } from './jobs/job-timers.js';
import type { EventLog } from './services/events/event-log.js';
import type { Storage } from './storage/ports.js';

/** Adapters tests (and the demo) may swap, and the live updates' tick; everything else comes from the config. */
export interface AppOverrides extends AdapterOverrides, ServiceOptions {
  /** What times the wait before closing (tests move it by hand); default: Node's timers. */
  shutdownTimers?: JobTimers;
}

/** Kept referenced: the wait before closing is the process's work while it lasts. */
const nodeTimers: JobTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface App {
  /** Listens on config.http.host:config.http.port (0 = any free port) and returns the base URL. */
  start(): Promise<{ url: string }>;
  /** Stops accepting requests, finishes those in flight, then closes the store. */
  stop(): Promise<void>;
  /**
   * What SIGTERM does: /-/ready answers 503 at once, so the platform stops routing here, requests
   * are still served for WAIT_BEFORE_SERVER_CLOSE_SEC (the platform's routing lags), then `stop()`.
   */
  terminate(): Promise<void>;
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

/**
 * The composition root: a validated Config in, a startable service out. The graph is built in
 * src/composition/ (adapters, services, HTTP wiring); this keeps the order of start and stop.
 */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const adapters = await createAdapters(config, overrides);
  const services = createServices(adapters, config, overrides);
  const { storage, logger } = adapters;
  const { jobs, events, live } = services;
  const { fastify, openRequests, markNotReady } = await createHttp(config, adapters, services);
  const timers = overrides.shutdownTimers ?? nodeTimers;

  let stopping: Promise<void> | null = null;
  let terminating: Promise<void> | null = null;
  let sweepTimer: NodeJS.Timeout | undefined;
  const app: App = {
    server: fastify,
    storage,
    logger,
    openRequests,
    jobs,
    events,
    async start() {
      // Before listening: on a MongoDB without change streams, subscriptions refuse to start.
      if (config.subscriptions.enabled) await live.start();
      const url = await fastify.listen({ host: config.http.host, port: config.http.port });
      jobs.start(config.jobs.pollIntervalMs);
      // Events a crash left in an outbox are published by this sweep, on every replica.
      sweepTimer = setInterval(() => void events.sweep(), config.jobs.cleanupIntervalMs).unref();
      const conveniences = developmentConveniences(config);
      if (conveniences.length > 0) {
        logger.warn(
          { developmentConveniences: conveniences },
          `development conveniences are on (${conveniences.join(', ')}): never run this way in production`,
        );
      }
      logger.info({ url }, 'teleconsultation-gateway listening');
      return { url: url.replace('0.0.0.0', '127.0.0.1') };
    },
    stop() {
      stopping ??= (async () => {
        markNotReady('stopping');
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
    terminate() {
      terminating ??= (async () => {
        markNotReady('stopping');
        const waitMs = config.runtime.waitBeforeCloseMs;
        logger.info({ waitMs }, 'stopping: not ready any more, serving until the wait before closing ends');
        if (waitMs > 0) await new Promise<void>((resolve) => timers.setTimeout(resolve, waitMs));
        await app.stop();
      })();
      return terminating;
    },
  };
  return app;
}
