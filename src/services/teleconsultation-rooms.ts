import { BadUserInputError, UpstreamUnavailableError } from '../domain/errors.js';
import type { Privileges } from '../domain/privileges.js';
import type { TeleconsultationRules } from '../domain/settings.js';
import {
  isComplete,
  type RoomParticipant,
  type StoredParticipant,
  scheduleOf,
  type TeleconsultationData,
} from '../domain/teleconsultation-record.js';
import { type CreateRoomInput, KaleyraNotFoundError, type KaleyraVideo } from '../kaleyra/port.js';
import { roomFor, sameRoom } from '../kaleyra/room-payload.js';
import type { ParticipantRoles } from './participant-roles.js';
import type { RequestScope } from './request-scope.js';
import { upstreamErrorFrom } from './upstream-errors.js';

/** What a change needs from Kaleyra before it can be stored. */
export interface RoomPlan {
  /** The data to store: the room id and the links (kept or new), every participant with a role. */
  data: TeleconsultationData;
  /** A room created for this change; whoever stores `data` must discard it if the store fails. */
  createdRoomId: string | null;
}

export interface TeleconsultationRoomsDeps {
  kaleyra: KaleyraVideo;
  roles: ParticipantRoles;
  privileges: Privileges;
  rules: TeleconsultationRules;
}

/**
 * The Kaleyra room lifecycle of a teleconsultation. Kaleyra rooms cannot be edited: the room a
 * record needs is computed from its participants and schedule, compared with the room it has, and
 * a different one is created anew. Deleting rooms goes through one helper (a 404 means done).
 */
export class TeleconsultationRooms {
  constructor(private readonly deps: TeleconsultationRoomsDeps) {}

  /**
   * The room `next` needs, given what `current` has (null on create): none while participants
   * are missing, the current room when it still fits, else a new one (created here).
   */
  async plan(
    scope: RequestScope,
    current: TeleconsultationData | null,
    next: TeleconsultationData,
  ): Promise<RoomPlan> {
    if (!isComplete(next)) {
      return {
        data: {
          ...next,
          roomId: null,
          participants: next.participants.map((p) => ({ ...p, accessLinkURL: null })),
        },
        createdRoomId: null,
      };
    }
    const wanted = await this.roomOf(scope, next);
    const have = current?.roomId ? await this.currentRoomOf(scope, current) : null;
    if (current?.roomId && have && sameRoom(wanted.payload, have.payload)) {
      return {
        data: {
          ...next,
          roomId: current.roomId,
          participants: keepLinks(wanted.participants, current.participants),
        },
        createdRoomId: null,
      };
    }
    const created = await this.create(scope, wanted.payload, wanted.participants);
    return {
      data: { ...next, roomId: created.roomId, participants: created.participants },
      createdRoomId: created.roomId,
    };
  }

  /** Refuses, before any side effect, data whose room could not be made (no plus participant). */
  async assertFeasible(scope: RequestScope, data: TeleconsultationData): Promise<void> {
    if (isComplete(data)) await this.deps.roles.forRoom(data.participants, scope);
  }

  /**
   * Deletes a room. `mustSucceed`: a failure is the caller's (UPSTREAM_UNAVAILABLE); otherwise the
   * room is one no record points to any more and a failure is logged for clean-up.
   */
  async delete(scope: RequestScope, roomId: string, why: string, mustSucceed = false): Promise<void> {
    try {
      await this.deps.kaleyra.deleteRoom(roomId);
      scope.logger.info({ roomId, why }, 'kaleyra room deleted');
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return;
      if (mustSucceed) throw upstreamErrorFrom(error);
      scope.logger.error({ roomId, why, err: error }, 'kaleyra room could not be deleted; delete it by hand');
    }
  }

  private async roomOf(
    scope: RequestScope,
    data: TeleconsultationData,
  ): Promise<{ payload: CreateRoomInput; participants: RoomParticipant[] }> {
    const participants = await this.deps.roles.forRoom(data.participants, scope);
    return {
      payload: roomFor(
        participants,
        scheduleOf(data),
        this.deps.privileges,
        this.deps.rules,
        data.recording ?? this.deps.rules.defaultRecording,
      ),
      participants,
    };
  }

  /** The room a stored record has, or null when its participants could no longer make one. */
  private async currentRoomOf(
    scope: RequestScope,
    current: TeleconsultationData,
  ): Promise<{ payload: CreateRoomInput } | null> {
    if (!isComplete(current)) return null;
    try {
      return await this.roomOf(scope, current);
    } catch (error) {
      if (error instanceof BadUserInputError) return null;
      throw error;
    }
  }

  private async create(
    scope: RequestScope,
    payload: CreateRoomInput,
    participants: readonly RoomParticipant[],
  ): Promise<{ roomId: string; participants: StoredParticipant[] }> {
    let created: Awaited<ReturnType<KaleyraVideo['createRoom']>>;
    try {
      created = await this.deps.kaleyra.createRoom(payload);
    } catch (error) {
      scope.logger.warn({ err: error }, 'kaleyra room creation failed');
      throw upstreamErrorFrom(error);
    }
    const linked = participants.map((p) => ({
      ...p,
      accessLinkURL: created.links.get(p.kaleyraUserId) ?? null,
    }));
    if (linked.some((p) => p.accessLinkURL === null)) {
      await this.delete(scope, created.roomId, 'Kaleyra returned no link for a participant');
      throw new UpstreamUnavailableError('Kaleyra created the room without a link for every participant.', {
        reason: 'KALEYRA_INCOMPLETE_ROOM',
      });
    }
    // A link is handed to a participant to open: only an https URL is one (a `javascript:` or
    // plain-http "link" from a broken or hijacked upstream never reaches a browser).
    if (linked.some((p) => !isHttpsUrl(p.accessLinkURL as string))) {
      await this.delete(scope, created.roomId, 'Kaleyra returned a link that is not https');
      throw new UpstreamUnavailableError('Kaleyra returned a join link that is not an https URL.', {
        reason: 'KALEYRA_UNSAFE_LINK',
      });
    }
    return { roomId: created.roomId, participants: linked };
  }
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/** The room did not change: every participant keeps the link they may already have been handed. */
function keepLinks(
  next: readonly StoredParticipant[],
  current: readonly StoredParticipant[],
): StoredParticipant[] {
  const links = new Map(current.map((p) => [p.kaleyraUserId, p.accessLinkURL]));
  return next.map((p) => ({ ...p, accessLinkURL: links.get(p.kaleyraUserId) ?? null }));
}
