import { type RestRoutes, route, sendNoContent } from '../route.js';
import { errorResponsesFor, idParamsSchema, noContent, uploadsDeletedSchema } from '../schemas.js';

/** The files participants uploaded during the call. */
export const uploadRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'DELETE',
    url: '/teleconsultation/:id/uploads',
    schema: {
      operationId: 'deleteTeleconsultationUploads',
      tags: ['teleconsultation'],
      summary:
        'Delete the files uploaded in the call: 200 with the counts when TELECONSULTATION_DELETE_UPLOADS=true, 204 when it is off.',
      params: idParamsSchema,
      response: {
        200: uploadsDeletedSchema,
        204: noContent,
        ...errorResponsesFor(401, 404, 501, 502, 503, 504),
      },
    },
    command: (request) => ({ id: request.params.id }),
    run: (scope, command) => deps.teleconsultations.deleteUploads(scope, command),
    answer: (reply, { enabled, total, deleted }) =>
      enabled ? reply.code(200).send({ total, deleted }) : sendNoContent(reply, 204),
  });
};
