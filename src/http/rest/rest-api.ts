import swagger, { type SwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance } from 'fastify';
import { fhirRoutes } from '../fhir/fhir-api.js';
import { restErrorOfFastify } from './errors.js';
import {
  type RestApiDeps,
  type RestApp,
  type RestRouteConfig,
  type RestRoutes,
  type RestTypeProvider,
  refusalAfterPolicy,
} from './route.js';
import { credentialsRoutes } from './routes/credentials.js';
import { historyRoutes } from './routes/history.js';
import { participantRoutes } from './routes/participants.js';
import { settingsRoutes } from './routes/settings.js';
import { teleconsultationRoutes } from './routes/teleconsultations.js';
import { transcriptionRoutes } from './routes/transcriptions.js';
import { uploadRoutes } from './routes/uploads.js';
import { waitingRoomRoutes } from './routes/waiting-room.js';
import { errorSchema, participantSchema } from './schemas.js';

export type { RestApiDeps } from './route.js';

/** Where the OpenAPI document is served. */
export const OPENAPI_PATH = '/openapi.json';
/**
 * Where Mia-Platform's API portal reads a service's document (`<prefix>/json`), with Swagger UI
 * at the prefix itself: every asset served from here, so it works offline.
 */
export const DOCUMENTATION_PREFIX = '/documentation';

/**
 * The route files, in the order the OpenAPI document lists their paths (schema/openapi.json is
 * compared byte for byte: a new file goes where its paths should appear).
 */
const ROUTES: readonly RestRoutes[] = [
  teleconsultationRoutes,
  historyRoutes,
  participantRoutes,
  uploadRoutes,
  credentialsRoutes,
  settingsRoutes,
  transcriptionRoutes,
  waitingRoomRoutes,
];

/**
 * The original service's REST API (docs/specs/original-rest-api.md), served beside GraphQL from the
 * same services, the same authorization (same operation keys) and the same deadline: each route
 * (routes/, through route.ts) maps its body to the command the GraphQL resolver sends, and errors
 * to the original's shapes. This plugin holds what every route shares: the OpenAPI document, the
 * shared schemas, JSON-only bodies, the error handler and `cache-control: no-store`.
 */
export async function registerRestApi(
  fastify: FastifyInstance,
  deps: RestApiDeps,
): Promise<{ openApiDocument: () => unknown }> {
  let document: (() => unknown) | undefined;
  await fastify.register(async (plugin) => {
    const rest = plugin.withTypeProvider<RestTypeProvider>();
    document = () => rest.swagger();
    await rest.register(swagger, openApiOptions(deps.version));
    rest.addSchema(errorSchema);
    rest.addSchema(participantSchema);
    acceptJsonBodiesOnly(rest);

    // Domain errors are answered by route.ts; here, what Fastify refuses before a handler runs
    // (a body it cannot parse, of a type it does not read, too large: answered once the route's
    // policy lets the caller through, as route.ts answers a body its schema refuses), and anything
    // unexpected.
    rest.setErrorHandler(async (error: FastifyError, request, reply) => {
      const mapped = restErrorOfFastify(error);
      if (mapped) {
        const { policy } = (request.routeOptions.config ?? {}) as Partial<RestRouteConfig>;
        const answer = policy ? await refusalAfterPolicy(deps, request, policy, mapped) : mapped;
        return reply.code(answer.status).send(answer.body);
      }
      request.log.error({ err: error }, 'unexpected error on a REST route');
      return reply.code(500).send({ error: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' });
    });
    // Answers carry personal join links: no browser, proxy or CDN may keep a copy.
    rest.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    for (const routes of ROUTES) await rest.register(routes, deps);
    // FHIR's own errors, negotiation and cache rules, in its own context (the document lists it).
    await rest.register(fhirRoutes, {
      ...deps.fhir,
      policies: deps.policies,
      scopeOf: deps.scopeOf,
      requestTimeoutMs: deps.requestTimeoutMs,
      version: deps.version,
    });

    rest.get(OPENAPI_PATH, { schema: { hide: true } }, async () => rest.swagger());
    // The same document at /documentation/json (and /yaml), and the UI (no online validator badge).
    await rest.register(swaggerUi, {
      routePrefix: DOCUMENTATION_PREFIX,
      uiConfig: { validatorUrl: null },
      uiHooks: {
        // The page links its assets relatively only from `/documentation/`: behind the API
        // gateway's path prefix (/api/v1/telecons-be) absolute links would miss. A relative
        // redirect keeps the prefix.
        onRequest: async (request, reply) => {
          if (request.url.split('?')[0] === DOCUMENTATION_PREFIX) return reply.redirect('documentation/');
        },
      },
    });
  });
  return {
    /** Once the server is ready: what /openapi.json serves. */
    openApiDocument: () => {
      if (!document) throw new Error('the REST API is not registered');
      return document();
    },
  };
}

/** The document's info and tags; paths and schemas come from the routes. */
function openApiOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'teleconsultation-gateway REST API',
        version,
        description:
          "The original Teleconsultation Service Backend's REST API, served for its existing clients (the frontend, the appointment manager) beside the GraphQL API. The platform's API gateway serves it under /api/v1/telecons-be.",
      },
      tags: [
        { name: 'teleconsultation', description: 'Schedule, change, read and cancel video visits.' },
        { name: 'credentials', description: 'Kaleyra SDK credentials for mobile clients.' },
        {
          name: 'settings',
          description: "The company's Kaleyra settings and virtual backgrounds (the back office).",
        },
        {
          name: 'transcription',
          description: "A session's transcription, as the original 2.1 served it (health data).",
        },
        {
          name: 'fhir',
          description:
            'A read-only FHIR R4 view of the visits for hospital systems: Appointment, Encounter, CapabilityStatement (docs/fhir.md).',
        },
      ],
    },
    // Shared schemas keep their own names in the document (Error, Participant), not def-0.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => (json.$id as string) || `def-${index}`,
    },
  };
}

/**
 * Bodies are JSON, and nothing else: text/plain is not read as a string body (400 BAD_REQUEST, as
 * for any other type). Clients that send `content-type: application/json` on every call (DELETE
 * and bodiless POSTs included) with no body are not refused for it; a route that needs a body
 * still says it is missing.
 */
function acceptJsonBodiesOnly(rest: RestApp): void {
  const json = rest.getDefaultJsonParser('error', 'error');
  rest.removeContentTypeParser(['application/json', 'text/plain']);
  rest.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    json(request, text, done);
  });
}
