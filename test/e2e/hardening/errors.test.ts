import { TeleconsultationDocument } from '../../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { createSwitchableStorage } from './failing-storage.js';
import { codesOf, postJson, send } from './raw-http.js';

const SOME_ID = '65f0c0ffee0000000000abcd';
const CAUSE = 'disk quota exceeded on shard 7f3a';

describe('error hygiene', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('masks an unexpected error as INTERNAL_SERVER_ERROR and logs its cause', async () => {
    const storage = createSwitchableStorage();
    storage.findByIdFailure = new Error(CAUSE);
    gateway = await startTestGateway({ overrides: { storage } });

    const response = await gateway.request(TeleconsultationDocument, { id: SOME_ID }, { caller: 'doctor-1' });

    expect(response.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['teleconsultation'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(response)).not.toContain(CAUSE);
    const logged = gateway
      .logs()
      .split('\n')
      .filter((line) => line.includes(CAUSE))
      .map((line) => JSON.parse(line) as { level: number; err?: { message: string; stack?: string } });
    expect(logged).toEqual([
      expect.objectContaining({ level: 50, err: expect.objectContaining({ message: CAUSE }) }),
    ]);
    expect(logged[0]?.err?.stack).toEqual(expect.stringContaining(`Error: ${CAUSE}`));
  });

  it('keeps the schema hints that help developers with DEV_MODE=true', async () => {
    gateway = await startTestGateway();
    const response = await postJson(gateway.url, { query: '{ serviceConfi { environment } }' });
    expect(codesOf(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body.errors?.[0]?.message).toMatch(/Did you mean "serviceConfig"\?/);
  });
});

describe('production behaviour (the default, DEV_MODE=false)', () => {
  let gateway: TestGateway;
  let storage: ReturnType<typeof createSwitchableStorage>;

  beforeAll(async () => {
    storage = createSwitchableStorage();
    gateway = await startTestGateway({ env: { DEV_MODE: 'false' }, overrides: { storage } });
  });
  afterAll(async () => gateway?.close());

  it('refuses introspection', async () => {
    const response = await postJson(gateway.url, { query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    expect(response.body.data).toBeUndefined();
  });

  it('serves no IDE page', async () => {
    expect((await send(`${gateway.url}/graphiql`, { method: 'GET' })).status).toBe(404);
    expect((await send(`${gateway.url}/`, { method: 'GET' })).status).toBe(404);
  });

  it('gives no schema hints in validation errors', async () => {
    const response = await postJson(gateway.url, { query: '{ serviceConfi { environment } }' });
    expect(codesOf(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.text).not.toMatch(/Did you mean/);
  });

  it('leaks no stack trace or cause in an internal error', async () => {
    storage.findByIdFailure = new Error(CAUSE);
    try {
      const response = await gateway.request(
        TeleconsultationDocument,
        { id: SOME_ID },
        { caller: 'doctor-1' },
      );
      expect(response.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['teleconsultation'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(response)).not.toMatch(/stacktrace|findById|disk quota/);
    } finally {
      storage.findByIdFailure = null;
    }
  });
});

describe('caching of GraphQL answers', () => {
  it('marks every GraphQL answer cache-control: no-store (they carry personal join links)', async () => {
    const gateway = await startTestGateway();
    try {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ serviceConfig { environment } }' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    } finally {
      await gateway.close();
    }
  });
});
