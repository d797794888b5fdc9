import type { Logger } from 'pino';
import type { ServiceConfig, TeleconsultationRules } from '../config/types.js';
import type { Clock } from '../domain/clock.js';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from '../domain/errors.js';
import { roomFor, sameRoom, shapeJoinLink } from '../domain/room.js';
import {
  assertChangeAllowed,
  assertNoDuplicateParticipants,
  assertNotOverExpected,
  assertParticipantsNumber,
  isLocked,
  linkLanguage,
  lockedFrom,
  requirePrivilegeLevel,
  resolveSchedule,
  type Schedule,
  statusOf,
  type TeleconsultationStatus,
} from '../domain/teleconsultation.js';
import type { IncomingHeaders } from '../identity/ports.js';
import type { CreateRoomInput, KaleyraRoom, KaleyraVideo } from '../kaleyra/port.js';
import { KaleyraNotFoundError } from '../kaleyra/port.js';
import type {
  StoredParticipant,
  TeleconsultationData,
  TeleconsultationRecord,
  TeleconsultationStore,
} from '../storage/ports.js';
import type { KaleyraUsers } from './kaleyra-users.js';
import type { ParticipantProfiles, ParticipantRequest } from './participant-profiles.js';
import { upstreamErrorFrom } from './upstream-errors.js';

/** Who is asking, as the GraphQL layer saw the request. */
export interface RequestScope {
  callerId: string | null;
  headers: IncomingHeaders;
  logger: Logger;
}

export interface CreateTeleconsultationCommand {
  startDate: Date;
  endDate?: Date | null;
  durationInSeconds?: number | null;
  participantsNumber?: number | null;
  participants: ParticipantRequest[];
}

export interface UpdateTeleconsultationCommand {
  startDate?: Date | null;
  endDate?: Date | null;
  durationInSeconds?: number | null;
  participantsNumber?: number | null;
  participants?: ParticipantRequest[] | null;
}

export interface LinkOptions {
  language?: string | null;
  useBackground?: boolean | null;
}

/** A teleconsultation as one caller sees it. */
export interface TeleconsultationView {
  record: TeleconsultationRecord;
  status: TeleconsultationStatus;
  locked: boolean;
  lockedFrom: Date;
  /** The caller's own participant entry, when the caller is a participant. */
  caller: StoredParticipant | null;
  /** The caller's own join link, only once locked. */
  accessLinkURL: string | null;
}

export interface TeleconsultationServiceDeps {
  store: TeleconsultationStore;
  kaleyra: KaleyraVideo;
  kaleyraUsers: KaleyraUsers;
  profiles: ParticipantProfiles;
  clock: Clock;
  rules: TeleconsultationRules;
  service: ServiceConfig;
}

/** Optimistic concurrency: a lost race is retried from a fresh read this many times. */
const MAX_ATTEMPTS = 4;

class VersionMoved extends Error {}

/**
 * The teleconsultation use cases. This class owns the order of side effects: a new Kaleyra room
 * is created before the record that points to it is stored, and an old room is deleted only after
 * the record stops pointing to it, so there is never a moment without a valid room and a failure
 * half-way never leaves a stored record pointing at a missing room or an unreferenced room alive.
 */
export class TeleconsultationService {
  constructor(private readonly deps: TeleconsultationServiceDeps) {}

  async create(command: CreateTeleconsultationCommand, scope: RequestScope): Promise<TeleconsultationView> {
    const now = this.deps.clock.now();
    const schedule = resolveSchedule(command, null, now, ['input']);
    const participantsNumber = command.participantsNumber ?? command.participants.length;
    assertParticipantsNumber(participantsNumber, ['input', 'participantsNumber']);
    assertNotOverExpected(command.participants.length, participantsNumber, ['input', 'participants']);
    const participants = await this.prepareParticipants(command.participants, [], scope, [
      'input',
      'participants',
    ]);

    const data: TeleconsultationData = {
      ...this.scheduleFields(schedule),
      participantsNumber,
      participants,
      roomId: null,
      state: 'active',
    };
    const room = await this.createRoomIfComplete(data, scope);
    try {
      const record = await this.deps.store.insert(room ? room.data : data, now);
      scope.logger.info({ teleconsultationId: record.id, roomId: record.roomId }, 'teleconsultation created');
      return this.viewFor(record, scope.callerId, {});
    } catch (error) {
      if (room) await this.discardRoom(room.data.roomId as string, scope, 'record could not be stored');
      throw error;
    }
  }

  async addParticipants(
    id: string,
    requests: ParticipantRequest[],
    scope: RequestScope,
  ): Promise<TeleconsultationView> {
    return this.changeWithRetry(id, scope, async (current) => {
      assertNotOverExpected(current.participants.length + requests.length, current.participantsNumber, [
        'participants',
      ]);
      const added = await this.prepareParticipants(requests, current.participants, scope, ['participants']);
      return { ...this.dataOf(current), participants: [...current.participants, ...added] };
    });
  }

  async update(
    id: string,
    command: UpdateTeleconsultationCommand,
    scope: RequestScope,
  ): Promise<TeleconsultationView> {
    return this.changeWithRetry(id, scope, async (current) => {
      const now = this.deps.clock.now();
      const touchesSchedule =
        command.startDate != null || command.endDate != null || command.durationInSeconds != null;
      const schedule = touchesSchedule
        ? resolveSchedule(command, this.scheduleOf(current), now, ['input'])
        : this.scheduleOf(current);
      const participantsNumber = command.participantsNumber ?? current.participantsNumber;
      assertParticipantsNumber(participantsNumber, ['input', 'participantsNumber']);
      let participants = current.participants;
      if (command.participants) {
        // The list is replaced; links of participants who stay are kept if the room does not change.
        participants = await this.prepareParticipants(command.participants, [], scope, [
          'input',
          'participants',
        ]);
      }
      assertNotOverExpected(participants.length, participantsNumber, ['input', 'participants']);
      return { ...this.dataOf(current), ...this.scheduleFields(schedule), participantsNumber, participants };
    });
  }

  /** Cancels: deletes the Kaleyra room, then marks the record trashed (kept for audit). */
  async delete(id: string, scope: RequestScope): Promise<TeleconsultationView> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.findActive(id);
      if (current.roomId) await this.deleteRoomOrThrow(current.roomId, scope);
      const updated = await this.deps.store.update(
        current.id,
        current.version,
        { ...this.dataOf(current), state: 'trashed' },
        this.deps.clock.now(),
      );
      if (updated) {
        scope.logger.info({ teleconsultationId: id, roomId: current.roomId }, 'teleconsultation cancelled');
        return this.viewFor(updated, scope.callerId, {});
      }
    }
    throw conflict();
  }

  async deleteUploads(
    id: string,
    scope: RequestScope,
  ): Promise<{ enabled: boolean; total: number; deleted: number }> {
    if (!this.deps.rules.deleteUploads) return { enabled: false, total: 0, deleted: 0 };
    const record = await this.findActive(id);
    if (!record.roomId) return { enabled: true, total: 0, deleted: 0 };
    try {
      const result = await this.deps.kaleyra.deleteRoomUploads(record.roomId);
      scope.logger.info({ teleconsultationId: id, ...result }, 'teleconsultation uploads deleted');
      return { enabled: true, ...result };
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return { enabled: true, total: 0, deleted: 0 };
      throw upstreamErrorFrom(error);
    }
  }

  /** The read of the original GET: only participants, and the link only once locked. */
  async readForCaller(
    id: string,
    callerId: string | null,
    options: LinkOptions,
  ): Promise<TeleconsultationView> {
    if (!callerId) {
      throw new UnauthenticatedError('The request does not say who is calling.', { reason: 'NO_CALLER_ID' });
    }
    // Validated on every read, not only once a link is handed out: a bad argument must not
    // surface for the first time at the moment the call starts.
    if (options.language) linkLanguage(options.language, ['language']);
    const record = await this.deps.store.findById(id);
    if (!record) throw notFound(id);
    const view = this.viewFor(record, callerId, options);
    if (!view.caller) {
      throw new ForbiddenError('Only participants can read a teleconsultation.', {
        reason: 'NOT_A_PARTICIPANT',
      });
    }
    return view;
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

  viewFor(
    record: TeleconsultationRecord,
    callerId: string | null,
    options: LinkOptions,
  ): TeleconsultationView {
    const now = this.deps.clock.now();
    const { immutablePeriodMs } = this.deps.rules;
    const caller = callerId ? (record.participants.find((p) => p.userId === callerId) ?? null) : null;
    const locked = record.state === 'active' && isLocked(record, immutablePeriodMs, now);
    return {
      record,
      status: statusOf(record, immutablePeriodMs, now),
      locked,
      lockedFrom: lockedFrom(record.startDate, immutablePeriodMs),
      caller,
      accessLinkURL: locked && caller?.accessLinkURL ? this.joinLink(caller, options) : null,
    };
  }

  private joinLink(caller: StoredParticipant, options: LinkOptions): string {
    const language = options.language ? linkLanguage(options.language, ['language']) : caller.language;
    const useBackground =
      options.useBackground ??
      (caller.groups ?? []).some((group) => this.deps.service.groupsWithBackgroundList.includes(group));
    return shapeJoinLink(caller.accessLinkURL as string, {
      ...(language ? { language } : {}),
      ...(useBackground ? { virtualBackground: 'blur' as const } : {}),
    });
  }

  /**
   * Applies `change` to the current record under optimistic concurrency. When the change alters
   * the room Kaleyra needs, the new room is created first and the old one deleted only after the
   * new record is stored; a lost race deletes the room it created and starts again.
   */
  private async changeWithRetry(
    id: string,
    scope: RequestScope,
    change: (current: TeleconsultationRecord) => Promise<TeleconsultationData>,
  ): Promise<TeleconsultationView> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.findActive(id);
      assertChangeAllowed(current, this.deps.rules.immutablePeriodMs, this.deps.clock.now());
      const next = await change(current);
      try {
        return await this.storeChange(current, next, scope);
      } catch (error) {
        if (error instanceof VersionMoved) continue;
        throw error;
      }
    }
    throw conflict();
  }

  private async storeChange(
    current: TeleconsultationRecord,
    next: TeleconsultationData,
    scope: RequestScope,
  ): Promise<TeleconsultationView> {
    const wanted = this.isComplete(next)
      ? roomFor(next.participants, next.durationInSeconds ?? 0, this.deps.service.privileges, this.deps.rules)
      : null;
    const have = current.roomId && this.isComplete(current) ? this.roomOf(current) : null;

    let replacement: { data: TeleconsultationData } | null = null;
    let nextData: TeleconsultationData;
    if (wanted && have && sameRoom(wanted, have)) {
      nextData = {
        ...next,
        roomId: current.roomId,
        participants: this.keepLinks(next.participants, current.participants),
      };
    } else if (wanted) {
      replacement = await this.createRoom(next, wanted, scope);
      nextData = replacement.data;
    } else {
      nextData = {
        ...next,
        roomId: null,
        participants: next.participants.map((p) => ({ ...p, accessLinkURL: null })),
      };
    }

    let updated: TeleconsultationRecord | null;
    try {
      updated = await this.deps.store.update(current.id, current.version, nextData, this.deps.clock.now());
    } catch (error) {
      if (replacement)
        await this.discardRoom(replacement.data.roomId as string, scope, 'record could not be stored');
      throw error;
    }
    if (!updated) {
      if (replacement)
        await this.discardRoom(replacement.data.roomId as string, scope, 'a concurrent change won');
      throw new VersionMoved();
    }
    if (current.roomId && updated.roomId !== current.roomId) {
      await this.discardRoom(current.roomId, scope, 'room replaced');
    }
    scope.logger.info(
      { teleconsultationId: updated.id, roomId: updated.roomId, previousRoomId: current.roomId },
      'teleconsultation changed',
    );
    return this.viewFor(updated, scope.callerId, {});
  }

  private async createRoomIfComplete(
    data: TeleconsultationData,
    scope: RequestScope,
  ): Promise<{ data: TeleconsultationData } | null> {
    if (!this.isComplete(data)) return null;
    const payload = roomFor(
      data.participants,
      data.durationInSeconds ?? 0,
      this.deps.service.privileges,
      this.deps.rules,
    );
    return this.createRoom(data, payload, scope);
  }

  private async createRoom(
    data: TeleconsultationData,
    payload: CreateRoomInput,
    scope: RequestScope,
  ): Promise<{ data: TeleconsultationData }> {
    let created: Awaited<ReturnType<KaleyraVideo['createRoom']>>;
    try {
      created = await this.deps.kaleyra.createRoom(payload);
    } catch (error) {
      scope.logger.warn({ err: error }, 'kaleyra room creation failed');
      throw upstreamErrorFrom(error);
    }
    const participants = data.participants.map((p) => ({
      ...p,
      accessLinkURL: created.links.get(p.kaleyraUserId) ?? null,
    }));
    if (participants.some((p) => p.accessLinkURL === null)) {
      await this.discardRoom(created.roomId, scope, 'Kaleyra returned no link for a participant');
      throw new UpstreamUnavailableError('Kaleyra created the room without a link for every participant.', {
        reason: 'KALEYRA_INCOMPLETE_ROOM',
      });
    }
    return { data: { ...data, roomId: created.roomId, participants } };
  }

  /** Best effort: a room no record points to is deleted; a failure is logged for clean-up. */
  private async discardRoom(roomId: string, scope: RequestScope, why: string): Promise<void> {
    try {
      await this.deps.kaleyra.deleteRoom(roomId);
      scope.logger.info({ roomId, why }, 'kaleyra room discarded');
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return;
      scope.logger.error(
        { roomId, why, err: error },
        'kaleyra room could not be discarded; delete it by hand',
      );
    }
  }

  private async deleteRoomOrThrow(roomId: string, scope: RequestScope): Promise<void> {
    try {
      await this.deps.kaleyra.deleteRoom(roomId);
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return;
      scope.logger.warn({ roomId, err: error }, 'kaleyra room deletion failed');
      throw upstreamErrorFrom(error);
    }
  }

  /** Resolves profiles, privilege levels and Kaleyra ids of participants being added. */
  private async prepareParticipants(
    requests: readonly ParticipantRequest[],
    existing: readonly StoredParticipant[],
    scope: RequestScope,
    path: ReadonlyArray<string | number>,
  ): Promise<StoredParticipant[]> {
    requests.forEach((request, index) => {
      if (request.userId.trim() === '') {
        throw new BadUserInputError('userId must not be empty.', {
          reason: 'EMPTY_USER_ID',
          field: [...path, index, 'userId'],
        });
      }
    });
    assertNoDuplicateParticipants(requests, existing, path);
    const languages = requests.map((r, index) =>
      r.language ? linkLanguage(r.language, [...path, index, 'language']) : undefined,
    );
    const profiles = await this.deps.profiles.resolve(requests, scope.headers, path);
    const levels = profiles.map((profile, index) =>
      requirePrivilegeLevel(profile.userId, profile.groups, this.deps.service.privileges, [...path, index]),
    );
    const kaleyraIds = await this.deps.kaleyraUsers.kaleyraIdsFor(
      profiles.map((p, index) => ({ userId: p.userId, role: levels[index] ?? 'basic' })),
    );
    return profiles.map((profile, index) => {
      const language = languages[index];
      return {
        userId: profile.userId,
        kaleyraUserId: kaleyraIds.get(profile.userId) as string,
        role: levels[index] ?? 'basic',
        accessLinkURL: null,
        groups: profile.groups,
        ...(profile.fullName !== undefined ? { fullName: profile.fullName } : {}),
        ...(language ? { language } : {}),
      };
    });
  }

  private keepLinks(next: StoredParticipant[], current: StoredParticipant[]): StoredParticipant[] {
    const links = new Map(current.map((p) => [p.kaleyraUserId, p.accessLinkURL]));
    return next.map((p) => ({ ...p, accessLinkURL: links.get(p.kaleyraUserId) ?? null }));
  }

  private roomOf(record: TeleconsultationData): CreateRoomInput {
    return roomFor(
      record.participants,
      record.durationInSeconds ?? 0,
      this.deps.service.privileges,
      this.deps.rules,
    );
  }

  private isComplete(data: TeleconsultationData): boolean {
    return data.participants.length === data.participantsNumber;
  }

  private async findActive(id: string): Promise<TeleconsultationRecord> {
    const record = await this.deps.store.findById(id);
    if (!record || record.state === 'trashed') throw notFound(id);
    return record;
  }

  private scheduleOf(record: TeleconsultationRecord): Schedule {
    const durationInSeconds =
      record.durationInSeconds ??
      (record.endDate ? Math.floor((record.endDate.getTime() - record.startDate.getTime()) / 1000) : 0);
    return {
      startDate: record.startDate,
      endDate: record.endDate ?? new Date(record.startDate.getTime() + durationInSeconds * 1000),
      durationInSeconds,
    };
  }

  private scheduleFields(
    schedule: Schedule,
  ): Pick<TeleconsultationData, 'startDate' | 'endDate' | 'durationInSeconds'> {
    return {
      startDate: schedule.startDate,
      endDate: schedule.endDate,
      durationInSeconds: schedule.durationInSeconds,
    };
  }

  private dataOf(record: TeleconsultationRecord): TeleconsultationData {
    return {
      startDate: record.startDate,
      endDate: record.endDate,
      durationInSeconds: record.durationInSeconds,
      participantsNumber: record.participantsNumber,
      participants: record.participants,
      roomId: record.roomId,
      state: record.state,
    };
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No teleconsultation ${id}.`, { reason: 'TELECONSULTATION_NOT_FOUND' });
}

function conflict(): ConflictError {
  return new ConflictError('The teleconsultation was changed concurrently; retry.', {
    reason: 'VERSION_CONFLICT',
  });
}
