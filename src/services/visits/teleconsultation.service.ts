import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import {
  assertNotOverExpected,
  assertParticipantsNumber,
  linkLanguage,
  resolveSchedule,
} from '../../domain/teleconsultation.js';
import {
  dataOf,
  providerOf,
  type RecordingType,
  type RecordSchedule,
  scheduleOf,
  type TeleconsultationData,
  type TeleconsultationRecord,
} from '../../domain/teleconsultation-record.js';
import type { AdmissionMode } from '../../domain/waiting-room.js';
import type { StoredTeleconsultation } from '../../storage/ports.js';
import { VideoNotFoundError, type VideoRoom } from '../../video/port.js';
import { type HistoryPage, historyPageOf, toHistoryPage } from '../events/event-log.js';
import type { ParticipantPreparation } from '../participants/participant-preparation.js';
import type { ParticipantRequest } from '../participants/participant-profiles.js';
import type { ParticipantRoles } from '../participants/participant-roles.js';
import type { RequestScope } from '../request-scope.js';
import { providerOfRecord, requireCapability, upstreamErrorFrom } from '../upstream-errors.js';
import type { CalendarEvents } from './calendar-events.js';
import type { BackgroundMode, CallerViews, LinkOptions, TeleconsultationView } from './caller-views.js';
import {
  type ChangeOperation,
  type Draft,
  type LockRule,
  TeleconsultationChanges,
  type TeleconsultationChangesDeps,
  teleconsultationNotFound,
} from './teleconsultation-changes.js';
import type { VisitFacts } from './visit-facts.js';

export type { LinkOptions, TeleconsultationView } from './caller-views.js';

/**
 * The live Kaleyra room, as `details` shows it (GraphQL and REST alike): every field Kaleyra may
 * leave out is null when it does.
 */
export interface LiveRoom {
  status: string | null;
  disabled: boolean | null;
  creationDate: Date | null;
  durationInSeconds: number | null;
  durationUsedInSeconds: number | null;
  live: boolean | null;
  recording: string | null;
  recordingStatus: string | null;
  callType: string | null;
  description: string | null;
}

export interface CreateTeleconsultationCommand {
  startDate: Date;
  /** Absent: the config file's `admission` default for the visit's PLUS participants. */
  admission?: AdmissionMode | null;
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
  admission?: AdmissionMode | null;
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

/** Where a join link's background comes from: the company's settings on the video provider. */
export interface BackgroundSource {
  /** Never throws: `blur` when nothing is known. */
  backgroundMode(logger: Logger): Promise<BackgroundMode>;
}

export interface TeleconsultationServiceDeps extends TeleconsultationChangesDeps {
  facts: VisitFacts;
  backgrounds: BackgroundSource;
  calendar: CalendarEvents;
  participants: ParticipantPreparation;
  roles: ParticipantRoles;
  views: CallerViews;
  clock: Clock;
}

/**
 * The teleconsultation use cases. Every method takes the request scope first, then a command in
 * the service's own terms (field paths in errors are relative to the command), and asks the
 * access control before anything else: an operation a caller may not do has no side effect.
 * How a change is written, and in which order its side effects happen, is
 * TeleconsultationChanges' (teleconsultation-changes.ts).
 */
export class TeleconsultationService {
  private readonly changes: TeleconsultationChanges;

  constructor(private readonly deps: TeleconsultationServiceDeps) {
    this.changes = new TeleconsultationChanges(deps);
  }

  async create(scope: RequestScope, command: CreateTeleconsultationCommand): Promise<TeleconsultationView> {
    await this.deps.access.check(scope, 'createTeleconsultation');
    const now = this.deps.clock.now();
    const schedule = resolveSchedule(command, null, now, [], this.deps.rules);
    const participantsNumber = command.participantsNumber ?? command.participants.length;
    assertParticipantsNumber(participantsNumber, ['participantsNumber']);
    assertNotOverExpected(command.participants.length, participantsNumber, ['participants']);
    // New rooms go to VIDEO_PROVIDER; the record remembers it, whatever is configured later.
    const provider = this.deps.video.configured;
    const { participants, createUsers } = await this.deps.participants.prepare(
      scope,
      provider,
      command.participants,
      [],
      ['participants'],
    );
    const data: TeleconsultationData = {
      provider: provider.name,
      ...scheduleFields(schedule),
      participantsNumber,
      participants,
      roomId: null,
      state: 'active',
      recording: command.recording ?? this.deps.rules.defaultRecording,
      calendarSequence: 0,
      ...(command.admission ? { admission: command.admission } : {}),
    };
    const record = await this.changes.create(scope, { data, createUsers }, now);
    return this.viewOf(scope, record, {});
  }

  addParticipants(scope: RequestScope, command: AddParticipantsCommand): Promise<TeleconsultationView> {
    return this.change(scope, 'addParticipants', command.id, 'refused-when-locked', async (current) => {
      assertNotOverExpected(
        current.participants.length + command.participants.length,
        current.participantsNumber,
        ['participants'],
      );
      const added = await this.deps.participants.prepare(
        scope,
        providerOfRecord(this.deps.video, current),
        command.participants,
        current.participants,
        ['participants'],
      );
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
          ? await this.deps.participants.prepare(
              scope,
              providerOfRecord(this.deps.video, current),
              command.participants,
              [],
              ['participants'],
            )
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
            ...(command.admission ? { admission: command.admission } : {}),
          },
          ...(replaced ? { createUsers: replaced.createUsers } : {}),
        };
      },
    );
  }

  /**
   * Cancels: marks the record trashed (kept for audit) first, so the visit is cancelled the moment
   * the caller is told so; its room is then deleted by a durable job, however long its provider
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
    if (record.state === 'trashed') throw teleconsultationNotFound(record.id);
    if (!this.deps.rules.deleteUploads) return { enabled: false, total: 0, deleted: 0 };
    const uploads = requireCapability(providerOfRecord(this.deps.video, record), 'UPLOADS_DELETION');
    if (!record.roomId) return { enabled: true, total: 0, deleted: 0 };
    // The deletion starts now: a timeout waits for it rather than claim nothing changed.
    scope.deadline?.beginCommit();
    try {
      const result = await uploads.deleteRoomUploads(record.roomId, scope.logger);
      scope.logger.info({ teleconsultationId: record.id, ...result }, 'teleconsultation uploads deleted');
      await this.deps.facts.record(scope, record, 'deleteUploads');
      return { enabled: true, ...result };
    } catch (error) {
      if (error instanceof VideoNotFoundError) return { enabled: true, total: 0, deleted: 0 };
      throw upstreamErrorFrom(error);
    }
  }

  /**
   * The caller's view of one visit: who may read is the `teleconsultation` policy (participants,
   * by default), and the caller's own link appears only once locked. It records no hand-out: the
   * entry point does (`linkHandedOut`) once its answer is known to carry the link.
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
   * Records that a participant was handed their link (LINK_ISSUED, once per participant), by the
   * entry point, once its answer is known to carry it (firstHandOutIn): GraphQL when the link was
   * selected and survived into the answer (a query, the agenda, a mutation's answer, a push), the
   * REST read once its body is complete. By ids: the visit is read as stored when it is written.
   */
  linkHandedOut(scope: RequestScope, teleconsultationId: string, participantId: string): Promise<void> {
    return this.deps.facts.linkHandedOut(scope, teleconsultationId, participantId);
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

  /**
   * The live room on its provider; null when there is none (yet, or any more), or when its
   * provider is not configured here (the record stays readable). `logger`: the request's.
   */
  async roomDetails(record: TeleconsultationRecord, logger?: Logger): Promise<LiveRoom | null> {
    if (!record.roomId || record.state === 'trashed') return null;
    const provider = this.deps.video.named(providerOf(record));
    if (!provider) return null;
    try {
      return liveRoomOf(await provider.getRoom(record.roomId, logger));
    } catch (error) {
      if (error instanceof VideoNotFoundError) return null;
      throw upstreamErrorFrom(error);
    }
  }

  /** A change through TeleconsultationChanges, answered as the caller's view of the result. */
  private async change(
    scope: RequestScope,
    operation: ChangeOperation,
    id: string,
    lockRule: LockRule,
    derive: (current: TeleconsultationRecord) => Promise<Draft>,
  ): Promise<TeleconsultationView> {
    return this.viewOf(scope, await this.changes.change(scope, operation, id, lockRule, derive), {});
  }

  /** The caller's view, their link's background as the company's settings say (read only when needed). */
  async viewOf(
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

function scheduleFields(
  schedule: RecordSchedule,
): Pick<TeleconsultationData, 'startDate' | 'endDate' | 'durationInSeconds'> {
  return {
    startDate: schedule.startDate,
    endDate: schedule.endDate,
    durationInSeconds: schedule.durationInSeconds,
  };
}

/** What `details` shows of a room: each field, null when the provider left it out. */
function liveRoomOf(room: VideoRoom): LiveRoom {
  return {
    status: room.status ?? null,
    disabled: room.disabled ?? null,
    creationDate: room.creationDate ?? null,
    durationInSeconds: room.durationInSeconds ?? null,
    durationUsedInSeconds: room.durationUsedInSeconds ?? null,
    live: room.live ?? null,
    recording: room.recording ?? null,
    recordingStatus: room.recordingStatus ?? null,
    callType: room.callType ?? null,
    description: room.description ?? null,
  };
}
