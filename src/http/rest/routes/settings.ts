import multipart from '@fastify/multipart';
import { MAX_BACKGROUND_BYTES, readBackgroundImage } from '../background-upload.js';
import { companyBody, settingsCommand, settingsFieldOf, uploadedBody } from '../mappers/settings.mapper.js';
import { type RestRoutes, route } from '../route.js';
import {
  companyResponseSchema,
  errorResponsesFor,
  settingsBodySchema,
  uploadBodySchema,
  uploadedResponseSchema,
} from '../schemas.js';

/** The company's Kaleyra settings and virtual backgrounds (the back office). */
export const settingsRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'PATCH',
    url: '/settings/update',
    schema: {
      operationId: 'updateCompanySettings',
      tags: ['settings'],
      summary:
        "Change the company's Kaleyra settings: its default virtual background (background_alias), language, end-of-call redirect.",
      body: settingsBodySchema,
      response: { 200: companyResponseSchema, ...errorResponsesFor(400, 401, 413, 501, 502, 503, 504) },
    },
    fieldOf: settingsFieldOf,
    command: (request) => settingsCommand(request.body),
    run: (scope, command) => deps.companySettings.update(scope, command),
    answer: (reply, settings) => reply.code(200).send(companyBody(settings)),
  });

  // Multipart only here: the GraphQL route and the JSON routes keep refusing it.
  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      limits: { fileSize: MAX_BACKGROUND_BYTES, files: 1, fields: 10, parts: 12 },
    });
    route(uploads, deps, {
      method: 'POST',
      url: '/settings/background-image',
      schema: {
        operationId: 'uploadVirtualBackground',
        tags: ['settings'],
        summary:
          'Upload a virtual background: one JPEG or PNG image (by content), at most 10 MB, in the virtual_background field.',
        consumes: ['multipart/form-data'],
        body: uploadBodySchema,
        response: { 200: uploadedResponseSchema, ...errorResponsesFor(400, 401, 413, 501, 502, 503, 504) },
      },
      // The body schema documents the form; the parts are read and checked by readBackgroundImage.
      readsOwnBody: true,
      // Read only once the caller is allowed: the service calls `read` after its policy.
      command: (request) => ({ read: () => readBackgroundImage(request) }),
      run: (scope, command) => deps.companySettings.upload(scope, command),
      answer: (reply, background) => reply.code(200).send(uploadedBody(background)),
    });
  });
};
