/**
 * Searches of the FHIR view over the memory store and the real access control: only visits the
 * `teleconsultation` policy lets the caller read, and a page that reads at most
 * MAX_SCANNED_PER_PAGE records, ending early with a cursor to go on.
 */
import pino from 'pino';
import type { Caller } from '../../../../src/domain/authorization/caller.js';
import { defaultPolicies } from '../../../../src/domain/authorization/operations.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import { NO_JOIN_WINDOWS } from '../../../../src/domain/join-window.js';
import type { Privileges } from '../../../../src/domain/privileges.js';
import type {
  StoredParticipant,
  TeleconsultationData,
} from '../../../../src/domain/teleconsultation-record.js';
import { AccessControl } from '../../../../src/services/access/access-control.js';
import { ParticipantNamesService } from '../../../../src/services/participants/participant-names.service.js';
import { ParticipantRoles } from '../../../../src/services/participants/participant-roles.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';
import {
  MAX_SCANNED_PER_PAGE,
  VisitReadsService,
} from '../../../../src/services/visits/visit-reads.service.js';
import { createMemoryStorage } from '../../../../src/storage/memory/memory-storage.js';
import type { ParticipantAgendaQuery } from '../../../../src/storage/ports.js';

const NOW = new Date('2030-03-04T09:00:00.000Z');
const tools = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};
const privileges: Privileges = {
  basic: { groups: ['customer'], tools },
  plus: { groups: ['doctor'], tools },
};

function person(userId: string, role: 'plus' | 'basic'): StoredParticipant {
  return {
    userId,
    videoUserId: `k-${userId}`,
    role,
    accessLinkURL: null,
    groups: [role === 'plus' ? 'doctor' : 'customer'],
  };
}

function visit(minutes: number, participants: StoredParticipant[]): TeleconsultationData {
  const startDate = new Date(NOW.getTime() + minutes * 60_000);
  return {
    startDate,
    endDate: new Date(startDate.getTime() + 1_800_000),
    durationInSeconds: 1800,
    participantsNumber: participants.length,
    participants,
    roomId: null,
    state: 'active',
    recording: null,
    calendarSequence: 0,
  };
}

function scopeOf(id: string): RequestScope {
  const caller: Caller = { id, groups: null, isBackoffice: false, clientType: null, problem: null };
  return { caller, headers: {}, logger: pino({ level: 'silent' }) };
}

describe('VisitReadsService.search', () => {
  it('reads at most MAX_SCANNED_PER_PAGE records a page: a page of unreadable visits ends early, and the walk still finds every readable one', async () => {
    const storage = createMemoryStorage();
    const store = storage.teleconsultations;
    // The doctor's agenda: many visits with other patients, then three with pat.
    const others = MAX_SCANNED_PER_PAGE + 20;
    for (let i = 0; i < others; i++)
      await store.insert(visit(60 + i, [person('doc', 'plus'), person(`other-${i}`, 'basic')]), NOW);
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) {
      mine.push(
        (await store.insert(visit(10_000 + i, [person('doc', 'plus'), person('pat', 'basic')]), NOW)).id,
      );
    }
    const limits: number[] = [];
    const counted = {
      ...store,
      listForParticipant: (query: ParticipantAgendaQuery) => {
        limits.push(query.limit);
        return store.listForParticipant(query);
      },
    };
    const roles = new ParticipantRoles(privileges, null);
    const access = new AccessControl({
      policies: defaultPolicies(),
      records: store,
      privileges,
      directory: null,
      roles,
    });
    const service = new VisitReadsService({
      access,
      store: counted,
      roles,
      names: new ParticipantNamesService(null),
      clock: new ManualClock(NOW),
      immutablePeriodMs: 0,
      join: NO_JOIN_WINDOWS,
      withNames: false,
    });

    const found: string[] = [];
    const pageSizes: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      limits.length = 0;
      const page = await service.search(scopeOf('pat'), { participantId: 'doc', first: 2, after });
      // Never more than the scan limit read for one page.
      expect(limits.reduce((sum, limit) => sum + limit, 0)).toBeLessThanOrEqual(MAX_SCANNED_PER_PAGE);
      found.push(...page.snapshots.map((snapshot) => snapshot.record.id));
      pageSizes.push(page.snapshots.length);
      after = page.nextCursor;
      if (after === null) break;
    }
    expect(found).toEqual(mine);
    // The first page read 500 of the others and found nothing: it ended early, with a cursor.
    expect(pageSizes[0]).toBe(0);
    expect(pageSizes.slice(1)).toEqual([2, 1]);
  });
});
