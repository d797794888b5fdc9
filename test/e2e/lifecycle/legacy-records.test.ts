/**
 * Records the original service wrote are our migration path. They come in its exact shape (the
 * seed's CRUD section): participants with only their Kaleyra id, a link and, without an auth
 * service, groups and full name; no role; `endDate` and no duration. They go through the MongoDB
 * document mapping (with the user-id map the original filled), into the in-memory store, and
 * then through the gateway over HTTP, with UNLIMITED_TELECONSULTATION=false so the room's
 * duration is on the wire.
 */
import { ObjectId } from 'mongodb';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import type { TeleconsultationRecord } from '../../../src/domain/teleconsultation-record.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import {
  type ParticipantDocument,
  type TeleconsultationDocument,
  toTeleconsultationRecord,
} from '../../../src/storage/mongo/documents.js';
import type { UserIdMapping } from '../../../src/storage/ports.js';
import {
  AddParticipantsDocument,
  DeleteTeleconsultationDocument,
  TeleconsultationDocument as ReadTeleconsultation,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import {
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  T0,
  TEST_API_KEY,
  type TestGateway,
} from '../../support/gateway.js';

const START = new Date(inMinutes(120));
const END = new Date(START.getTime() + 30 * 60_000);

/** The original's user-id map: platform id → the Kaleyra id it created. */
const USER_ID_MAP: UserIdMapping[] = [
  { userId: 'doctor-7', videoUserId: 'legacy_doc' },
  { userId: 'patient-7', videoUserId: 'legacy_pat' },
];

interface WireRoomBody {
  participants: Array<{ user_id: string; is_admin: boolean }>;
  duration?: number;
}

async function kaleyra(sandbox: KaleyraSandbox, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { apikey: TEST_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`sandbox ${path}: ${response.status}`);
  return response.json();
}

/** The Kaleyra users (and, for a complete record, the room) the original service created. */
async function legacyKaleyraState(sandbox: KaleyraSandbox, withRoom: boolean) {
  await kaleyra(sandbox, '/v2/users', { id: 'legacy_doc', role: 'plus' });
  await kaleyra(sandbox, '/v2/users', { id: 'legacy_pat', role: 'basic' });
  if (!withRoom) return null;
  const room = (await kaleyra(sandbox, '/v2/rooms', {
    participants: [
      { user_id: 'legacy_doc', is_admin: true },
      { user_id: 'legacy_pat', is_admin: false },
    ],
    duration: 1800,
    live: true,
  })) as { room_id: string; participants: Array<{ user_id: string; url: string }> };
  const links = new Map(room.participants.map((p) => [p.user_id, p.url]));
  return { roomId: room.room_id, links };
}

/** A document exactly as the original service stored it (a Mia-Platform CRUD document). */
function originalDocument(options: {
  participantsNumber: number;
  room: { roomId: string; links: Map<string, string> } | null;
  doctorGroups?: string[] | null;
  withProfiles?: boolean;
}): TeleconsultationDocument {
  const profile = (groups: string[], fullName: string) =>
    options.withProfiles === false ? {} : { groups, fullName };
  const participants: ParticipantDocument[] = [
    {
      userBandyerId: 'legacy_doc',
      accessLinkURL: options.room?.links.get('legacy_doc') ?? null,
      ...profile(options.doctorGroups ?? ['doctor'], 'Dr Legacy'),
    } as ParticipantDocument,
    {
      userBandyerId: 'legacy_pat',
      accessLinkURL: options.room?.links.get('legacy_pat') ?? null,
      ...profile(['customer'], 'Pat Legacy'),
      language: 'it',
    } as ParticipantDocument,
  ];
  const document: Record<string, unknown> = {
    _id: new ObjectId(),
    participantsNumber: options.participantsNumber,
    participants,
    teleconsultationState: 'available',
    startDate: START,
    endDate: END,
    __STATE__: 'PUBLIC',
    creatorId: 'backoffice-user',
    updaterId: 'backoffice-user',
    createdAt: new Date(T0.getTime() - 86_400_000),
    updatedAt: new Date(T0.getTime() - 86_400_000),
  };
  if (options.room) document.bandyerRoomId = options.room.roomId;
  return document as unknown as TeleconsultationDocument;
}

/** Through the MongoDB adapter's mapping, resolving participants as it does from the user-id map. */
function throughMongoMapping(document: TeleconsultationDocument): TeleconsultationRecord {
  return toTeleconsultationRecord(document, new Map(USER_ID_MAP.map((m) => [m.videoUserId, m.userId])));
}

function roomCreations(gateway: TestGateway): WireRoomBody[] {
  return gateway.sandbox
    .requests()
    .filter((r) => r.method === 'POST' && r.path === '/v2/rooms')
    .map((r) => r.body as WireRoomBody);
}

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

describe('records of the original service (UNLIMITED_TELECONSULTATION=false)', () => {
  let sandbox: KaleyraSandbox;
  let gateway: TestGateway | undefined;
  let stub: AuthServiceStub | undefined;

  beforeEach(async () => {
    sandbox = await startKaleyraSandbox({ apiKey: TEST_API_KEY });
  });
  afterEach(async () => {
    await gateway?.close();
    await stub?.close();
    await sandbox.close();
    gateway = undefined;
    stub = undefined;
  });

  async function gatewayOver(record: TeleconsultationRecord, env: Record<string, string> = {}) {
    const storage = createMemoryStorage({ teleconsultations: [record], userIdMap: USER_ID_MAP });
    gateway = await startTestGateway({
      sandbox,
      env: { UNLIMITED_TELECONSULTATION: 'false', ...env },
      overrides: { storage },
    });
    sandbox.clearRequests();
    return gateway;
  }

  it('completes a waiting record: the room lasts as its dates say and its doctor is the admin', async () => {
    await legacyKaleyraState(sandbox, false);
    const record = throughMongoMapping(originalDocument({ participantsNumber: 3, room: null }));
    const gw = await gatewayOver(record);

    const { addParticipants } = await gw.ok(AddParticipantsDocument, {
      id: record.id,
      participants: [patient('patient-8')],
    });

    expect(addParticipants.status).toBe('SCHEDULED');
    expect(addParticipants.durationInSeconds).toBe(1800);
    const [room] = roomCreations(gw);
    expect(room?.duration).toBe(1800);
    expect(room?.participants).toEqual([
      { user_id: 'legacy_doc', is_admin: true, tools: expect.any(Object) },
      { user_id: 'legacy_pat', is_admin: false, tools: expect.any(Object) },
      { user_id: 'tg.patient-8', is_admin: false, tools: expect.any(Object) },
    ]);
    // Rewritten in our shape: platform ids, roles and the duration are stored from now on.
    const stored = await gw.app.storage.teleconsultations.findById(record.id);
    expect(stored?.durationInSeconds).toBe(1800);
    expect(stored?.participants.map((p) => [p.userId, p.role])).toEqual([
      ['doctor-7', 'plus'],
      ['patient-7', 'basic'],
      ['patient-8', 'basic'],
    ]);
  });

  it('moves the start of a complete record, keeping its room and the links already handed out', async () => {
    const room = await legacyKaleyraState(sandbox, true);
    const record = throughMongoMapping(originalDocument({ participantsNumber: 2, room }));
    const gw = await gatewayOver(record);

    const { updateTeleconsultation } = await gw.ok(UpdateTeleconsultationDocument, {
      id: record.id,
      input: { startDate: inMinutes(180) },
    });

    expect(updateTeleconsultation.roomId).toBe(room?.roomId);
    expect(updateTeleconsultation.endDate).toBe(inMinutes(210));
    expect(roomCreations(gw)).toHaveLength(0);
    expect(gw.sandbox.requests().filter((r) => r.method === 'DELETE')).toHaveLength(0);
    const stored = await gw.app.storage.teleconsultations.findById(record.id);
    expect(stored?.participants.map((p) => p.accessLinkURL)).toEqual([
      room?.links.get('legacy_doc'),
      room?.links.get('legacy_pat'),
    ]);
  });

  it('replaces the participant list: the new room lasts as the dates say, the old one is deleted', async () => {
    const room = await legacyKaleyraState(sandbox, true);
    const record = throughMongoMapping(originalDocument({ participantsNumber: 2, room }));
    const gw = await gatewayOver(record);

    const { updateTeleconsultation } = await gw.ok(UpdateTeleconsultationDocument, {
      id: record.id,
      input: {
        participants: [
          { userId: 'doctor-7', fullName: 'Dr Legacy', groups: ['doctor'] },
          patient('patient-9'),
        ],
      },
    });

    expect(updateTeleconsultation.roomId).not.toBe(room?.roomId);
    expect(roomCreations(gw).map((body) => body.duration)).toEqual([1800]);
    await gw.drainJobs();
    expect(gw.sandbox.rooms().map((r) => r.roomId)).toEqual([updateTeleconsultation.roomId]);
  });

  it('cancels a complete record: its room is deleted and the record kept as CANCELLED', async () => {
    const room = await legacyKaleyraState(sandbox, true);
    const record = throughMongoMapping(originalDocument({ participantsNumber: 2, room }));
    const gw = await gatewayOver(record);

    const { deleteTeleconsultation } = await gw.ok(DeleteTeleconsultationDocument, { id: record.id });

    expect(deleteTeleconsultation.status).toBe('CANCELLED');
    await gw.drainJobs();
    expect(gw.sandbox.rooms()).toHaveLength(0);
    expect((await gw.app.storage.teleconsultations.findById(record.id))?.state).toBe('trashed');
  });

  it('shows each participant with the role the current privileges give', async () => {
    const room = await legacyKaleyraState(sandbox, true);
    const record = throughMongoMapping(originalDocument({ participantsNumber: 2, room }));
    const gw = await gatewayOver(record);

    const { teleconsultation } = await gw.ok(
      ReadTeleconsultation,
      { id: record.id },
      { caller: 'patient-7' },
    );

    expect(teleconsultation?.participants.map((p) => [p.userId, p.role])).toEqual([
      ['doctor-7', 'PLUS'],
      ['patient-7', 'BASIC'],
    ]);
    expect(teleconsultation?.durationInSeconds).toBe(1800);
  });

  it('records a link handed out as LINK_ISSUED without storing the roles it showed', async () => {
    const room = await legacyKaleyraState(sandbox, true);
    const record = throughMongoMapping(originalDocument({ participantsNumber: 2, room }));
    const gw = await gatewayOver(record);
    gw.clock.set(new Date(START.getTime() + 60_000));

    const { teleconsultation } = await gw.ok(
      ReadTeleconsultation,
      { id: record.id },
      { caller: 'patient-7' },
    );
    expect(teleconsultation?.accessLinkURL).toBe(`${room?.links.get('legacy_pat')}?language=it`);
    await gw.drainJobs();

    const stored = await gw.app.storage.teleconsultations.findById(record.id);
    expect(stored?.participants.find((p) => p.userId === 'patient-7')?.linkIssuedAt).toEqual(
      new Date(START.getTime() + 60_000),
    );
    // A fact changes none of the visit's data: the roles stay the privileges' to give.
    expect(stored?.participants.map((p) => [p.userId, p.role])).toEqual([
      ['doctor-7', null],
      ['patient-7', null],
    ]);
    const events = await gw.app.storage.events.list(record.id, 0, 100);
    expect(
      events.filter((event) => event.type === 'LINK_ISSUED').map((event) => event.participantIds),
    ).toEqual([['patient-7']]);
  });

  it('refuses to complete a record whose doctor left every privilege group instead of making a room without one', async () => {
    await legacyKaleyraState(sandbox, false);
    const record = throughMongoMapping(
      originalDocument({ participantsNumber: 3, room: null, doctorGroups: ['retired-physician'] }),
    );
    const gw = await gatewayOver(record);

    const response = await gw.request(AddParticipantsDocument, {
      id: record.id,
      participants: [patient('patient-8')],
    });

    expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_PLUS_PARTICIPANT' });
    expect(roomCreations(gw)).toHaveLength(0);
    expect((await gw.app.storage.teleconsultations.findById(record.id))?.version).toBe(0);
  });

  it('with an auth service, takes the roles of stored participants from it', async () => {
    stub = await startAuthServiceStub({
      'doctor-7': { name: 'Dr Legacy', groups: ['doctor'] },
      'patient-7': { name: 'Pat Legacy', groups: ['customer'] },
      'patient-8': { name: 'New Patient', groups: ['customer'] },
    });
    await legacyKaleyraState(sandbox, false);
    const record = throughMongoMapping(
      originalDocument({ participantsNumber: 3, room: null, withProfiles: false }),
    );
    const gw = await gatewayOver(record, { AUTH_SERVICE: stub.url });

    await gw.ok(AddParticipantsDocument, { id: record.id, participants: [{ userId: 'patient-8' }] });

    const [room] = roomCreations(gw);
    expect(room?.participants.find((p) => p.user_id === 'legacy_doc')?.is_admin).toBe(true);
    expect(stub.callsFor('doctor-7')).toBe(1);
  });
});
