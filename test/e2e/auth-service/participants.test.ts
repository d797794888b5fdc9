import {
  CreateTeleconsultationDocument,
  type CreateTeleconsultationInput,
  CreateTeleconsultationWithoutNamesDocument,
  TeleconsultationDocument,
} from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';

const USERS = {
  'doc-1': { user_id: 'doc-1', name: 'Grace Hopper', groups: ['doctor'], email: 'grace@example.org' },
  'pat-1': { user_id: 'pat-1', name: 'Ada Lovelace', groups: ['customer'] },
};

function createInput(participants: CreateTeleconsultationInput['participants']): CreateTeleconsultationInput {
  return { startDate: inMinutes(60), durationInSeconds: 1800, participants };
}

describe('auth-service mode: participants by user id', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;

  beforeEach(async () => {
    stub = await startAuthServiceStub(USERS);
    gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url } });
  });
  afterEach(async () => {
    await gateway?.close();
    await stub?.close();
  });

  it('creates a teleconsultation from user ids alone, roles from the groups the auth service gives', async () => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: createInput([{ userId: 'doc-1' }, { userId: 'pat-1' }]),
    });
    expect(createTeleconsultation.roomId).toEqual(expect.any(String));
    expect(createTeleconsultation.participants).toEqual([
      expect.objectContaining({
        userId: 'doc-1',
        fullName: 'Grace Hopper',
        groups: ['doctor'],
        role: 'PLUS',
      }),
      expect.objectContaining({
        userId: 'pat-1',
        fullName: 'Ada Lovelace',
        groups: ['customer'],
        role: 'BASIC',
      }),
    ]);
    expect(gateway.sandbox.users()).toEqual(
      expect.arrayContaining([
        { id: 'tg.doc-1', role: 'plus' },
        { id: 'tg.pat-1', role: 'basic' },
      ]),
    );
  });

  it('ignores fullName and groups given in the input', async () => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: createInput([
        { userId: 'doc-1', fullName: 'Somebody Else', groups: ['customer'] },
        { userId: 'pat-1', fullName: 'Dr. Impostor', groups: ['doctor'] },
      ]),
    });
    expect(
      createTeleconsultation.participants.map(({ userId, fullName, groups, role }) => ({
        userId,
        fullName,
        groups,
        role,
      })),
    ).toEqual([
      { userId: 'doc-1', fullName: 'Grace Hopper', groups: ['doctor'], role: 'PLUS' },
      { userId: 'pat-1', fullName: 'Ada Lovelace', groups: ['customer'], role: 'BASIC' },
    ]);
  });

  it('stores only the groups: a later read shows the name the auth service gives then', async () => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: createInput([{ userId: 'doc-1' }, { userId: 'pat-1' }]),
    });
    const stored = await gateway.app.storage.teleconsultations.findById(createTeleconsultation.id);
    expect(stored?.participants.map((p) => p.fullName)).toEqual([undefined, undefined]);

    stub.setUser('pat-1', { ...USERS['pat-1'], name: 'Ada King' });
    gateway.clock.advance(60_000); // past the cache
    const { teleconsultation } = await gateway.ok(
      TeleconsultationDocument,
      { id: createTeleconsultation.id },
      { caller: 'doc-1' },
    );
    expect(teleconsultation?.participants.map((p) => p.fullName)).toEqual(['Grace Hopper', 'Ada King']);
  });

  it('asks the auth service for names only when fullName is selected', async () => {
    await gateway.ok(CreateTeleconsultationWithoutNamesDocument, {
      input: createInput([{ userId: 'doc-1' }, { userId: 'pat-1' }]),
    });
    // One lookup each for the groups; none for names nobody asked for.
    expect(stub.requests().map((r) => r.path)).toEqual(['/users/doc-1', '/users/pat-1']);
  });

  it('accepts the documented fallbacks: fullName/full_name for the name, app_metadata.groups for groups', async () => {
    stub.setUser('doc-2', { fullName: 'Rosalind Franklin', app_metadata: { groups: ['doctor'] } });
    stub.setUser('pat-2', { full_name: 'Marie Curie', groups: ['customer'] });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: createInput([{ userId: 'doc-2' }, { userId: 'pat-2' }]),
    });
    expect(createTeleconsultation.participants.map((p) => [p.fullName, p.role])).toEqual([
      ['Rosalind Franklin', 'PLUS'],
      ['Marie Curie', 'BASIC'],
    ]);
  });

  it('refuses a user the auth service does not know, naming the id, and stores nothing', async () => {
    const response = await gateway.request(CreateTeleconsultationDocument, {
      input: createInput([{ userId: 'doc-1' }, { userId: 'ghost-9' }]),
    });
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toContain('ghost-9');
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_USER',
      field: ['input', 'participants', 1, 'userId'],
    });
    expect(await gateway.app.storage.teleconsultations.count()).toBe(0);
    expect(gateway.sandbox.users()).toEqual([]);
    expect(gateway.sandbox.rooms()).toEqual([]);
  });

  it('percent-encodes the user id in the auth service path', async () => {
    stub.setUser('dr/who?x=1', { name: 'The Doctor', groups: ['doctor'] });
    await gateway.ok(CreateTeleconsultationWithoutNamesDocument, {
      input: createInput([{ userId: 'dr/who?x=1' }, { userId: 'pat-1' }]),
    });
    expect(stub.requests().map((r) => r.path)).toContain('/users/dr%2Fwho%3Fx%3D1');
  });
});
