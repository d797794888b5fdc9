import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Privileges } from '../../domain/privileges.js';
import type { RequestScope } from '../../services/request-scope.js';
import type { StoredTeleconsultation } from '../../services/visits/caller-views.js';
import type { AttendanceChange, WaitingRoomService } from '../../services/visits/waiting-room.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { AttendanceState, DeviceCheckResult } from '../types/enums.js';
import { DeviceCheckInput } from '../types/teleconsultation.input.js';
import { Participant, Teleconsultation, WaitingParticipant } from '../types/teleconsultation.type.js';
import { toParticipant, toTeleconsultation } from './teleconsultation.mapper.js';

/** Check-in, admission and running late; the waiting room a PLUS participant sees. Thin, like every resolver. */
@Resolver(() => Teleconsultation)
export class WaitingRoomResolver {
  constructor(
    private readonly rooms: WaitingRoomService,
    private readonly privileges: Privileges,
  ) {}

  @Mutation(() => Participant, {
    description:
      "The caller checks themselves in to the visit's waiting room (from canJoinFrom minus checkInOpensBeforeMs): WAITING, or ADMITTED at once for a PLUS participant. Policy key checkIn.",
  })
  async checkIn(
    @Arg('teleconsultationId', () => ID) teleconsultationId: string,
    @Arg('device', () => DeviceCheckInput, { nullable: true }) device: DeviceCheckInput | null,
    @Ctx() context: GatewayContext,
  ): Promise<Participant> {
    const change = await this.rooms.checkIn(scopeOf(context), {
      id: teleconsultationId,
      device: device
        ? {
            camera: device.camera,
            microphone: device.microphone,
            speaker: device.speaker,
            networkKbps: device.networkKbps ?? null,
          }
        : null,
    });
    return this.one(change);
  }

  @Mutation(() => Participant, {
    description:
      'Lets a WAITING (or DENIED) BASIC participant in: their link appears at once if their window is open. Policy key admitParticipant.',
  })
  async admitParticipant(
    @Arg('teleconsultationId', () => ID) teleconsultationId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() context: GatewayContext,
  ): Promise<Participant> {
    return this.one(await this.rooms.admit(scopeOf(context), { id: teleconsultationId, userId }));
  }

  @Mutation(() => Participant, {
    description:
      'Turns a WAITING (or ADMITTED) BASIC participant away; reason (at most 500 characters) is shown to PLUS participants only. Policy key denyParticipant.',
  })
  async denyParticipant(
    @Arg('teleconsultationId', () => ID) teleconsultationId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() context: GatewayContext,
  ): Promise<Participant> {
    return this.one(await this.rooms.deny(scopeOf(context), { id: teleconsultationId, userId, reason }));
  }

  @Mutation(() => [Participant], {
    description: 'Lets everyone WAITING in, in check-in order; answers those admitted. Policy key admitAll.',
  })
  async admitAll(
    @Arg('teleconsultationId', () => ID) teleconsultationId: string,
    @Ctx() context: GatewayContext,
  ): Promise<Participant[]> {
    const change = await this.rooms.admitAll(scopeOf(context), { id: teleconsultationId });
    return change.participants.map((p) => toParticipant(p, this.privileges, change.view.record));
  }

  @Mutation(() => Teleconsultation, {
    description:
      'A PLUS participant says they will be late, 0 to 240 minutes (0 clears it): patients see hostDelayMinutes and expectedStartDate; HOST_DELAYED goes to webhooks. Policy key announceDelay.',
  })
  async announceDelay(
    @Arg('teleconsultationId', () => ID) teleconsultationId: string,
    @Arg('minutes', () => Int) minutes: number,
    @Ctx() context: GatewayContext,
  ): Promise<Teleconsultation> {
    const view = await this.rooms.announceDelay(scopeOf(context), { id: teleconsultationId, minutes });
    return toTeleconsultation(view, this.privileges);
  }

  @FieldResolver(() => [WaitingParticipant], {
    nullable: true,
    description:
      'Who waits, in check-in order, since when, with their device check. Policy key waitingRoom (PLUS participants and the back office by default): refused (FORBIDDEN) to others.',
  })
  async waitingRoom(
    @Root() teleconsultation: Teleconsultation,
    @Ctx() context: GatewayContext,
  ): Promise<WaitingParticipant[]> {
    const entries = await this.rooms.waitingRoom(scopeOf(context), teleconsultation.record);
    return entries.map(({ participant, since }) => {
      const device = participant.attendance?.device;
      return {
        userId: participant.userId,
        attendance: AttendanceState.WAITING,
        checkedInAt: since,
        device: device
          ? {
              camera: DeviceCheckResult[device.camera],
              microphone: DeviceCheckResult[device.microphone],
              speaker: DeviceCheckResult[device.speaker],
              networkKbps: device.networkKbps,
            }
          : null,
      };
    });
  }

  private one(change: AttendanceChange): Participant {
    const [participant] = change.participants;
    if (!participant) throw new Error('the participant whose attendance changed is not in the visit');
    return toParticipant(participant, this.privileges, change.view.record);
  }
}

/**
 * `Participant.attendance` and `checkedInAt`: a participant sees their own; everyone else's only
 * a caller the `waitingRoom` policy lets see the waiting room (a BASIC participant never sees
 * another's). Decided once per visit per request.
 */
@Resolver(() => Participant)
export class AttendanceResolver {
  private readonly decisions = new WeakMap<GatewayContext, Map<string, Promise<boolean>>>();

  constructor(private readonly waitingRoom: WaitingRoomService) {}

  @FieldResolver(() => AttendanceState, {
    nullable: true,
    description:
      "NOT_ARRIVED → WAITING (checked in) → ADMITTED | DENIED; NO_SHOW. Null when the caller may not see it: their own always, others' only under the waitingRoom policy.",
  })
  async attendance(
    @Root() participant: Participant,
    @Ctx() context: GatewayContext,
  ): Promise<AttendanceState | null> {
    if (!(await this.visible(participant, context))) return null;
    return AttendanceState[participant.stored.attendance?.state ?? 'NOT_ARRIVED'];
  }

  @FieldResolver(() => DateTimeResolver, {
    nullable: true,
    description: 'When the participant last checked in; null before (or when the caller may not see it).',
  })
  async checkedInAt(@Root() participant: Participant, @Ctx() context: GatewayContext): Promise<Date | null> {
    if (!(await this.visible(participant, context))) return null;
    return participant.stored.attendance?.checkedInAt ?? null;
  }

  private visible(participant: Participant, context: GatewayContext): Promise<boolean> | boolean {
    const scope = scopeOf(context);
    if (participant.stored.userId === scope.caller.id) return true;
    return this.decision(scope, participant.visit, context);
  }

  private decision(
    scope: RequestScope,
    visit: StoredTeleconsultation,
    context: GatewayContext,
  ): Promise<boolean> {
    let byVisit = this.decisions.get(context);
    if (!byVisit) {
      byVisit = new Map();
      this.decisions.set(context, byVisit);
    }
    // Keyed by version too: a subscription's context lives across pushes of a changing visit.
    const key = `${visit.id}:${visit.version}`;
    let decided = byVisit.get(key);
    if (!decided) {
      decided = this.waitingRoom.sees(scope, visit).catch(() => false);
      byVisit.set(key, decided);
    }
    return decided;
  }
}
