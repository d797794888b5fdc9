import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type {
  NamedParticipant,
  ParticipantNamesService,
} from '../../services/participants/participant-names.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { Participant } from '../types/teleconsultation.type.js';

/**
 * `Participant.fullName`, by the names service's rule (the REST read uses the same). A name that
 * needs the auth service is asked for only when the field is selected, and batched per request:
 * every participant of every teleconsultation in one response costs one lookup, one call per
 * distinct user (and the directory's cache often none).
 */
@Resolver(() => Participant)
export class ParticipantResolver {
  /** One loader per request (keyed by its context), so nothing outlives the request. */
  private readonly loaders = new WeakMap<
    GatewayContext,
    DataLoader<NamedParticipant, string | null, string>
  >();

  constructor(private readonly names: ParticipantNamesService) {}

  // The field's description lives on the Participant type (teleconsultation.type.ts).
  @FieldResolver(() => String, { nullable: true })
  // Not `async`: without an auth service (or with a stored name) the value is returned as is, so
  // graphql-js does not await a promise per participant on the hot read path.
  fullName(
    @Root() participant: Participant,
    @Ctx() context: GatewayContext,
  ): string | null | Promise<string | null> {
    const known = this.names.knownNameOf(participant);
    return known !== undefined ? known : this.loaderFor(context).load(participant);
  }

  private loaderFor(context: GatewayContext): DataLoader<NamedParticipant, string | null, string> {
    let loader = this.loaders.get(context);
    if (!loader) {
      // The batch closes over the scope, not the context: a WeakMap value that reaches its own
      // key keeps the key alive through young-generation collections (see CompletedLineFields).
      const scope = scopeOf(context);
      loader = new DataLoader(
        (participants: readonly NamedParticipant[]) => this.names.fullNamesOf(scope, participants),
        { cacheKeyFn: (participant) => participant.userId },
      );
      this.loaders.set(context, loader);
    }
    return loader;
  }
}
