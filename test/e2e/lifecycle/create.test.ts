import {
  CreateTeleconsultationDocument,
  type CreateTeleconsultationInput,
  TeleconsultationDocument,
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

const chatOnly = {
  chat: true,
  screen_sharing: false,
  file_upload: false,
  whiteboard: false,
  snapshot: false,
  live_edit: false,
  live_pointer: false,
  present_to_everyone: false,
};
const allOn = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};

function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

describe('createTeleconsultation', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      serviceConfigFile: {
        environment: 'sandbox',
        privileges: {
          basic: { groups: ['customer', 'caregiver'], tools: chatOnly },
          plus: { groups: ['doctor'] },
        },
      },
    });
  });
  afterAll(async () => gateway?.close());
  afterEach(() => {
    gateway.sandbox.clearFaults();
    gateway.sandbox.clearRequests();
  });

  const roomCreations = () =>
    gateway.sandbox.requests().filter((r) => r.method === 'POST' && r.path === '/v2/rooms').length;

  it('with an end date: stores the schedule, derives the duration and creates the room at once', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        endDate: inMinutes(90),
        participants: [doctor('c-doc-1'), patient('c-pat-1')],
      },
    });
    expect(created).toMatchObject({
      status: 'SCHEDULED',
      startDate: inMinutes(60),
      endDate: inMinutes(90),
      durationInSeconds: 1800,
      lockedFrom: inMinutes(60),
      locked: false,
      participantsNumber: 2,
      accessLinkURL: null,
    });
    expect(created.roomId).toEqual(expect.any(String));
    expect(gateway.sandbox.rooms().map((r) => r.roomId)).toContain(created.roomId);
    expect(roomCreations()).toBe(1);
  });

  it('with a duration: derives the end date', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 300,
        participants: [doctor('c-doc-2'), patient('c-pat-2')],
      },
    });
    expect(created.endDate).toBe(inMinutes(65));
    expect(created.durationInSeconds).toBe(300);
  });

  it('participantsNumber defaults to the number of participants given', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 600,
        participants: [doctor('c-doc-3'), patient('c-pat-3a'), patient('c-pat-3b')],
      },
    });
    expect(created.participantsNumber).toBe(3);
    expect(created.status).toBe('SCHEDULED');
  });

  it('with fewer participants than expected: stores them, creates no room yet', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 600,
        participantsNumber: 3,
        participants: [doctor('c-doc-4')],
      },
    });
    expect(created).toMatchObject({
      status: 'WAITING_FOR_PARTICIPANTS',
      roomId: null,
      participantsNumber: 3,
    });
    expect(created.participants.map((p) => p.userId)).toEqual(['c-doc-4']);
    expect(roomCreations()).toBe(0);
  });

  it('gives PLUS to a participant in any plus group and BASIC to one only in basic groups, with their tools', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 600,
        participants: [
          doctor('c-doc-5', { groups: ['customer', 'doctor'] }),
          patient('c-pat-5', { groups: ['unrelated', 'caregiver'] }),
        ],
      },
    });
    const [plus, basic] = created.participants;
    expect(plus).toMatchObject({ userId: 'c-doc-5', role: 'PLUS', tools: allOn });
    expect(basic).toMatchObject({
      userId: 'c-pat-5',
      role: 'BASIC',
      groups: ['unrelated', 'caregiver'],
      fullName: 'Patient c-pat-5',
      tools: {
        chat: true,
        screenSharing: false,
        fileUpload: false,
        whiteboard: false,
        snapshot: false,
        liveEdit: false,
        livePointer: false,
        presentToEveryone: false,
      },
    });
    // Kaleyra got the same tools and the admin flag for the plus user only.
    const room = gateway.sandbox.rooms().find((r) => r.roomId === created.roomId);
    expect(room?.participants).toEqual([
      expect.objectContaining({ userId: plus?.kaleyraUserId, isAdmin: true }),
      expect.objectContaining({ userId: basic?.kaleyraUserId, isAdmin: false, tools: chatOnly }),
    ]);
  });

  it('creates a first-time user on Kaleyra with their role, and reuses the mapping afterwards', async () => {
    const input = (n: number): CreateTeleconsultationInput => ({
      startDate: inMinutes(60 + n),
      durationInSeconds: 600,
      participants: [doctor('c-doc-6'), patient('c-pat-6')],
    });
    const first = await gateway.ok(CreateTeleconsultationDocument, { input: input(0) });
    const ids = first.createTeleconsultation.participants.map((p) => p.kaleyraUserId);
    expect(gateway.sandbox.users().filter((u) => ids.includes(u.id))).toEqual([
      { id: ids[0], role: 'plus' },
      { id: ids[1], role: 'basic' },
    ]);
    gateway.sandbox.clearRequests();
    const second = await gateway.ok(CreateTeleconsultationDocument, { input: input(1) });
    expect(second.createTeleconsultation.participants.map((p) => p.kaleyraUserId)).toEqual(ids);
    expect(gateway.sandbox.requests().filter((r) => r.path === '/v2/users')).toHaveLength(0);
    expect(Object.fromEntries(await gateway.app.storage.userIdMap.findMany(['c-doc-6', 'c-pat-6']))).toEqual({
      'c-doc-6': ids[0],
      'c-pat-6': ids[1],
    });
  });

  it('stores each participant language, normalised', async () => {
    const { createTeleconsultation: created } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 600,
        participants: [doctor('c-doc-7', { language: 'it-IT' }), patient('c-pat-7')],
      },
    });
    expect(created.participants.map((p) => p.language)).toEqual(['it', null]);
  });

  describe('refuses invalid input with BAD_USER_INPUT and stores nothing', () => {
    const base = {
      startDate: inMinutes(60),
      participants: [doctor('bad-doc'), patient('bad-pat')],
    };
    const cases: Array<[string, CreateTeleconsultationInput, string, Array<string | number>]> = [
      [
        'both endDate and durationInSeconds',
        { ...base, endDate: inMinutes(90), durationInSeconds: 1800 },
        'END_AND_DURATION',
        ['input', 'endDate'],
      ],
      [
        'neither endDate nor durationInSeconds',
        { ...base },
        'MISSING_END_OR_DURATION',
        ['input', 'durationInSeconds'],
      ],
      [
        'a duration under five minutes',
        { ...base, durationInSeconds: 299 },
        'DURATION_TOO_SHORT',
        ['input', 'durationInSeconds'],
      ],
      [
        'an end less than five minutes after the start',
        { ...base, endDate: new Date(Date.parse(inMinutes(65)) - 1000).toISOString() },
        'DURATION_TOO_SHORT',
        ['input', 'endDate'],
      ],
      [
        'an end equal to the start',
        { ...base, endDate: inMinutes(60) },
        'END_BEFORE_START',
        ['input', 'endDate'],
      ],
      [
        'an end before the start',
        { ...base, endDate: inMinutes(30) },
        'END_BEFORE_START',
        ['input', 'endDate'],
      ],
      [
        'a visit already over',
        { ...base, startDate: inMinutes(-60), durationInSeconds: 600 },
        'ENDS_IN_THE_PAST',
        ['input', 'startDate'],
      ],
      [
        'more participants than expected',
        {
          ...base,
          durationInSeconds: 600,
          participantsNumber: 2,
          participants: [...base.participants, patient('x')],
        },
        'TOO_MANY_PARTICIPANTS',
        ['input', 'participants'],
      ],
      [
        'a participant without fullName (no AUTH_SERVICE)',
        {
          ...base,
          durationInSeconds: 600,
          participants: [doctor('bad-doc'), { userId: 'p', groups: ['customer'] }],
        },
        'MISSING_FULL_NAME',
        ['input', 'participants', 1, 'fullName'],
      ],
      [
        'a participant without groups (no AUTH_SERVICE)',
        {
          ...base,
          durationInSeconds: 600,
          participants: [doctor('bad-doc'), { userId: 'p', fullName: 'P' }],
        },
        'MISSING_GROUPS',
        ['input', 'participants', 1, 'groups'],
      ],
      [
        'a participant with an empty group list',
        { ...base, durationInSeconds: 600, participants: [doctor('bad-doc'), patient('p', { groups: [] })] },
        'MISSING_GROUPS',
        ['input', 'participants', 1, 'groups'],
      ],
      [
        'a participant in no privilege group',
        {
          ...base,
          durationInSeconds: 600,
          participants: [doctor('bad-doc'), patient('p', { groups: ['guest'] })],
        },
        'NO_PRIVILEGE_GROUP',
        ['input', 'participants', 1, 'groups'],
      ],
      [
        'a complete list without a plus participant',
        { ...base, durationInSeconds: 600, participants: [patient('bad-pat'), patient('bad-pat-2')] },
        'NO_PLUS_PARTICIPANT',
        // Services name fields in their own terms; the resolver puts them under `input`.
        ['input', 'participants'],
      ],
      [
        'the same user twice',
        { ...base, durationInSeconds: 600, participants: [doctor('bad-doc'), doctor('bad-doc')] },
        'DUPLICATE_PARTICIPANT',
        ['input', 'participants', 1, 'userId'],
      ],
      [
        'a single participant',
        { ...base, durationInSeconds: 600, participants: [doctor('bad-doc')] },
        'PARTICIPANTS_NUMBER_OUT_OF_RANGE',
        ['input', 'participantsNumber'],
      ],
      [
        'an unsupported language',
        {
          ...base,
          durationInSeconds: 600,
          participants: [doctor('bad-doc', { language: 'xx' }), patient('bad-pat')],
        },
        'UNSUPPORTED_LANGUAGE',
        ['input', 'participants', 0, 'language'],
      ],
    ];

    it.each(cases)('%s', async (_name, input, reason, field) => {
      const before = await gateway.app.storage.teleconsultations.count();
      const roomsBefore = gateway.sandbox.rooms().length;
      const response = await gateway.request(CreateTeleconsultationDocument, { input });
      expect(errorOf(response)).toEqual({ code: 'BAD_USER_INPUT', reason, field });
      expect(response.data).toBeNull();
      expect(await gateway.app.storage.teleconsultations.count()).toBe(before);
      expect(gateway.sandbox.rooms()).toHaveLength(roomsBefore);
      expect(roomCreations()).toBe(0);
    });

    it('an invalid date is refused by the schema before any side effect', async () => {
      const response = await gateway.request(CreateTeleconsultationDocument, {
        input: { ...base, startDate: 'tomorrow', durationInSeconds: 600 },
      });
      expect(errorOf(response).code).toBe('BAD_USER_INPUT');
      expect(gateway.sandbox.requests()).toHaveLength(0);
    });

    it('a non-positive duration is refused by the schema', async () => {
      const response = await gateway.request(CreateTeleconsultationDocument, {
        input: { ...base, durationInSeconds: 0 },
      });
      expect(errorOf(response).code).toBe('BAD_USER_INPUT');
      expect(gateway.sandbox.requests()).toHaveLength(0);
    });
  });

  it('accepts an incomplete list without a plus participant: the plus check waits for the room', async () => {
    const response = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 600,
        participantsNumber: 2,
        participants: [patient('c-pat-8')],
      },
    });
    expect(response.createTeleconsultation.status).toBe('WAITING_FOR_PARTICIPANTS');
  });

  it('returns the creator their own view: a participant creator of a started visit gets their link', async () => {
    const startedAt = new Date(T0.getTime() - 60_000).toISOString();
    const response = await gateway.ok(
      CreateTeleconsultationDocument,
      {
        input: {
          startDate: startedAt,
          durationInSeconds: 600,
          participants: [doctor('c-doc-9'), patient('c-pat-9')],
        },
      },
      // A doctor scheduling their own visit: in a plus group, so the default policy lets them.
      { caller: 'c-doc-9', groups: 'doctor' },
    );
    const created = response.createTeleconsultation;
    expect(created).toMatchObject({ status: 'LOCKED', locked: true });
    const room = gateway.sandbox.rooms().find((r) => r.roomId === created.roomId);
    const own = room?.participants.find((p) => p.userId === created.participants[0]?.kaleyraUserId);
    expect(created.accessLinkURL).toBe(own?.url);
    const read = await gateway.ok(TeleconsultationDocument, { id: created.id }, { caller: 'c-pat-9' });
    expect(read.teleconsultation?.accessLinkURL).not.toBe(created.accessLinkURL);
  });
});
