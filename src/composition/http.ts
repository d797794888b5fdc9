/**
 * The HTTP wiring: the GraphQL schema over one instance of every resolver, how a request becomes
 * a caller and a context, and the options the HTTP server is built with (REST, subscriptions,
 * the IDE, health checks). Everything it decides comes from the config and the services.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { GatewayContext } from '../graphql/context.js';
import { createErrorFormatter } from '../graphql/errors.js';
import { LinkHandOuts } from '../graphql/link-hand-outs.js';
import { AgendaResolver } from '../graphql/resolvers/agenda.resolver.js';
import { CompanySettingsResolver } from '../graphql/resolvers/company-settings.resolver.js';
import { CredentialsResolver } from '../graphql/resolvers/credentials.resolver.js';
import { LiveResolver } from '../graphql/resolvers/live.resolver.js';
import { ParticipantResolver } from '../graphql/resolvers/participant.resolver.js';
import { ServiceConfigResolver } from '../graphql/resolvers/service-config.resolver.js';
import { TeleconsultationResolver } from '../graphql/resolvers/teleconsultation.resolver.js';
import { TranscriptionResolver } from '../graphql/resolvers/transcription.resolver.js';
import { AttendanceResolver, WaitingRoomResolver } from '../graphql/resolvers/waiting-room.resolver.js';
import { WebhookResolver } from '../graphql/resolvers/webhook.resolver.js';
import { buildGatewaySchema, type GatewayResolvers } from '../graphql/schema.js';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../http/server.js';
import { callerFrom } from '../identity/caller.js';
import type { RequestScope } from '../services/request-scope.js';
import type { Deadline } from '../shared/deadline.js';
import type { Adapters } from './adapters.js';
import type { Services } from './services.js';

/** The nearest package.json above this module (dist/composition/ in the image, src/ in development). */
function packageIdentity(): { name: string; version: string } {
  let directory = new URL('.', import.meta.url);
  for (let depth = 0; depth < 5; depth++) {
    const candidate = new URL('package.json', directory);
    if (existsSync(candidate))
      return JSON.parse(readFileSync(candidate, 'utf8')) as { name: string; version: string };
    directory = new URL('..', directory);
  }
  throw new Error('package.json not found above the application module');
}

const PACKAGE = packageIdentity();

/** One instance of every resolver of the schema's list, over the services. */
export function createResolvers(services: Services, config: Config): GatewayResolvers {
  const { privileges } = config.service;
  return {
    teleconsultation: new TeleconsultationResolver(services.teleconsultations, privileges),
    serviceConfig: new ServiceConfigResolver(services.serviceConfig),
    credentials: new CredentialsResolver(services.credentials),
    participant: new ParticipantResolver(services.names),
    companySettings: new CompanySettingsResolver(services.companySettings),
    agenda: new AgendaResolver(services.agenda, privileges),
    webhooks: new WebhookResolver(services.webhooks),
    live: new LiveResolver(services.live, privileges),
    transcriptions: new TranscriptionResolver(services.transcriptions),
    waitingRoom: new WaitingRoomResolver(services.waitingRoom, privileges),
    attendance: new AttendanceResolver(services.waitingRoom),
  };
}

/** Who calls and until when, as services take it, from a request's headers. */
function scopeOf(config: Config) {
  return (request: FastifyRequest, deadline: Deadline): RequestScope => ({
    caller: callerFrom(request, config.identity.caller),
    headers: request.headers,
    logger: request.log as Logger,
    deadline,
  });
}

function restOptions(config: Config, adapters: Adapters, services: Services): HttpServerOptions['rest'] {
  return {
    teleconsultations: services.teleconsultations,
    companySettings: services.companySettings,
    credentials: services.credentials,
    names: services.names,
    transcriptions: services.transcriptions,
    waitingRoom: services.waitingRoom,
    fhir: {
      visits: services.visitReads,
      view: { settings: config.service.fhir, frontendUrlTemplate: config.visits.frontendUrlTemplate },
      clock: adapters.clock,
    },
    scopeOf: scopeOf(config),
    policies: services.access,
    allowedOrigins: config.subscriptions.allowedOrigins,
    usesAuthService: adapters.userDirectory !== null,
    requestTimeoutMs: config.http.requestTimeoutMs,
    version: PACKAGE.version,
  };
}

function subscriptionOptions(config: Config, live: LiveResolver): HttpServerOptions['subscriptions'] {
  const { identityFromConnectionParams, ...limits } = config.subscriptions;
  return {
    subscriptions: limits,
    live: {
      changes: (args, context) => live.changes(args, context),
      afterPushes: (callback) => live.afterPushes(callback),
    },
    identityFromConnectionParams,
    identityHeaders: config.identity.headerNames,
  };
}

function healthOptions({ storage }: Adapters): HttpServerOptions['health'] {
  const storeChecks = [{ name: 'store', check: () => storage.ping() }];
  return {
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
  };
}

/** What the HTTP server is built with: the schema, the context, and every optional part the config turns on. */
export function httpServerOptions(
  config: Config,
  adapters: Adapters,
  services: Services,
  schema: { schema: GraphQLSchema; resolvers: GatewayResolvers },
): HttpServerOptions {
  const { logger, metrics } = adapters;
  const scope = scopeOf(config);
  return {
    logger,
    schema: schema.schema,
    context: async (request, deadline): Promise<GatewayContext> => {
      const { caller, headers, logger } = scope(request, deadline);
      return { deadline, requestId: request.id, caller, headers, logger, linkHandOuts: new LinkHandOuts() };
    },
    ...(config.http.restApiEnabled ? { rest: restOptions(config, adapters, services) } : {}),
    formatError: createErrorFormatter(logger),
    ...(config.subscriptions.enabled
      ? { subscriptions: subscriptionOptions(config, schema.resolvers.live) }
      : {}),
    schemaHints: config.runtime.devMode,
    ide: {
      enabled: config.graphql.ide,
      userIdHeaderKey: config.identity.userIdHeader,
      groupsHeaderKey: config.identity.caller.groups,
    },
    introspection: config.graphql.introspection,
    limits: {
      maxDepth: config.graphql.maxDepth,
      maxCost: config.graphql.maxCost,
      maxAliases: config.graphql.maxAliases,
      maxTokens: config.graphql.maxTokens,
      bodyLimitBytes: config.http.bodyLimitBytes,
      requestTimeoutMs: config.http.requestTimeoutMs,
    },
    trustedProxies: config.http.trustedProxies,
    metrics,
    health: healthOptions(adapters),
    // Traced operations stay on graphql-js, whose `execute` the tracing instrumentation wraps.
    compiledQueries: !config.tracing.enabled,
  };
}

/**
 * The development conveniences the configuration turns on (DEV_MODE, or GRAPHQL_IDE /
 * GRAPHQL_INTROSPECTION set by hand): each weakens production behaviour, so the service says so
 * when it starts. Empty in the default configuration.
 */
export function developmentConveniences(config: Config): string[] {
  const { runtime, graphql, subscriptions } = config;
  return [
    // Anyone reaching the gateway may claim any identity over WebSocket.
    ...(subscriptions.enabled && subscriptions.identityFromConnectionParams
      ? ['IDENTITY_FROM_CONNECTION_INIT']
      : []),
    ...(runtime.devMode ? ['SCHEMA_HINTS_IN_ERRORS'] : []),
    ...(graphql.ide ? ['GRAPHQL_IDE'] : []),
    ...(graphql.introspection ? ['GRAPHQL_INTROSPECTION'] : []),
  ];
}

/** The HTTP server over the services: GraphQL (and its subscriptions), REST, health, metrics. */
export async function createHttp(
  config: Config,
  adapters: Adapters,
  services: Services,
): Promise<HttpServer> {
  const resolvers = createResolvers(services, config);
  const schema = await buildGatewaySchema(resolvers, services.access);
  return createHttpServer(httpServerOptions(config, adapters, services, { schema, resolvers }));
}
