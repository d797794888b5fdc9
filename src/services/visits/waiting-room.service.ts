import type { TargetedOperation } from '../../domain/authorization/operations.js';
import type { Clock } from '../../domain/clock.js';
import { BadUserInputError, ConflictError } from '../../domain/errors.js';
import type { ChangeKind } from '../../domain/events.js';
import type { Privileges } from '../../domain/privileges.js';
import {
  dataOf,
  type StoredParticipant,
  type TeleconsultationData,
  type TeleconsultationRecord,
} from '../../domain/teleconsultation-record.js';
import {
  admissionOf,
  admit,
  admitAll,
  announceDelay,
  attendanceConflict,
  attendanceStateOf,
  checkIn,
  type DeviceCheck,
  deny,
  markNoShows,
  noShowDueAt,
  type WaitingRoomSettings,
  waitingInOrder,
} from '../../domain/waiting-room.js';
import type { JobQueue, JobResult } from '../../jobs/job-kind.js';
import type { JobRecord } from '../../jobs/port.js';
import type { StoredTeleconsultation, TeleconsultationStore } from '../../storage/ports.js';
import type { AccessControl } from '../access/access-control.js';
import type { EventLog } from '../events/event-log.js';
import type { RequestScope } from '../request-scope.js';
import type { CallerViews, TeleconsultationView } from './caller-views.js';
import { teleconsultationNotFound } from './teleconsultation-changes.js';

/** The job kind that marks a visit's no-shows (registered in src/composition/job-kinds.ts). */
export const NO_SHOW_MARKING = 'no-show-marking';

/** A lost race is retried from a fresh read this many times, then CONFLICT. */
const MAX_ATTEMPTS = 4;

export interface WaitingRoomDeps {
  access: AccessControl;
  store: TeleconsultationStore;
  events: EventLog;
  views: CallerViews;
  clock: Clock;
  settings: WaitingRoomSettings;
  privileges: Privileges;
  /** Where the no-show jobs go; absent: none are scheduled (tests of other things). */
  jobs?: JobQueue;
  /** The caller's view of a stored visit, their link's background included. */
  viewOf: (scope: RequestScope, record: StoredTeleconsultation) => Promise<TeleconsultationView>;
}

export interface CheckInCommand {
  id: string;
  device?: DeviceCheck | null;
}

export interface AdmissionCommand {
  id: string;
  userId: string;
}

export interface DenyCommand extends AdmissionCommand {
  reason?: string | null;
}

export interface DelayCommand {
  id: string;
  minutes: number;
}

/** A participant and the visit after their attendance changed. */
export interface AttendanceChange {
  view: TeleconsultationView;
  participants: StoredParticipant[];
}

/** One entry of the waiting room, as PLUS participants and the back office see it. */
export interface WaitingEntry {
  participant: StoredParticipant;
  /** Since when they wait (their check-in). */
  since: Date;
}

/** What one attempt decides: the next data, and what its events say. */
interface Decision {
  data: TeleconsultationData;
  kind: Extract<ChangeKind, 'checkIn' | 'admit' | 'deny' | 'noShow' | 'announceDelay'>;
  participantIds: string[];
  delayMinutes?: number;
}

/**
 * The waiting room's use cases: check-in, admit, deny, admit all, running late, and the no-show
 * job. Each is a conditional write like every change (version-checked, its events in the same
 * write), allowed inside the immutable period (that is when it happens) and never touching the
 * room. A host's decision is about the state they saw: when another decision about the same
 * participant wins the race, theirs is refused (CONFLICT, ATTENDANCE_CHANGED), never replayed.
 */
export class WaitingRoomService {
  constructor(private readonly deps: WaitingRoomDeps) {}

  async checkIn(scope: RequestScope, command: CheckInCommand): Promise<AttendanceChange> {
    const updated = await this.change(scope, 'checkIn', command.id, null, (current) => {
      const participant = current.participants.find((p) => p.userId === scope.caller.id);
      if (!participant) {
        // Only a policy wider than the default (isParticipant) lets a non-participant this far.
        throw new BadUserInputError('The caller is not a participant of this visit.', {
          reason: 'NOT_A_PARTICIPANT',
        });
      }
      const view = this.deps.views.viewFor(current as StoredTeleconsultation, participant.userId, {});
      const now = this.deps.clock.now();
      const window = view.checkIn ?? { opensAt: now, closesAt: null };
      return {
        data: checkIn(
          dataOf(current),
          participant,
          command.device ?? null,
          window,
          now,
          this.deps.privileges,
        ),
        kind: 'checkIn',
        participantIds: [participant.userId],
      };
    });
    return this.answer(scope, updated, [scope.caller.id ?? '']);
  }

  async admit(scope: RequestScope, command: AdmissionCommand): Promise<AttendanceChange> {
    const updated = await this.change(scope, 'admitParticipant', command.id, command.userId, (current) => ({
      data: admit(
        dataOf(current),
        command.userId,
        scope.caller.id,
        this.deps.clock.now(),
        this.deps.privileges,
      ),
      kind: 'admit',
      participantIds: [command.userId],
    }));
    return this.answer(scope, updated, [command.userId]);
  }

  async deny(scope: RequestScope, command: DenyCommand): Promise<AttendanceChange> {
    const updated = await this.change(scope, 'denyParticipant', command.id, command.userId, (current) => ({
      data: deny(
        dataOf(current),
        command.userId,
        command.reason ?? null,
        scope.caller.id,
        this.deps.clock.now(),
        this.deps.privileges,
      ),
      kind: 'deny',
      participantIds: [command.userId],
    }));
    return this.answer(scope, updated, [command.userId]);
  }

  async admitAll(scope: RequestScope, command: { id: string }): Promise<AttendanceChange> {
    let admitted: string[] = [];
    const updated = await this.change(scope, 'admitAll', command.id, null, (current) => {
      const result = admitAll(dataOf(current), scope.caller.id, this.deps.clock.now());
      admitted = result.admitted;
      return { data: result.data, kind: 'admit', participantIds: result.admitted };
    });
    return this.answer(scope, updated, admitted);
  }

  async announceDelay(scope: RequestScope, command: DelayCommand): Promise<TeleconsultationView> {
    const updated = await this.change(scope, 'announceDelay', command.id, null, (current) => ({
      data: announceDelay(dataOf(current), command.minutes, scope.caller.id, this.deps.clock.now()),
      kind: 'announceDelay',
      participantIds: [],
      delayMinutes: command.minutes,
    }));
    return this.deps.viewOf(scope, updated);
  }

  /** Who waits, earliest check-in first: the `waitingRoom` policy decides who may see it. */
  async waitingRoom(scope: RequestScope, record: TeleconsultationRecord): Promise<WaitingEntry[]> {
    await this.deps.access.recheck(scope, 'waitingRoom', record);
    return waitingInOrder(record.participants).map((participant) => ({
      participant,
      since: participant.attendance?.checkedInAt ?? record.updatedAt,
    }));
  }

  /** Whether the caller may see every participant's attendance (the `waitingRoom` policy). */
  sees(scope: RequestScope, record: TeleconsultationRecord): Promise<boolean> {
    return this.deps.access.permits(scope, 'waitingRoom', record);
  }

  /**
   * Schedules the visit's no-show marking at its start plus noShowAfterMs (a HOST_ADMITS visit
   * only), once per start: a visit moved gets a job for its new start, and the old one finds
   * nothing due. Never throws: the change is stored already; the next change schedules again.
   */
  async scheduleNoShows(scope: RequestScope, record: StoredTeleconsultation): Promise<void> {
    const jobs = this.deps.jobs;
    if (!jobs || record.state === 'trashed' || admissionOf(record, this.deps.settings) !== 'HOST_ADMITS')
      return;
    const runAt = noShowDueAt(record, this.deps.settings);
    try {
      await jobs.enqueue(NO_SHOW_MARKING, {
        payload: { teleconsultationId: record.id },
        dedupeKey: `${NO_SHOW_MARKING}:${record.id}:${runAt.getTime()}`,
        runAt,
      });
    } catch (error) {
      scope.logger.warn({ teleconsultationId: record.id, err: error }, 'no-show marking not scheduled');
    }
  }

  /**
   * The job: BASIC participants who never checked in become NO_SHOW, each with its event, in one
   * conditional write; safe to repeat (a participant marked is no longer NOT_ARRIVED, so a
   * repeated run marks nobody twice). Throws to be retried when the visit kept changing.
   */
  async runNoShows(job: JobRecord): Promise<JobResult> {
    const id = job.payload.teleconsultationId;
    if (typeof id !== 'string') return { outcome: 'no visit named' };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.deps.store.findById(id);
      if (!current || current.state === 'trashed') return { outcome: 'visit gone' };
      const now = this.deps.clock.now();
      const { data, marked } = markNoShows(dataOf(current), now, this.deps.settings, this.deps.privileges);
      if (marked.length === 0) return { outcome: 'nobody to mark' };
      const events = this.deps.events.eventsOf(current, {
        kind: 'noShow',
        before: dataOf(current),
        after: data,
        actorId: null,
        occurredAt: now,
        participantIds: marked,
      });
      const updated = await this.deps.store.update(current.id, current.version, data, now, {}, events);
      if (updated) {
        await this.deps.events.publish(updated);
        return { outcome: `marked ${marked.length}` };
      }
    }
    throw new Error(`visit ${id} kept changing while its no-shows were marked`);
  }

  /**
   * One decision, written under optimistic concurrency. `about`: the participant a host decides
   * about; when a lost race changed their attendance, the decision is refused (CONFLICT).
   */
  private async change(
    scope: RequestScope,
    operation: TargetedOperation,
    id: string,
    about: string | null,
    decide: (current: StoredTeleconsultation) => Decision,
  ): Promise<StoredTeleconsultation> {
    let current = await this.deps.access.checkOn(scope, operation, id, this.load);
    const seen = about === null ? null : attendanceOf(current, about);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        const fresh = await this.load(id);
        if (!fresh) throw teleconsultationNotFound(id);
        await this.deps.access.recheck(scope, operation, fresh);
        if (about !== null && attendanceOf(fresh, about) !== seen) throw attendanceConflict(about);
        current = fresh;
      }
      if (current.state === 'trashed') throw teleconsultationNotFound(id);
      const decision = decide(current);
      scope.deadline?.beginCommit();
      const now = this.deps.clock.now();
      const events = this.deps.events.eventsOf(current, {
        kind: decision.kind,
        before: dataOf(current),
        after: decision.data,
        actorId: scope.caller.id,
        occurredAt: now,
        participantIds: decision.participantIds,
        ...(decision.delayMinutes !== undefined ? { delayMinutes: decision.delayMinutes } : {}),
      });
      // No immutable-period condition and the same room: admission is not a schedule change.
      const updated = await this.deps.store.update(
        current.id,
        current.version,
        decision.data,
        now,
        {},
        events,
      );
      if (updated) {
        await this.deps.events.publish(updated, scope.logger);
        scope.logger.info({ teleconsultationId: id, operation }, 'waiting room changed');
        return updated;
      }
    }
    throw new ConflictError('The teleconsultation was changed concurrently; retry.', {
      reason: 'VERSION_CONFLICT',
    });
  }

  private async answer(
    scope: RequestScope,
    record: StoredTeleconsultation,
    userIds: readonly string[],
  ): Promise<AttendanceChange> {
    const participants = userIds
      .map((userId) => record.participants.find((p) => p.userId === userId))
      .filter((p): p is StoredParticipant => p !== undefined);
    return { view: await this.deps.viewOf(scope, record), participants };
  }

  private readonly load = (id: string): Promise<StoredTeleconsultation | null> =>
    this.deps.store.findById(id);
}

/** What a decision about `userId` was based on: their state and the last transition's time. */
function attendanceOf(record: TeleconsultationRecord, userId: string): string {
  const participant = record.participants.find((p) => p.userId === userId);
  if (!participant) return 'absent';
  return `${attendanceStateOf(participant)}@${participant.attendance?.transitions.at(-1)?.at.getTime() ?? 0}`;
}
