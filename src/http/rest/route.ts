import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import type { FieldPath } from '../../domain/errors.js';
import type { CredentialsService } from '../../services/access/credentials.service.js';
import type { ParticipantNamesService } from '../../services/participants/participant-names.service.js';
import type { RequestScope } from '../../services/request-scope.js';
import type { CompanySettingsService } from '../../services/settings/company-settings.service.js';
import type { TeleconsultationService } from '../../services/visits/teleconsultation.service.js';
import type { TranscriptionService } from '../../services/visits/transcription.service.js';
import type { Deadline } from '../../shared/deadline.js';
import { withinDeadline } from '../deadline.js';
import { UploadTooLargeError } from './background-upload.js';
import { isDomainError, type RestErrorContext, restErrorOf } from './errors.js';
import type { RestSchemaOptions } from './schemas.js';

/** What the REST API is built from: the services, and how a request becomes their scope. */
export interface RestApiDeps {
  teleconsultations: TeleconsultationService;
  companySettings: CompanySettingsService;
  credentials: CredentialsService;
  names: ParticipantNamesService;
  transcriptions: TranscriptionService;
  /** Who is calling and the request's deadline, as services take them. */
  scopeOf(request: FastifyRequest, deadline: Deadline): RequestScope;
  /** AUTH_SERVICE is set: participants may be given as user ids alone. */
  usesAuthService: boolean;
  requestTimeoutMs: number;
  /** For the OpenAPI document's info. */
  version: string;
}

/** Body, params and query types come from each route's JSON Schemas (`Participant#` included). */
export type RestTypeProvider = JsonSchemaToTsProvider<{ ValidatorSchemaOptions: RestSchemaOptions }>;

/** The Fastify instance REST routes are registered on. */
export type RestApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  RestTypeProvider
>;

/** A route file: a Fastify plugin that registers its routes with `route`. */
export type RestRoutes = FastifyPluginAsync<RestApiDeps, RawServerDefault, RestTypeProvider>;

export type RestRequest<S extends FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  S,
  RestTypeProvider
>;

export type RestReply<S extends FastifySchema> = FastifyReply<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  ContextConfigDefault,
  S,
  RestTypeProvider
>;

/** One REST route: its schema (validation, types, OpenAPI), one service call, its answer. */
export interface RestRoute<S extends FastifySchema, Command, Result> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify's path; a `:id` in it is the teleconsultation the route acts on. */
  url: string;
  schema: S;
  /**
   * The request line the original's error messages quote ("Failed PATCH /teleconsultation: …"),
   * only where its wording is not this route's method and path with the ids filled in.
   */
  requestLine?: string;
  /** A service field path (`participantsNumber`) in the terms of this route's body (`participants.number`). */
  fieldOf?: (field: FieldPath, request: RestRequest<S>) => FieldPath;
  /** The request in the service's terms: what the GraphQL resolver of the same operation sends. */
  command: (request: RestRequest<S>) => Command;
  /** The use case: one service call, which decides the policy before anything else. */
  run: (scope: RequestScope, command: Command) => Promise<Result>;
  /** The success answer: status, headers, body. */
  answer: (reply: RestReply<S>, result: Result) => unknown;
  /** Validation errors reach `command` instead of being answered (the multipart upload reads its own parts). */
  attachValidation?: boolean;
}

/**
 * Registers a route the one way every REST route runs: the request scope (caller, headers, logger,
 * deadline) is built, the request is mapped to the service's command, and the service call runs
 * within REQUEST_TIMEOUT_MS; the answer is the route's on success, the original's error shape for
 * a domain error (its request line and ids from the route), 504 when the deadline stopped the work
 * before it changed anything, 413 for an upload over its limit.
 *
 * The authorization policy is decided by the service, as the first step of `run`, before any side
 * effect. Today the command is mapped before it (as Fastify validates the body before the
 * handler), so a body the mapping refuses is refused before the policy is asked; moving the
 * policy ahead of both is a change to this function and the route schemas, not to every route.
 */
export function route<const S extends FastifySchema, Command, Result>(
  app: RestApp,
  deps: Pick<RestApiDeps, 'scopeOf' | 'requestTimeoutMs'>,
  definition: RestRoute<S, Command, Result>,
): void {
  // Registered untyped: the types come from the definition, checked where it is written.
  (app as unknown as FastifyInstance).route({
    method: definition.method,
    url: definition.url,
    schema: definition.schema as FastifySchema,
    ...(definition.attachValidation ? { attachValidation: true } : {}),
    handler: async (raw, reply) => {
      const request = raw as unknown as RestRequest<S>;
      try {
        const outcome = await withinDeadline(deps.requestTimeoutMs, (deadline) => {
          const scope = deps.scopeOf(raw, deadline);
          return definition.run(scope, definition.command(request));
        });
        if (outcome.timedOut) {
          return reply.code(504).send({
            error: `The request took longer than ${deps.requestTimeoutMs} ms and was stopped before it changed anything; it is safe to retry.`,
            code: 'REQUEST_TIMEOUT',
          });
        }
        definition.answer(reply as unknown as RestReply<S>, outcome.result);
        return reply;
      } catch (error) {
        if (error instanceof UploadTooLargeError) {
          return reply
            .code(413)
            .send({ error: error.message, code: 'PAYLOAD_TOO_LARGE', reason: 'UPLOAD_TOO_LARGE' });
        }
        // Anything else is the error handler's (rest-api.ts): logged, 500.
        if (!isDomainError(error)) throw error;
        const mapped = restErrorOf(error, errorContextOf(definition, request));
        return reply.code(mapped.status).send(mapped.body);
      }
    },
  });
}

/** An answer with no body (201 or 204 with the `noContent` schema): nothing to serialise. */
export function sendNoContent(reply: { code(status: number): unknown }, status: 201 | 204): void {
  (reply as FastifyReply).code(status).send();
}

/**
 * An answer whose body is a stream, passed on as it comes: the response schema documents it,
 * nothing serialises it. A client that goes away ends the stream (and what feeds it).
 */
export function sendStream(reply: { code(status: number): unknown }, body: Readable): void {
  (reply as FastifyReply).send(body);
}

/** What a domain error's REST shape needs to know of the route that failed. */
export function errorContextOf<S extends FastifySchema>(
  definition: Pick<RestRoute<S, unknown, unknown>, 'method' | 'url' | 'requestLine' | 'fieldOf'>,
  request: RestRequest<S>,
): RestErrorContext {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const { fieldOf } = definition;
  return {
    requestLine: definition.requestLine ?? `${definition.method} ${filledPath(definition.url, params)}`,
    ...(params.id !== undefined ? { teleconsultationId: params.id } : {}),
    ...(fieldOf ? { fieldOf: (field: FieldPath) => fieldOf(field, request) } : {}),
  };
}

/** `/teleconsultation/:id/history` as requested: `/teleconsultation/42/history`. */
export function filledPath(url: string, params: Record<string, string | undefined>): string {
  return url.replace(/:(\w+)/g, (placeholder, name: string) => params[name] ?? placeholder);
}
