import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import { isOperationKey, type OperationKey } from '../../domain/authorization/operations.js';
import { DomainError, type FieldPath, ForbiddenError } from '../../domain/errors.js';
import { illFormedTextError, illFormedTextIn } from '../../domain/well-formed-text.js';
import type { CredentialsService } from '../../services/access/credentials.service.js';
import type { ParticipantNamesService } from '../../services/participants/participant-names.service.js';
import type { RequestScope } from '../../services/request-scope.js';
import type { CompanySettingsService } from '../../services/settings/company-settings.service.js';
import type { TeleconsultationService } from '../../services/visits/teleconsultation.service.js';
import type { TranscriptionService } from '../../services/visits/transcription.service.js';
import type { WaitingRoomService } from '../../services/visits/waiting-room.service.js';
import type { Deadline } from '../../shared/deadline.js';
import { withinDeadline } from '../deadline.js';
import type { FhirApiDeps } from '../fhir/fhir-api.js';
import { UploadTooLargeError } from './background-upload.js';
import { isCrossSiteSimpleRequest } from './cross-site.js';
import {
  isDomainError,
  type RestError,
  type RestErrorContext,
  restErrorOf,
  restErrorOfFastify,
} from './errors.js';
import type { RestSchemaOptions } from './schemas.js';

/** What the REST API is built from: the services, and how a request becomes their scope. */
export interface RestApiDeps {
  teleconsultations: TeleconsultationService;
  companySettings: CompanySettingsService;
  credentials: CredentialsService;
  names: ParticipantNamesService;
  transcriptions: TranscriptionService;
  /** The FHIR facade beside the routes (../fhir/): the visits read as they stand, and how FHIR names them. */
  fhir: Pick<FhirApiDeps, 'visits' | 'view' | 'clock'>;
  /** Check-in (`POST /teleconsultation/:id/check-in`). */
  waitingRoom: WaitingRoomService;
  /** Who is calling and the request's deadline, as services take them. */
  scopeOf(request: FastifyRequest, deadline: Deadline): RequestScope;
  /**
   * The policy decision alone (AccessControl.decide), for the refusals of a request's input (its
   * body, its text), which come after it.
   */
  policies: {
    decide(scope: RequestScope, operation: OperationKey, targetId: string | null): Promise<void>;
  };
  /** SUBSCRIPTIONS_ALLOWED_ORIGINS: other sites' pages that may send a POST without a preflight. */
  allowedOrigins: readonly string[];
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
  /** The policy key `run` decides; by default the schema's `operationId`. */
  policy?: OperationKey;
  /**
   * The body schema only documents the body: the service reads and checks it itself, after its
   * policy (the multipart upload reads its own parts).
   */
  readsOwnBody?: boolean;
}

/** What route() keeps in a route's Fastify config, for the error handler. */
export interface RestRouteConfig {
  policy: OperationKey;
}

/**
 * Registers a route the one way every REST route runs: the request scope (caller, headers, logger,
 * deadline) is built, the request is mapped to the service's command, and the service call runs
 * within REQUEST_TIMEOUT_MS; the answer is the route's on success, the original's error shape for
 * a domain error (its request line and ids from the route), 504 when the deadline stopped the work
 * before it changed anything, 413 for an upload over its limit.
 *
 * The authorization policy comes first, as in GraphQL. The service decides it as the first step of
 * `run`, before any side effect; and a request whose input is refused before `run` (a body the
 * route's schema refuses, text that is not well-formed Unicode, a mapping that fails, a body
 * Fastify cannot parse: see `refusalAfterPolicy`) gets that refusal only once the policy lets the
 * caller through: anyone else gets the policy's 401, whatever they sent. Fastify validates into
 * `request.validationError` (attachValidation) instead of answering, so schemas, error shapes and
 * the OpenAPI document stay as they are. A simple POST from another site's page is refused before
 * anything (cross-site.ts).
 */
export function route<const S extends FastifySchema, Command, Result>(
  app: RestApp,
  deps: Pick<RestApiDeps, 'scopeOf' | 'requestTimeoutMs' | 'policies' | 'allowedOrigins'>,
  definition: RestRoute<S, Command, Result>,
): void {
  const policy = policyOf(definition);
  // Registered untyped: the types come from the definition, checked where it is written.
  (app as unknown as FastifyInstance).route({
    method: definition.method,
    url: definition.url,
    schema: definition.schema as FastifySchema,
    attachValidation: true,
    config: { policy } satisfies RestRouteConfig,
    onRequest: async (request, reply) => {
      if (!isCrossSiteSimpleRequest(request, deps.allowedOrigins)) return;
      const refused = restErrorOf(
        new ForbiddenError('A page of another site may not send this request.', {
          reason: 'ORIGIN_NOT_ALLOWED',
          operation: policy,
        }),
        { requestLine: `${request.method} ${request.url}` },
      );
      request.log.info({ origin: request.headers.origin, operation: policy }, 'cross-site request refused');
      await reply.code(refused.status).send(refused.body);
    },
    handler: async (raw, reply) => {
      const request = raw as unknown as RestRequest<S>;
      const context = errorContextOf(definition, request);
      const refused = refusedInput(request, definition, context);
      if (refused) return send(reply, await refusalAfterPolicy(deps, raw, policy, refused));
      try {
        const outcome = await withinDeadline(deps.requestTimeoutMs, async (deadline) => {
          const scope = deps.scopeOf(raw, deadline);
          let command: Command;
          try {
            command = definition.command(request);
          } catch (error) {
            // A body the mapping refuses is refused after the policy, like one the schema refuses.
            if (isDomainError(error)) await deps.policies.decide(scope, policy, targetIdOf(request));
            throw error;
          }
          return definition.run(scope, command);
        });
        if (outcome.timedOut) return send(reply, requestTimeout(deps.requestTimeoutMs));
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
        return send(reply, restErrorOf(error, context));
      }
    },
  });
}

/**
 * What a refusal of the request's input becomes once the policy has spoken: the policy's refusal
 * (401) for a caller it refuses, else `refused` itself; 504 when deciding outlasted the deadline.
 * Used by route() and by the REST error handler (bodies Fastify could not parse or took as too large).
 */
export async function refusalAfterPolicy(
  deps: Pick<RestApiDeps, 'scopeOf' | 'requestTimeoutMs' | 'policies'>,
  request: FastifyRequest,
  policy: OperationKey,
  refused: RestError,
): Promise<RestError> {
  try {
    const outcome = await withinDeadline(deps.requestTimeoutMs, (deadline) =>
      deps.policies.decide(deps.scopeOf(request, deadline), policy, targetIdOf(request)),
    );
    return outcome.timedOut ? requestTimeout(deps.requestTimeoutMs) : refused;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return restErrorOf(error, { requestLine: `${request.method} ${request.url}` });
  }
}

/** What the request itself gets wrong before any mapping: the schema's verdict, then text that cannot travel. */
function refusedInput<S extends FastifySchema>(
  request: RestRequest<S>,
  definition: Pick<RestRoute<S, unknown, unknown>, 'readsOwnBody'>,
  context: RestErrorContext,
): RestError | null {
  const invalid = request.validationError;
  if (invalid && !definition.readsOwnBody) {
    const refused = restErrorOfFastify(invalid as FastifyError);
    if (refused) return refused;
  }
  const at =
    illFormedTextIn(request.params ?? {}) ??
    illFormedTextIn(request.query ?? {}) ??
    (definition.readsOwnBody ? null : illFormedTextIn(request.body ?? {}));
  if (at === null) return null;
  // The path is the request's own (`participants.data.1.userId`), not the service's to translate.
  const { fieldOf: _inServiceTerms, ...requestTerms } = context;
  return restErrorOf(illFormedTextError(at), requestTerms);
}

/** The policy key of a route: its own, else its operationId; a route without one is a bug. */
function policyOf(definition: Pick<RestRoute<FastifySchema, unknown, unknown>, 'policy' | 'schema' | 'url'>) {
  const key = definition.policy ?? (definition.schema as { operationId?: unknown }).operationId;
  if (typeof key !== 'string' || !isOperationKey(key)) {
    throw new Error(`REST route ${definition.url} names no policy key (policy or schema.operationId)`);
  }
  return key;
}

/** The teleconsultation a route acts on: its `:id`. */
function targetIdOf(request: { params?: unknown }): string | null {
  const id = (request.params as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

function requestTimeout(timeoutMs: number): RestError {
  return {
    status: 504,
    body: {
      error: `The request took longer than ${timeoutMs} ms and was stopped before it changed anything; it is safe to retry.`,
      code: 'REQUEST_TIMEOUT',
    },
  };
}

function send(reply: FastifyReply, answer: RestError): FastifyReply {
  return reply.code(answer.status).send(answer.body);
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
