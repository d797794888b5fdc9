/**
 * Ids that do not mean what they look like: dot segments on their way to the auth service,
 * numbers a JSON step would round, header bytes read as latin-1, whitespace and control
 * characters, and an identity header sent twice.
 */
import pino from 'pino';
import { DEFAULT_SERVICE_CONFIG_FILE } from '../../../src/config/service-config.js';
import { createAuthServiceDirectory } from '../../../src/identity/auth-service-directory.js';
import {
  CreateCredentialsDocument,
  CreateTeleconsultationDocument,
  CreateTeleconsultationWithoutNamesDocument,
  TeleconsultationDocument,
} from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';
import { rawExchange } from '../hardening/raw-http.js';

function extensionsOf(response: GraphqlResponse<unknown>) {
  return response.errors?.[0]?.extensions;
}

/** A header value carrying these UTF-8 bytes (fetch sends a string's chars as latin-1 bytes). */
function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

describe('auth-service lookups never follow dot segments', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;
  beforeAll(async () => {
    stub = await startAuthServiceStub({ 'doc-1': { name: 'Doctor', groups: ['doctor'] } });
    gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url } });
  });
  afterAll(async () => {
    await gateway?.close();
    await stub?.close();
  });
  beforeEach(() => stub.clearRequests());

  it.each(['..', '.'])('refuses participant %j and asks the auth service nothing', async (userId) => {
    const response = await gateway.request(CreateTeleconsultationWithoutNamesDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [{ userId: 'doc-1' }, { userId }],
      },
    });
    expect(extensionsOf(response)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_USER_ID',
      field: ['input', 'participants', 1, 'userId'],
    });
    expect(stub.requests().map((r) => r.path)).toEqual([]);
  });

  it('sends every other id as one opaque segment, and never the root, /users/ or a percent-encoded dot', async () => {
    const directory = createAuthServiceDirectory({
      baseUrl: stub.url,
      timeoutMs: 1000,
      cacheTtlMs: 0,
      headersToProxy: ['cookie'],
      logger: pino({ level: 'silent' }),
    });
    // A proxy that decodes once more would resolve `%2e%2e` (sent as `%252e%252e`) to `..`; a lone
    // surrogate has no URL at all (encodeURIComponent throws on it).
    await directory.lookup(['..', '.', 'a/b', '..%2F', '%2e%2e', '.%2E', '%252e', 'q\ud800', 'doc-1'], {
      cookie: 'session=1',
    });
    expect(stub.requests().map((r) => r.path)).toEqual(['/users/a%2Fb', '/users/..%252F', '/users/doc-1']);
  });

  it('refuses a caller named ".." before looking their groups up', async () => {
    const response = await gateway.request(CreateCredentialsDocument, {}, { headers: { miauserid: '..' } });
    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CALLER_ID' });
    expect(stub.requests()).toEqual([]);
  });
});

describe('numeric ids through a JSON header step', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;
  beforeAll(async () => {
    stub = await startAuthServiceStub({
      '9007199254740992': { name: 'Near Max', groups: ['customer'] },
      '100': { name: 'Hundred', groups: ['customer'] },
    });
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url },
      serviceConfigFile: {
        ...DEFAULT_SERVICE_CONFIG_FILE,
        userIdPathInRequest: [
          { from: 'object', extract: 'headers' },
          { from: 'object', extract: 'miauserproperties' },
          { from: 'json', extract: 'customUserId' },
        ],
      },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await stub?.close();
  });

  const credentialsOf = (json: string) =>
    gateway.request(CreateCredentialsDocument, {}, { headers: { miauserproperties: json } });

  it.each([
    ['beyond 2^53 (it would read as 9007199254740992)', '{"customUserId":9007199254740993}'],
    ['in exponent form', '{"customUserId":1e2}'],
    ['with a fraction', '{"customUserId":100.0}'],
    ['given twice', '{"customUserId":"100","customUserId":"200"}'],
  ])('refuses an id %s', async (_what, json) => {
    expect(extensionsOf(await credentialsOf(json))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CALLER_ID',
    });
    expect(gateway.sandbox.users().map((user) => user.id)).not.toContain('tg.9007199254740992');
  });

  it('accepts strings, and integers within the safe range', async () => {
    const asString = await credentialsOf('{"customUserId":"9007199254740993"}');
    // A string is taken as written (this user is unknown to the auth service: a clean refusal).
    expect(extensionsOf(asString)).toMatchObject({ reason: 'UNKNOWN_CALLER' });
    const integer = await credentialsOf('{"customUserId":100}');
    expect(integer.data?.createCredentials.kaleyraUserId).toBe('tg.100');
  });
});

describe('identity headers are UTF-8, once, and ids are what they look like', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  async function visitWith(userId: string) {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('u-doc'), patient(userId)],
      },
    });
    return createTeleconsultation;
  }

  it('reads a UTF-8 header as the same id a body gave', async () => {
    const visit = await visitWith('josé');
    const read = await gateway.request(
      TeleconsultationDocument,
      { id: visit.id },
      {
        headers: { miauserid: utf8Bytes('josé') },
      },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.teleconsultation?.id).toBe(visit.id);
  });

  it('does not let the bytes of "éx" read the visit of participant "Ã©x"', async () => {
    const visit = await visitWith('Ã©x');
    const read = await gateway.request(
      TeleconsultationDocument,
      { id: visit.id },
      {
        headers: { miauserid: utf8Bytes('éx') },
      },
    );
    expect(extensionsOf(read)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses identity header bytes that are not UTF-8', async () => {
    const visit = await visitWith('u-latin');
    // "jos\xe9": the latin-1 byte alone is not UTF-8.
    const read = await gateway.request(
      TeleconsultationDocument,
      { id: visit.id },
      { headers: { miauserid: 'jos\u00e9' } },
    );
    expect(extensionsOf(read)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CALLER_ID' });
  });

  it.each([' patient-1 ', 'patient-1\t', 'pat\u0000ient', '\u00a0patient-1', 'x'.repeat(257)])(
    'refuses participant id %j on write, storing nothing',
    async (userId) => {
      const count = await gateway.app.storage.teleconsultations.count();
      gateway.sandbox.clearRequests();
      const response = await gateway.request(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [doctor('w-doc'), patient(userId)],
        },
      });
      expect(extensionsOf(response)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_USER_ID',
        field: ['input', 'participants', 1, 'userId'],
      });
      expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
      expect(gateway.sandbox.requests()).toEqual([]);
    },
  );

  it('refuses an identity header sent twice instead of reading "a, b"', async () => {
    const visit = await visitWith('a, b');
    const body = JSON.stringify({ query: `{ teleconsultation(id: "${visit.id}") { id } }` });
    // The same header twice, as a client or a proxy may send it: Node would read "a, b".
    const raw = await rawExchange(
      gateway.url,
      'POST /graphql HTTP/1.1\r\ncontent-type: application/json\r\nmiauserid: a\r\nmiauserid: b',
      body,
    );
    const parsed = JSON.parse(raw.body) as GraphqlResponse<unknown>;
    expect(extensionsOf(parsed)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CALLER_ID' });
  });

  it('refuses a groups header sent twice instead of adding the groups up', async () => {
    // A client's own groups header beside the platform's must not add "doctor" to "customer".
    const input = {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor('g-doc'), patient('g-pat')],
    };
    const body = JSON.stringify({
      query:
        'mutation ($input: CreateTeleconsultationInput!) { createTeleconsultation(input: $input) { id } }',
      variables: { input },
    });
    const count = await gateway.app.storage.teleconsultations.count();
    const raw = await rawExchange(
      gateway.url,
      'POST /graphql HTTP/1.1\r\ncontent-type: application/json\r\nmiauserid: g-pat\r\nmiausergroups: doctor\r\nmiausergroups: customer',
      body,
    );
    const parsed = JSON.parse(raw.body) as GraphqlResponse<unknown>;
    expect(extensionsOf(parsed)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CALLER_ID' });
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
  });

  it('refuses a participant id given as an integer JSON would round, and keeps safe ones', async () => {
    const count = await gateway.app.storage.teleconsultations.count();
    gateway.sandbox.clearRequests();
    const query =
      'mutation ($input: CreateTeleconsultationInput!) { createTeleconsultation(input: $input) { id participants { userId } } }';
    // Written by hand: JSON.stringify cannot write 9007199254740993.
    const body = (userId: string) =>
      `{"query":${JSON.stringify(query)},"variables":{"input":{"startDate":${JSON.stringify(inMinutes(60))},"durationInSeconds":1800,"participants":[{"userId":"n-doc","fullName":"D","groups":["doctor"]},{"userId":${userId},"fullName":"P","groups":["customer"]}]}}}`;
    const post = (text: string) =>
      fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', isbackoffice: 'true' },
        body: text,
      });

    // However it is written, JSON.parse reads each as 9007199254740992.
    for (const written of [
      '9007199254740993',
      '9007199254740993.0',
      '9.007199254740993e15',
      '9007199254740993e0',
    ]) {
      const rounded = await post(body(written));
      expect(rounded.status).toBe(400);
      const refusal = (await rounded.json()) as GraphqlResponse<unknown>;
      expect(extensionsOf(refusal)).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(refusal.errors?.[0]?.message).toMatch(/beyond 2\^53 − 1.*send ids as strings/);
    }
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
    expect(gateway.sandbox.requests()).toEqual([]);

    // The largest exact integer is still an id like any other; so is a long id sent as a string.
    const safe = (await (await post(body('9007199254740991'))).json()) as GraphqlResponse<{
      createTeleconsultation: { participants: Array<{ userId: string }> };
    }>;
    expect(safe.errors).toBeUndefined();
    expect(safe.data?.createTeleconsultation.participants[1]?.userId).toBe('9007199254740991');
    const asString = (await (await post(body('"9007199254740993"'))).json()) as GraphqlResponse<{
      createTeleconsultation: { participants: Array<{ userId: string }> };
    }>;
    expect(asString.data?.createTeleconsultation.participants[1]?.userId).toBe('9007199254740993');
  });
});
