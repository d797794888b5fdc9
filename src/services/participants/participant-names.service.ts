import type { StoredParticipant } from '../../domain/teleconsultation-record.js';
import type { UserDirectory } from '../../identity/ports.js';
import type { RequestScope } from '../request-scope.js';

/** What a name is shown from: the participant's id and the name stored with it, if any. */
export type NamedParticipant = Pick<StoredParticipant, 'userId'> & { fullName?: string | null };

/**
 * Full names of participants for display, the one rule for GraphQL's `Participant.fullName` and
 * the REST read's `participantsBandyerCall`. Without an auth service they are stored with the
 * participant; with one, nothing but the groups is stored and names are asked of the auth
 * service each time (so a renamed user shows the new name), in one lookup per batch. A name
 * stored anyway (a visit scheduled before AUTH_SERVICE was set) is shown as stored.
 */
export class ParticipantNamesService {
  constructor(private readonly directory: UserDirectory | null) {}

  /**
   * The name to show when no one needs asking: the stored one, or null when there is none and no
   * auth service to ask. `undefined`: the auth service must be asked (`fullNamesOf`).
   */
  knownNameOf(participant: NamedParticipant): string | null | undefined {
    if (participant.fullName != null) return participant.fullName;
    return this.directory ? undefined : null;
  }

  /** Names of the given participants, in order, with one auth-service lookup for those it must name. */
  async fullNamesOf(
    scope: RequestScope,
    participants: readonly NamedParticipant[],
  ): Promise<Array<string | null>> {
    const known = participants.map((participant) => this.knownNameOf(participant));
    const asked = participants.filter((_, index) => known[index] === undefined).map((p) => p.userId);
    if (!this.directory || asked.length === 0) return known.map((name) => name ?? null);
    const found = await this.directory.lookup(asked, scope.headers, scope.logger);
    return participants.map((participant, index) => {
      const stored = known[index];
      if (stored !== undefined) return stored;
      // An unknown user, or one the auth service knows without a name: no name, not an error.
      const name = found.get(participant.userId)?.fullName;
      return name ? name : null;
    });
  }
}
