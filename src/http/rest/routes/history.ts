import { historyBody } from '../mappers/history.mapper.js';
import { type RestRoutes, route } from '../route.js';
import { errorResponsesFor, historyQuerySchema, historySchema, idParamsSchema } from '../schemas.js';

/** A visit through time: its calendar event and its audit trail. */
export const historyRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'GET',
    url: '/teleconsultation/:id/calendar.ics',
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
        ...errorResponsesFor(400, 401, 404, 504),
      },
    },
    // The calendar entry is the visit, read: the read's policy.
    policy: 'teleconsultation',
    command: (request) => ({ id: request.params.id }),
    run: (scope, command) => deps.teleconsultations.calendarEvent(scope, command),
    answer: (reply, event) =>
      reply
        .code(200)
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', `inline; filename="teleconsultation-${reply.request.params.id}.ics"`)
        .send(event),
  });

  route(app, deps, {
    method: 'GET',
    url: '/teleconsultation/:id/history',
    schema: {
      operationId: 'teleconsultationHistory',
      tags: ['teleconsultation'],
      summary:
        "The visit's audit trail, oldest first: who changed what, when, and who was handed a link (ids only). PLUS participants and the back office by default.",
      params: idParamsSchema,
      querystring: historyQuerySchema,
      response: { 200: historySchema, ...errorResponsesFor(400, 401, 404, 504) },
    },
    command: (request) => ({
      id: request.params.id,
      first: request.query.first ?? null,
      after: request.query.after ?? null,
    }),
    run: (scope, command) => deps.teleconsultations.historyOf(scope, command),
    answer: (reply, page) => reply.code(200).send(historyBody(page)),
  });
};
