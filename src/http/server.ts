import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../graphql/context.js';
import { registerGraphiql } from './graphiql.js';
import { type HealthCheck, registerHealthRoutes } from './health.js';

export interface HttpServerOptions {
  logger: Logger;
  schema: GraphQLSchema;
  context: (request: FastifyRequest) => Promise<GatewayContext>;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  production: boolean;
  ide: { enabled: boolean; userIdHeaderKey: string };
  introspection: boolean;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  health: { name: string; version: string; ready: HealthCheck[]; checkUp: HealthCheck[] };
  plugins?: ApolloServerPlugin<GatewayContext>[];
}

export interface HttpServer {
  fastify: FastifyInstance;
  apollo: ApolloServer<GatewayContext>;
}

export const GRAPHQL_PATH = '/graphql';

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const loggerInstance: FastifyBaseLogger = options.logger;
  const fastify = Fastify({
    loggerInstance,
    // Use the caller's x-request-id when given, so one id follows a request across services.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // One line per request comes from the onResponse hook below, not from Fastify's pair.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: options.requestTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  fastify.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/-/') || request.url.startsWith('/graphiql')) return;
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });

  const apollo = new ApolloServer<GatewayContext>({
    schema: options.schema,
    introspection: options.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: options.production,
    formatError: options.formatError,
    plugins: [
      fastifyApolloDrainPlugin(fastify),
      ApolloServerPluginLandingPageDisabled(),
      ...(options.plugins ?? []),
    ],
    logger: options.logger,
  });
  await apollo.start();

  await fastify.register(fastifyApollo(apollo), { path: GRAPHQL_PATH, context: options.context });
  registerHealthRoutes(fastify, options.health);
  if (options.ide.enabled) {
    registerGraphiql(fastify, { endpoint: GRAPHQL_PATH, userIdHeaderKey: options.ide.userIdHeaderKey });
    fastify.get('/', async (_request, reply) => reply.redirect('/graphiql'));
  }
  return { fastify, apollo };
}
