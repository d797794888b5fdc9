import Fastify from 'fastify';
import { type RestApiDeps, registerRestApi } from './rest-api.js';

/**
 * The REST API's OpenAPI 3.1 document, generated from the routes' JSON Schemas exactly as the
 * running server serves it at /openapi.json, without starting anything: the routes are
 * registered over services that are never called. Committed as schema/openapi.json.
 */
export async function renderOpenApiDocument(version: string): Promise<string> {
  const fastify = Fastify({ logger: false });
  const unused = new Proxy(
    {},
    {
      get() {
        throw new Error('the OpenAPI document is rendered without services');
      },
    },
  );
  const deps: RestApiDeps = {
    teleconsultations: unused as RestApiDeps['teleconsultations'],
    companySettings: unused as RestApiDeps['companySettings'],
    credentials: unused as RestApiDeps['credentials'],
    names: unused as RestApiDeps['names'],
    transcriptions: unused as RestApiDeps['transcriptions'],
    fhir: unused as RestApiDeps['fhir'],
    waitingRoom: unused as RestApiDeps['waitingRoom'],
    scopeOf: () => {
      throw new Error('the OpenAPI document is rendered without requests');
    },
    policies: unused as RestApiDeps['policies'],
    allowedOrigins: [],
    usesAuthService: false,
    requestTimeoutMs: 1000,
    version,
  };
  const rest = await registerRestApi(fastify, deps);
  await fastify.ready();
  const document = rest.openApiDocument();
  await fastify.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}
