import type { Logger } from 'pino';
import type { PrivilegeLevel } from '../../domain/privileges.js';
import { mapWithConcurrency } from '../../shared/bounded-concurrency.js';
import type { UserIdMapStore } from '../../storage/ports.js';
import type { VideoProvider } from '../../video/port.js';
import { upstreamErrorFrom } from '../upstream-errors.js';

/**
 * Maps platform users to their identity on a video provider. A provider with users of its own
 * (Kaleyra: `provider.users`) keeps the original service's user-id map: a first-time user is
 * created there under the id `identityFor` derives from their platform id, so concurrent requests
 * and replicas agree on it: the provider answers "exists" to the second creation (treated as
 * success) and the map's unique index keeps exactly one mapping. A provider without users
 * (identities and roles travel in the room and its tokens) needs neither the map nor a creation.
 */
export class VideoUsers {
  constructor(
    private readonly userIdMap: UserIdMapStore,
    private readonly concurrency = 8,
  ) {}

  /**
   * The provider's id of each user, without creating anyone yet: mapped users keep their id, new
   * ones get the id derived from their platform id. `create` then creates the new ones (call it
   * only once everything that could refuse the request has been decided) and raises to plus the
   * mapped users who are plus now but were not when we last set their role: Kaleyra keeps the
   * role a user was created with, and a room whose only plus participant is a basic user is
   * refused. The map records the role we set, so the raise happens once.
   */
  async plan(
    provider: VideoProvider,
    users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>,
    logger?: Logger,
  ): Promise<{ ids: Map<string, string>; create: () => Promise<void> }> {
    const directory = provider.users;
    if (!directory) {
      return {
        ids: new Map(users.map((u) => [u.userId, provider.identityFor(u.userId)])),
        create: async () => {},
      };
    }
    const ids = await this.userIdMap.findMany(users.map((u) => u.userId));
    const missing = users.filter((u) => !ids.has(u.userId));
    const mappedPlus = users.filter((u) => ids.has(u.userId) && u.role === 'plus');
    const recorded =
      mappedPlus.length > 0 ? await this.userIdMap.rolesOf(mappedPlus.map((u) => u.userId)) : new Map();
    const raises = mappedPlus.filter((u) => recorded.get(u.userId) !== 'plus');
    for (const { userId } of missing) ids.set(userId, provider.identityFor(userId));
    const create = async () => {
      await mapWithConcurrency(missing, this.concurrency, async ({ userId, role }) => {
        const videoUserId = provider.identityFor(userId);
        try {
          await directory.createUser({ videoUserId, role }, logger);
        } catch (error) {
          throw upstreamErrorFrom(error);
        }
        const stored = await this.userIdMap.insertIfAbsent({ userId, videoUserId: videoUserId, role });
        // Only a mapping made by another writer with another id could differ, and every writer
        // derives the same id: a difference is a broken map, not a race to retry.
        if (stored.videoUserId !== videoUserId) {
          throw new Error(`user-id map: ${userId} is mapped to another provider id than the one derived`);
        }
      });
      await mapWithConcurrency(raises, this.concurrency, async ({ userId }) => {
        try {
          await directory.updateUserRole({ videoUserId: ids.get(userId) as string, role: 'plus' }, logger);
        } catch (error) {
          throw upstreamErrorFrom(error);
        }
        await this.userIdMap.recordRole(userId, 'plus');
      });
    };
    return { ids, create };
  }

  /** The provider's id of each user, creating the new ones now. */
  async idsFor(
    provider: VideoProvider,
    users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>,
    logger?: Logger,
  ): Promise<Map<string, string>> {
    const { ids, create } = await this.plan(provider, users, logger);
    await create();
    return ids;
  }

  /** The user's id on the provider; null when a provider with users has none for them yet. */
  async idOf(provider: VideoProvider, userId: string): Promise<string | null> {
    if (!provider.users) return provider.identityFor(userId);
    return (await this.userIdMap.findMany([userId])).get(userId) ?? null;
  }
}
