/**
 * Policies from the config file, the two attacks a new user found against the demo, and what
 * the identity headers may look like.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  TeleconsultationDocument,
  UpdateTeleconsultationDocument,
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

const SERVICE_CONFIG = {
  privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
  environment: 'sandbox',
};

function codeOf(response: GraphqlResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code ?? 'allowed';
}

async function schedule(gateway: TestGateway, tag: string, participantsNumber?: number) {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      ...(participantsNumber ? { participantsNumber } : {}),
      participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
    },
  });
  return createTeleconsultation;
}

describe('custom policies from the config file', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it("combines clientType == '…', groups and participation, with parentheses", async () => {
    gateway = await startTestGateway({
      serviceConfigFile: {
        ...SERVICE_CONFIG,
        authorization: {
          updateTeleconsultation:
            "clientType == 'appointment-manager' && (groups.scheduler || isPlusParticipant)",
        },
      },
    });
    const visit = await schedule(gateway, 'cp1');
    const update = (headers: Record<string, string>, caller: string, groups: string) =>
      gateway.request(
        UpdateTeleconsultationDocument,
        { id: visit.id, input: { durationInSeconds: 2400 } },
        { caller, groups, headers },
      );
    const fromManager = { 'client-type': 'appointment-manager' };
    expect(codeOf(await update(fromManager, 'sched-1', 'scheduler'))).toBe('allowed');
    expect(codeOf(await update(fromManager, 'cp1-doc', 'doctor'))).toBe('allowed');
    expect(codeOf(await update({ 'client-type': 'cms' }, 'cp1-doc', 'doctor'))).toBe('FORBIDDEN');
    expect(codeOf(await update({}, 'sched-1', 'scheduler'))).toBe('FORBIDDEN');
    expect(codeOf(await update(fromManager, 'cp1-pat', 'customer'))).toBe('FORBIDDEN');
  });

  it('lets the back office read any visit, and tells it (only it) that an id is unknown', async () => {
    gateway = await startTestGateway({
      serviceConfigFile: {
        ...SERVICE_CONFIG,
        authorization: { teleconsultation: 'isParticipant || isBackoffice' },
      },
    });
    const visit = await schedule(gateway, 'cp2');
    const backOffice = { caller: 'bo-1', headers: { isbackoffice: '1' } };
    const read = await gateway.ok(TeleconsultationDocument, { id: visit.id }, backOffice);
    expect(read.teleconsultation?.id).toBe(visit.id);
    expect(read.teleconsultation?.accessLinkURL).toBeNull();
    const unknown = 'dddddddddddddddddddddddd';
    expect(codeOf(await gateway.request(TeleconsultationDocument, { id: unknown }, backOffice))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(await gateway.request(TeleconsultationDocument, { id: unknown }, { caller: 'cp2-pat' })),
    ).toBe('FORBIDDEN');
  });

  it('keeps the original behaviour with "true" for what a route-by-route gateway already guards', async () => {
    gateway = await startTestGateway({
      serviceConfigFile: {
        ...SERVICE_CONFIG,
        authorization: { createTeleconsultation: 'true', deleteTeleconsultation: 'true' },
      },
    });
    const { createTeleconsultation } = await gateway.ok(
      CreateTeleconsultationDocument,
      {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [doctor('cp3-doc'), patient('cp3-pat')],
        },
      },
      { anonymous: true },
    );
    const { deleteTeleconsultation } = await gateway.ok(
      DeleteTeleconsultationDocument,
      { id: createTeleconsultation.id },
      { anonymous: true },
    );
    expect(deleteTeleconsultation.status).toBe('CANCELLED');
  });
});

describe('caller groups from the auth service (AUTH_SERVICE, no groups header)', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;
  beforeAll(async () => {
    stub = await startAuthServiceStub({
      'sched-1': { name: 'Scheduler', groups: ['scheduler'] },
      'sched-2': { name: 'Second Scheduler', groups: ['scheduler'] },
      'doc-1': { name: 'Doctor', groups: ['doctor'] },
      'pat-1': { name: 'Patient', groups: ['customer'] },
    });
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url },
      serviceConfigFile: { ...SERVICE_CONFIG, authorization: { createTeleconsultation: 'groups.scheduler' } },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await stub?.close();
  });

  const input = {
    startDate: inMinutes(60),
    durationInSeconds: 1800,
    participants: [{ userId: 'doc-1' }, { userId: 'pat-1' }],
  };

  it('asks the auth service for the caller and decides on the groups it gives', async () => {
    stub.clearRequests();
    const allowed = await gateway.request(CreateTeleconsultationDocument, { input }, { caller: 'sched-1' });
    expect(codeOf(allowed)).toBe('allowed');
    expect(stub.callsFor('sched-1')).toBe(1);
    const refused = await gateway.request(CreateTeleconsultationDocument, { input }, { caller: 'doc-1' });
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });

  it('trusts the groups header when the platform sends it, asking nothing', async () => {
    stub.clearRequests();
    const refused = await gateway.request(
      CreateTeleconsultationDocument,
      { input },
      { caller: 'sched-1', groups: 'doctor' },
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(stub.requests()).toEqual([]);
  });

  it('gives UPSTREAM_UNAVAILABLE, and does nothing, when the auth service cannot say', async () => {
    stub.setFault({ kind: 'status', status: 503 });
    try {
      const count = await gateway.app.storage.teleconsultations.count();
      gateway.sandbox.clearRequests();
      // A caller not in the directory's short cache: the decision has to ask.
      const response = await gateway.request(
        CreateTeleconsultationDocument,
        { input },
        { caller: 'sched-2' },
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
      expect(gateway.sandbox.requests()).toEqual([]);
    } finally {
      stub.setFault(null);
    }
  });
});

describe('the two attacks found against the demo, now refused', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  it("no identity header cannot cancel anyone's visit", async () => {
    const visit = await schedule(gateway, 'atk1');
    const response = await gateway.request(
      DeleteTeleconsultationDocument,
      { id: visit.id },
      { anonymous: true },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      operation: 'deleteTeleconsultation',
    });
    const stored = await gateway.app.storage.teleconsultations.findById(visit.id);
    expect(stored?.state).toBe('active');
    expect(gateway.sandbox.rooms().some((room) => room.roomId === visit.roomId)).toBe(true);
  });

  it('"mallory" cannot add herself as a doctor, and so gets no link and no name at lock time', async () => {
    const visit = await schedule(gateway, 'atk2', 3);
    const mallory = { userId: 'mallory', fullName: 'Mallory', groups: ['doctor'] };
    const anonymous = await gateway.request(
      AddParticipantsDocument,
      { id: visit.id, participants: [mallory] },
      { anonymous: true },
    );
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    // Naming herself, even as a doctor, does not make her one of this visit's doctors.
    const named = await gateway.request(
      AddParticipantsDocument,
      { id: visit.id, participants: [mallory] },
      { caller: 'mallory', groups: 'doctor' },
    );
    expect(named.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
    expect(gateway.sandbox.users().some((user) => user.id === 'tg.mallory')).toBe(false);

    gateway.clock.set(Date.parse(visit.lockedFrom));
    const read = await gateway.request(TeleconsultationDocument, { id: visit.id }, { caller: 'mallory' });
    expect(codeOf(read)).toBe('FORBIDDEN');
    expect(JSON.stringify(read)).not.toMatch(/Patient atk2-pat|direct-rest-call-handler/);
    gateway.clock.set(Date.parse(inMinutes(0)));
  });
});

describe('identity headers as they may arrive', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());

  const input = () => ({
    startDate: inMinutes(60),
    durationInSeconds: 1800,
    participants: [doctor('h-doc'), patient('h-pat')],
  });

  it('reads groups with spaces, empty items and repeats', async () => {
    const response = await gateway.request(
      CreateTeleconsultationDocument,
      { input: input() },
      { caller: 'h-doc', groups: ' customer , , doctor,doctor ,' },
    );
    expect(codeOf(response)).toBe('allowed');
  });

  it('matches group names case-sensitively, as the platform does', async () => {
    const response = await gateway.request(
      CreateTeleconsultationDocument,
      { input: input() },
      { caller: 'h-doc', groups: 'Doctor,DOCTOR' },
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
  });

  it('refuses a request whose groups header is over the cap with BAD_USER_INPUT, touching nothing', async () => {
    const groups = ['doctor', ...Array.from({ length: 200 }, (_, i) => `group-${i}`)].join(',');
    const count = await gateway.app.storage.teleconsultations.count();
    gateway.sandbox.clearRequests();
    const response = await gateway.request(
      CreateTeleconsultationDocument,
      { input: input() },
      { caller: 'h-doc', groups },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'CALLER_GROUPS_OVER_LIMIT',
    });
    expect(gateway.sandbox.requests()).toEqual([]);
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
  });
});

describe('one lookup of the caller per request', () => {
  it('decides two mutations of one request on one auth-service answer about the caller', async () => {
    const stub = await startAuthServiceStub({
      'sched-9': { name: 'Scheduler', groups: ['scheduler'] },
      'doc-1': { name: 'Doctor', groups: ['doctor'] },
      'pat-1': { name: 'Patient', groups: ['customer'] },
    });
    const gateway = await startTestGateway({
      // No cache: only the per-request memory of the decision can save the second lookup.
      env: { AUTH_SERVICE: stub.url, AUTH_SERVICE_CACHE_TTL_MS: '0' },
      serviceConfigFile: { ...SERVICE_CONFIG, authorization: { createTeleconsultation: 'groups.scheduler' } },
    });
    try {
      const create = (alias: string) => `${alias}: createTeleconsultation(input: $input) { id }`;
      const document = parse(
        `mutation Two($input: CreateTeleconsultationInput!) { ${create('first')} ${create('second')} }`,
      ) as TypedDocumentNode<Record<string, { id: string }>, { input: unknown }>;
      const input = {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [{ userId: 'doc-1' }, { userId: 'pat-1' }],
      };
      const data = await gateway.ok(document, { input }, { caller: 'sched-9' });
      expect(Object.keys(data)).toEqual(['first', 'second']);
      expect(stub.callsFor('sched-9')).toBe(1);
    } finally {
      await gateway.close();
      await stub.close();
    }
  });
});
