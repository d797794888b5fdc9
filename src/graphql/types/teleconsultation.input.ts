import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AdmissionMode, DeviceCheckResult, RecordingMode } from './enums.js';
import { PositiveIntScalar } from './positive-int.scalar.js';

@InputType()
export class ParticipantInput {
  @Field(() => ID, { description: "The participant's id in our platform (receivedUserId)." }) userId!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Required when no AUTH_SERVICE is configured; ignored otherwise.',
  })
  fullName?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Required when no AUTH_SERVICE is configured; ignored otherwise.',
  })
  groups?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Join-link language: en, it, pl, fr, de or es.' })
  language?: string | null;
}

@InputType()
export class CreateTeleconsultationInput {
  @Field(() => DateTimeResolver) startDate!: Date;
  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'Exactly one of endDate and durationInSeconds.',
  })
  endDate?: Date | null;
  @Field(() => PositiveIntScalar, { nullable: true, description: 'At least 300 (five minutes).' })
  durationInSeconds?: number | null;
  @Field(() => PositiveIntScalar, {
    nullable: true,
    description: 'Expected participants; defaults to the number given.',
  })
  participantsNumber?: number | null;
  @Field(() => [ParticipantInput]) participants!: ParticipantInput[];
  @Field(() => RecordingMode, { nullable: true, description: 'Default: DEFAULT_RECORDING_TYPE.' })
  recording?: RecordingMode | null;
  @Field(() => AdmissionMode, {
    nullable: true,
    description:
      "Who lets BASIC participants in. Default: the config file's admission for the groups of the visit's PLUS participants.",
  })
  admission?: AdmissionMode | null;
}

@InputType({ description: 'Every field is optional; participants replaces the list.' })
export class UpdateTeleconsultationInput {
  @Field(() => DateTimeResolver, { nullable: true }) startDate?: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) endDate?: Date | null;
  @Field(() => PositiveIntScalar, { nullable: true }) durationInSeconds?: number | null;
  @Field(() => PositiveIntScalar, { nullable: true }) participantsNumber?: number | null;
  @Field(() => [ParticipantInput], { nullable: true }) participants?: ParticipantInput[] | null;
  @Field(() => RecordingMode, {
    nullable: true,
    description:
      'A change replaces the room, like any other room change (only while the visit can still change).',
  })
  recording?: RecordingMode | null;
  @Field(() => AdmissionMode, {
    nullable: true,
    description: 'Who lets BASIC participants in (only while the visit can still change; the room is kept).',
  })
  admission?: AdmissionMode | null;
}

@InputType({ description: "What the frontend's pre-call test found: shown to the host in the waiting room." })
export class DeviceCheckInput {
  @Field(() => DeviceCheckResult, { defaultValue: DeviceCheckResult.UNTESTED }) camera!: DeviceCheckResult;
  @Field(() => DeviceCheckResult, { defaultValue: DeviceCheckResult.UNTESTED })
  microphone!: DeviceCheckResult;
  @Field(() => DeviceCheckResult, { defaultValue: DeviceCheckResult.UNTESTED }) speaker!: DeviceCheckResult;
  @Field(() => Int, { nullable: true, description: 'Measured bandwidth in kbit/s; 0 to 10,000,000.' })
  networkKbps?: number | null;
}
