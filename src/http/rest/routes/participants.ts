import { addedParticipantFieldOf, participantRequest } from '../mappers/teleconsultation.mapper.js';
import { type RestRoutes, route, sendNoContent } from '../route.js';
import { errorResponsesFor, idParamsSchema, noContent } from '../schemas.js';

/** Participants join a scheduled visit one at a time (1.2-1.x). */
export const participantRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'POST',
    url: '/teleconsultation/:id/participants/data',
    schema: {
      operationId: 'addParticipants',
      tags: ['teleconsultation'],
      summary: 'Add one participant (1.2-1.x); the one who completes the list has the room created.',
      params: idParamsSchema,
      body: { $ref: 'Participant#' },
      response: { 201: noContent, ...errorResponsesFor(400, 401, 404, 409, 413, 501, 502, 503, 504) },
    },
    fieldOf: addedParticipantFieldOf,
    command: (request) => ({ id: request.params.id, participants: [participantRequest(request.body)] }),
    run: (scope, command) => deps.teleconsultations.addParticipants(scope, command),
    answer: (reply) => sendNoContent(reply, 201),
  });
};
