import { NotFoundError } from '../../../domain/errors.js';
import type { RequestScope } from '../../../services/request-scope.js';
import { firstHandOutIn } from '../../../services/visits/caller-views.js';
import type { ReadTeleconsultationCommand } from '../../../services/visits/teleconsultation.service.js';
import { isDomainError } from '../errors.js';
import {
  createCommand,
  type RestReadBody,
  readBody,
  scheduleFieldOf,
  updateCommand,
} from '../mappers/teleconsultation.mapper.js';
import { type RestApiDeps, type RestRoutes, route, sendNoContent } from '../route.js';
import {
  createBodySchema,
  createdSchema,
  errorResponsesFor,
  idParamsSchema,
  noContent,
  readQuerySchema,
  readSchema,
  updateBodySchema,
} from '../schemas.js';

/** Schedule, read, change and cancel a visit: the original's CRUD on /teleconsultation. */
export const teleconsultationRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'POST',
    url: '/teleconsultation',
    schema: {
      operationId: 'createTeleconsultation',
      tags: ['teleconsultation'],
      summary:
        'Schedule a teleconsultation; the Kaleyra room is created once every expected participant is known.',
      body: createBodySchema,
      response: { 201: createdSchema, ...errorResponsesFor(400, 401, 409, 413, 501, 502, 503, 504) },
    },
    fieldOf: (field, request) => scheduleFieldOf(field, request.body),
    command: (request) => createCommand(request.body, deps.usesAuthService),
    run: (scope, command) => deps.teleconsultations.create(scope, command),
    answer: (reply, created) => reply.code(201).send({ roomId: created.record.id }),
  });

  route(app, deps, {
    method: 'GET',
    url: '/teleconsultation/:id',
    schema: {
      operationId: 'teleconsultation',
      tags: ['teleconsultation'],
      summary:
        'The teleconsultation as the caller sees it: their Kaleyra id, their own join link once locked (the frontend polls until it is not null), every participant and the live room.',
      params: idParamsSchema,
      querystring: readQuerySchema,
      response: { 200: readSchema, ...errorResponsesFor(400, 401, 404, 502, 503, 504) },
    },
    command: (request) => ({
      id: request.params.id,
      language: request.query.language ?? null,
      useBackground: request.query.useBackground ?? null,
    }),
    run: (scope, command) => readAsTheOriginal(deps, scope, command),
    answer: (reply, body) => reply.code(200).send(body),
  });

  route(app, deps, {
    method: 'PATCH',
    url: '/teleconsultation/:id',
    // The original's messages name the collection, not the visit.
    requestLine: 'PATCH /teleconsultation',
    schema: {
      operationId: 'updateTeleconsultation',
      tags: ['teleconsultation'],
      summary:
        'Change dates, duration, expected number or the participant list; refused inside the immutable period.',
      params: idParamsSchema,
      body: updateBodySchema,
      response: { 204: noContent, ...errorResponsesFor(400, 401, 404, 409, 413, 501, 502, 503, 504) },
    },
    fieldOf: (field, request) => scheduleFieldOf(field, request.body),
    command: (request) => updateCommand(request.params.id, request.body, deps.usesAuthService),
    run: (scope, command) => deps.teleconsultations.update(scope, command),
    answer: (reply) => sendNoContent(reply, 204),
  });

  route(app, deps, {
    method: 'DELETE',
    url: '/teleconsultation/:id',
    schema: {
      operationId: 'deleteTeleconsultation',
      tags: ['teleconsultation'],
      summary: 'Cancel: the Kaleyra room is deleted and the record kept (soft delete).',
      params: idParamsSchema,
      response: { 204: noContent, ...errorResponsesFor(401, 404, 502, 503, 504) },
    },
    command: (request) => ({ id: request.params.id }),
    run: (scope, command) => deps.teleconsultations.cancel(scope, command),
    answer: (reply) => sendNoContent(reply, 204),
  });
};

/**
 * The read as the original answered it: names by the names service's rule and the live room as
 * GraphQL shows them, a cancelled visit as not found. Its answer always carries the caller's link
 * (null before the lock): the hand-out is recorded once that answer is complete, not before a
 * step that may still fail.
 */
async function readAsTheOriginal(
  deps: RestApiDeps,
  scope: RequestScope,
  command: ReadTeleconsultationCommand,
): Promise<RestReadBody> {
  const view = await deps.teleconsultations.peek(scope, command);
  // The original's CRUD hid trashed records: a cancelled visit reads as not found (to those the
  // policy lets read it), so a polling frontend stops waiting for a link.
  if (view.status === 'CANCELLED') {
    throw new NotFoundError(`No teleconsultation ${command.id}.`, { reason: 'TELECONSULTATION_NOT_FOUND' });
  }
  const names = await deps.names.fullNamesOf(scope, view.record.participants);
  let room = null;
  try {
    room = await deps.teleconsultations.roomDetails(view.record, scope.logger);
  } catch (error) {
    // The frontend polls this read for the link; a Kaleyra blip must not hide it.
    if (!isDomainError(error)) throw error;
    scope.logger.warn(
      { teleconsultationId: view.record.id, code: error.code },
      'room details unavailable; answered null',
    );
  }
  const body = readBody(view, names, room);
  const handedTo = firstHandOutIn(view);
  if (handedTo !== null) await deps.teleconsultations.linkHandedOut(scope, view.record.id, handedTo);
  return body;
}
