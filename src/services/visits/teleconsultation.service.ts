import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.js';
import { type ChangeKind, changedFields } from '../../domain/events.js';
import type { TeleconsultationRules } from '../../domain/settings.js';
import {
  assertChangeAllowed,
  assertNotOver,
  assertNotOverExpected,
  assertParticipantsNumber,
  changeableAt,
  linkLanguage,
  resolveSchedule,
} from '../../domain/teleconsultation.js';
import {
  calendarSequenceAfter,
  dataOf,
  type RecordingType,
  type RecordSchedule,
  scheduleOf,
  type TeleconsultationData,
  type TeleconsultationRecord,
} from '../../domain/teleconsultation-record.js';
import { KaleyraNotFoundError, type KaleyraRoom, type KaleyraVideo } from '../../kaleyra/port.js';
import { DeadlineExceededError } from '../../shared/deadline.js';
import type { StoredTeleconsultation, TeleconsultationStore } from '../../storage/ports.js';
import type { AccessControl } from '../access/access-control.js';
import { type EventLog, type HistoryPage, historyPageOf, toHistoryPage } from '../events/event-log.js';
import type { ParticipantPreparation } from '../participants/participant-preparation.js';
import type { ParticipantRequest } from '../participants/participant-profiles.js';
import type { ParticipantRoles } from '../participants/participant-roles.js';
import type { RequestScope } from '../request-scope.js';
import { upstreamErrorFrom } from '../upstream-errors.js';
import type { CalendarEvents } from './calendar-events.js';
import type { BackgroundMode, CallerViews, LinkOptions, TeleconsultationView } from './caller-views.js';
import type { RoomRetirement } from './room-cleanup.js';
import type { CreatedRoom, RoomPlan, TeleconsultationRooms } from './teleconsultation-rooms.js';
import type { VisitFacts } from './visit-facts.js';

export type { LinkOptions, TeleconsultationView } from './caller-views.js';
/** The live Kaleyra room, as `details` shows it. */
export type LiveRoom = KaleyraRoom;

export interface CreateTeleconsultationCommand {
  startDate: Date;
  /** Default: DEFAULT_RECORDING_TYPE. */
  recording?: RecordingType | null;
  endDate?: Date | null;
  durationInSeconds?: number | null;
  participantsNumber?: number | null;
  participants: ParticipantRequest[];
}

export interface TeleconsultationRef {
  id: string;
}

export interface AddParticipantsCommand extends TeleconsultationRef {
  participants: ParticipantRequest[];
}

export interface UpdateTeleconsultationCommand extends TeleconsultationRef {
  startDate?: Date | null;
  /** A change replaces the room, like any other room change. */
  recording?: RecordingType | null;
  endDate?: Date | null;
  durationInSeconds?: number | null;
  participantsNumber?: number | null;
  /** Replaces the list. */
  participants?: ParticipantRequest[] | null;
}

export interface ReadTeleconsultationCommand extends TeleconsultationRef, LinkOptions {}

export interface HistoryQuery {
  first?: number | null;
  /** An `endCursor` of an earlier page. */
  after?: string | null;
}

export type { HistoryPage } from '../events/event-log.js';

export interface UploadsDeletion {
  enabled: boolean;
  total: number;
  deleted: number;
}

/** Where a join link's background comes from: the company's settings on Kaleyra. */
export interface BackgroundSource {
  /** Never throws: `blur` when nothing is known. */
  backgroundMode(logger: Logger): Promise<BackgroundMode>;
}

export interface TeleconsultationServiceDeps {
  access: AccessControl;
  events: EventLog;
  facts: VisitFacts;
  backgrounds: BackgroundSource;
  calendar: CalendarEvents;
  store: TeleconsultationStore;
  kaleyra: KaleyraVideo;
  rooms: TeleconsultationRooms;
  participants: ParticipantPreparation;
  roles: ParticipantRoles;
  views: CallerViews;
  clock: Clock;
  rules: TeleconsultationRules;
}

/** The event kind of each changing operation. */
const CHANGE_KINDS: Record<
  'addParticipants' | 'updateTeleconsultation' | 'deleteTeleconsultation',
  ChangeKind
> = {
  addParticipants: 'addParticipants',
  updateTeleconsultation: 'update',
  deleteTeleconsultation: 'cancel',
};

/** Optimistic concurrency: a lost race is retried from a fresh read this many times. */
const MAX_ATTEMPTS = 4;

/** The next data of a change, and the Kaleyra users it needs created first. */
interface Draft {
  data: TeleconsultationData;
  createUsers?: () => Promise<void>;
}

/** How a change treats the immutable period. */
type LockRule = 'refused-when-locked' | 'allowed-when-locked';

/**
 * The teleconsultation use cases. Every method takes the request scope first, then a command in
 * the service's own terms (field paths in errors are relative to the command), and asks the
 * access control before anything else: an operation a caller may not do has no side effect.
 *
 * This class owns the order of side effects: a new Kaleyra room is created before the record
 * that points to it is stored, and an old room is deleted only after the record stops pointing to
 * it, so there is never a moment without a valid room, and a failure half-way never leaves a
 * stored record pointing at a missing room or an unreferenced room alive.
 */
export class TeleconsultationService {
  constructor(private readonly deps: TeleconsultationServiceDeps) {}

  async create(scope: RequestScope, command: CreateTeleconsultationCommand): Promise<TeleconsultationView> {
    await this.deps.access.check(scope, 'createTeleconsultation');
    const now = this.deps.clock.now();
    const schedule = resolveSchedule(command, null, now, [], this.deps.rules);
    const participantsNumber = command.participantsNumber ?? command.participants.length;
    assertParticipantsNumber(participantsNumber, ['participantsNumber']);
    assertNotOverExpected(command.participants.length, participantsNumber, ['participants']);
    const { participants, createUsers } = await this.deps.participants.prepare(
      scope,
      command.participants,
      [],
      ['participants'],
    );
    const data: TeleconsultationData = {
      ...scheduleFields(schedule),
      participantsNumber,
      participants,
      roomId: null,
      state: 'active',
      recording: command.recording ?? this.deps.rules.defaultRecording,
      calendarSequence: 0,
    };
    const { data: planned, created } = await this.settle(scope, null, { data, createUsers });
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
      record = await this.deps.store.insert(planned, now, events);
    } catch (error) {
      if (created)
        await this.deps.rooms.discard(scope, created, 'record could not be stored', mayHaveWritten(error));
      throw error;
    }
    if (created) await this.deps.rooms.keep(scope, created);
    await this.deps.events.publish(record, scope.logger);
    scope.logger.info({ teleconsultationId: record.id, roomId: record.roomId }, 'teleconsultation created');
    return this.viewOf(scope, record, {});
  }

  addParticipants(scope: RequestScope, command: AddParticipantsCommand): Promise<TeleconsultationView> {
    return this.change(scope, 'addParticipants', command.id, 'refused-when-locked', async (current) => {
      assertNotOverExpected(
        current.participants.length + command.participants.length,
        current.participantsNumber,
        ['participants'],
      );
      const added = await this.deps.participants.prepare(scope, command.participants, current.participants, [
        'participants',
      ]);
      return {
        data: { ...dataOf(current), participants: [...current.participants, ...added.participants] },
        createUsers: added.createUsers,
      };
    });
  }

  update(scope: RequestScope, command: UpdateTeleconsultationCommand): Promise<TeleconsultationView> {
    return this.change(
      scope,
      'updateTeleconsultation',
      command.id,
      'refused-when-locked',
      async (current) => {
        const touchesSchedule =
          command.startDate != null || command.endDate != null || command.durationInSeconds != null;
        const schedule = touchesSchedule
          ? resolveSchedule(command, scheduleOf(current), this.deps.clock.now(), [], this.deps.rules)
          : scheduleOf(current);
        const participantsNumber = command.participantsNumber ?? current.participantsNumber;
        assertParticipantsNumber(participantsNumber, ['participantsNumber']);
        // The list is replaced; links of participants who stay are kept if the room does not change.
        const replaced = command.participants
          ? await this.deps.participants.prepare(scope, command.participants, [], ['participants'])
          : null;
        const participants = replaced?.participants ?? current.participants;
        assertNotOverExpected(participants.length, participantsNumber, ['participants']);
        return {
          data: {
            ...dataOf(current),
            ...scheduleFields(schedule),
            participantsNumber,
            participants,
            ...(command.recording ? { recording: command.recording } : {}),
          },
          ...(replaced ? { createUsers: replaced.createUsers } : {}),
        };
      },
    );
  }

  /**
   * Cancels: marks the record trashed (kept for audit) first, so the visit is cancelled the moment
   * the caller is told so; its Kaleyra room is then deleted by a durable job, however long Kaleyra
   * takes to accept it. Allowed at any time: a visit must be cancellable at the last minute.
   */
  cancel(scope: RequestScope, command: TeleconsultationRef): Promise<TeleconsultationView> {
    return this.change(
      scope,
      'deleteTeleconsultation',
      command.id,
      'allowed-when-locked',
      async (current) => ({ data: { ...dataOf(current), state: 'trashed' } }),
    );
  }

  async deleteUploads(scope: RequestScope, command: TeleconsultationRef): Promise<UploadsDeletion> {
    const record = await this.deps.access.checkOn(
      scope,
      'deleteTeleconsultationUploads',
      command.id,
      this.load,
    );
    if (record.state === 'trashed') throw notFound(record.id);
    if (!this.deps.rules.deleteUploads) return { enabled: false, total: 0, deleted: 0 };
    if (!record.roomId) return { enabled: true, total: 0, deleted: 0 };
    // The deletion starts now: a timeout waits for it rather than claim nothing changed.
    scope.deadline?.beginCommit();
    try {
      const result = await this.deps.kaleyra.deleteRoomUploads(record.roomId);
      scope.logger.info({ teleconsultationId: record.id, ...result }, 'teleconsultation uploads deleted');
      await this.deps.facts.record(scope, record, 'deleteUploads');
      return { enabled: true, ...result };
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return { enabled: true, total: 0, deleted: 0 };
      throw upstreamErrorFrom(error);
    }
  }

  /**
   * The read of the original GET: who may read is the `teleconsultation` policy (participants, by
   * default), and the caller's own link appears only once locked.
   */
  async read(scope: RequestScope, command: ReadTeleconsultationCommand): Promise<TeleconsultationView> {
    const view = await this.peek(scope, command);
    await this.deps.facts.linksHandedOut(scope, [view]);
    return view;
  }

  /**
   * The read without recording that it hands a link out: for callers that send the view first
   * and record it right after (live updates, where thousands of links open at one instant).
   */
  async peek(scope: RequestScope, command: ReadTeleconsultationCommand): Promise<TeleconsultationView> {
    const record = await this.deps.access.checkOn(scope, 'teleconsultation', command.id, this.load);
    // Validated on every read, not only once a link is handed out: a bad argument must not
    // surface for the first time at the moment the call starts.
    if (command.language) linkLanguage(command.language, ['language']);
    const view = await this.viewOf(scope, record, command);
    // Participants the original service stored have no role: show the one the privileges give now.
    if (record.participants.some((p) => p.role === null)) {
      const participants = await this.deps.roles.resolve(record.participants, scope);
      return { ...view, record: { ...record, participants } };
    }
    return view;
  }

  /**
   * Records the links a view handed out (LINK_ISSUED, once per participant). For the entry point
   * that sends a mutation's view back (GraphQL): only it knows the view reaches the caller (the
   * REST answers to the same commands carry no link).
   */
  linksHandedOut(scope: RequestScope, view: TeleconsultationView): Promise<void> {
    return this.deps.facts.linksHandedOut(scope, [view]);
  }

  /**
   * The visit's iCalendar event, to whoever may read the visit (the `teleconsultation` policy):
   * it names no participant, so it is the same for every reader.
   */
  async calendarEvent(scope: RequestScope, command: TeleconsultationRef): Promise<string> {
    const record = await this.deps.access.checkOn(scope, 'teleconsultation', command.id, this.load);
    return this.deps.calendar.eventOf(record);
  }

  /**
   * The visit's audit trail, oldest first, after the event with sequence `afterSequence`: who may
   * see it is the `teleconsultationHistory` policy.
   */
  async history(
    scope: RequestScope,
    { record, ...query }: HistoryQuery & { record: StoredTeleconsultation },
  ): Promise<HistoryPage> {
    await this.deps.access.recheck(scope, 'teleconsultationHistory', record);
    const { afterSequence, first } = historyPageOf(query);
    return toHistoryPage(await this.deps.events.history(record, afterSequence, first + 1), first);
  }

  /** The same, for a visit given by id (REST). */
  async historyOf(scope: RequestScope, command: TeleconsultationRef & HistoryQuery): Promise<HistoryPage> {
    const record = await this.deps.access.checkOn(scope, 'teleconsultationHistory', command.id, this.load);
    const { afterSequence, first } = historyPageOf(command);
    return toHistoryPage(await this.deps.events.history(record, afterSequence, first + 1), first);
  }

  /** The event of a record the caller has already been allowed to read. */
  calendarEventOf(record: TeleconsultationRecord): string {
    return this.deps.calendar.eventOf(record);
  }

  /** The live Kaleyra room; null when there is none (yet, or any more). */
  async roomDetails(record: TeleconsultationRecord): Promise<KaleyraRoom | null> {
    if (!record.roomId || record.state === 'trashed') return null;
    try {
      return await this.deps.kaleyra.getRoom(record.roomId);
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return null;
      throw upstreamErrorFrom(error);
    }
  }

  /**
   * The one way a stored teleconsultation changes: read it, derive the next data, settle its room,
   * and store it under optimistic concurrency. A lost race discards the room it created and
   * starts again from a fresh read; a room the record stopped pointing to is deleted after.
   */
  private async change(
    scope: RequestScope,
    operation: keyof typeof CHANGE_KINDS,
    id: string,
    lockRule: LockRule,
    derive: (current: TeleconsultationRecord) => Promise<Draft>,
  ): Promise<TeleconsultationView> {
    // The record read for the decision is the first attempt's; a retry decides again on its own.
    let current = await this.deps.access.checkOn(scope, operation, id, this.load);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        const fresh = await this.load(id);
        if (!fresh) throw notFound(id);
        await this.deps.access.recheck(scope, operation, fresh);
        current = fresh;
      }
      if (current.state === 'trashed') throw notFound(id);
      if (lockRule === 'refused-when-locked') {
        assertChangeAllowed(scheduled(current), this.deps.rules.immutablePeriodMs, this.deps.clock.now());
      }
      const draft = await derive(current);
      const { data: settled, created } =
        draft.data.state === 'trashed'
          ? { data: draft.data, created: null }
          : await this.settle(scope, current, draft);
      // Derived from the record this attempt read, so a retried change counts once.
      const data = { ...settled, calendarSequence: calendarSequenceAfter(current, settled) };
      // An update that changes nothing is not a change: no write, no UPDATED event, no webhook.
      if (
        operation === 'updateTeleconsultation' &&
        !created &&
        data.roomId === current.roomId &&
        changedFields(dataOf(current), data).length === 0
      ) {
        return this.viewOf(scope, current, {});
      }
      // The room this write stops using (replaced, or the visit cancelled) is scheduled for
      // deletion before the write, durably; the job waits until the write is known.
      const retiring =
        current.roomId && (data.roomId !== current.roomId || data.state === 'trashed')
          ? await this.retire(
              scope,
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
        updated = await this.deps.store.update(current.id, current.version, data, now, condition, events);
      } catch (error) {
        // A store error may still have written: the retired room's job checks when it is due.
        if (retiring && !mayHaveWritten(error)) await this.deps.rooms.abandon(scope, retiring);
        if (created)
          await this.deps.rooms.discard(scope, created, 'record could not be stored', mayHaveWritten(error));
        throw error;
      }
      if (!updated) {
        // A concurrent change won, or the record locked meanwhile: the next read says which.
        if (retiring) await this.deps.rooms.abandon(scope, retiring);
        if (created) await this.deps.rooms.discard(scope, created, 'the change was not stored', false);
        continue;
      }
      if (created) await this.deps.rooms.keep(scope, created);
      if (retiring) await this.deps.rooms.confirm(scope, retiring);
      await this.deps.events.publish(updated, scope.logger);
      scope.logger.info(
        {
          teleconsultationId: updated.id,
          roomId: updated.roomId,
          previousRoomId: current.roomId,
          state: updated.state,
        },
        'teleconsultation changed',
      );
      return this.viewOf(scope, updated, {});
    }
    throw new ConflictError('The teleconsultation was changed concurrently; retry.', {
      reason: 'VERSION_CONFLICT',
    });
  }

  /** Schedules the retired room's deletion; if that fails, nothing is written and the new room goes. */
  private async retire(
    scope: RequestScope,
    roomId: string,
    why: string,
    created: CreatedRoom | null,
  ): Promise<RoomRetirement> {
    try {
      return await this.deps.rooms.retire(roomId, why);
    } catch (error) {
      if (created) await this.deps.rooms.discard(scope, created, 'the change was not stored', false);
      throw error;
    }
  }

  /**
   * Brings a draft to what can be stored: everything that could still refuse it (a room without
   * its doctor) is decided first, then the new Kaleyra users are created, then the room.
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

  /** The caller's view, their link's background as the company's settings say (read only when needed). */
  private async viewOf(
    scope: RequestScope,
    record: StoredTeleconsultation,
    options: LinkOptions,
  ): Promise<TeleconsultationView> {
    const view = this.deps.views.viewFor(record, scope.caller.id, options);
    if (!this.deps.views.wantsBackground(view, options)) return view;
    const background = await this.deps.backgrounds.backgroundMode(scope.logger);
    return background === 'blur'
      ? view
      : this.deps.views.viewFor(record, scope.caller.id, options, background);
  }

  private readonly load = (id: string): Promise<StoredTeleconsultation | null> =>
    this.deps.store.findById(id);
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

function scheduleFields(
  schedule: RecordSchedule,
): Pick<TeleconsultationData, 'startDate' | 'endDate' | 'durationInSeconds'> {
  return {
    startDate: schedule.startDate,
    endDate: schedule.endDate,
    durationInSeconds: schedule.durationInSeconds,
  };
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No teleconsultation ${id}.`, { reason: 'TELECONSULTATION_NOT_FOUND' });
}
