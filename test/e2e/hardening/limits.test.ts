import { inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { AS_BACKOFFICE, codesOf, createMutation, createVariables, postJson, send } from './raw-http.js';

/**
 * Every refusal is checked against a mutation that, accepted, calls Kaleyra: the sandbox's empty
 * request log is the proof that an over-limit request did no upstream work.
 */
describe('abuse limits: refused with a stable code, before any upstream call', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  it('accepts the same mutation within the limits, and it does reach Kaleyra (the control)', async () => {
    const response = await postJson(
      gateway.url,
      {
        query: createMutation('id roomId'),
        variables: createVariables(),
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(gateway.sandbox.requests().length).toBeGreaterThan(0);
  });

  it('refuses an alias bomb with TOO_MANY_ALIASES (default limit 15)', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: id`).join(' ');
    const response = await postJson(
      gateway.url,
      {
        query: createMutation(aliases),
        variables: createVariables(),
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['TOO_MANY_ALIASES']);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ limit: 15 });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('counts aliases multiplied through fragment spreads', async () => {
    const query = `${createMutation('...A ...B', 'Spread')}
      fragment A on Teleconsultation { a1: id a2: id a3: id a4: id a5: id a6: id a7: id a8: id }
      fragment B on Teleconsultation { ...A ...C }
      fragment C on Teleconsultation { b1: id }`;
    const response = await postJson(gateway.url, { query, variables: createVariables() }, AS_BACKOFFICE);
    expect(codesOf(response)).toEqual(['TOO_MANY_ALIASES']);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses a document over the token limit with TOO_MANY_TOKENS (default 1000)', async () => {
    const response = await postJson(
      gateway.url,
      {
        query: createMutation(Array.from({ length: 1200 }, () => 'id').join(' ')),
        variables: createVariables(),
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['TOO_MANY_TOKENS']);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses a body over BODY_LIMIT_BYTES with a GraphQL-shaped PAYLOAD_TOO_LARGE (413)', async () => {
    const response = await postJson(
      gateway.url,
      {
        query: createMutation('id'),
        variables: createVariables('x'.repeat(200_000)),
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(413);
    expect(codesOf(response)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('answers a malformed JSON body in GraphQL shape (400, BAD_REQUEST)', async () => {
    const response = await send(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "mutation {',
    });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses a batched request (an array of operations) with BAD_REQUEST', async () => {
    const operation = { query: createMutation('id'), variables: createVariables() };
    const response = await postJson(gateway.url, [operation, operation]);
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
    expect(response.body.errors?.[0]?.message).toMatch(/batching/i);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses a mutation sent with GET (405, BAD_REQUEST)', async () => {
    const params = new URLSearchParams({
      query: createMutation('id'),
      variables: JSON.stringify(createVariables()),
    });
    const response = await send(`${gateway.url}/graphql?${params}`, {
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses a simple (CSRF-able) request without a preflight header (BAD_REQUEST)', async () => {
    const response = await send(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: createMutation('id'), variables: createVariables() }),
    });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
    expect(response.body.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it("lets the IDE's introspection query through the default limits (introspection on outside production)", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const response = await postJson(gateway.url, {
      query: getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }),
    });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });
});

describe('depth and cost limits, configured by env', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COST: '10' } });
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  it('refuses a query nested beyond GRAPHQL_MAX_DEPTH with QUERY_TOO_DEEP', async () => {
    const response = await postJson(
      gateway.url,
      {
        query: createMutation('id participants { tools { chat } }'),
        variables: createVariables(),
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['QUERY_TOO_DEEP']);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ limit: 3, actual: 4 });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('measures depth through fragments', async () => {
    const query = `${createMutation('...Deep', 'Fragmented')}
      fragment Deep on Teleconsultation { participants { ... on Participant { tools { chat } } } }`;
    const response = await postJson(gateway.url, { query, variables: createVariables() }, AS_BACKOFFICE);
    expect(codesOf(response)).toEqual(['QUERY_TOO_DEEP']);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses a query whose cost exceeds GRAPHQL_MAX_COST with QUERY_TOO_COMPLEX', async () => {
    const fields =
      'id status startDate endDate durationInSeconds lockedFrom locked participantsNumber roomId accessLinkURL';
    const response = await postJson(
      gateway.url,
      {
        query: createMutation(fields),
        variables: createVariables(),
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ limit: 10, actual: 11 });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('accepts a query at the limits', async () => {
    const response = await postJson(
      gateway.url,
      {
        query: createMutation('id participants { userId }'),
        variables: createVariables(),
      },
      AS_BACKOFFICE,
    );
    expect(response.body.errors).toBeUndefined();
  });
});

describe('request timeout', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('answers REQUEST_TIMEOUT (504) when the request outlives REQUEST_TIMEOUT_MS', async () => {
    gateway = await startTestGateway({ env: { REQUEST_TIMEOUT_MS: '150' } });
    // Kaleyra answers, but later than the deadline (and sooner than the client's own timeout).
    gateway.sandbox.injectFault({ path: '*', delayMs: 900, times: 'always' });
    const response = await postJson(
      gateway.url,
      {
        query: createMutation('id'),
        variables: { input: { ...createVariables().input, startDate: inMinutes(120) } },
      },
      AS_BACKOFFICE,
    );
    expect(response.status).toBe(504);
    expect(codesOf(response)).toEqual(['REQUEST_TIMEOUT']);
    expect(response.body.errors?.[0]?.message).toMatch(/150 ms/);
  });
});
