import pino from 'pino';
import { ANONYMOUS } from '../../../../src/domain/authorization/caller.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import { ConflictError } from '../../../../src/domain/errors.js';
import type {
  StoredParticipant,
  TeleconsultationData,
} from '../../../../src/domain/teleconsultation-record.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';
import { NO_SHOW_MARKING } from '../../../../src/services/visits/waiting-room.service.js';
import { createMemoryStorage } from '../../../../src/storage/memory/memory-storage.js';
import type { TeleconsultationStore } from '../../../../src/storage/ports.js';
import type { KaleyraVideo } from '../../../../src/video/kaleyra/api.js';
import { servicesFor, testConfig } from '../../../support/services.js';

const T0 = new Date('2030-03-04T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function participant(userId: string, role: 'plus' | 'basic'): StoredParticipant {
  return {
    userId,
    videoUserId: `k-${userId}`,
    role,
    accessLinkURL: `https://kaleyra.test/join/${userId}`,
    groups: [role === 'plus' ? 'doctor' : 'customer'],
  };
}

function visitData(admission: 'AUTOMATIC' | 'HOST_ADMITS' | null): TeleconsultationData {
  return {
    startDate: at(60),
    endDate: at(90),
    durationInSeconds: 1800,
    participantsNumber: 4,
    participants: [
      participant('doc', 'plus'),
      participant('doc2', 'plus'),
      participant('pat', 'basic'),
      participant('pat2', 'basic'),
    ],
    roomId: 'room-1',
    state: 'active',
    recording: 'none',
    calendarSequence: 0,
    ...(admission ? { admission } : {}),
  };
}

const scopeOf = (id: string): RequestScope => ({
  caller: { ...ANONYMOUS, id },
  headers: {},
  logger: pino({ level: 'silent' }),
});

/**
 * The services over a memory store whose next `update` first lets `rival` write: a race lost at
 * the one place it can be lost, deterministically.
 */
function graph() {
  const storage = createMemoryStorage();
  const clock = new ManualClock(at(50));
  let rival: (() => Promise<unknown>) | null = null;
  const store = new Proxy(storage.teleconsultations, {
    get(target, property, receiver) {
      if (property === 'update') {
        return async (...args: Parameters<TeleconsultationStore['update']>) => {
          const first = rival;
          rival = null;
          if (first) await first();
          return target.update(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const config = testConfig();
  const services = servicesFor({
    store,
    userIdMap: storage.userIdMap,
    jobs: storage.jobs,
    events: storage.events,
    kaleyra: {} as KaleyraVideo,
    clock,
    rules: { ...config.visits.rules, immutablePeriodMs: 15 * 60_000 },
    service: config.service,
  });
  return {
    storage,
    clock,
    services,
    raceWith(write: () => Promise<unknown>) {
      rival = write;
    },
    async insert(admission: 'AUTOMATIC' | 'HOST_ADMITS' | null) {
      return storage.teleconsultations.insert(visitData(admission), at(0));
    },
    async events(id: string) {
      const record = await storage.teleconsultations.findById(id);
      return record ? services.events.history(record, 0, 100) : [];
    },
  };
}

describe('the waiting room under concurrency: one decision wins, the other is refused', () => {
  it('two hosts admitting and denying the same patient at once end in one state; the later gets CONFLICT', async () => {
    const g = graph();
    const visit = await g.insert('HOST_ADMITS');
    const room = g.services.waitingRoom;
    await room.checkIn(scopeOf('pat'), { id: visit.id });
    g.raceWith(() => room.deny(scopeOf('doc2'), { id: visit.id, userId: 'pat' }));
    const admitting = room.admit(scopeOf('doc'), { id: visit.id, userId: 'pat' });
    await expect(admitting).rejects.toThrow(ConflictError);
    await expect(admitting).rejects.toMatchObject({ reason: 'ATTENDANCE_CHANGED' });
    const stored = await g.storage.teleconsultations.findById(visit.id);
    expect(stored?.participants.find((p) => p.userId === 'pat')?.attendance?.state).toBe('DENIED');
    const types = (await g.events(visit.id)).map((e) => e.type);
    expect(types).toEqual(['PARTICIPANT_CHECKED_IN', 'PARTICIPANT_DENIED']);
    // The room is never touched.
    expect(stored?.roomId).toBe('room-1');
  });

  it('a race lost to an unrelated write (another patient checking in) is retried, not refused', async () => {
    const g = graph();
    const visit = await g.insert('HOST_ADMITS');
    const room = g.services.waitingRoom;
    await room.checkIn(scopeOf('pat'), { id: visit.id });
    g.raceWith(() => room.checkIn(scopeOf('pat2'), { id: visit.id }));
    const admitted = await room.admit(scopeOf('doc'), { id: visit.id, userId: 'pat' });
    expect(admitted.participants[0]?.attendance?.state).toBe('ADMITTED');
    expect(admitted.view.record.participants.find((p) => p.userId === 'pat2')?.attendance?.state).toBe(
      'WAITING',
    );
  });

  it('two check-ins of the same participant at once: one is stored, the other refused as a repeat', async () => {
    const g = graph();
    const visit = await g.insert('HOST_ADMITS');
    const room = g.services.waitingRoom;
    g.raceWith(() => room.checkIn(scopeOf('pat'), { id: visit.id }));
    await expect(room.checkIn(scopeOf('pat'), { id: visit.id })).rejects.toMatchObject({
      reason: 'ALREADY_CHECKED_IN',
    });
    expect((await g.events(visit.id)).map((e) => e.type)).toEqual(['PARTICIPANT_CHECKED_IN']);
  });
});

describe('no-show marking (the durable job)', () => {
  const job = (teleconsultationId: string) =>
    ({ payload: { teleconsultationId } }) as unknown as Parameters<
      ReturnType<typeof graph>['services']['waitingRoom']['runNoShows']
    >[0];

  it('is scheduled when a HOST_ADMITS visit is stored, at its start plus noShowAfterMs, and not for AUTOMATIC', async () => {
    const g = graph();
    const record = await g.insert('HOST_ADMITS');
    await g.services.waitingRoom.scheduleNoShows(scopeOf('doc'), record);
    const due = at(60 + 15);
    const scheduled = await g.storage.jobs.findByDedupeKey(
      `${NO_SHOW_MARKING}:${record.id}:${due.getTime()}`,
    );
    expect(scheduled?.runAt).toEqual(due);
    const automatic = await g.insert('AUTOMATIC');
    await g.services.waitingRoom.scheduleNoShows(scopeOf('doc'), automatic);
    expect(
      await g.storage.jobs.findByDedupeKey(`${NO_SHOW_MARKING}:${automatic.id}:${due.getTime()}`),
    ).toBeNull();
  });

  it('marks BASIC participants who never checked in, once, however often it runs; nothing before it is due', async () => {
    const g = graph();
    const visit = await g.insert('HOST_ADMITS');
    const room = g.services.waitingRoom;
    await room.checkIn(scopeOf('pat2'), { id: visit.id });
    g.clock.set(at(74));
    expect(await room.runNoShows(job(visit.id))).toEqual({ outcome: 'nobody to mark' });
    g.clock.set(at(75));
    // A rival write during the run: the job reads again and still marks once.
    g.raceWith(() => room.announceDelay(scopeOf('doc'), { id: visit.id, minutes: 5 }));
    expect(await room.runNoShows(job(visit.id))).toEqual({ outcome: 'marked 1' });
    expect(await room.runNoShows(job(visit.id))).toEqual({ outcome: 'nobody to mark' });
    const noShows = (await g.events(visit.id)).filter((e) => e.type === 'PARTICIPANT_NO_SHOW');
    expect(noShows.map((e) => e.participantIds)).toEqual([['pat']]);
    const stored = await g.storage.teleconsultations.findById(visit.id);
    expect(stored?.participants.map((p) => p.attendance?.state ?? 'NOT_ARRIVED')).toEqual([
      'NOT_ARRIVED',
      'NOT_ARRIVED',
      'NO_SHOW',
      'WAITING',
    ]);
  });

  it('marks nobody in an AUTOMATIC visit, where frontends need not check in', async () => {
    const g = graph();
    const visit = await g.insert(null);
    g.clock.set(at(80));
    expect(await g.services.waitingRoom.runNoShows(job(visit.id))).toEqual({ outcome: 'nobody to mark' });
  });
});
