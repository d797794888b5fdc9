/**
 * Input the API must refuse before any side effect: numbers it could not answer back, loose
 * scalars, malformed languages, and a room without its doctor decided before Kaleyra users exist.
 */
import {
  CreateTeleconsultationDocument,
  type CreateTeleconsultationInput,
  TeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  T0,
  type TestGateway,
} from '../../support/gateway.js';
import { AS_BACKOFFICE, postJson } from '../hardening/raw-http.js';

const DAY_MS = 86_400_000;

function extensionsOf(response: GraphqlResponse<unknown>) {
  return response.errors?.[0]?.extensions;
}

describe('what the API stores is what it can answer', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  async function refuses(input: CreateTeleconsultationInput, expected: Record<string, unknown>) {
    const count = await gateway.app.storage.teleconsultations.count();
    const response = await gateway.request(CreateTeleconsultationDocument, { input });
    expect(extensionsOf(response)).toMatchObject(expected);
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
    expect(gateway.sandbox.requests()).toEqual([]);
  }

  const base = { startDate: inMinutes(60), participants: [doctor('b-doc'), patient('b-pat')] };

  it('refuses a duration beyond MAX_DURATION_SECONDS (24 h by default)', async () => {
    await refuses(
      { ...base, durationInSeconds: DAY_MS / 1000 + 1 },
      {
        code: 'BAD_USER_INPUT',
        reason: 'DURATION_TOO_LONG',
        field: ['input', 'durationInSeconds'],
      },
    );
  });

  it('refuses an endDate in year 9999', async () => {
    await refuses(
      { ...base, endDate: '9999-12-31T00:00:00.000Z' },
      {
        code: 'BAD_USER_INPUT',
        reason: 'DURATION_TOO_LONG',
        field: ['input', 'endDate'],
      },
    );
  });

  it('refuses a start further ahead than MAX_START_AHEAD_DAYS (366 by default)', async () => {
    const tooFar = new Date(T0.getTime() + 366 * DAY_MS + 1).toISOString();
    await refuses(
      { ...base, startDate: tooFar, durationInSeconds: 1800 },
      {
        code: 'BAD_USER_INPUT',
        reason: 'START_TOO_FAR_AHEAD',
        field: ['input', 'startDate'],
      },
    );
  });

  it('refuses 2147483648 seconds as a scalar error: the API could never answer it', async () => {
    const response = await gateway.request(CreateTeleconsultationDocument, {
      input: { ...base, durationInSeconds: 2_147_483_648 },
    });
    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('takes back every date it emits: a visit at both bounds reads, and its dates update it', async () => {
    const startDate = new Date(T0.getTime() + 366 * DAY_MS).toISOString();
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: { ...base, startDate, durationInSeconds: DAY_MS / 1000 },
    });
    const { teleconsultation } = await gateway.ok(
      TeleconsultationDocument,
      { id: createTeleconsultation.id },
      { caller: 'b-doc' },
    );
    expect(teleconsultation?.durationInSeconds).toBe(86_400);
    const { updateTeleconsultation } = await gateway.ok(UpdateTeleconsultationDocument, {
      id: createTeleconsultation.id,
      input: { startDate: teleconsultation?.startDate, endDate: teleconsultation?.endDate },
    });
    expect(updateTeleconsultation.endDate).toBe(teleconsultation?.endDate);
  });

  it('honours MAX_DURATION_SECONDS and MAX_START_AHEAD_DAYS when configured', async () => {
    const strict = await startTestGateway({
      env: { MAX_DURATION_SECONDS: '3600', MAX_START_AHEAD_DAYS: '7' },
    });
    try {
      const long = await strict.request(CreateTeleconsultationDocument, {
        input: { ...base, durationInSeconds: 3601 },
      });
      expect(extensionsOf(long)).toMatchObject({ reason: 'DURATION_TOO_LONG' });
      const far = await strict.request(CreateTeleconsultationDocument, {
        input: { ...base, durationInSeconds: 1800, startDate: inMinutes(8 * 24 * 60) },
      });
      expect(extensionsOf(far)).toMatchObject({ reason: 'START_TOO_FAR_AHEAD' });
    } finally {
      await strict.close();
    }
  });
});

describe('loose input is refused, not bent into shape', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  const query =
    'mutation Create($input: CreateTeleconsultationInput!) { createTeleconsultation(input: $input) { id } }';
  const input = (extra: Record<string, unknown>) => ({
    startDate: inMinutes(60),
    participants: [doctor('l-doc'), patient('l-pat')],
    ...extra,
  });

  it.each([
    ['the string "300"', '300'],
    ['the list [900]', [900]],
    ['1800.5', 1800.5],
    ['1e21', 1e21],
    ['0', 0],
    ['true', true],
  ])('refuses durationInSeconds %s', async (_what, value) => {
    const response = await postJson(
      gateway.url,
      { query, variables: { input: input({ durationInSeconds: value }) } },
      AS_BACKOFFICE,
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.data ?? null).toBeNull();
  });

  it('refuses participantsNumber written as a fraction in the query itself', async () => {
    const literal = `mutation { createTeleconsultation(input: { startDate: "${inMinutes(60)}", durationInSeconds: 900, participantsNumber: 2.5, participants: [] }) { id } }`;
    const response = await postJson(gateway.url, { query: literal }, AS_BACKOFFICE);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it.each(['en-garbage-!!!', 'es-', 'english', 'e', 'it--IT'])(
    'refuses the language %j',
    async (language) => {
      gateway.sandbox.clearRequests();
      const response = await gateway.request(CreateTeleconsultationDocument, {
        input: input({
          durationInSeconds: 900,
          participants: [doctor('l-doc'), patient('l-pat', { language })],
        }),
      });
      expect(extensionsOf(response)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'UNSUPPORTED_LANGUAGE',
      });
      expect(gateway.sandbox.requests()).toEqual([]);
    },
  );

  it.each([
    ['it-IT', 'it'],
    ['en_US', 'en'],
    ['es-419', 'es'],
    ['FR', 'fr'],
  ])('reads the language %j as %j', async (language, stored) => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: input({
        durationInSeconds: 900,
        participants: [doctor('l-doc'), patient('l-pat', { language })],
      }),
    });
    expect(createTeleconsultation.participants[1]?.language).toBe(stored);
  });

  it('decides a room without a plus participant before creating any Kaleyra user', async () => {
    gateway.sandbox.clearRequests();
    const response = await gateway.request(CreateTeleconsultationDocument, {
      input: input({ durationInSeconds: 900, participants: [patient('np-1'), patient('np-2')] }),
    });
    expect(extensionsOf(response)).toMatchObject({
      reason: 'NO_PLUS_PARTICIPANT',
      field: ['input', 'participants'],
    });
    expect(gateway.sandbox.requests()).toEqual([]);
    expect(gateway.sandbox.users().map((user) => user.id)).not.toContain('tg.np-1');
  });
});
