import type { PrivilegeLevel } from '../domain/privileges.js';
import type { KaleyraVideo } from '../kaleyra/port.js';
import { kaleyraUserIdFor } from '../kaleyra/user-id.js';
import { mapWithConcurrency } from '../shared/bounded-concurrency.js';
import type { UserIdMapStore } from '../storage/ports.js';
import { upstreamErrorFrom } from './upstream-errors.js';

/**
 * Maps platform users to Kaleyra users (the original service's user-id map). A first-time user
 * is created on Kaleyra under an id derived from their platform id, so concurrent requests and
 * replicas agree on it: Kaleyra answers 409 to the second creation (treated as success) and the
 * map's unique index keeps exactly one mapping.
 */
export class KaleyraUsers {
  constructor(
    private readonly userIdMap: UserIdMapStore,
    private readonly kaleyra: KaleyraVideo,
    private readonly concurrency = 8,
  ) {}

  async kaleyraIdsFor(
    users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>,
  ): Promise<Map<string, string>> {
    const known = await this.userIdMap.findMany(users.map((u) => u.userId));
    const missing = users.filter((u) => !known.has(u.userId));
    await mapWithConcurrency(missing, this.concurrency, async ({ userId, role }) => {
      const kaleyraUserId = kaleyraUserIdFor(userId);
      try {
        await this.kaleyra.createUser({ kaleyraUserId, role });
      } catch (error) {
        throw upstreamErrorFrom(error);
      }
      const stored = await this.userIdMap.insertIfAbsent({ userId, kaleyraUserId });
      known.set(userId, stored.kaleyraUserId);
    });
    return known;
  }

  async kaleyraIdOf(userId: string): Promise<string | null> {
    return (await this.userIdMap.findMany([userId])).get(userId) ?? null;
  }
}
