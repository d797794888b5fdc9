import { UpstreamUnavailableError } from '../../../../src/domain/errors.js';
import type { PrivilegeLevel } from '../../../../src/domain/privileges.js';
import { VideoUsers } from '../../../../src/services/participants/video-users.js';
import { createMemoryStorage } from '../../../../src/storage/memory/memory-storage.js';
import type { UserIdMapStore } from '../../../../src/storage/ports.js';
import { KaleyraUnavailableError, type KaleyraVideo } from '../../../../src/video/kaleyra/api.js';
import { kaleyraProvider } from '../../../../src/video/kaleyra/provider.js';
import type { VideoProvider } from '../../../../src/video/port.js';

/** VideoUsers over the Kaleyra provider (a provider with users of its own), as the app wires it. */
class KaleyraUsers {
  private readonly users: VideoUsers;
  private readonly provider: VideoProvider;

  constructor(map: UserIdMapStore, kaleyra: KaleyraVideo, concurrency?: number) {
    this.users = new VideoUsers(map, concurrency);
    this.provider = kaleyraProvider(kaleyra);
  }

  kaleyraIdsFor(users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>) {
    return this.users.idsFor(this.provider, users);
  }

  plan(users: ReadonlyArray<{ userId: string; role: PrivilegeLevel }>) {
    return this.users.plan(this.provider, users);
  }
}

/** A Kaleyra that only creates users: counts calls and how many are in flight at once. */
function fakeKaleyra(options: { failFor?: string } = {}) {
  const users = new Map<string, PrivilegeLevel>();
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const roleUpdates: string[] = [];
  const kaleyra = {
    async updateUserRole({ kaleyraUserId, role }: { kaleyraUserId: string; role: PrivilegeLevel }) {
      roleUpdates.push(`${kaleyraUserId}:${role}`);
      users.set(kaleyraUserId, role);
    },
    async createUser({ kaleyraUserId, role }: { kaleyraUserId: string; role: PrivilegeLevel }) {
      stats.calls++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      // One macrotask of "network": every call started in the same turn overlaps.
      await new Promise((resolve) => setImmediate(resolve));
      stats.inFlight--;
      if (kaleyraUserId === options.failFor) throw new KaleyraUnavailableError('down', 'createUser');
      if (!users.has(kaleyraUserId)) users.set(kaleyraUserId, role); // 409 counts as success
    },
  } as unknown as KaleyraVideo;
  return { kaleyra, users, stats, roleUpdates };
}

const newUsers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ userId: `user-${i}`, role: 'basic' as PrivilegeLevel }));

describe('KaleyraUsers', () => {
  it('creates a first-time user on Kaleyra with their role and maps them', async () => {
    const { kaleyra, users } = fakeKaleyra();
    const storage = createMemoryStorage();
    const kaleyraUsers = new KaleyraUsers(storage.userIdMap, kaleyra);
    const ids = await kaleyraUsers.kaleyraIdsFor([
      { userId: 'doc', role: 'plus' },
      { userId: 'pat', role: 'basic' },
    ]);
    expect(Object.fromEntries(ids)).toEqual({ doc: 'tg.doc', pat: 'tg.pat' });
    expect(Object.fromEntries(users)).toEqual({ 'tg.doc': 'plus', 'tg.pat': 'basic' });
    expect(Object.fromEntries(await storage.userIdMap.findMany(['doc', 'pat']))).toEqual({
      doc: 'tg.doc',
      pat: 'tg.pat',
    });
  });

  it('does not create a user who is already mapped', async () => {
    const { kaleyra, stats, roleUpdates } = fakeKaleyra();
    const storage = createMemoryStorage();
    await storage.userIdMap.insertIfAbsent({ userId: 'pat', videoUserId: 'legacy-bandyer-id' });
    const ids = await new KaleyraUsers(storage.userIdMap, kaleyra).kaleyraIdsFor([
      { userId: 'pat', role: 'basic' },
    ]);
    expect(ids.get('pat')).toBe('legacy-bandyer-id');
    expect(stats.calls).toBe(0);
    expect(roleUpdates).toEqual([]);
  });

  it('raises to plus, once, a mapped user who is plus now but was not when last set', async () => {
    const { kaleyra, stats, roleUpdates } = fakeKaleyra();
    const storage = createMemoryStorage();
    const kaleyraUsers = new KaleyraUsers(storage.userIdMap, kaleyra);
    await kaleyraUsers.kaleyraIdsFor([{ userId: 'was-patient', role: 'basic' }]);
    // The original's mappings record no role: what Kaleyra has is unknown.
    await storage.userIdMap.insertIfAbsent({ userId: 'legacy-doc', videoUserId: 'legacy-bandyer-id' });

    await kaleyraUsers.kaleyraIdsFor([
      { userId: 'was-patient', role: 'plus' },
      { userId: 'legacy-doc', role: 'plus' },
    ]);
    expect(roleUpdates.sort()).toEqual(['legacy-bandyer-id:plus', 'tg.was-patient:plus']);
    expect(Object.fromEntries(await storage.userIdMap.rolesOf(['was-patient', 'legacy-doc']))).toEqual({
      'was-patient': 'plus',
      'legacy-doc': 'plus',
    });

    await kaleyraUsers.kaleyraIdsFor([
      { userId: 'was-patient', role: 'plus' },
      { userId: 'legacy-doc', role: 'plus' },
    ]);
    expect(roleUpdates).toHaveLength(2);
    expect(stats.calls).toBe(1);
  });

  it('plans without side effects: ids first, users and raises only when asked to create', async () => {
    const { kaleyra, stats, roleUpdates } = fakeKaleyra();
    const storage = createMemoryStorage();
    await storage.userIdMap.insertIfAbsent({ userId: 'doc', videoUserId: 'tg.doc', role: 'basic' });
    const { ids, create } = await new KaleyraUsers(storage.userIdMap, kaleyra).plan([
      { userId: 'doc', role: 'plus' },
      { userId: 'new', role: 'basic' },
    ]);
    expect(Object.fromEntries(ids)).toEqual({ doc: 'tg.doc', new: 'tg.new' });
    expect(stats.calls).toBe(0);
    expect(roleUpdates).toEqual([]);
    await create();
    expect(stats.calls).toBe(1);
    expect(roleUpdates).toEqual(['tg.doc:plus']);
  });

  it('creates the new users of one request concurrently, at most `concurrency` at a time', async () => {
    const { kaleyra, stats } = fakeKaleyra();
    const kaleyraUsers = new KaleyraUsers(createMemoryStorage().userIdMap, kaleyra, 8);
    const ids = await kaleyraUsers.kaleyraIdsFor(newUsers(20));
    expect(ids.size).toBe(20);
    expect(stats.calls).toBe(20);
    expect(stats.maxInFlight).toBe(8);
  });

  it('creates a few new users all at once rather than one after another', async () => {
    const { kaleyra, stats } = fakeKaleyra();
    await new KaleyraUsers(createMemoryStorage().userIdMap, kaleyra, 8).kaleyraIdsFor(newUsers(3));
    expect(stats.maxInFlight).toBe(3);
  });

  it('maps concurrent requests for the same new user to one Kaleyra user', async () => {
    const { kaleyra, users } = fakeKaleyra();
    const storage = createMemoryStorage();
    const kaleyraUsers = new KaleyraUsers(storage.userIdMap, kaleyra);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => kaleyraUsers.kaleyraIdsFor([{ userId: 'new-doc', role: 'plus' }])),
    );
    expect(new Set(results.map((r) => r.get('new-doc')))).toEqual(new Set(['tg.new-doc']));
    expect([...users.keys()]).toEqual(['tg.new-doc']);
    expect(Object.fromEntries(await storage.userIdMap.findMany(['new-doc']))).toEqual({
      'new-doc': 'tg.new-doc',
    });
  });

  it('reports a Kaleyra failure as UPSTREAM_UNAVAILABLE and maps nobody it could not create', async () => {
    const { kaleyra } = fakeKaleyra({ failFor: 'tg.user-1' });
    const storage = createMemoryStorage();
    const error = await new KaleyraUsers(storage.userIdMap, kaleyra, 1)
      .kaleyraIdsFor(newUsers(3))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).reason).toBe('KALEYRA_UNAVAILABLE');
    const mapped = await storage.userIdMap.findMany(['user-0', 'user-1', 'user-2']);
    expect(mapped.has('user-1')).toBe(false);
    // The run stops at the first failure: with one worker, the user after it is never created.
    expect(mapped.has('user-2')).toBe(false);
  });
});

describe('VideoUsers with a provider that keeps no users', () => {
  it('takes each identity from the provider, creating no one and writing nothing to the user-id map', async () => {
    const storage = createMemoryStorage();
    await storage.userIdMap.insertIfAbsent({ userId: 'pat', videoUserId: 'legacy-bandyer-id' });
    const { users: _none, ...kaleyraWithoutUsers } = kaleyraProvider({} as KaleyraVideo);
    const provider: VideoProvider = {
      ...kaleyraWithoutUsers,
      name: 'userless',
      identityFor: (id) => `id-${id}`,
    };
    const videoUsers = new VideoUsers(storage.userIdMap);

    const { ids, create } = await videoUsers.plan(provider, [
      { userId: 'pat', role: 'basic' },
      { userId: 'doc', role: 'plus' },
    ]);
    await create();

    // Not the Kaleyra id the map holds: the map is the user directory of providers that keep one.
    expect(Object.fromEntries(ids)).toEqual({ pat: 'id-pat', doc: 'id-doc' });
    expect(Object.fromEntries(await storage.userIdMap.findMany(['pat', 'doc']))).toEqual({
      pat: 'legacy-bandyer-id',
    });
    expect(await videoUsers.idOf(provider, 'doc')).toBe('id-doc');
  });
});
