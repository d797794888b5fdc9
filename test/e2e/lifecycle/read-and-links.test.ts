import type { KaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import {
  CreateTeleconsultationDocument,
  type CreateTeleconsultationMutation,
  TeleconsultationDocument,
  TeleconsultationWithDetailsDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  T0,
  TEST_API_KEY,
  type TestGateway,
} from '../../support/gateway.js';

type Created = CreateTeleconsultationMutation['createTeleconsultation'];

const IMMUTABLE_PERIOD_MS = 15 * 60_000;
const privileges = { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } };

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

let sandbox: KaleyraSandbox;
beforeAll(async () => {
  sandbox = await startKaleyraSandbox({ apiKey: TEST_API_KEY });
});
afterAll(async () => sandbox?.close());

async function createVisit(gateway: TestGateway, tag: string, extra: { patientLanguage?: string } = {}) {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [
        doctor(`${tag}-doc`),
        patient(`${tag}-pat`, extra.patientLanguage ? { language: extra.patientLanguage } : {}),
      ],
    },
  });
  return createTeleconsultation;
}

/** The link Kaleyra gave this participant, as the sandbox holds it. */
function kaleyraLinkOf(created: Created, userId: string): string {
  const kaleyraUserId = created.participants.find((p) => p.userId === userId)?.kaleyraUserId;
  const room = sandbox.rooms().find((r) => r.roomId === created.roomId);
  const url = room?.participants.find((p) => p.userId === kaleyraUserId)?.url;
  if (!url) throw new Error(`no Kaleyra link for ${userId}`);
  return url;
}

describe('teleconsultation query: who may read, and the join link', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      sandbox,
      env: { IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS) },
      serviceConfigFile: { environment: 'sandbox', privileges, groupsWithBackgroundList: ['doctor'] },
    });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => {
    sandbox.clearFaults();
    sandbox.clearRequests();
    gateway.clock.set(T0);
  });

  const read = (id: string, caller: string, extra: { language?: string; useBackground?: boolean } = {}) =>
    gateway.request(TeleconsultationDocument, { id, ...extra }, { caller });
  const linkOf = async (
    id: string,
    caller: string,
    extra: { language?: string; useBackground?: boolean } = {},
  ) => {
    const response = await read(id, caller, extra);
    expect(response.errors).toBeUndefined();
    return response.data?.teleconsultation?.accessLinkURL ?? null;
  };

  it('refuses a request without a caller id with UNAUTHENTICATED', async () => {
    const created = await createVisit(gateway, 'r1');
    const response = await gateway.request(TeleconsultationDocument, { id: created.id });
    expect(errorOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'NO_CALLER_ID' });
    const blank = await gateway.request(
      TeleconsultationDocument,
      { id: created.id },
      { headers: { miauserid: '  ' } },
    );
    expect(errorOf(blank).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a caller who is not a participant with FORBIDDEN (the default read policy)', async () => {
    const created = await createVisit(gateway, 'r2');
    gateway.clock.set(Date.parse(created.lockedFrom));
    const response = await read(created.id, 'someone-else');
    expect(errorOf(response)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'POLICY_DENIED',
      operation: 'teleconsultation',
    });
    expect(response.data?.teleconsultation).toBeNull();
  });

  it('refuses an unknown id exactly like a visit the caller may not read, so ids cannot be probed', async () => {
    const created = await createVisit(gateway, 'r3');
    const unknown = errorOf(await read('aaaaaaaaaaaaaaaaaaaaaaaa', 'r3-doc'));
    const notTheirs = errorOf(await read(created.id, 'someone-else'));
    expect(unknown).toEqual(notTheirs);
    expect(unknown.code).toBe('FORBIDDEN');
  });

  it('hands out no link one millisecond before lockedFrom, and the caller own link at it', async () => {
    const created = await createVisit(gateway, 'r4');
    expect(created.lockedFrom).toBe(
      new Date(Date.parse(created.startDate) - IMMUTABLE_PERIOD_MS).toISOString(),
    );

    gateway.clock.set(Date.parse(created.lockedFrom) - 1);
    const before = await read(created.id, 'r4-pat');
    expect(before.data?.teleconsultation).toMatchObject({
      status: 'SCHEDULED',
      locked: false,
      accessLinkURL: null,
    });

    gateway.clock.set(Date.parse(created.lockedFrom));
    const at = await read(created.id, 'r4-pat');
    expect(at.data?.teleconsultation).toMatchObject({
      status: 'LOCKED',
      locked: true,
      accessLinkURL: kaleyraLinkOf(created, 'r4-pat'),
    });
    // Each caller gets their own link, never another participant's.
    const doctorLink = await linkOf(created.id, 'r4-doc', { useBackground: false });
    expect(doctorLink).toBe(kaleyraLinkOf(created, 'r4-doc'));
    expect(doctorLink).not.toBe(kaleyraLinkOf(created, 'r4-pat'));
  });

  it('keeps handing out the link after the start', async () => {
    const created = await createVisit(gateway, 'r5');
    gateway.clock.set(Date.parse(created.startDate) + 5 * 60_000);
    expect(await linkOf(created.id, 'r5-pat')).toBe(kaleyraLinkOf(created, 'r5-pat'));
  });

  it('hands out no link while participants are missing, whatever the time', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participantsNumber: 3,
        participants: [doctor('r6-doc')],
      },
    });
    gateway.clock.set(Date.parse(waiting.startDate) + 60_000);
    const response = await read(waiting.id, 'r6-doc');
    expect(response.data?.teleconsultation).toMatchObject({
      status: 'WAITING_FOR_PARTICIPANTS',
      locked: false,
      accessLinkURL: null,
      roomId: null,
    });
  });

  it('shapes the link with the language argument, else the participant stored language', async () => {
    const created = await createVisit(gateway, 'r7', { patientLanguage: 'pl' });
    gateway.clock.set(Date.parse(created.lockedFrom));
    const base = kaleyraLinkOf(created, 'r7-pat');
    const stored = new URL((await linkOf(created.id, 'r7-pat')) ?? '');
    expect(stored.searchParams.get('language')).toBe('pl');
    expect(`${stored.origin}${stored.pathname}`).toBe(base);
    const chosen = new URL((await linkOf(created.id, 'r7-pat', { language: 'it-IT' })) ?? '');
    expect(chosen.searchParams.get('language')).toBe('it');
    const noLanguage = new URL((await linkOf(created.id, 'r7-doc', { useBackground: false })) ?? '');
    expect(noLanguage.searchParams.has('language')).toBe(false);
  });

  it('refuses an unsupported language with BAD_USER_INPUT, before and after the lock alike', async () => {
    const created = await createVisit(gateway, 'r8');
    for (const now of [Date.parse(created.lockedFrom) - 1, Date.parse(created.lockedFrom)]) {
      gateway.clock.set(now);
      const response = await read(created.id, 'r8-pat', { language: 'klingon' });
      expect(errorOf(response)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'UNSUPPORTED_LANGUAGE',
        field: ['language'],
      });
    }
  });

  it('adds the virtual background for callers in groupsWithBackgroundList, or when useBackground says so', async () => {
    const created = await createVisit(gateway, 'r9');
    gateway.clock.set(Date.parse(created.lockedFrom));
    const background = async (caller: string, useBackground?: boolean) =>
      new URL(
        (await linkOf(created.id, caller, useBackground === undefined ? {} : { useBackground })) ?? '',
      ).searchParams.get('virtual_background');
    expect(await background('r9-doc')).toBe('blur');
    expect(await background('r9-pat')).toBeNull();
    expect(await background('r9-pat', true)).toBe('blur');
    expect(await background('r9-doc', false)).toBeNull();
  });

  it('fetches the live Kaleyra room only when details is selected', async () => {
    const created = await createVisit(gateway, 'r10');
    sandbox.clearRequests();
    await read(created.id, 'r10-doc');
    expect(sandbox.requests().filter((r) => r.method === 'GET')).toHaveLength(0);

    const { teleconsultation } = await gateway.ok(
      TeleconsultationWithDetailsDocument,
      { id: created.id },
      { caller: 'r10-doc' },
    );
    expect(sandbox.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v2/rooms/${created.roomId}`,
    ]);
    expect(teleconsultation?.details).toMatchObject({
      status: 'active',
      disabled: false,
      live: true,
      durationInSeconds: null,
      durationUsedInSeconds: 0,
      recording: 'none',
      recordingStatus: 'stopped',
      callType: 'audio_video',
    });
    expect(teleconsultation?.details?.creationDate).toEqual(expect.any(String));
  });

  it('gives details null without asking Kaleyra while there is no room', async () => {
    const { createTeleconsultation: waiting } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participantsNumber: 3,
        participants: [doctor('r11-doc')],
      },
    });
    sandbox.clearRequests();
    const { teleconsultation } = await gateway.ok(
      TeleconsultationWithDetailsDocument,
      { id: waiting.id },
      { caller: 'r11-doc' },
    );
    expect(teleconsultation?.details).toBeNull();
    expect(sandbox.requests()).toHaveLength(0);
  });

  it('reports UPSTREAM_UNAVAILABLE on details when Kaleyra is down, still returning the rest', async () => {
    const created = await createVisit(gateway, 'r12');
    sandbox.injectFault({ method: 'GET', path: '/v2/rooms/:room_id', status: 503, times: 'always' });
    const response = await gateway.request(
      TeleconsultationWithDetailsDocument,
      { id: created.id },
      { caller: 'r12-doc' },
    );
    expect(errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(response.errors?.[0]?.path).toEqual(['teleconsultation', 'details']);
    expect(response.data?.teleconsultation).toMatchObject({
      id: created.id,
      status: 'SCHEDULED',
      details: null,
    });
  });
});

describe('the caller id comes from userIdPathInRequest', () => {
  it('walks a JSON header when configured', async () => {
    const gateway = await startTestGateway({
      sandbox,
      serviceConfigFile: {
        environment: 'sandbox',
        privileges,
        userIdPathInRequest: [
          { from: 'object', extract: 'headers' },
          { from: 'object', extract: 'miauserproperties' },
          { from: 'json', extract: 'customUserId' },
        ],
      },
    });
    try {
      const created = await createVisit(gateway, 'p1');
      const as = (value: string) =>
        gateway.request(
          TeleconsultationDocument,
          { id: created.id },
          { headers: { miauserproperties: value } },
        );
      const allowed = await as(JSON.stringify({ customUserId: 'p1-pat' }));
      expect(allowed.data?.teleconsultation?.id).toBe(created.id);
      expect(errorOf(await as(JSON.stringify({ customUserId: 'intruder' }))).code).toBe('FORBIDDEN');
      expect(errorOf(await as('not json')).code).toBe('UNAUTHENTICATED');
      // The default header means nothing once a path is configured.
      const header = await gateway.request(
        TeleconsultationDocument,
        { id: created.id },
        { headers: { miauserid: 'p1-pat' } },
      );
      expect(errorOf(header).code).toBe('UNAUTHENTICATED');
    } finally {
      await gateway.close();
    }
  });

  it('reads the USERID_HEADER_KEY header by default', async () => {
    const gateway = await startTestGateway({ sandbox, env: { USERID_HEADER_KEY: 'x-platform-user' } });
    try {
      const created = await createVisit(gateway, 'p2');
      const allowed = await gateway.request(
        TeleconsultationDocument,
        { id: created.id },
        { headers: { 'x-platform-user': 'p2-doc' } },
      );
      expect(allowed.data?.teleconsultation?.id).toBe(created.id);
      const other = await gateway.request(
        TeleconsultationDocument,
        { id: created.id },
        { headers: { miauserid: 'p2-doc' } },
      );
      expect(errorOf(other).code).toBe('UNAUTHENTICATED');
    } finally {
      await gateway.close();
    }
  });
});
