import type { Clock } from '../../domain/clock.js';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.js';
import { type ChangeKind, changedFields } from '../../domain/events.js';
import type { TeleconsultationRules } from '../../domain/settings.js';
import { assertChangeAllowed, assertNotOver, changeableAt } from '../../domain/teleconsultation.js';
import {
  calendarSequenceAfter,
  dataOf,
  providerOf,
  scheduleOf,
  type TeleconsultationData,
  type TeleconsultationRecord,
} from '../../domain/teleconsultation-record.js';
import { keepAttendance } from '../../domain/waiting-room.js';
import { DeadlineExceededError } from '../../shared/deadline.js';
import { inChildSpan } from '../../shared/tracing.js';
import type { StoredTeleconsultation, TeleconsultationStore } from '../../storage/ports.js';
import type { VideoProviders } from '../../video/port.js';
import type { AccessControl } from '../access/access-control.js';
import type { EventLog } from '../events/event-log.js';
import type { RequestScope } from '../request-scope.js';
import { providerOfRecord } from '../upstream-errors.js';
import type { RoomRetirement } from './room-cleanup.js';
import type { CreatedRoom, RoomPlan, TeleconsultationRooms } from './teleconsultation-rooms.js';

export interface TeleconsultationChangesDeps {
  access: AccessControl;
  events: EventLog;
  store: TeleconsultationStore;
  rooms: TeleconsultationRooms;
  /** The providers: a record is changed only by the one hosting its room (PROVIDER_NOT_CONFIGURED). */
  video: VideoProviders;
  clock: Clock;
  rules: TeleconsultationRules;
  /** Called with every record a create or change stored (the waiting room schedules its no-shows). */
  afterStored?: (scope: RequestScope, record: StoredTeleconsultation) => Promise<void>;
}

/** The event kind of each changing operation. */
const CHANGE_KINDS: Record<ChangeOperation, ChangeKind> = {
  addParticipants: 'addParticipants',
  updateTeleconsultation: 'update',
  deleteTeleconsultation: 'cancel',
};

/** The operations (policy keys) that change a stored teleconsultation. */
export type ChangeOperation = 'addParticipants' | 'updateTeleconsultation' | 'deleteTeleconsultation';

/** Optimistic concurrency: a lost race is retried from a fresh read this many times. */
const MAX_ATTEMPTS = 4;

/** The next data of a change, and the video provider's users it needs created first. */
export interface Draft {
  data: TeleconsultationData;
  createUsers?: () => Promise<void>;
}

/** How a change treats the immutable period. */
export type LockRule = 'refused-when-locked' | 'allowed-when-locked';

/**
 * How a teleconsultation is written, the write side of TeleconsultationService: settle the draft's
 * room, store it (a change under optimistic concurrency), and undo what a failed write leaves.
 *
 * This owns the order of side effects: a new room is created before the record that
 * points to it is stored, and an old room is deleted only after the record stops pointing to it,
 * so there is never a moment without a valid room, and a failure half-way never leaves a stored
 * record pointing at a missing room or an unreferenced room alive.
 */
export class TeleconsultationChanges {
  constructor(private readonly deps: TeleconsultationChangesDeps) {}

  /** Stores a new teleconsultation (its policy already decided), its room created first. */
  async create(scope: RequestScope, draft: Draft, now: Date): Promise<StoredTeleconsultation> {
    const { data: planned, created } = await this.settle(scope, null, draft);
    let record: StoredTeleconsultation;
    try {
      scope.deadline?.beginCommit();
      // "Already over" holds when the record is stored, not only when the create began: a room
      // that took seconds to create must not make a visit that ended meanwhile hand out links.
      assertNotOver(planned, this.deps.clock.now());
      const events = this.deps.events.eventsOf(null, {
        kind: 'create',
        before: null,
        after: planned,
        actorId: scope.caller.id,
        occurredAt: now,
      });
      record = await storeWrite('createTeleconsultation', null, 1, () =>
        this.deps.store.insert(planned, now, events),
      );
    } catch (error) {
      if (created)
        await this.deps.rooms.discard(scope, created, 'record could not be stored', mayHaveWritten(error));
      throw error;
    }
    if (created) await this.deps.rooms.keep(scope, created);
    await this.deps.rooms.scheduleEnd(scope, record);
    await this.deps.events.publish(record, scope.logger);
    await this.deps.afterStored?.(scope, record);
    scope.logger.info({ teleconsultationId: record.id, roomId: record.roomId }, 'teleconsultation created');
    return record;
  }

  /**
   * The one way a stored teleconsultation changes: decide the policy, read it, derive the next
   * data, settle its room, and store it under optimistic concurrency. A lost race discards the
   * room it created and starts again from a fresh read; a room the record stopped pointing to is
   * deleted after. Answers the record as stored (as it was, for an update that changes nothing).
   */
  change(
    scope: RequestScope,
    operation: ChangeOperation,
    id: string,
    lockRule: LockRule,
    derive: (current: TeleconsultationRecord) => Promise<Draft>,
  ): Promise<StoredTeleconsultation> {
    const attributes = { 'change.operation': operation, 'teleconsultation.id': id };
    return inChildSpan('teleconsultation change', attributes, () =>
      this.changeAttempts(scope, operation, id, lockRule, derive),
    );
  }

  private async changeAttempts(
    scope: RequestScope,
    operation: ChangeOperation,
    id: string,
    lockRule: LockRule,
    derive: (current: TeleconsultationRecord) => Promise<Draft>,
  ): Promise<StoredTeleconsultation> {
    // The record read for the decision is the first attempt's; a retry decides again on its own.
    let current = await this.deps.access.checkOn(scope, operation, id, this.load);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        const fresh = await this.load(id);
        if (!fresh) throw teleconsultationNotFound(id);
        await this.deps.access.recheck(scope, operation, fresh);
        current = fresh;
      }
      if (current.state === 'trashed') throw teleconsultationNotFound(id);
      // Before anything is derived or created: the record's room lives on a provider served here.
      providerOfRecord(this.deps.video, current);
      if (lockRule === 'refused-when-locked') {
        assertChangeAllowed(scheduled(current), this.deps.rules.immutablePeriodMs, this.deps.clock.now());
      }
      const draft = await derive(current);
      const { data: settled, created } =
        draft.data.state === 'trashed'
          ? { data: draft.data, created: null }
          : await this.settle(scope, current, draft);
      // Derived from the record this attempt read, so a retried change counts once; who stays in
      // the visit keeps their place in the waiting room, whatever the change.
      const data = {
        ...settled,
        participants: keepAttendance(settled.participants, current.participants),
        calendarSequence: calendarSequenceAfter(current, settled),
      };
      // An update that changes nothing is not a change: no write, no UPDATED event, no webhook.
      if (
        operation === 'updateTeleconsultation' &&
        !created &&
        data.roomId === current.roomId &&
        changedFields(dataOf(current), data).length === 0
      ) {
        return current;
      }
      const updated = await this.write(scope, { operation, attempt }, lockRule, current, data, created);
      if (updated) return updated;
    }
    throw new ConflictError('The teleconsultation was changed concurrently; retry.', {
      reason: 'VERSION_CONFLICT',
    });
  }

  /**
   * One attempt's conditional write, with what it implies for rooms on either outcome. Null: a
   * concurrent change won, or the record locked meanwhile (the next read says which).
   */
  private async write(
    scope: RequestScope,
    { operation, attempt }: { operation: ChangeOperation; attempt: number },
    lockRule: LockRule,
    current: StoredTeleconsultation,
    data: TeleconsultationData,
    created: CreatedRoom | null,
  ): Promise<StoredTeleconsultation | null> {
    // The room this write stops using (replaced, or the visit cancelled) is scheduled for
    // deletion before the write, durably; the job waits until the write is known.
    const retiring =
      current.roomId && (data.roomId !== current.roomId || data.state === 'trashed')
        ? await this.retire(
            scope,
            providerOf(current),
            current.roomId,
            data.state === 'trashed' ? 'cancelled' : 'room replaced',
            created,
          )
        : null;
    let updated: StoredTeleconsultation | null;
    try {
      scope.deadline?.beginCommit();
      const now = this.deps.clock.now();
      // The rule holds at the instant of the write, not only when the change began: a room that
      // took seconds to create must not replace one whose links are already out.
      const condition =
        lockRule === 'refused-when-locked' ? changeableAt(now, this.deps.rules.immutablePeriodMs) : {};
      // The change's events go in the same conditional write: stored exactly when it is.
      const events = this.deps.events.eventsOf(current, {
        kind: CHANGE_KINDS[operation],
        before: dataOf(current),
        after: data,
        actorId: scope.caller.id,
        occurredAt: now,
      });
      updated = await storeWrite(operation, current.id, attempt, () =>
        this.deps.store.update(current.id, current.version, data, now, condition, events),
      );
    } catch (error) {
      // A store error may still have written: the retired room's job checks when it is due.
      if (retiring && !mayHaveWritten(error)) await this.deps.rooms.abandon(scope, retiring);
      if (created)
        await this.deps.rooms.discard(scope, created, 'record could not be stored', mayHaveWritten(error));
      throw error;
    }
    if (!updated) {
      if (retiring) await this.deps.rooms.abandon(scope, retiring);
      if (created) await this.deps.rooms.discard(scope, created, 'the change was not stored', false);
      return null;
    }
    if (created) await this.deps.rooms.keep(scope, created);
    if (retiring) await this.deps.rooms.confirm(scope, retiring);
    await this.deps.rooms.scheduleEnd(scope, updated);
    await this.deps.events.publish(updated, scope.logger);
    await this.deps.afterStored?.(scope, updated);
    scope.logger.info(
      {
        teleconsultationId: updated.id,
        roomId: updated.roomId,
        previousRoomId: current.roomId,
        state: updated.state,
      },
      'teleconsultation changed',
    );
    return updated;
  }

  /** Schedules the retired room's deletion; if that fails, nothing is written and the new room goes. */
  private async retire(
    scope: RequestScope,
    provider: string,
    roomId: string,
    why: string,
    created: CreatedRoom | null,
  ): Promise<RoomRetirement> {
    try {
      return await this.deps.rooms.retire(provider, roomId, why);
    } catch (error) {
      if (created) await this.deps.rooms.discard(scope, created, 'the change was not stored', false);
      throw error;
    }
  }

  /**
   * Brings a draft to what can be stored: everything that could still refuse it (a room without
   * its doctor) is decided first, then the provider's new users are created, then the room.
   */
  private async settle(
    scope: RequestScope,
    current: TeleconsultationRecord | null,
    draft: Draft,
  ): Promise<RoomPlan> {
    await this.deps.rooms.assertFeasible(scope, draft.data);
    scope.deadline?.checkpoint();
    await draft.createUsers?.();
    scope.deadline?.checkpoint();
    return this.deps.rooms.plan(scope, current, draft.data);
  }

  private readonly load = (id: string): Promise<StoredTeleconsultation | null> =>
    this.deps.store.findById(id);
}

export function teleconsultationNotFound(id: string): NotFoundError {
  return new NotFoundError(`No teleconsultation ${id}.`, { reason: 'TELECONSULTATION_NOT_FOUND' });
}

/**
 * Whether a failed write may still have happened: only a refusal before the write (the deadline)
 * is certain not to have; a store error may come after the database applied it.
 */
function mayHaveWritten(error: unknown): boolean {
  // A rule refused the write before the store was asked (a deadline, a visit over meanwhile).
  return !(error instanceof DeadlineExceededError || error instanceof DomainError);
}

/** The record with its end as its schedule gives it (a legacy record stored no duration). */
function scheduled(record: TeleconsultationRecord): TeleconsultationRecord {
  return { ...record, endDate: scheduleOf(record).endDate };
}

/**
 * One conditional write of a teleconsultation, as a span: the operation, which attempt of the
 * change it is (a lost race is retried from a fresh read), and whether it was stored or lost.
 */
function storeWrite<T>(
  operation: string,
  id: string | null,
  attempt: number,
  write: () => Promise<T>,
): Promise<T> {
  const attributes = {
    'write.operation': operation,
    'write.attempt': attempt,
    ...(id === null ? {} : { 'teleconsultation.id': id }),
  };
  return inChildSpan('teleconsultation write', attributes, async (span) => {
    const written = await write();
    span?.setAttribute('write.outcome', written === null ? 'lost' : 'stored');
    return written;
  });
}
