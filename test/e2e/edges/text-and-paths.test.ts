/**
 * Text that cannot travel, and values that would change an upstream path. Every string a request
 * gives (ids, aliases, user ids, groups, cursors: GraphQL arguments, REST paths, queries and
 * bodies) must be well-formed Unicode, or the answer is BAD_USER_INPUT (ILL_FORMED_TEXT) with its
 * field, after the policy; and no path parameter sent upstream is a dot segment, empty or
 * ill-formed. Lone surrogates travel as JSON escapes (`"q\ud800"`), which JSON.stringify writes.
 */
import {
  CreateTeleconsultationDocument,
  DeleteVirtualBackgroundDocument,
  TeleconsultationHistoryDocument,
  UpdateCompanySettingsDocument,
  VisitHistoryDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';
import { liveClient } from '../../support/live-client.js';

const LONE = 'q\ud800';

function extensionsOf(response: GraphqlResponse<unknown>) {
  return response.errors?.[0]?.extensions;
}

describe('text that is not well-formed Unicode', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  const visitWith = (userId: string) => ({
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor('doc-1'), { userId, fullName: 'Ada', groups: ['customer'] }],
    },
  });

  it('refuses a participant id with a lone surrogate, so it never shares a Kaleyra user with U+FFFD', async () => {
    const usersBefore = gateway.sandbox.users().length;
    const refused = await gateway.request(CreateTeleconsultationDocument, visitWith(LONE), {
      caller: 'doc-1',
      groups: 'doctor',
    });
    expect(extensionsOf(refused)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'ILL_FORMED_TEXT',
      field: ['input', 'participants', 1, 'userId'],
    });
    expect(gateway.sandbox.users()).toHaveLength(usersBefore);
    expect(gateway.sandbox.requests()).toEqual([]);

    // The replacement character itself is text like any other.
    const created = await gateway.request(CreateTeleconsultationDocument, visitWith('q\ufffd'), {
      caller: 'doc-1',
      groups: 'doctor',
    });
    expect(created.errors).toBeUndefined();
  });

  it('refuses it anywhere in the arguments: group names, languages, nested fields', async () => {
    const input = visitWith('pat-1').input;
    const inGroups = await gateway.request(
      CreateTeleconsultationDocument,
      {
        input: {
          ...input,
          participants: [doctor('doc-1'), patient('pat-1', { groups: ['customer', LONE] })],
        },
      },
      { caller: 'doc-1', groups: 'doctor' },
    );
    expect(extensionsOf(inGroups)).toMatchObject({
      reason: 'ILL_FORMED_TEXT',
      field: ['input', 'participants', 1, 'groups', 1],
    });

    const created = await gateway.ok(CreateTeleconsultationDocument, visitWith('pat-1'));
    const id = created.createTeleconsultation.id;
    const nested = await gateway.request(
      TeleconsultationHistoryDocument,
      { id, after: `\udc00${LONE}` },
      { caller: 'doc-1', groups: 'doctor' },
    );
    expect(extensionsOf(nested)).toMatchObject({ reason: 'ILL_FORMED_TEXT', field: ['after'] });
  });

  it('answers an id that is not well-formed BAD_USER_INPUT for a caller the policy lets through, not NOT_FOUND', async () => {
    const response = await gateway.request(VisitHistoryDocument, { id: `65f0${LONE}` });
    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: ['id'] });
  });

  it('decides the policy first: a caller it refuses gets the refusal, whatever the text', async () => {
    const anonymous = await gateway.request(CreateTeleconsultationDocument, visitWith(LONE), {
      anonymous: true,
    });
    expect(extensionsOf(anonymous)).toMatchObject({ code: 'UNAUTHENTICATED' });
    const patientCaller = await gateway.request(
      DeleteVirtualBackgroundDocument,
      { alias: LONE },
      { caller: 'pat-1', groups: 'customer' },
    );
    expect(extensionsOf(patientCaller)).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
    const visit = await gateway.request(
      VisitHistoryDocument,
      { id: LONE },
      { caller: 'pat-1', groups: 'customer' },
    );
    expect(extensionsOf(visit)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses it in a subscription’s arguments, after the read policy', async () => {
    const created = await gateway.ok(CreateTeleconsultationDocument, visitWith('pat-1'));
    const id = created.createTeleconsultation.id;
    const subscription = `subscription Live($id: ID!, $language: String) {
      teleconsultationChanged(id: $id, language: $language) { id status }
    }`;
    const participant = liveClient(gateway.url, {
      headers: { miauserid: 'pat-1', miausergroups: 'customer' },
    });
    const stranger = liveClient(gateway.url, { headers: { miauserid: 'pat-2', miausergroups: 'customer' } });
    try {
      const [refused] = await participant.subscribe(subscription, { id, language: LONE }).waitFor(1);
      expect(refused?.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'ILL_FORMED_TEXT',
        field: ['language'],
      });
      const [forbidden] = await stranger.subscribe(subscription, { id, language: LONE }).waitFor(1);
      expect(forbidden?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await participant.dispose();
      await stranger.dispose();
    }
  });

  it('answers an alias with a lone surrogate BAD_USER_INPUT, not INTERNAL_SERVER_ERROR, sending nothing', async () => {
    const response = await gateway.request(DeleteVirtualBackgroundDocument, { alias: LONE });
    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: ['alias'] });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('refuses it in REST bodies with 400 in the original shape, after the policy', async () => {
    const body = {
      start_date: inMinutes(60),
      duration_in_seconds: 1800,
      participants: {
        data: [
          { userId: 'doc-1', fullName: 'Doc', groups: ['doctor'] },
          { userId: LONE, fullName: 'Ada', groups: ['customer'] },
        ],
      },
    };
    const refused = await gateway.rest('POST', '/teleconsultation', {
      body,
      caller: 'doc-1',
      groups: 'doctor',
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'ILL_FORMED_TEXT',
      field: ['participants', 'data', 1, 'userId'],
    });
    expect(typeof (refused.json as { error: unknown }).error).toBe('string');
    const anonymous = await gateway.rest('POST', '/teleconsultation', { body, anonymous: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ error: 'Unauthorized user', code: 'UNAUTHENTICATED' });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('walks a body nested as deep as the body limit allows in one pass, naming the whole path', async () => {
    // `[[[…["q\ud800"]…]]]` filling the 100 KB default: ~50,000 levels. The walk once copied the
    // path at every level (50,000² steps: this request alone took ~25 s of the server's CPU, and
    // the suite's 20 s test deadline ends the test first).
    const depth = 50_000;
    const visit = JSON.stringify({
      start_date: inMinutes(60),
      duration_in_seconds: 1800,
      participants: { data: [{ userId: 'doc-1', fullName: 'Doc', groups: ['doctor'] }] },
    });
    const deep = `${'['.repeat(depth)}${JSON.stringify(LONE)}${']'.repeat(depth)}`;
    const rawBody = `{"unknown":${deep},${visit.slice(1)}`;
    expect(rawBody.length).toBeLessThan(102_400);
    const refused = await gateway.rest('POST', '/teleconsultation', {
      rawBody,
      caller: 'doc-1',
      groups: 'doctor',
    });
    expect(refused.status).toBe(400);
    const { reason, field } = refused.json as { reason: string; field: Array<string | number> };
    expect(reason).toBe('ILL_FORMED_TEXT');
    expect(field).toHaveLength(depth + 1);
    expect(field.slice(0, 3)).toEqual(['unknown', 0, 0]);
    expect(gateway.sandbox.requests()).toEqual([]);
  });
});

describe('path parameters sent upstream', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  it.each(['..', '.', '', '%2e%2e', '.%2E', '%252e'])(
    'refuses the virtual background alias %j instead of deleting another route',
    async (alias) => {
      const response = await gateway.request(DeleteVirtualBackgroundDocument, { alias });
      expect(extensionsOf(response)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_BACKGROUND_ALIAS',
        field: ['alias'],
      });
      // Before: `DELETE /v2/company/` (the `..` resolved by the URL).
      expect(gateway.sandbox.requests()).toEqual([]);
    },
  );

  it('refuses a dot segment as the default background alias, naming its field', async () => {
    const response = await gateway.request(UpdateCompanySettingsDocument, {
      input: { defaultBackgroundAlias: '..' },
    });
    expect(extensionsOf(response)).toMatchObject({
      reason: 'INVALID_BACKGROUND_ALIAS',
      field: ['input', 'defaultBackgroundAlias'],
    });
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('sends any other alias as one segment', async () => {
    const response = await gateway.request(DeleteVirtualBackgroundDocument, { alias: '../bg.png' });
    expect(response.errors).toBeUndefined();
    expect(response.data?.deleteVirtualBackground).toBe(false);
    expect(gateway.sandbox.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /v2/company/virtual_backgrounds/..%2Fbg.png',
    ]);
  });
});

describe('REST: refuse before reading', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  it('answers an unauthorized PATCH 401 whatever its body, and an allowed one 400 about the body', async () => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient('pat-1')],
      },
    });
    const path = `/teleconsultation/${createTeleconsultation.id}`;
    const bodies = [
      { body: { duration_in_seconds: '300' } },
      { body: { start_date: 'tomorrow' } },
      { body: { participants: [LONE] } },
      { rawBody: '{"start_date": ', contentType: 'application/json' },
      { rawBody: 'start_date=2030', contentType: 'application/x-www-form-urlencoded' },
      { rawBody: JSON.stringify({ note: 'x'.repeat(200 * 1024) }), contentType: 'application/json' },
    ];
    for (const body of bodies) {
      const patientAnswer = await gateway.rest('PATCH', path, {
        ...body,
        caller: 'pat-1',
        groups: 'customer',
      });
      expect([JSON.stringify(body).slice(0, 80), patientAnswer.status, patientAnswer.json]).toEqual([
        JSON.stringify(body).slice(0, 80),
        401,
        expect.objectContaining({ error: 'Unauthorized user', code: 'FORBIDDEN', reason: 'POLICY_DENIED' }),
      ]);
      const anonymous = await gateway.rest('PATCH', path, { ...body, anonymous: true });
      expect(anonymous.status).toBe(401);
      const doctorAnswer = await gateway.rest('PATCH', path, { ...body, caller: 'doc-1', groups: 'doctor' });
      const tooLarge = JSON.stringify(body).length > 100 * 1024;
      expect([JSON.stringify(body).slice(0, 80), doctorAnswer.status]).toEqual([
        JSON.stringify(body).slice(0, 80),
        tooLarge ? 413 : 400,
      ]);
    }
  });

  it('answers a caller the policy lets through about the body, even for an unknown visit; anyone else 401', async () => {
    const response = await gateway.rest('PATCH', '/teleconsultation/65f0c0ffee0000000000abcd', {
      body: { duration_in_seconds: '300' },
    });
    expect(response.status).toBe(400);
    const anonymous = await gateway.rest('PATCH', '/teleconsultation/65f0c0ffee0000000000abcd', {
      body: { duration_in_seconds: '300' },
      anonymous: true,
    });
    expect(anonymous.status).toBe(401);
  });
});
