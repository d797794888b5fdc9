import type { Clock } from '../../domain/clock.js';
import { BadUserInputError, UnauthenticatedError } from '../../domain/errors.js';
import { canJoinUntil, type JoinRules } from '../../domain/join-window.js';
import { selectorsOf, statusOf, type TeleconsultationStatus } from '../../domain/teleconsultation.js';
import { type RecordSchedule, scheduleOf } from '../../domain/teleconsultation-record.js';
import type { AgendaPosition, StoredTeleconsultation, TeleconsultationStore } from '../../storage/ports.js';
import type { AccessControl } from '../access/access-control.js';
import type { ParticipantNamesService } from '../participants/participant-names.service.js';
import type { ParticipantRoles } from '../participants/participant-roles.js';
import type { RequestScope } from '../request-scope.js';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE } from './agenda.service.js';

const EVERY_STATUS: readonly TeleconsultationStatus[] = [
  'WAITING_FOR_PARTICIPANTS',
  'SCHEDULED',
  'LOCKED',
  'CANCELLED',
];

/**
 * How many records one search page reads at most, readable or not: a page of a participant's
 * visits the caller may mostly not read ends early (with a cursor to go on), instead of reading
 * the whole agenda in one request.
 */
export const MAX_SCANNED_PER_PAGE = 500;

/** A visit as a read-only view (the FHIR facade) shows it: the record and what it is at this instant. */
export interface VisitSnapshot {
  /** The record, every participant's role resolved where the privileges give one. */
  record: StoredTeleconsultation;
  schedule: RecordSchedule;
  status: TeleconsultationStatus;
  /**
   * When the visit is over: its last join window's close (`joinClosesAfterEndMs` after the end),
   * else its end when the room never closes; null for a legacy record without an end.
   */
  overAt: Date | null;
  /** overAt has passed. */
  over: boolean;
  /** Each participant's name (null when unknown), in the record's order; null when names are not shown. */
  names: ReadonlyArray<string | null> | null;
}

export interface VisitSearchQuery {
  /** Whose visits (the agenda index): a participant's user id; absent: the caller's own. */
  participantId?: string | null;
  /** startDate >= from. */
  from?: Date | null;
  /** startDate < to. */
  to?: Date | null;
  /** Absent or empty: every status, cancelled included. */
  statuses?: readonly TeleconsultationStatus[] | null;
  first: number;
  /** The `nextCursor` of an earlier page. */
  after?: string | null;
  /** A further condition on each readable visit (another participant, a finer status). */
  matches?: (snapshot: VisitSnapshot) => boolean;
}

export interface VisitSearchPage {
  snapshots: VisitSnapshot[];
  /** Where the next page starts; null when this is the last. */
  nextCursor: string | null;
}

export interface VisitReadsDeps {
  access: AccessControl;
  store: TeleconsultationStore;
  roles: ParticipantRoles;
  names: ParticipantNamesService;
  clock: Clock;
  immutablePeriodMs: number;
  join: JoinRules;
  /** Whether snapshots carry participant names (the FHIR config's `participantNames`). */
  withNames: boolean;
}

/**
 * Visits read as they stand, for a read-only view of them (the FHIR facade): one visit under the
 * `teleconsultation` policy, and searches of a participant's visits that return only what the
 * same policy lets the caller read. Nothing here hands out a link or records anything.
 */
export class VisitReadsService {
  constructor(private readonly deps: VisitReadsDeps) {}

  /** One visit, to whoever the `teleconsultation` policy lets read it (cancelled ones included). */
  async read(scope: RequestScope, id: string): Promise<VisitSnapshot> {
    const record = await this.deps.access.checkOn(scope, 'teleconsultation', id, this.load);
    return this.withNames(scope, await this.snapshotOf(scope, record));
  }

  /**
   * A keyset page (startDate, id) of a participant's visits, in start order, keeping only those
   * the caller may read (the `teleconsultation` policy, decided per visit) and `matches`. A
   * search needs someone: the caller, or a participant they name.
   */
  async search(scope: RequestScope, query: VisitSearchQuery): Promise<VisitSearchPage> {
    this.assertCanSearch(scope);
    const { caller } = scope;
    const participantId = query.participantId ?? caller.id;
    if (participantId === null) {
      throw new BadUserInputError('A search names a participant (patient, practitioner or actor).', {
        reason: 'SEARCH_NEEDS_PARTICIPANT',
        field: ['actor'],
      });
    }
    const { first } = query;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`_count must be between 1 and ${MAX_PAGE_SIZE}.`, {
        reason: 'PAGE_SIZE_OUT_OF_RANGE',
        field: ['_count'],
      });
    }
    if (query.from && query.to && query.to.getTime() <= query.from.getTime()) {
      throw new BadUserInputError('The date range is empty: its end is not after its start.', {
        reason: 'INVALID_DATE_RANGE',
        field: ['date'],
      });
    }
    let after: AgendaPosition | undefined = query.after == null ? undefined : decodeCursor(query.after);
    const statuses = new Set(query.statuses?.length ? query.statuses : EVERY_STATUS);
    const anyOf = selectorsOf(statuses, this.deps.immutablePeriodMs, this.deps.clock.now());
    const kept: VisitSnapshot[] = [];
    let scanned = 0;
    // Read batches until the page has one more than asked (there is a next page), the agenda ends,
    // or the scan limit is reached (the page ends early, at the last record read).
    while (scanned < MAX_SCANNED_PER_PAGE) {
      const limit = Math.min(first + 1, MAX_SCANNED_PER_PAGE - scanned);
      const records = await this.deps.store.listForParticipant({
        userId: participantId,
        ...(query.from ? { startsAtOrAfter: query.from } : {}),
        ...(query.to ? { startsBefore: query.to } : {}),
        anyOf,
        ...(after ? { after } : {}),
        limit,
      });
      scanned += records.length;
      for (const record of records) {
        after = { startDate: record.startDate, id: record.id };
        if (!(await this.deps.access.permits(scope, 'teleconsultation', record))) continue;
        const snapshot = await this.snapshotOf(scope, record);
        if (query.matches && !query.matches(snapshot)) continue;
        kept.push(snapshot);
        if (kept.length > first) break;
      }
      if (kept.length > first) {
        const page = kept.slice(0, first);
        return { snapshots: await this.namesOf(scope, page), nextCursor: encodeCursor(positionOf(page)) };
      }
      if (records.length < limit) return { snapshots: await this.namesOf(scope, kept), nextCursor: null };
    }
    return { snapshots: await this.namesOf(scope, kept), nextCursor: after ? encodeCursor(after) : null };
  }

  /**
   * Whether the caller may search at all: someone named (a user id) or the back office. What each
   * may see is decided per visit by the `teleconsultation` policy.
   */
  assertCanSearch(scope: RequestScope): void {
    const { caller } = scope;
    if (caller.problem) throw caller.problem;
    if (caller.id === null && !caller.isBackoffice) {
      throw new UnauthenticatedError('A search needs a caller: the request must say who is calling.', {
        reason: 'NO_CALLER_ID',
      });
    }
  }

  private async snapshotOf(scope: RequestScope, stored: StoredTeleconsultation): Promise<VisitSnapshot> {
    const now = this.deps.clock.now();
    const record = stored.participants.some((p) => p.role === null)
      ? { ...stored, participants: await this.deps.roles.resolve(stored.participants, scope) }
      : stored;
    const schedule = scheduleOf(record);
    const overAt = canJoinUntil(schedule, this.deps.join) ?? schedule.endDate;
    return {
      record,
      schedule,
      status: statusOf(record, this.deps.immutablePeriodMs, now),
      overAt,
      over: overAt !== null && now.getTime() >= overAt.getTime(),
      names: null,
    };
  }

  private async withNames(scope: RequestScope, snapshot: VisitSnapshot): Promise<VisitSnapshot> {
    if (!this.deps.withNames) return snapshot;
    return { ...snapshot, names: await this.deps.names.fullNamesOf(scope, snapshot.record.participants) };
  }

  private namesOf(scope: RequestScope, snapshots: readonly VisitSnapshot[]): Promise<VisitSnapshot[]> {
    return Promise.all(snapshots.map((snapshot) => this.withNames(scope, snapshot)));
  }

  private readonly load = (id: string): Promise<StoredTeleconsultation | null> =>
    this.deps.store.findById(id);
}

function positionOf(page: readonly VisitSnapshot[]): AgendaPosition {
  const last = page.at(-1) as VisitSnapshot;
  return { startDate: last.record.startDate, id: last.record.id };
}
