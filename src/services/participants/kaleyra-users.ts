import type { PrivilegeLevel } from '../../domain/privileges.js';
import type { KaleyraVideo } from '../../kaleyra/port.js';
import { kaleyraUserIdFor } from '../../kaleyra/user-id.js';
import { mapWithConcurrency } from '../../shared/bounded-concurrency.js';
import type { UserIdMapStore } from '../../storage/ports.js';
import { upstreamErrorFrom } from '../upstream-errors.js';

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

  /**
   * The Kaleyra id of each user, without creating anyone yet: mapped users keep their id, new
   * ones get the id derived from their platform id. `create` then creates the new ones (call it
   * only once everything that could refuse the request has been decided) and raises to plus the
   * mapped users who are plus now but were not when we last set their role: Kaleyra keeps the
   * role a user was created with, and a room whose only plus participant is a basic user is
   * refused. The map records the role we set, so the raise happens once.
   */
  async plan(
    users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>,
  ): Promise<{ ids: Map<string, string>; create: () => Promise<void> }> {
    const ids = await this.userIdMap.findMany(users.map((u) => u.userId));
    const missing = users.filter((u) => !ids.has(u.userId));
    const mappedPlus = users.filter((u) => ids.has(u.userId) && u.role === 'plus');
    const recorded =
      mappedPlus.length > 0 ? await this.userIdMap.rolesOf(mappedPlus.map((u) => u.userId)) : new Map();
    const raises = mappedPlus.filter((u) => recorded.get(u.userId) !== 'plus');
    for (const { userId } of missing) ids.set(userId, kaleyraUserIdFor(userId));
    const create = async () => {
      await mapWithConcurrency(missing, this.concurrency, async ({ userId, role }) => {
        const kaleyraUserId = kaleyraUserIdFor(userId);
        try {
          await this.kaleyra.createUser({ kaleyraUserId, role });
        } catch (error) {
          throw upstreamErrorFrom(error);
        }
        const stored = await this.userIdMap.insertIfAbsent({ userId, kaleyraUserId, role });
        // Only a mapping made by another writer with another id could differ, and every writer
        // derives the same id: a difference is a broken map, not a race to retry.
        if (stored.kaleyraUserId !== kaleyraUserId) {
          throw new Error(`user-id map: ${userId} is mapped to another Kaleyra id than the one derived`);
        }
      });
      await mapWithConcurrency(raises, this.concurrency, async ({ userId }) => {
        try {
          await this.kaleyra.updateUserRole({ kaleyraUserId: ids.get(userId) as string, role: 'plus' });
        } catch (error) {
          throw upstreamErrorFrom(error);
        }
        await this.userIdMap.recordRole(userId, 'plus');
      });
    };
    return { ids, create };
  }

  /** The Kaleyra id of each user, creating the new ones now. */
  async kaleyraIdsFor(
    users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>,
  ): Promise<Map<string, string>> {
    const { ids, create } = await this.plan(users);
    await create();
    return ids;
  }

  async kaleyraIdOf(userId: string): Promise<string | null> {
    return (await this.userIdMap.findMany([userId])).get(userId) ?? null;
  }
}
