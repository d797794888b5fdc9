import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import type { CredentialsService } from '../../services/access/credentials.service.js';
import type { ParticipantNamesService } from '../../services/participants/participant-names.service.js';
import type { RequestScope } from '../../services/request-scope.js';
import type {
  CompanySettings,
  CompanySettingsService,
  VirtualBackground,
} from '../../services/settings/company-settings.service.js';
import type {
  TeleconsultationService,
  TeleconsultationView,
} from '../../services/visits/teleconsultation.service.js';
import type { Deadline } from '../../shared/deadline.js';
import { withinDeadline } from '../deadline.js';
import { MAX_BACKGROUND_BYTES, readBackgroundImage, UploadTooLargeError } from './background-upload.js';
import { RestBodies, type RestParticipant, type RestScheduleBody } from './bodies.js';
import { isDomainError, type RestErrorContext, restErrorOf, restErrorOfFastify } from './errors.js';
import {
  companyResponseSchema,
  createBodySchema,
  createdSchema,
  credentialsBodySchema,
  credentialsSchema,
  errorResponses,
  errorSchema,
  historyQuerySchema,
  historySchema,
  idParamsSchema,
  noContent,
  participantSchema,
  readQuerySchema,
  readSchema,
  settingsBodySchema,
  updateBodySchema,
  uploadBodySchema,
  uploadedResponseSchema,
  uploadsDeletedSchema,
} from './schemas.js';

export interface RestApiDeps {
  teleconsultations: TeleconsultationService;
  companySettings: CompanySettingsService;
  credentials: CredentialsService;
  names: ParticipantNamesService;
  /** Who is calling and the request's deadline, as services take them. */
  scopeOf(request: FastifyRequest, deadline: Deadline): RequestScope;
  /** AUTH_SERVICE is set: participants may be given as user ids alone. */
  usesAuthService: boolean;
  requestTimeoutMs: number;
  /** For the OpenAPI document's info. */
  version: string;
}

/** Where the OpenAPI document is served. */
export const OPENAPI_PATH = '/openapi.json';

type Params = { id: string };

/** The work's outcome was already answered (an error, the deadline). */
const ANSWERED: unique symbol = Symbol('answered');

/**
 * The original service's REST API (shared/spec/original-rest.md), served beside GraphQL from the
 * same services, the same authorization (same operation keys) and the same deadline: each route
 * maps its body to the command the GraphQL resolver sends, and errors to the original's shapes.
 */
export async function registerRestApi(
  fastify: FastifyInstance,
  deps: RestApiDeps,
): Promise<{ openApiDocument: () => unknown }> {
  let document: (() => unknown) | undefined;
  await fastify.register(async (rest) => {
    document = () => rest.swagger();
    await rest.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'teleconsultation-gateway REST API',
          version: deps.version,
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
        ],
      },
      // Shared schemas keep their own names in the document (Error, Participant), not def-0.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) => (json.$id as string) || `def-${index}`,
      },
    });
    rest.addSchema(errorSchema);
    rest.addSchema(participantSchema);

    // Bodies are JSON, and nothing else: text/plain is not read as a string body (400
    // BAD_REQUEST, as for any other type). Clients that send `content-type: application/json`
    // on every call (DELETE and bodiless POSTs included) with no body are not refused for it;
    // a route that needs a body still says it is missing.
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

    const bodies = new RestBodies(deps.usesAuthService);

    /**
     * Runs a route's work within the request's deadline. Errors are answered in the original's
     * shapes here, and ANSWERED tells the route there is nothing left to send.
     */
    const answer = async <T>(
      request: FastifyRequest,
      reply: FastifyReply,
      context: RestErrorContext,
      work: (scope: RequestScope) => Promise<T>,
    ): Promise<T | typeof ANSWERED> => {
      try {
        const outcome = await withinDeadline(deps.requestTimeoutMs, (deadline) =>
          work(deps.scopeOf(request, deadline)),
        );
        if (!outcome.timedOut) return outcome.result;
        reply.code(504).send({
          error: `The request took longer than ${deps.requestTimeoutMs} ms and was stopped before it changed anything; it is safe to retry.`,
          code: 'REQUEST_TIMEOUT',
        });
      } catch (error) {
        if (error instanceof UploadTooLargeError) {
          reply
            .code(413)
            .send({ error: error.message, code: 'PAYLOAD_TOO_LARGE', reason: 'UPLOAD_TOO_LARGE' });
          return ANSWERED;
        }
        if (!isDomainError(error)) throw error;
        const mapped = restErrorOf(error, context);
        reply.code(mapped.status).send(mapped.body);
      }
      return ANSWERED;
    };

    rest.setErrorHandler((error: FastifyError, request, reply) => {
      const mapped = restErrorOfFastify(error);
      if (mapped) return reply.code(mapped.status).send(mapped.body);
      request.log.error({ err: error }, 'unexpected error on a REST route');
      return reply.code(500).send({ error: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' });
    });
    // Answers carry personal join links: no browser, proxy or CDN may keep a copy.
    rest.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    rest.post<{ Body: RestScheduleBody }>(
      '/teleconsultation',
      {
        schema: {
          operationId: 'createTeleconsultation',
          tags: ['teleconsultation'],
          summary:
            'Schedule a teleconsultation; the Kaleyra room is created once every expected participant is known.',
          body: createBodySchema,
          response: { 201: createdSchema, ...pick(errorResponses, 400, 401, 409, 413, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const result = await answer(
          request,
          reply,
          { requestLine: 'POST /teleconsultation', fieldOf: bodies.scheduleFieldOf(request.body) },
          (scope) => deps.teleconsultations.create(scope, bodies.createCommand(request.body)),
        );
        if (result === ANSWERED) return reply;
        return reply.code(201).send({ roomId: result.record.id });
      },
    );

    rest.get<{ Params: Params; Querystring: { language?: string; useBackground?: boolean } }>(
      '/teleconsultation/:id',
      {
        schema: {
          operationId: 'teleconsultation',
          tags: ['teleconsultation'],
          summary:
            'The teleconsultation as the caller sees it: their Kaleyra id, their own join link once locked (the frontend polls until it is not null), every participant and the live room.',
          params: idParamsSchema,
          querystring: readQuerySchema,
          response: { 200: readSchema, ...pick(errorResponses, 400, 401, 404, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          { requestLine: `GET /teleconsultation/${id}`, teleconsultationId: id },
          async (scope) => {
            const view = await deps.teleconsultations.read(scope, {
              id,
              language: request.query.language ?? null,
              useBackground: request.query.useBackground ?? null,
            });
            // The original's CRUD hid trashed records: a cancelled visit reads as not found (to
            // those the policy lets read it), so a polling frontend stops waiting for a link.
            if (view.status === 'CANCELLED') {
              throw new NotFoundError(`No teleconsultation ${id}.`, { reason: 'TELECONSULTATION_NOT_FOUND' });
            }
            return readBody(view, scope, deps, request);
          },
        );
        if (result === ANSWERED) return reply;
        return reply.code(200).send(result);
      },
    );

    rest.get<{ Params: Params }>(
      '/teleconsultation/:id/calendar.ics',
      {
        schema: {
          operationId: 'teleconsultationCalendarEvent',
          tags: ['teleconsultation'],
          summary:
            'The visit as an iCalendar event (RFC 5545): stable UID, SEQUENCE raised on every move and on cancellation, METHOD:CANCEL once cancelled. No participant names, no join link. Same authorization as the read.',
          params: idParamsSchema,
          response: {
            200: {
              description: 'An iCalendar document with one VEVENT.',
              content: { 'text/calendar': { schema: { type: 'string' } } },
            },
            ...pick(errorResponses, 400, 401, 404, 504),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          { requestLine: `GET /teleconsultation/${id}/calendar.ics`, teleconsultationId: id },
          (scope) => deps.teleconsultations.calendarEvent(scope, { id }),
        );
        if (result === ANSWERED) return reply;
        return reply
          .code(200)
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('content-disposition', `inline; filename="teleconsultation-${id}.ics"`)
          .send(result);
      },
    );

    rest.get<{ Params: Params; Querystring: { first?: number; after?: string } }>(
      '/teleconsultation/:id/history',
      {
        schema: {
          operationId: 'teleconsultationHistory',
          tags: ['teleconsultation'],
          summary:
            "The visit's audit trail, oldest first: who changed what, when, and who was handed a link (ids only). PLUS participants and the back office by default.",
          params: idParamsSchema,
          querystring: historyQuerySchema,
          response: { 200: historySchema, ...pick(errorResponses, 400, 401, 404, 504) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          { requestLine: `GET /teleconsultation/${id}/history`, teleconsultationId: id },
          (scope) =>
            deps.teleconsultations.historyOf(scope, {
              id,
              first: request.query.first ?? null,
              after: request.query.after ?? null,
            }),
        );
        if (result === ANSWERED) return reply;
        return reply.code(200).send({
          events: result.events.map((event) => ({
            id: event.id,
            sequence: event.sequence,
            type: event.type,
            occurredAt: event.occurredAt.toISOString(),
            actorId: event.actorId,
            changedFields: event.changedFields,
            participantIds: event.participantIds,
          })),
          hasNextPage: result.hasNextPage,
          endCursor: result.endCursor,
        });
      },
    );

    rest.patch<{ Params: Params; Body: RestScheduleBody }>(
      '/teleconsultation/:id',
      {
        schema: {
          operationId: 'updateTeleconsultation',
          tags: ['teleconsultation'],
          summary:
            'Change dates, duration, expected number or the participant list; refused inside the immutable period.',
          params: idParamsSchema,
          body: updateBodySchema,
          response: { 204: noContent, ...pick(errorResponses, 400, 401, 404, 409, 413, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          {
            requestLine: 'PATCH /teleconsultation',
            teleconsultationId: id,
            fieldOf: bodies.scheduleFieldOf(request.body),
          },
          (scope) => deps.teleconsultations.update(scope, bodies.updateCommand(id, request.body)),
        );
        if (result === ANSWERED) return reply;
        return reply.code(204).send();
      },
    );

    rest.post<{ Params: Params; Body: RestParticipant }>(
      '/teleconsultation/:id/participants/data',
      {
        schema: {
          operationId: 'addParticipants',
          tags: ['teleconsultation'],
          summary: 'Add one participant (1.2-1.x); the one who completes the list has the room created.',
          params: idParamsSchema,
          body: { $ref: 'Participant#' },
          response: { 201: noContent, ...pick(errorResponses, 400, 401, 404, 409, 413, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          {
            requestLine: `POST /teleconsultation/${id}/participants/data`,
            teleconsultationId: id,
            // The body is the one participant: `participants.0.groups` is its `groups`.
            fieldOf: (field) => (field[0] === 'participants' && field.length > 2 ? field.slice(2) : field),
          },
          (scope) =>
            deps.teleconsultations.addParticipants(scope, {
              id,
              participants: [bodies.participant(request.body)],
            }),
        );
        if (result === ANSWERED) return reply;
        return reply.code(201).send();
      },
    );

    rest.delete<{ Params: Params }>(
      '/teleconsultation/:id',
      {
        schema: {
          operationId: 'deleteTeleconsultation',
          tags: ['teleconsultation'],
          summary: 'Cancel: the Kaleyra room is deleted and the record kept (soft delete).',
          params: idParamsSchema,
          response: { 204: noContent, ...pick(errorResponses, 401, 404, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          { requestLine: `DELETE /teleconsultation/${id}`, teleconsultationId: id },
          (scope) => deps.teleconsultations.cancel(scope, { id }),
        );
        if (result === ANSWERED) return reply;
        return reply.code(204).send();
      },
    );

    rest.delete<{ Params: Params }>(
      '/teleconsultation/:id/uploads',
      {
        schema: {
          operationId: 'deleteTeleconsultationUploads',
          tags: ['teleconsultation'],
          summary:
            'Delete the files uploaded in the call: 200 with the counts when TELECONSULTATION_DELETE_UPLOADS=true, 204 when it is off.',
          params: idParamsSchema,
          response: {
            200: uploadsDeletedSchema,
            204: noContent,
            ...pick(errorResponses, 401, 404, 502, 503, 504),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await answer(
          request,
          reply,
          { requestLine: `DELETE /teleconsultation/${id}/uploads`, teleconsultationId: id },
          (scope) => deps.teleconsultations.deleteUploads(scope, { id }),
        );
        if (result === ANSWERED) return reply;
        if (!result.enabled) return reply.code(204).send();
        return reply.code(200).send({ total: result.total, deleted: result.deleted });
      },
    );

    rest.post<{ Body: { expiresIn?: number } | null }>(
      '/credentials',
      {
        schema: {
          operationId: 'createCredentials',
          tags: ['credentials'],
          summary:
            "SDK credentials for the caller (mobile SDKs); creates the caller's Kaleyra user on first use.",
          body: credentialsBodySchema,
          response: { 201: credentialsSchema, ...pick(errorResponses, 400, 401, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const result = await answer(request, reply, { requestLine: 'POST /credentials' }, (scope) =>
          deps.credentials.create(scope, { expiresIn: request.body?.expiresIn ?? null }),
        );
        if (result === ANSWERED) return reply;
        return reply.code(201).send({
          accessToken: result.accessToken,
          expiresAt: result.expiresAt.toISOString(),
          bandyerUserId: result.kaleyraUserId,
        });
      },
    );

    rest.patch<{ Body: SettingsBody }>(
      '/settings/update',
      {
        schema: {
          operationId: 'updateCompanySettings',
          tags: ['settings'],
          summary:
            "Change the company's Kaleyra settings: its default virtual background (background_alias), language, end-of-call redirect.",
          body: settingsBodySchema,
          response: { 200: companyResponseSchema, ...pick(errorResponses, 400, 401, 413, 502, 503, 504) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const result = await answer(
          request,
          reply,
          { requestLine: 'PATCH /settings/update', fieldOf: settingsFieldOf },
          (scope) =>
            deps.companySettings.update(scope, {
              ...(body.background_alias !== undefined
                ? { defaultBackgroundAlias: body.background_alias }
                : {}),
              ...(body.default_language !== undefined ? { defaultLanguage: body.default_language } : {}),
              ...(body.end_call_redirect_url !== undefined
                ? { endCallRedirectUrl: body.end_call_redirect_url }
                : {}),
              ...(body.end_call_redirect_timeout_ms !== undefined
                ? { endCallRedirectTimeoutMs: body.end_call_redirect_timeout_ms }
                : {}),
            }),
        );
        if (result === ANSWERED) return reply;
        return reply.code(200).send({ company: companyBody(result) });
      },
    );

    // Multipart only here: the GraphQL route and the JSON routes keep refusing it.
    await rest.register(async (uploads) => {
      await uploads.register(multipart, {
        limits: { fileSize: MAX_BACKGROUND_BYTES, files: 1, fields: 10, parts: 12 },
      });
      uploads.post(
        '/settings/background-image',
        {
          schema: {
            operationId: 'uploadVirtualBackground',
            tags: ['settings'],
            summary:
              'Upload a virtual background: one JPEG or PNG image (by content), at most 10 MB, in the virtual_background field.',
            consumes: ['multipart/form-data'],
            body: uploadBodySchema,
            response: { 200: uploadedResponseSchema, ...pick(errorResponses, 400, 401, 413, 502, 503, 504) },
          },
          // The body schema documents the form; the parts are read and checked by readBackgroundImage.
          attachValidation: true,
        },
        async (request, reply) => {
          const result = await answer(
            request,
            reply,
            { requestLine: 'POST /settings/background-image' },
            (scope) => deps.companySettings.upload(scope, { read: () => readBackgroundImage(request) }),
          );
          if (result === ANSWERED) return reply;
          return reply.code(200).send({ virtual_background: backgroundBody(result) });
        },
      );
    });

    rest.get(OPENAPI_PATH, { schema: { hide: true } }, async () => rest.swagger());
  });
  return {
    /** Once the server is ready: what /openapi.json serves. */
    openApiDocument: () => {
      if (!document) throw new Error('the REST API is not registered');
      return document();
    },
  };
}

interface SettingsBody {
  background_alias?: string | null;
  default_language?: string;
  end_call_redirect_url?: string | null;
  end_call_redirect_timeout_ms?: number | null;
}

/** The service names fields in its terms (defaultBackgroundAlias); the body in the original's. */
function settingsFieldOf(field: ReadonlyArray<string | number>): ReadonlyArray<string | number> {
  const names: Record<string, string> = {
    defaultBackgroundAlias: 'background_alias',
    defaultLanguage: 'default_language',
    endCallRedirectUrl: 'end_call_redirect_url',
    endCallRedirectTimeoutMs: 'end_call_redirect_timeout_ms',
  };
  const [first, ...rest] = field;
  return typeof first === 'string' && names[first] ? [names[first] as string, ...rest] : field;
}

function backgroundBody(background: VirtualBackground) {
  return {
    background_alias: background.alias,
    url: background.url,
    creation_date: background.creationDate.toISOString(),
  };
}

function companyBody(settings: CompanySettings) {
  return {
    name: settings.name,
    default_language: settings.defaultLanguage,
    default_background: settings.defaultBackground
      ? {
          alias: settings.defaultBackground.alias,
          url: settings.defaultBackground.url,
          creation_date: settings.defaultBackground.creationDate.toISOString(),
        }
      : null,
    end_call_redirect_url: settings.endCallRedirectUrl,
    user_details_provider_url: settings.userDetailsProviderUrl,
    end_call_redirect_timeout_ms: settings.endCallRedirectTimeoutMs,
  };
}

async function readBody(
  view: TeleconsultationView,
  scope: RequestScope,
  deps: RestApiDeps,
  request: FastifyRequest,
) {
  const { participants } = view.record;
  // Without an auth service names are stored; with one they are asked for, in one lookup.
  const names = deps.names.fromDirectory
    ? await deps.names.namesOf(
        scope,
        participants.map((p) => p.userId),
      )
    : participants.map((p) => p.fullName ?? null);
  let details: Record<string, unknown> | null = null;
  try {
    const room = await deps.teleconsultations.roomDetails(view.record);
    if (room) {
      details = {
        recording: room.recording ?? null,
        recordingStatus: room.recordingStatus ?? null,
        callType: room.callType ?? null,
        description: room.description ?? null,
        status: room.status ?? null,
        disabled: room.disabled ?? null,
        creationDate: room.creationDate?.toISOString() ?? null,
        durationInSeconds: room.durationInSeconds ?? null,
        durationUsedInSeconds: room.durationUsedInSeconds ?? null,
        live: room.live ?? null,
      };
    }
  } catch (error) {
    // The frontend polls this read for the link; a Kaleyra blip must not hide it.
    if (!isDomainError(error)) throw error;
    request.log.warn(
      { teleconsultationId: view.record.id, code: error.code },
      'room details unavailable; answered null',
    );
  }
  return {
    bandyerUserId: view.caller?.kaleyraUserId ?? null,
    accessLinkURL: view.accessLinkURL,
    participantsBandyerCall: participants.map((p, index) => ({
      bandyerUserId: p.kaleyraUserId,
      fullName: names[index] ?? null,
    })),
    details,
  };
}

function pick<T extends Record<number, unknown>, K extends keyof T>(from: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}
