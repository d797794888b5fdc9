import { type RestRoutes, route, sendStream } from '../route.js';
import { errorResponsesFor, transcriptionParamsSchema, transcriptionSchema } from '../schemas.js';

/** The transcription route the original added in 2.1. */
export const transcriptionRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'GET',
    url: '/transcription/:roomId/:sessionId',
    schema: {
      operationId: 'transcription',
      tags: ['transcription'],
      summary:
        "One session's transcription, as Kaleyra made it, for a visit named by its Kaleyra room (bandyerRoomId). Streamed through, never held whole, at most TRANSCRIPTION_MAX_FILE_SIZE. PLUS participants and the back office by default; each reading is a TRANSCRIPTION_READ event in the visit's history.",
      params: transcriptionParamsSchema,
      response: {
        200: {
          description:
            "Kaleyra's transcription document, byte for byte (content-length when Kaleyra gave one). Should Kaleyra send more than TRANSCRIPTION_MAX_FILE_SIZE without saying so in advance, the answer is cut off there and the connection closed: an incomplete body, never a complete-looking one.",
          content: { 'application/json': { schema: transcriptionSchema } },
        },
        ...errorResponsesFor(401, 502, 503, 504),
        500: {
          description:
            "The reading could not be recorded in the visit's history (INTERNAL_SERVER_ERROR): the transcription is not handed over, since every reading is audited.",
          $ref: 'Error#',
        },
        404: {
          description:
            'No visit has this room (TELECONSULTATION_NOT_FOUND: only to a caller the policy lets through without one, the back office by default), it was cancelled, or the room has no such session or no transcription of it (TRANSCRIPTION_NOT_FOUND).',
          $ref: 'Error#',
        },
        409: {
          description:
            'Kaleyra is still making the transcription (CONFLICT, TRANSCRIPTION_NOT_READY): ask again later.',
          $ref: 'Error#',
        },
        413: {
          description:
            'The transcription is larger than TRANSCRIPTION_MAX_FILE_SIZE (PAYLOAD_TOO_LARGE, TRANSCRIPTION_TOO_LARGE); nothing of it was sent.',
          $ref: 'Error#',
        },
      },
    },
    command: (request) => ({ visit: { roomId: request.params.roomId }, sessionId: request.params.sessionId }),
    run: (scope, command) => deps.transcriptions.open(scope, command),
    answer: (reply, transcription) => {
      reply.code(200).header('content-type', 'application/json; charset=utf-8');
      if (transcription.declaredBytes !== null) reply.header('content-length', transcription.declaredBytes);
      sendStream(reply, transcription.body);
    },
  });
};
