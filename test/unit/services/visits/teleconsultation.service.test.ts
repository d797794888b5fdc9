import pino from 'pino';
import { ANONYMOUS } from '../../../../src/domain/authorization/caller.js';
import { defaultPolicies } from '../../../../src/domain/authorization/operations.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import { ConflictError, UpstreamUnavailableError } from '../../../../src/domain/errors.js';
import { NO_JOIN_WINDOWS } from '../../../../src/domain/join-window.js';
import type { Tools } from '../../../../src/domain/privileges.js';
import type { ServiceConfig, TeleconsultationRules } from '../../../../src/domain/settings.js';
import { DEFAULT_SCHEDULE_LIMITS } from '../../../../src/domain/teleconsultation.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';
import type { TeleconsultationService } from '../../../../src/services/visits/teleconsultation.service.js';
import { createMemoryStorage } from '../../../../src/storage/memory/memory-storage.js';
import type { Storage, TeleconsultationStore } from '../../../../src/storage/ports.js';
import {
  type CreatedRoom,
  type CreateRoomInput,
  KaleyraNotFoundError,
  type KaleyraVideo,
} from '../../../../src/video/kaleyra/api.js';
import { jobRunnerOf, teleconsultationServiceFor } from '../../../support/services.js';

const T0 = new Date('2030-03-04T09:00:00.000Z');
const inMinutes = (m: number) => new Date(T0.getTime() + m * 60_000);
const tools: Tools = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};
const service: ServiceConfig = {
  privileges: { basic: { groups: ['customer'], tools }, plus: { groups: ['doctor'], tools } },
  groupsWithBackgroundList: [],
  userIdPathInRequest: [
    { from: 'object', extract: 'headers' },
    { from: 'object', extract: 'miauserid' },
  ],
  authorization: defaultPolicies(),
  join: NO_JOIN_WINDOWS,
  calendar: { summary: 'Teleconsultation' },
  webhooks: [],
};
const rules: TeleconsultationRules = {
  unlimited: false,
  live: true,
  immutablePeriodMs: 0,
  deleteUploads: false,
  ...DEFAULT_SCHEDULE_LIMITS,
  defaultRecording: 'none',
};
/** The back office, which the default policies let schedule, change and cancel any visit. */
const scope: RequestScope = {
  caller: { ...ANONYMOUS, isBackoffice: true },
  headers: {},
  logger: pino({ level: 'silent' }),
};

const doctor = { userId: 'doc', fullName: 'Dr Doc', groups: ['doctor'] };
const patient = { userId: 'pat', fullName: 'Pat', groups: ['customer'] };

async function notUsed(): Promise<never> {
  throw new Error('not used');
}

/** An in-memory Kaleyra that remembers live rooms; `omitLinkFor` makes it forget one link. */
function fakeKaleyra(options: { omitLinkFor?: string } = {}) {
  const rooms = new Map<string, CreateRoomInput>();
  const log: string[] = [];
  let next = 0;
  const kaleyra: KaleyraVideo = {
    async createUser() {},
    async createRoom(input: CreateRoomInput): Promise<CreatedRoom> {
      const roomId = `room_${++next}`;
      rooms.set(roomId, input);
      log.push(`create ${roomId}`);
      const links = new Map(
        input.participants
          .filter((p) => p.kaleyraUserId !== options.omitLinkFor)
          .map((p) => [p.kaleyraUserId, `https://k.local/${roomId}/${p.kaleyraUserId}`]),
      );
      return { roomId, links };
    },
    async getRoom(roomId: string) {
      if (!rooms.has(roomId)) throw new KaleyraNotFoundError('gone', 'getRoom');
      return { roomId };
    },
    async deleteRoom(roomId: string) {
      log.push(`delete ${roomId}`);
      if (!rooms.delete(roomId)) throw new KaleyraNotFoundError('gone', 'deleteRoom');
    },
    async deleteRoomUploads() {
      return { total: 0, deleted: 0 };
    },
    async createCredentials() {
      throw new Error('not used');
    },
    updateUserRole: notUsed,
    listRooms: notUsed,
    getCompany: notUsed,
    updateCompany: notUsed,
    uploadVirtualBackground: notUsed,
    listVirtualBackgrounds: notUsed,
    deleteVirtualBackground: notUsed,
    listSessions: notUsed,
    openTranscription: notUsed,
  };
  return { kaleyra, rooms, log };
}

/** Jobs that wait for a write to be known run this long after it (2 × the request timeout, at least the cleanup interval). */
const SETTLE_MS = 60_000;

function serviceWith(
  storage: Storage,
  kaleyra: KaleyraVideo,
  store: TeleconsultationStore = storage.teleconsultations,
  clock: ManualClock = new ManualClock(T0),
) {
  return teleconsultationServiceFor({
    store,
    userIdMap: storage.userIdMap,
    jobs: storage.jobs,
    kaleyra,
    clock,
    rules,
    service,
  });
}

/** Runs every due clean-up job (any service's runner can run any job: they are replicas). */
const runJobs = (teleconsultations: TeleconsultationService) => jobRunnerOf(teleconsultations).runDue();

describe('TeleconsultationService side-effect ordering (with fakes)', () => {
  it('deletes the room it created when the record cannot be stored, once the write cannot have landed', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(T0);
    const { kaleyra, rooms, log } = fakeKaleyra();
    const failing: TeleconsultationStore = {
      ...storage.teleconsultations,
      insert: async () => {
        throw new Error('disk full');
      },
    };
    const teleconsultations = serviceWith(storage, kaleyra, failing, clock);
    await expect(
      teleconsultations.create(scope, {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor, patient],
      }),
    ).rejects.toThrow('disk full');
    // A store error may still have written: the deletion waits until that would show.
    await runJobs(teleconsultations);
    expect(log).toEqual(['create room_1']);
    clock.advance(SETTLE_MS);
    await runJobs(teleconsultations);
    expect(log).toEqual(['create room_1', 'delete room_1']);
    expect(rooms.size).toBe(0);
  });

  it('discards a room Kaleyra created without a link for every participant', async () => {
    const storage = createMemoryStorage();
    const { kaleyra, rooms } = fakeKaleyra({ omitLinkFor: 'tg.pat' });
    const teleconsultations = serviceWith(storage, kaleyra);
    const error = await teleconsultations
      .create(scope, { startDate: inMinutes(60), durationInSeconds: 1800, participants: [doctor, patient] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).reason).toBe('KALEYRA_INCOMPLETE_ROOM');
    await runJobs(teleconsultations);
    expect(rooms.size).toBe(0);
    expect(await storage.teleconsultations.count()).toBe(0);
  });

  it('creates the replacement room and stores it before deleting the old room', async () => {
    const storage = createMemoryStorage();
    const { kaleyra, rooms, log } = fakeKaleyra();
    const teleconsultations = serviceWith(storage, kaleyra);
    const created = await teleconsultations.create(scope, {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor, patient],
    });
    const watched: TeleconsultationStore = {
      ...storage.teleconsultations,
      update: async (id, version, data, now) => {
        log.push(`store ${data.roomId}`);
        return storage.teleconsultations.update(id, version, data, now);
      },
    };
    const updater = serviceWith(storage, kaleyra, watched);
    const updated = await updater.update(scope, { id: created.record.id, durationInSeconds: 2400 });
    await runJobs(updater);
    expect(updated.record.roomId).toBe('room_2');
    expect(log).toEqual(['create room_1', 'create room_2', 'store room_2', 'delete room_1']);
    expect([...rooms.keys()]).toEqual(['room_2']);
  });

  it('keeps the previous room and record when storing the replacement fails, and deletes the new room', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(T0);
    const { kaleyra, rooms } = fakeKaleyra();
    const created = await serviceWith(storage, kaleyra, storage.teleconsultations, clock).create(scope, {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor, patient],
    });
    const failing: TeleconsultationStore = {
      ...storage.teleconsultations,
      update: async () => {
        throw new Error('write failed');
      },
    };
    const updater = serviceWith(storage, kaleyra, failing, clock);
    await expect(updater.update(scope, { id: created.record.id, durationInSeconds: 2400 })).rejects.toThrow(
      'write failed',
    );
    clock.advance(SETTLE_MS);
    await runJobs(updater);
    // The old room's deletion found it still in use; the new one's found it unused.
    expect([...rooms.keys()]).toEqual(['room_1']);
    const stored = await storage.teleconsultations.findById(created.record.id);
    expect(stored?.roomId).toBe('room_1');
    expect(stored?.durationInSeconds).toBe(1800);
  });

  it('gives CONFLICT after losing every retry, deleting each room it created on the way', async () => {
    const storage = createMemoryStorage();
    const { kaleyra, rooms, log } = fakeKaleyra();
    const created = await serviceWith(storage, kaleyra).create(scope, {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor, patient],
    });
    // Every conditional update loses: some other writer always got there first.
    const alwaysMoved: TeleconsultationStore = { ...storage.teleconsultations, update: async () => null };
    const updater = serviceWith(storage, kaleyra, alwaysMoved);
    const error = await updater
      .update(scope, { id: created.record.id, durationInSeconds: 2400 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('CONFLICT');
    await runJobs(updater);
    const createdRooms = log.filter((line) => line.startsWith('create')).length;
    expect(createdRooms).toBe(1 + 4);
    expect([...rooms.keys()]).toEqual(['room_1']);
    // No job is left behind: the retirements of room_1 were dropped, the discards done.
    expect((await storage.jobs.counts()).pending).toBe(0);
  });

  it('cancels at once, and the room deletion counts Kaleyra no longer knowing the room as done', async () => {
    const storage = createMemoryStorage();
    const { kaleyra, rooms } = fakeKaleyra();
    const teleconsultations = serviceWith(storage, kaleyra);
    const created = await teleconsultations.create(scope, {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor, patient],
    });
    rooms.clear();
    const cancelled = await teleconsultations.cancel(scope, { id: created.record.id });
    expect(cancelled.status).toBe('CANCELLED');
    await runJobs(teleconsultations);
    const deletion = (await storage.jobs.list({ first: 10, kinds: ['room-deletion'] })).jobs[0];
    expect(deletion).toMatchObject({ state: 'done', lastOutcome: 'already gone', attempt: 1 });
  });
});
