import type { UserDirectory } from '../../identity/ports.js';
import type { RequestScope } from '../request-scope.js';

/**
 * Full names of participants for display. Without an auth service they are stored with the
 * participant; with one, nothing but the groups is stored and names are asked of the auth
 * service each time (so a renamed user shows the new name), in one lookup per batch.
 */
export class ParticipantNamesService {
  constructor(private readonly directory: UserDirectory | null) {}

  /** Whether names must be looked up (the auth-service mode). */
  get fromDirectory(): boolean {
    return this.directory !== null;
  }

  /** Names of the given users, in order; null for a user the auth service does not know. */
  async namesOf(scope: RequestScope, userIds: readonly string[]): Promise<Array<string | null>> {
    if (!this.directory) return userIds.map(() => null);
    const found = await this.directory.lookup(userIds, scope.headers);
    return userIds.map((userId) => {
      const name = found.get(userId)?.fullName;
      return name ? name : null;
    });
  }
}
