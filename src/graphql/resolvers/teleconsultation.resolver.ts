import { type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Privileges } from '../../domain/privileges.js';
import type { RecordingType } from '../../domain/teleconsultation-record.js';
import { firstHandOutIn, type TeleconsultationView } from '../../services/visits/caller-views.js';
import type { TeleconsultationService } from '../../services/visits/teleconsultation.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { fromArgument } from '../errors.js';
import type { RecordingMode } from '../types/enums.js';
import { HistoryPageArgs, TeleconsultationEventConnection } from '../types/event.type.js';
import {
  CreateTeleconsultationInput,
  ParticipantInput,
  UpdateTeleconsultationInput,
} from '../types/teleconsultation.input.js';
import { RoomDetails, Teleconsultation, UploadsDeletion } from '../types/teleconsultation.type.js';
import { toEventConnection } from './event.mapper.js';
import { toTeleconsultation } from './teleconsultation.mapper.js';

/** What one `details` selection adds to an operation's cost (GRAPHQL_MAX_COST). */
export const ROOM_DETAILS_COST = 10;

/** Thin: maps arguments to one service call and the result back. */
@Resolver(() => Teleconsultation)
export class TeleconsultationResolver {
  constructor(
    private readonly teleconsultations: TeleconsultationService,
    private readonly privileges: Privileges,
  ) {}

  @Query(() => Teleconsultation, {
    nullable: true,
    description: 'One teleconsultation, as seen by the caller. The caller must be one of its participants.',
  })
  async teleconsultation(
    @Arg('id', () => ID) id: string,
    @Arg('language', () => String, { nullable: true }) language: string | null,
    @Arg('useBackground', () => Boolean, { nullable: true }) useBackground: boolean | null,
    @Ctx() context: GatewayContext,
  ): Promise<Teleconsultation> {
    // The view without recording a hand-out: the answer records it if it carries the link.
    const view = await this.teleconsultations.peek(scopeOf(context), { id, language, useBackground });
    return toTeleconsultation(view, this.privileges);
  }

  @Query(() => TeleconsultationEventConnection, {
    description:
      "A visit's audit trail by id, oldest first, decided by the teleconsultationHistory policy alone (PLUS participants and the back office by default): the back office, which is no participant, reads it here. Teleconsultation.history is the same list for a caller who may also read the visit.",
  })
  async teleconsultationHistory(
    @Arg('id', () => ID) id: string,
    @Args(() => HistoryPageArgs) { first, after }: HistoryPageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<TeleconsultationEventConnection> {
    return toEventConnection(await this.teleconsultations.historyOf(scopeOf(context), { id, first, after }));
  }

  /**
   * The caller's own link, wherever a Teleconsultation is answered (a query, the agenda, a
   * mutation's answer, a subscription's push): offered to the operation's hand-outs, which
   * record LINK_ISSUED once the complete answer is known to carry it (see LinkHandOuts).
   */
  @FieldResolver()
  accessLinkURL(
    @Root() teleconsultation: Teleconsultation,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): string | null {
    const link = teleconsultation.accessLinkURL ?? null;
    const { view } = teleconsultation;
    // Handed out before: nothing to record (the record's own check decides races).
    const userId = firstHandOutIn(view);
    if (link !== null && userId !== null) {
      // Ids only: a push's hand-out is recorded after the instant's last push, and what this
      // closure holds is held until then (10,000 views at one instant).
      const id = view.record.id;
      context.linkHandOuts.offer(responsePathAsArray(info.path), link, id, () =>
        this.teleconsultations.linkHandedOut(scopeOf(context), id, userId),
      );
    }
    return link;
  }

  /** A mutation's answer is the caller's view; its link, when selected, is recorded as any other. */
  private answer(view: TeleconsultationView): Teleconsultation {
    return toTeleconsultation(view, this.privileges);
  }

  @Mutation(() => Teleconsultation)
  async createTeleconsultation(
    @Arg('input', () => CreateTeleconsultationInput) input: CreateTeleconsultationInput,
    @Ctx() context: GatewayContext,
  ): Promise<Teleconsultation> {
    const view = await fromArgument(['input'], () =>
      this.teleconsultations.create(scopeOf(context), { ...input, recording: recordingOf(input.recording) }),
    );
    return this.answer(view);
  }

  @Mutation(() => Teleconsultation, {
    description: 'Adds participants; the room is created once all are known.',
  })
  async addParticipants(
    @Arg('id', () => ID) id: string,
    @Arg('participants', () => [ParticipantInput]) participants: ParticipantInput[],
    @Ctx() context: GatewayContext,
  ): Promise<Teleconsultation> {
    const view = await this.teleconsultations.addParticipants(scopeOf(context), { id, participants });
    return this.answer(view);
  }

  @Mutation(() => Teleconsultation)
  async updateTeleconsultation(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTeleconsultationInput) input: UpdateTeleconsultationInput,
    @Ctx() context: GatewayContext,
  ): Promise<Teleconsultation> {
    const view = await fromArgument(['input'], () =>
      this.teleconsultations.update(scopeOf(context), {
        id,
        ...input,
        recording: recordingOf(input.recording),
      }),
    );
    return this.answer(view);
  }

  @Mutation(() => Teleconsultation, {
    description: 'Cancels: deletes the Kaleyra room and keeps the record.',
  })
  async deleteTeleconsultation(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<Teleconsultation> {
    const view = await this.teleconsultations.cancel(scopeOf(context), { id });
    return toTeleconsultation(view, this.privileges);
  }

  @Mutation(() => UploadsDeletion, {
    description: 'Deletes files uploaded in the call (TELECONSULTATION_DELETE_UPLOADS).',
  })
  async deleteTeleconsultationUploads(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<UploadsDeletion> {
    return this.teleconsultations.deleteUploads(scopeOf(context), { id });
  }

  @FieldResolver(() => String, {
    description:
      'The visit as an iCalendar (RFC 5545) event: a UID stable for its whole life, a SEQUENCE raised on every move and on cancellation, METHOD:CANCEL once cancelled. Names no participant and carries no join link.',
  })
  calendarEvent(@Root() teleconsultation: Teleconsultation): string {
    return this.teleconsultations.calendarEventOf(teleconsultation.record);
  }

  @FieldResolver(() => TeleconsultationEventConnection, {
    description:
      'The audit trail, oldest first: who changed what and when, and who was handed a link. Policy key teleconsultationHistory (PLUS participants and the back office by default).',
  })
  async history(
    @Root() teleconsultation: Teleconsultation,
    @Args(() => HistoryPageArgs) { first, after }: HistoryPageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<TeleconsultationEventConnection> {
    const page = await this.teleconsultations.history(scopeOf(context), {
      record: teleconsultation.record,
      first,
      after,
    });
    return toEventConnection(page);
  }

  // Each selection costs a Kaleyra call, so it weighs more in the query cost limit.
  @FieldResolver(() => RoomDetails, {
    nullable: true,
    complexity: ROOM_DETAILS_COST,
    description: 'The live Kaleyra room, fetched only when selected.',
  })
  details(
    @Root() teleconsultation: Teleconsultation,
    @Ctx() context: GatewayContext,
  ): Promise<RoomDetails | null> {
    // The service's LiveRoom is what RoomDetails shows, field for field.
    return this.teleconsultations.roomDetails(teleconsultation.record, context.logger);
  }
}

/** The schema's RecordingMode in Kaleyra's (and the service's) words. */
function recordingOf(mode: RecordingMode | null | undefined): RecordingType | null {
  return mode ? (mode.toLowerCase() as RecordingType) : null;
}
