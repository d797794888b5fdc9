import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';
import type { StoredTeleconsultation, TeleconsultationView } from '../../services/visits/caller-views.js';
import {
  AdmissionMode,
  AttendanceState,
  DeviceCheckResult,
  JoinState,
  PrivilegeLevel,
  RecordingMode,
  TeleconsultationStatus,
} from './enums.js';
import { Tools } from './service-config.type.js';
import { URLScalar } from './url.scalar.js';

@ObjectType({ simpleResolvers: true })
export class Participant {
  @Field(() => ID, { description: "The participant's id in our platform." }) userId!: string;
  @Field(() => String, { nullable: true }) kaleyraUserId?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'As given at creation without an auth service; from the auth service (never stored) with one.',
  })
  fullName?: string | null;
  @Field(() => [String]) groups!: string[];
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => PrivilegeLevel) role!: PrivilegeLevel;
  @Field(() => Tools) tools!: Tools;
  // attendance and checkedInAt: resolved by AttendanceResolver (waiting-room.resolver.ts).

  /** Not a field: the stored participant and their visit, for the attendance a caller may see. */
  stored!: StoredParticipant;
  visit!: StoredTeleconsultation;
}

@ObjectType({ description: "What a participant's pre-call device test found." })
export class DeviceCheck {
  @Field(() => DeviceCheckResult) camera!: DeviceCheckResult;
  @Field(() => DeviceCheckResult) microphone!: DeviceCheckResult;
  @Field(() => DeviceCheckResult) speaker!: DeviceCheckResult;
  @Field(() => Int, { nullable: true, description: 'Measured bandwidth in kbit/s.' }) networkKbps?:
    | number
    | null;
}

@ObjectType({ description: 'Someone in the waiting room: checked in, not admitted yet.' })
export class WaitingParticipant {
  @Field(() => ID) userId!: string;
  @Field(() => AttendanceState) attendance!: AttendanceState;
  @Field(() => DateTimeResolver, { description: 'When they checked in: the waiting room is in this order.' })
  checkedInAt!: Date;
  @Field(() => DeviceCheck, { nullable: true, description: 'Their device check, when they sent one.' })
  device?: DeviceCheck | null;
}

@ObjectType({ simpleResolvers: true, description: 'The live Kaleyra room.' })
export class RoomDetails {
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => Boolean, { nullable: true }) disabled?: boolean | null;
  @Field(() => DateTimeResolver, { nullable: true }) creationDate?: Date | null;
  @Field(() => Int, { nullable: true }) durationInSeconds?: number | null;
  @Field(() => Int, { nullable: true }) durationUsedInSeconds?: number | null;
  @Field(() => Boolean, { nullable: true }) live?: boolean | null;
  @Field(() => String, { nullable: true }) recording?: string | null;
  @Field(() => String, { nullable: true }) recordingStatus?: string | null;
  @Field(() => String, { nullable: true }) callType?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A video visit, as seen by the caller.' })
export class Teleconsultation {
  @Field(() => ID) id!: string;
  @Field(() => TeleconsultationStatus) status!: TeleconsultationStatus;
  @Field(() => DateTimeResolver) startDate!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) endDate?: Date | null;
  @Field(() => Int, { nullable: true }) durationInSeconds?: number | null;
  @Field(() => DateTimeResolver, { description: 'startDate - IMMUTABLE_PERIOD_MS.' }) lockedFrom!: Date;
  @Field(() => Boolean, { description: 'now >= lockedFrom and the room exists.' }) locked!: boolean;
  @Field(() => Int) participantsNumber!: number;
  @Field(() => [Participant]) participants!: Participant[];
  @Field(() => String, {
    nullable: true,
    description: 'The Kaleyra room id; null until every participant is known.',
  })
  roomId?: string | null;
  @Field(() => URLScalar, {
    nullable: true,
    description: "The caller's own join link; non-null exactly when joinState is OPEN.",
  })
  accessLinkURL?: string | null;
  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      "From when the caller may join: the latest of lockedFrom and startDate minus their group's join window. Null when the caller is not a participant.",
  })
  canJoinFrom?: Date | null;
  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      'Until when participants may join: endDate plus joinClosesAfterEndMs; null when the room never closes.',
  })
  canJoinUntil?: Date | null;
  @Field(() => JoinState, { description: 'Whether the caller can join now.' })
  joinState!: JoinState;
  @Field(() => RecordingMode, { description: "How the call is recorded (sent as the room's recording)." })
  recording!: RecordingMode;
  @Field(() => AdmissionMode, {
    description:
      "Who lets BASIC participants in: the visit's own, else the config file's admission for its PLUS participants' groups.",
  })
  admission!: AdmissionMode;
  @Field(() => Int, {
    nullable: true,
    description: 'The delay a PLUS participant announced (announceDelay), in minutes; null when none.',
  })
  hostDelayMinutes?: number | null;
  @Field(() => DateTimeResolver, {
    description:
      'When the visit is expected to start: startDate, or the announcement if later, plus hostDelayMinutes.',
  })
  expectedStartDate!: Date;
  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      'From when the caller may check in: canJoinFrom minus checkInOpensBeforeMs. Null when the caller is not a participant.',
  })
  checkInOpensAt?: Date | null;
  // waitingRoom: resolved by WaitingRoomResolver (waiting-room.resolver.ts).

  /** Not a field: what the `details` resolver needs to fetch the live room. */
  record!: StoredTeleconsultation;
  /** Not a field: the caller's view, for recording the link once an answer hands it out. */
  view!: TeleconsultationView;
}

@ObjectType({ simpleResolvers: true })
export class UploadsDeletion {
  @Field(() => Boolean, { description: 'TELECONSULTATION_DELETE_UPLOADS is on.' }) enabled!: boolean;
  @Field(() => Int) total!: number;
  @Field(() => Int) deleted!: number;
}
