/**
 * Mia-Platform's API portal reads a service's OpenAPI document at /documentation/json, and shows a
 * UI at /documentation: the same document as /openapi.json, and a UI that needs no network.
 */
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

describe('/documentation', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  it('serves at /documentation/json the same OpenAPI document as /openapi.json', async () => {
    const portal = await fetch(`${gateway.url}/documentation/json`);
    expect(portal.status).toBe(200);
    expect(portal.headers.get('content-type')).toMatch(/^application\/json/);
    const ours = await (await fetch(`${gateway.url}/openapi.json`)).json();
    expect(await portal.json()).toEqual(ours);
    expect(ours).toMatchObject({
      openapi: '3.1.0',
      paths: { '/teleconsultation': expect.any(Object) },
    });
  });

  it('redirects /documentation relatively, so a path prefix in front of the service is kept', async () => {
    const response = await fetch(`${gateway.url}/documentation`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('documentation/');
  });

  it('serves Swagger UI whose every asset comes from the gateway itself', async () => {
    const page = await fetch(`${gateway.url}/documentation/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets).toEqual(
      expect.arrayContaining(['./static/swagger-ui-bundle.js', './static/swagger-initializer.js']),
    );
    for (const asset of assets) {
      expect(asset).toMatch(/^\.\/static\//);
      const response = await fetch(new URL(asset, `${gateway.url}/documentation/`));
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const initializer = await (
      await fetch(`${gateway.url}/documentation/static/swagger-initializer.js`)
    ).text();
    // No online validator badge, and the document it loads is ours, next to it.
    expect(initializer).toContain('"validatorUrl":null');
    expect(initializer).not.toMatch(/["'`]https?:\/\//);
  });

  it('does not exist with REST_API_ENABLED=false, as the document it serves', async () => {
    const withoutRest = await startTestGateway({
      env: { REST_API_ENABLED: 'false' },
      sandbox: gateway.sandbox,
    });
    try {
      expect((await fetch(`${withoutRest.url}/documentation/json`)).status).toBe(404);
      expect((await fetch(`${withoutRest.url}/documentation/`)).status).toBe(404);
    } finally {
      await withoutRest.close();
    }
  });
});
