import { readFileSync } from 'node:fs';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { openApiResponseCheck } from '../../support/openapi-responses.js';

/**
 * Every REST answer the end-to-end suites get is checked against schema/openapi.json by the test
 * gateway (test/support/gateway.ts): a gateway whose answers the document does not describe
 * fails its test when it closes. These tests plant a drift — a copy of the document that lags
 * behind the routes — and show that real answers are then caught.
 */

// biome-ignore lint/suspicious/noExplicitAny: the tests edit the JSON document freely
type Json = Record<string, any>;
const COMMITTED: Json = JSON.parse(
  readFileSync(new URL('../../../schema/openapi.json', import.meta.url), 'utf8'),
);
function drifted(change: (document: Json) => void): Json {
  const copy = structuredClone(COMMITTED);
  change(copy);
  return copy;
}
const credentials201 = (document: Json) =>
  document.paths['/credentials'].post.responses['201'].content['application/json'];

describe('REST answers against the OpenAPI document', () => {
  let gateway: TestGateway | undefined;
  let users: AuthServiceStub;
  beforeAll(async () => {
    // With an auth service, POST /credentials creates the caller's Kaleyra user: a 201 at once.
    users = await startAuthServiceStub({ 'doc-1': { name: 'Grace Hopper', groups: ['doctor'] } });
  });
  afterAll(() => users.close());
  afterEach(async () => {
    // A planted drift is expected to make close() fail; the gateway is stopped all the same.
    await gateway?.close().catch(() => {});
    gateway = undefined;
  });
  const start = (openApiDocument?: Json) =>
    startTestGateway({ env: { AUTH_SERVICE: users.url }, ...(openApiDocument ? { openApiDocument } : {}) });

  it('records nothing for answers the document describes, errors included', async () => {
    gateway = await start();
    expect((await gateway.rest('POST', '/credentials', { caller: 'doc-1', body: {} })).status).toBe(201);
    expect((await gateway.rest('GET', '/teleconsultation/0123456789abcdef01234567')).status).toBe(401);
    expect(gateway.openApiViolations()).toEqual([]);
    await expect(gateway.close()).resolves.toBeUndefined();
  });

  it('fails the test on a field the document does not declare, naming it', async () => {
    gateway = await start(
      drifted((document) => {
        delete credentials201(document).schema.properties.bandyerUserId;
        credentials201(document).schema.required = ['accessToken', 'expiresAt'];
      }),
    );

    expect((await gateway.rest('POST', '/credentials', { caller: 'doc-1', body: {} })).status).toBe(201);

    expect(gateway.openApiViolations()).toEqual([
      'POST /credentials → 201: body must NOT have unevaluated properties (bandyerUserId)',
    ]);
    await expect(gateway.close()).rejects.toThrow(
      /schema\/openapi\.json does not describe[\s\S]*bandyerUserId/,
    );
  });

  it('fails the test on an undeclared status, a wrong type and a wrong content type', async () => {
    gateway = await start(
      drifted((document) => {
        const responses = document.paths['/credentials'].post.responses;
        responses['200'] = responses['201'];
        delete responses['201'];
        const read = document.paths['/teleconsultation/{id}'].get.responses;
        read['401'].content['application/json'].schema = {
          type: 'object',
          properties: { error: { type: 'integer' }, code: { type: 'string' }, reason: { type: 'string' } },
        };
        document.paths['/teleconsultation/{id}/history'].get.responses['404'].content = {
          'text/plain': { schema: { type: 'string' } },
        };
      }),
    );

    await gateway.rest('POST', '/credentials', { caller: 'doc-1', body: {} });
    await gateway.rest('GET', '/teleconsultation/0123456789abcdef01234567');
    await gateway.rest('GET', '/teleconsultation/0123456789abcdef01234567/history');

    expect(gateway.openApiViolations()).toEqual([
      'POST /credentials → 201: status 201 is not declared (declared: 200, 400, 401, 501, 502, 503, 504)',
      'GET /teleconsultation/0123456789abcdef01234567 → 401: body/error must be integer',
      'GET /teleconsultation/0123456789abcdef01234567/history → 404: content type application/json; charset=utf-8 is not declared (declared: text/plain)',
    ]);
  });

  it('compiles the committed document: every declared answer schema resolves', () => {
    const check = openApiResponseCheck(COMMITTED);
    // An answer that matches no route is not the check's business.
    expect(
      check.violations({ method: 'GET', route: undefined, status: 404, contentType: undefined, payload: '' }),
    ).toBeNull();
    for (const [path, item] of Object.entries(COMMITTED.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        for (const [status, response] of Object.entries((operation as Json).responses as Json)) {
          const content = (response as Json).content as Json | undefined;
          const mediaType = content ? Object.keys(content)[0] : undefined;
          const found = check.violations({
            method: method.toUpperCase(),
            route: path.replace(/\{(\w+)\}/g, ':$1'),
            status: Number(status),
            contentType: mediaType,
            payload: mediaType === 'application/json' ? 'null' : '',
          });
          // Compiling succeeded (no throw); a null body is judged like any other.
          expect(Array.isArray(found)).toBe(true);
        }
      }
    }
  });
});
