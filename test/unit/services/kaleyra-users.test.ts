import { UpstreamUnavailableError } from '../../../src/domain/errors.js';
import type { PrivilegeLevel } from '../../../src/domain/privileges.js';
import { KaleyraUnavailableError, type KaleyraVideo } from '../../../src/kaleyra/port.js';
import { KaleyraUsers } from '../../../src/services/kaleyra-users.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';

/** A Kaleyra that only creates users: counts calls and how many are in flight at once. */
function fakeKaleyra(options: { failFor?: string } = {}) {
  const users = new Map<string, PrivilegeLevel>();
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const kaleyra = {
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
  return { kaleyra, users, stats };
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
    const { kaleyra, stats } = fakeKaleyra();
    const storage = createMemoryStorage();
    await storage.userIdMap.insertIfAbsent({ userId: 'doc', kaleyraUserId: 'legacy-bandyer-id' });
    const ids = await new KaleyraUsers(storage.userIdMap, kaleyra).kaleyraIdsFor([
      { userId: 'doc', role: 'plus' },
    ]);
    expect(ids.get('doc')).toBe('legacy-bandyer-id');
    expect(stats.calls).toBe(0);
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
