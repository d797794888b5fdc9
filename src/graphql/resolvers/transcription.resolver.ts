import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { TranscriptionService } from '../../services/visits/transcription.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { Teleconsultation } from '../types/teleconsultation.type.js';
import { TeleconsultationSession, TranscriptionStatus } from '../types/transcription.type.js';
import { ROOM_DETAILS_COST } from './teleconsultation.resolver.js';

/**
 * What one `transcription` adds to an operation's cost (GRAPHQL_MAX_COST): GraphQL holds each
 * transcription whole (up to TRANSCRIPTION_MAX_FILE_SIZE), so with the default limit (1000) an
 * operation reads one, not one per alias.
 */
export const TRANSCRIPTION_COST = 600;

/** Thin: a visit's sessions and one session's transcription, each one service call. */
@Resolver(() => Teleconsultation)
export class TranscriptionResolver {
  constructor(private readonly transcriptions: TranscriptionService) {}

  // A Kaleyra call per selection, as `details`.
  @FieldResolver(() => [TeleconsultationSession], {
    nullable: true,
    complexity: ROOM_DETAILS_COST,
    description:
      "The meetings held in the visit's Kaleyra room, with whether each has a transcription; fetched from Kaleyra only when selected, empty before the room exists and once cancelled. Policy key transcription (PLUS participants and the back office by default): null with FORBIDDEN for other readers.",
  })
  async sessions(
    @Root() teleconsultation: Teleconsultation,
    @Ctx() context: GatewayContext,
  ): Promise<TeleconsultationSession[]> {
    const sessions = await this.transcriptions.sessions(scopeOf(context), teleconsultation.record);
    return sessions.map((session) => ({
      ...session,
      transcriptionStatus:
        TranscriptionStatus[session.transcriptionStatus.toUpperCase() as TranscriptionStatus],
    }));
  }

  @Query(() => GraphQLJSON, {
    nullable: true,
    complexity: TRANSCRIPTION_COST,
    description:
      "One session's transcription, the document as Kaleyra makes it ({ session_id, room_id, language, segments: [{ user_id, start_ms, end_ms, text }] }). Policy key transcription (PLUS participants and the back office by default). Larger than TRANSCRIPTION_MAX_FILE_SIZE: PAYLOAD_TOO_LARGE (TRANSCRIPTION_TOO_LARGE); still being made: CONFLICT (TRANSCRIPTION_NOT_READY); no such session or no transcription: NOT_FOUND (TRANSCRIPTION_NOT_FOUND). Each reading is a TRANSCRIPTION_READ event in the visit's history. Weighs 600 in the operation cost: one per operation with the default GRAPHQL_MAX_COST.",
  })
  transcription(
    @Arg('teleconsultationId', () => ID) teleconsultationId: string,
    @Arg('sessionId', () => ID) sessionId: string,
    @Ctx() context: GatewayContext,
  ): Promise<unknown> {
    return this.transcriptions.document(scopeOf(context), { visit: { teleconsultationId }, sessionId });
  }
}
