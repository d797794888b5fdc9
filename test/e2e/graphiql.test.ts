import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe('GraphiQL IDE page', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('serves a self-contained page whose every script and stylesheet comes from this server', async () => {
    gateway = await startTestGateway();
    const page = await fetch(`${gateway.url}/graphiql`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toHaveLength(4);
    for (const asset of assets) {
      expect(asset.startsWith('/graphiql/assets/')).toBe(true); // nothing from a CDN
      const response = await fetch(`${gateway.url}${asset}`);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      expect(response.headers.get('content-type')).toMatch(/^text\/(javascript|css)/);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    // The caller's id and groups are prefilled, so a new user can schedule and read right away.
    const config = JSON.parse(/const config = (\{.*\});/.exec(html)?.[1] ?? '{}') as { headers: string };
    expect(JSON.parse(config.headers)).toEqual({ miauserid: 'doctor-1', miausergroups: 'doctor' });
  });

  it('prefills the header names the gateway is configured with', async () => {
    gateway = await startTestGateway({ env: { USERID_HEADER_KEY: 'x-user', GROUPS_HEADER_KEY: 'x-groups' } });
    const html = await (await fetch(`${gateway.url}/graphiql`)).text();
    const config = JSON.parse(/const config = (\{.*\});/.exec(html)?.[1] ?? '{}') as { headers: string };
    expect(JSON.parse(config.headers)).toEqual({ 'x-user': 'doctor-1', 'x-groups': 'doctor' });
  });

  it('is not served when GRAPHQL_IDE=false', async () => {
    gateway = await startTestGateway({ env: { GRAPHQL_IDE: 'false' } });
    expect((await fetch(`${gateway.url}/graphiql`)).status).toBe(404);
  });
});
