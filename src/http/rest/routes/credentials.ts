import { credentialsBody } from '../mappers/credentials.mapper.js';
import { type RestRoutes, route } from '../route.js';
import { credentialsBodySchema, credentialsSchema, errorResponsesFor } from '../schemas.js';

/** Kaleyra SDK credentials for mobile clients. */
export const credentialsRoutes: RestRoutes = async (app, deps) => {
  route(app, deps, {
    method: 'POST',
    url: '/credentials',
    schema: {
      operationId: 'createCredentials',
      tags: ['credentials'],
      summary:
        "SDK credentials for the caller (mobile SDKs); creates the caller's Kaleyra user on first use.",
      body: credentialsBodySchema,
      response: { 201: credentialsSchema, ...errorResponsesFor(400, 401, 501, 502, 503, 504) },
    },
    command: (request) => ({ expiresIn: request.body?.expiresIn ?? null }),
    run: (scope, command) => deps.credentials.create(scope, command),
    answer: (reply, credentials) => reply.code(201).send(credentialsBody(credentials)),
  });
};
