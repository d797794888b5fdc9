import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ParticipantNamesService } from '../../services/participants/participant-names.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { Participant } from '../types/teleconsultation.type.js';

/**
 * `Participant.fullName`. Without an auth service it is the stored name, as given. With one,
 * nothing but the groups is stored, so the name is asked of the auth service, only when the field
 * is selected, and batched per request: every participant of every teleconsultation in one
 * response costs one lookup, one call per distinct user (and the directory's cache often none).
 */
@Resolver(() => Participant)
export class ParticipantResolver {
  /** One loader per request (keyed by its context), so nothing outlives the request. */
  private readonly loaders = new WeakMap<GatewayContext, DataLoader<string, string | null>>();

  constructor(private readonly names: ParticipantNamesService) {}

  // The field's description lives on the Participant type (teleconsultation.type.ts).
  @FieldResolver(() => String, { nullable: true })
  // Not `async`: without an auth service (or with a stored name) the value is returned as is, so
  // graphql-js does not await a promise per participant on the hot read path.
  fullName(
    @Root() participant: Participant,
    @Ctx() context: GatewayContext,
  ): string | null | Promise<string | null> {
    if (participant.fullName != null || !this.names.fromDirectory) return participant.fullName ?? null;
    return this.loaderFor(context).load(participant.userId);
  }

  private loaderFor(context: GatewayContext): DataLoader<string, string | null> {
    let loader = this.loaders.get(context);
    if (!loader) {
      loader = new DataLoader((userIds: readonly string[]) => this.names.namesOf(scopeOf(context), userIds));
      this.loaders.set(context, loader);
    }
    return loader;
  }
}
