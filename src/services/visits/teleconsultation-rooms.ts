import { BadUserInputError, UpstreamUnavailableError } from '../../domain/errors.js';
import type { Privileges } from '../../domain/privileges.js';
import type { TeleconsultationRules } from '../../domain/settings.js';
import {
  isComplete,
  type RoomParticipant,
  type StoredParticipant,
  scheduleOf,
  type TeleconsultationData,
} from '../../domain/teleconsultation-record.js';
import type { StoredTeleconsultation } from '../../storage/ports.js';
import type {
  CreateRoomInput,
  CreatedRoom as ProviderRoom,
  VideoProvider,
  VideoProviders,
} from '../../video/port.js';
import type { ParticipantRoles } from '../participants/participant-roles.js';
import type { RequestScope } from '../request-scope.js';
import { providerOfRecord, requireCapability, upstreamErrorFrom } from '../upstream-errors.js';
import type { RoomCleanup, RoomIntent, RoomRetirement } from './room-cleanup.js';
import type { RoomEnding } from './room-ending.js';
import { roomFor, sameRoom } from './room-payload.js';

/** A room created for a change, with the intent that finds it if the change is lost. */
export interface CreatedRoom {
  roomId: string;
  intent: RoomIntent;
}

/** What a change needs from the video provider before it can be stored. */
export interface RoomPlan {
  /** The data to store: the room id and the links (kept or new), every participant with a role. */
  data: TeleconsultationData;
  /**
   * A room created for this change: whoever stores `data` settles it (`keep`) once stored, or
   * discards it when the write does not happen.
   */
  created: CreatedRoom | null;
}

export interface TeleconsultationRoomsDeps {
  /** A record's room is created on the provider the record names (`provider`). */
  video: VideoProviders;
  cleanup: RoomCleanup;
  /** Rooms that end with the last join window (LiveKit); absent: none is scheduled. */
  ending?: RoomEnding;
  roles: ParticipantRoles;
  privileges: Privileges;
  rules: TeleconsultationRules;
}

/**
 * The video room lifecycle of a teleconsultation. Rooms are never edited: the room a
 * record needs is computed from its participants and schedule, compared with the room it has, and
 * a different one is created anew. Rooms are never deleted here: they are handed to the room
 * clean-up (durable jobs), which deletes them once no record points to them.
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
          participants: next.participants.map(({ linkIssuedAt: _issued, ...p }) => ({
            ...p,
            accessLinkURL: null,
          })),
        },
        created: null,
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
        created: null,
      };
    }
    const provider = providerOfRecord(this.deps.video, next);
    const created = await this.create(scope, provider, wanted.payload, wanted.participants);
    return {
      data: { ...next, roomId: created.roomId, participants: created.participants },
      created: { roomId: created.roomId, intent: created.intent },
    };
  }

  /** A record is stored: its room's end, where its provider needs one (room-ending.ts). */
  async scheduleEnd(scope: RequestScope, record: StoredTeleconsultation): Promise<void> {
    await this.deps.ending?.schedule(record, scope.logger);
  }

  /** The record that points to a created room is stored: its intent has nothing left to find. */
  async keep(scope: RequestScope, created: CreatedRoom): Promise<void> {
    await this.deps.cleanup.settle(created.intent, scope.logger);
  }

  /**
   * The record a room was created for was not stored. `maybeWritten`: the store failed in a way
   * that may still have written it; the deletion then checks later whether a record uses it.
   */
  async discard(
    scope: RequestScope,
    created: CreatedRoom,
    why: string,
    maybeWritten: boolean,
  ): Promise<void> {
    await this.deps.cleanup.discard(
      created.intent.provider,
      created.roomId,
      created.intent,
      why,
      scope.logger,
      maybeWritten,
    );
  }

  /** Before the write that stops pointing to `roomId` (on `provider`): its deletion, due once the write is known. */
  retire(provider: string, roomId: string, why: string): Promise<RoomRetirement> {
    return this.deps.cleanup.retire(provider, roomId, why);
  }

  /** The write happened: the retired room goes now. */
  async confirm(scope: RequestScope, retirement: RoomRetirement): Promise<void> {
    await this.deps.cleanup.confirm(retirement, scope.logger);
    scope.logger.info({ roomId: retirement.roomId }, 'video room scheduled for deletion');
  }

  /** The write did not happen: the record still points to the room. */
  async abandon(scope: RequestScope, retirement: RoomRetirement): Promise<void> {
    await this.deps.cleanup.abandon(retirement, scope.logger);
  }

  /**
   * Refuses, before any side effect, data whose room could not be made: no plus participant, or a
   * recording its provider does not offer (PROVIDER_CAPABILITY_UNAVAILABLE).
   */
  async assertFeasible(scope: RequestScope, data: TeleconsultationData): Promise<void> {
    const recording = data.recording ?? this.deps.rules.defaultRecording;
    if (recording !== 'none' && data.state === 'active') {
      requireCapability(providerOfRecord(this.deps.video, data), 'RECORDING');
    }
    if (isComplete(data)) await this.deps.roles.forRoom(data.participants, scope);
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
    provider: VideoProvider,
    payload: CreateRoomInput,
    participants: readonly RoomParticipant[],
  ): Promise<{ roomId: string; intent: RoomIntent; participants: StoredParticipant[] }> {
    // Durable before the room exists: if the creation fails or times out, the provider may still
    // create it, and the intent's sweep finds it by its marker.
    const intent = await this.deps.cleanup.intend(provider.name, scope.logger);
    let created: ProviderRoom;
    try {
      created = await provider.createRoom({ ...payload, marker: intent.marker }, scope.logger);
    } catch (error) {
      scope.logger.warn({ err: error }, `${provider.name} room creation failed; its intent will sweep`);
      await this.deps.cleanup.creationFailed(intent, scope.logger);
      throw upstreamErrorFrom(error);
    }
    const discard = (why: string) =>
      this.deps.cleanup.discard(provider.name, created.roomId, intent, why, scope.logger, false);
    // New links: none of them was handed out yet (LINK_ISSUED is per participant and link).
    const linked = participants.map(({ linkIssuedAt: _issued, ...p }) => ({
      ...p,
      accessLinkURL: created.links.get(p.videoUserId) ?? null,
    }));
    if (linked.some((p) => p.accessLinkURL === null)) {
      await discard(`${provider.name} returned no link for a participant`);
      throw new UpstreamUnavailableError(
        `${provider.name} created the room without a link for every participant.`,
        {
          reason: 'KALEYRA_INCOMPLETE_ROOM',
        },
      );
    }
    // A link is handed to a participant to open: only an https URL is one (a `javascript:` or
    // plain-http "link" from a broken or hijacked upstream never reaches a browser).
    if (linked.some((p) => !isHttpsUrl(p.accessLinkURL as string))) {
      await discard(`${provider.name} returned a link that is not https`);
      throw new UpstreamUnavailableError(`${provider.name} returned a join link that is not an https URL.`, {
        reason: 'KALEYRA_UNSAFE_LINK',
      });
    }
    return { roomId: created.roomId, intent, participants: linked };
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
  const links = new Map(current.map((p) => [p.videoUserId, p.accessLinkURL]));
  return next.map((p) => ({ ...p, accessLinkURL: links.get(p.videoUserId) ?? null }));
}
