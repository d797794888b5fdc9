import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { StoredTeleconsultation, TeleconsultationView } from '../../services/visits/caller-views.js';
import { JoinState, PrivilegeLevel, RecordingMode, TeleconsultationStatus } from './enums.js';
import { Tools } from './service-config.type.js';

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
  @Field(() => URLResolver, {
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
