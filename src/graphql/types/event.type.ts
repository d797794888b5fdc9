import { DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { DEFAULT_HISTORY_PAGE_SIZE } from '../../services/events/event-log.js';
import { PageInfo } from './agenda.type.js';
import { DeliveryState, TeleconsultationEventType } from './enums.js';

/** A page of the audit trail: the same arguments wherever it is read. */
@ArgsType()
export class HistoryPageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_HISTORY_PAGE_SIZE, description: 'At most 100.' })
  first!: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'One entry of a teleconsultation’s audit trail: ids only, no names, no links.',
})
export class TeleconsultationEvent {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '1, 2, 3… per teleconsultation, with no gaps.' }) sequence!: number;
  @Field(() => TeleconsultationEventType) type!: TeleconsultationEventType;
  @Field(() => DateTimeResolver) occurredAt!: Date;
  @Field(() => ID, { nullable: true, description: "Who did it (the caller's user id); null for the system." })
  actorId?: string | null;
  @Field(() => [String], { description: 'UPDATED: the fields that changed.' }) changedFields!: string[];
  @Field(() => [ID], {
    description:
      'PARTICIPANTS_ADDED: who was added; LINK_ISSUED: who was handed their link; CREATED: everyone; PARTICIPANT_*: the participant whose attendance changed.',
  })
  participantIds!: string[];
  @Field(() => ID, {
    nullable: true,
    description: 'TRANSCRIPTION_READ: the session whose transcription was read; null for other events.',
  })
  sessionId?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'HOST_DELAYED: the minutes announced (0: cleared); null for other events.',
  })
  delayMinutes?: number | null;
}

@ObjectType({ simpleResolvers: true })
export class TeleconsultationEventEdge {
  @Field(() => String) cursor!: string;
  @Field(() => TeleconsultationEvent) node!: TeleconsultationEvent;
}

@ObjectType({ simpleResolvers: true, description: 'A page of a teleconsultation’s events, oldest first.' })
export class TeleconsultationEventConnection {
  @Field(() => [TeleconsultationEventEdge]) edges!: TeleconsultationEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ simpleResolvers: true, description: 'One event on its way to one webhook endpoint.' })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) eventId!: string;
  @Field(() => TeleconsultationEventType) eventType!: TeleconsultationEventType;
  @Field(() => ID) teleconsultationId!: string;
  @Field(() => Int) sequence!: number;
  @Field(() => String, { nullable: true, description: 'Null when the endpoint is no longer configured.' })
  endpointUrl?: string | null;
  @Field(() => DeliveryState) state!: DeliveryState;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer, if any.' })
  lastStatus?: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (a status, a timeout).' })
  lastError?: string | null;
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) nextAttemptAt?: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) deliveredAt?: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => WebhookDelivery) node!: WebhookDelivery;
}

@ObjectType({ simpleResolvers: true, description: 'A page of webhook deliveries, newest first.' })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
