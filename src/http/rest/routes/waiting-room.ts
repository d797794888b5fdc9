import type { DeviceCheck } from '../../../domain/waiting-room.js';
import { type RestRoutes, route } from '../route.js';
import { checkedInSchema, checkInBodySchema, errorResponsesFor, idParamsSchema } from '../schemas.js';

/** The waiting room for frontends that stay on REST: the caller checks in (GraphQL has the rest). */
export const waitingRoomRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'POST',
    url: '/teleconsultation/:id/check-in',
    schema: {
      operationId: 'checkIn',
      tags: ['teleconsultation'],
      summary:
        "The caller checks themselves in to the visit's waiting room, from their join window minus checkInOpensBeforeMs until the visit closes; under HOST_ADMITS their link appears once a PLUS participant admits them.",
      params: idParamsSchema,
      body: checkInBodySchema,
      response: { 200: checkedInSchema, ...errorResponsesFor(400, 401, 404, 409, 413, 504) },
    },
    command: (request) => {
      const device = request.body?.device;
      const check: DeviceCheck | null = device
        ? {
            camera: device.camera ?? 'UNTESTED',
            microphone: device.microphone ?? 'UNTESTED',
            speaker: device.speaker ?? 'UNTESTED',
            networkKbps: device.networkKbps ?? null,
          }
        : null;
      return { id: request.params.id, device: check };
    },
    run: (scope, command) => deps.waitingRoom.checkIn(scope, command),
    answer: (reply, change) => {
      const attendance = change.participants[0]?.attendance;
      reply.code(200).send({
        attendance: attendance?.state ?? 'NOT_ARRIVED',
        checkedInAt: attendance?.checkedInAt?.toISOString() ?? change.view.record.updatedAt.toISOString(),
      });
    },
  });
};
