import { CreateTeleconsultationWithoutNamesDocument } from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';

const INPUT = {
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants: [{ userId: 'doc-1' }, { userId: 'pat-1' }],
};

/** Headers any HTTP client adds on its own; everything else must come from the configuration. */
const TRANSPORT_HEADERS = ['host', 'connection', 'user-agent', 'accept', 'accept-encoding'];

function forwardedHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT_HEADERS.includes(name)));
}

describe('auth-service mode: headers sent to the auth service', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway | undefined;

  beforeEach(async () => {
    stub = await startAuthServiceStub({
      'doc-1': { name: 'Grace Hopper', groups: ['doctor'] },
      'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
    });
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await stub?.close();
  });

  const INCOMING = {
    cookie: 'sid=abc',
    authorization: 'Bearer xyz',
    'x-tenant': 'clinic-7',
    'x-not-configured': 'nope',
    'client-type': 'mobile-app',
  };

  it('forwards exactly the headers named in ADDITIONAL_HEADERS_TO_PROXY, plus client-type', async () => {
    gateway = await startTestGateway({
      env: {
        AUTH_SERVICE: stub.url,
        ADDITIONAL_HEADERS_TO_PROXY: 'Cookie, X-Tenant',
        DEFAULT_CLIENT_TYPE: 'web',
      },
    });
    await gateway.ok(
      CreateTeleconsultationWithoutNamesDocument,
      { input: INPUT },
      { caller: 'doc-1', headers: INCOMING },
    );
    const requests = stub.requests();
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(forwardedHeaders(request.headers)).toEqual({
        cookie: 'sid=abc',
        'x-tenant': 'clinic-7',
        'client-type': 'mobile-app',
      });
    }
  });

  it('sends DEFAULT_CLIENT_TYPE when the request has no client-type', async () => {
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url, ADDITIONAL_HEADERS_TO_PROXY: 'cookie', DEFAULT_CLIENT_TYPE: 'web' },
    });
    await gateway.ok(
      CreateTeleconsultationWithoutNamesDocument,
      { input: INPUT },
      { headers: { cookie: 'sid=abc' } },
    );
    expect(stub.requests().map((r) => forwardedHeaders(r.headers))).toEqual([
      { cookie: 'sid=abc', 'client-type': 'web' },
      { cookie: 'sid=abc', 'client-type': 'web' },
    ]);
  });

  it('sends no client-type when neither the request nor DEFAULT_CLIENT_TYPE gives one', async () => {
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url, ADDITIONAL_HEADERS_TO_PROXY: 'x-tenant' },
    });
    await gateway.ok(CreateTeleconsultationWithoutNamesDocument, { input: INPUT });
    expect(stub.requests().map((r) => forwardedHeaders(r.headers))).toEqual([{}, {}]);
  });

  it('forwards the default list (x-forwarded-for, x-request-id, x-forwarded-host, cookie, client-type) when unset', async () => {
    gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url } });
    await gateway.ok(
      CreateTeleconsultationWithoutNamesDocument,
      { input: INPUT },
      {
        headers: {
          ...INCOMING,
          'x-forwarded-for': '203.0.113.9',
          'x-request-id': 'req-1',
          'x-forwarded-host': 'clinic.example.org',
        },
      },
    );
    expect(forwardedHeaders(stub.requests()[0]?.headers ?? {})).toEqual({
      'x-forwarded-for': '203.0.113.9',
      'x-request-id': 'req-1',
      'x-forwarded-host': 'clinic.example.org',
      cookie: 'sid=abc',
      'client-type': 'mobile-app',
    });
  });

  it('never forwards headers that describe the incoming connection, even when configured', async () => {
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url, ADDITIONAL_HEADERS_TO_PROXY: 'host,content-length,content-type,cookie' },
    });
    await gateway.ok(
      CreateTeleconsultationWithoutNamesDocument,
      { input: INPUT },
      { headers: { cookie: 'sid=abc' } },
    );
    const [first] = stub.requests();
    expect(first?.headers.host).toBe(stub.host);
    expect(first?.headers['content-length']).toBeUndefined();
    expect(first?.headers['content-type']).toBeUndefined();
    expect(first?.headers.cookie).toBe('sid=abc');
  });

  it('accepts AUTH_SERVICE as a bare host:port, as the original service did', async () => {
    gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.host } });
    await gateway.ok(CreateTeleconsultationWithoutNamesDocument, { input: INPUT });
    expect(stub.requests().map((r) => r.path)).toEqual(['/users/doc-1', '/users/pat-1']);
  });
});
