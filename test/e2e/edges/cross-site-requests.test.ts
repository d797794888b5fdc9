/**
 * Cross-site request forgery on REST: a page of another site can make the visitor's browser send
 * a "simple" POST (a form, multipart/form-data, text/plain, or no body at all) with the visitor's
 * cookies and no CORS preflight. Such a request carrying a foreign Origin is refused before
 * anything happens, by the subscriptions WebSocket's rule and list (SUBSCRIPTIONS_ALLOWED_ORIGINS).
 */

import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { PNG_1X1 } from '../../support/images.js';

const EVIL = 'https://evil.example';
const ALLOWED = 'https://clinic.example';

/** A multipart upload as a browser's form sends it. */
function uploadForm(): FormData {
  const form = new FormData();
  form.append('virtual_background', new Blob([PNG_1X1], { type: 'image/png' }), 'bg.png');
  return form;
}

describe('simple POSTs from another site', () => {
  let gateway: TestGateway;
  let port: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { SUBSCRIPTIONS_ALLOWED_ORIGINS: ALLOWED } });
    port = new URL(gateway.url).port;
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  const post = (path: string, headers: Record<string, string>, body?: string | FormData) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });

  it('refuses a cross-site multipart upload before reading it, sending nothing to Kaleyra', async () => {
    const response = await post(
      '/settings/background-image',
      { isbackoffice: 'true', origin: EVIL },
      uploadForm(),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'Unauthorized user',
      code: 'FORBIDDEN',
      reason: 'ORIGIN_NOT_ALLOWED',
    });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it.each([
    ['no body (a token minted for the visitor)', '/credentials', {}, undefined],
    ['text/plain', '/credentials', { 'content-type': 'text/plain' }, '{"expiresIn": 3600}'],
    [
      'a url-encoded form',
      '/teleconsultation',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'a=b',
    ],
    [
      'text/plain with parameters',
      '/teleconsultation',
      { 'content-type': 'Text/Plain; charset=utf-8' },
      '{}',
    ],
  ])('refuses a cross-site POST with %s', async (_what, path, headers, body) => {
    const response = await post(
      path,
      { miauserid: 'doc-1', miausergroups: 'doctor', origin: EVIL, ...headers },
      body,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'ORIGIN_NOT_ALLOWED' });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses it for every POST route, participants included', async () => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1')],
        participantsNumber: 2,
      },
    });
    const response = await post(
      `/teleconsultation/${createTeleconsultation.id}/participants/data`,
      { isbackoffice: 'true', origin: EVIL, 'content-type': 'text/plain' },
      '{"userId": "pat-1", "fullName": "P", "groups": ["customer"]}',
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: 'ORIGIN_NOT_ALLOWED' });
  });

  it("lets the same POST through from the gateway's own pages, listed origins, and clients without Origin", async () => {
    for (const origin of [`http://127.0.0.1:${port}`, ALLOWED, undefined]) {
      const response = await post(
        '/settings/background-image',
        { isbackoffice: 'true', ...(origin ? { origin } : {}) },
        uploadForm(),
      );
      expect([origin, response.status]).toEqual([origin, 200]);
    }
    const credentials = await post('/credentials', {
      miauserid: 'doc-1',
      miausergroups: 'doctor',
      origin: ALLOWED,
    });
    expect(credentials.status).toBe(201);
  });

  it('leaves requests a browser preflights to the CORS answer of the platform gateway', async () => {
    // application/json needs a preflight: such a request arrives only if the platform allowed it.
    const response = await post(
      '/credentials',
      { miauserid: 'doc-1', miausergroups: 'doctor', origin: EVIL, 'content-type': 'application/json' },
      '{"expiresIn": 3600}',
    );
    expect(response.status).toBe(201);
  });
});
