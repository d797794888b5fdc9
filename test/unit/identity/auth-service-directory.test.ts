import { Writable } from 'node:stream';
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock.js';
import { UpstreamUnavailableError } from '../../../src/domain/errors.js';
import {
  type AuthServiceDirectoryOptions,
  createAuthServiceDirectory,
} from '../../../src/identity/auth-service-directory.js';
import type { UpstreamCallEvent } from '../../../src/shared/upstream-client.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';

const silent = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

describe('createAuthServiceDirectory (against a stub auth service on loopback)', () => {
  let stub: AuthServiceStub;
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));

  beforeEach(async () => {
    stub = await startAuthServiceStub({
      a: { name: 'User A', groups: ['doctor'] },
      b: { name: 'User B', groups: ['customer'] },
      c: { name: 'User C', groups: ['customer'] },
    });
  });
  afterEach(async () => stub?.close());

  const directory = (options: Partial<AuthServiceDirectoryOptions> = {}) =>
    createAuthServiceDirectory({
      baseUrl: stub.url,
      timeoutMs: 1000,
      cacheTtlMs: 5000,
      headersToProxy: [],
      logger: silent,
      clock,
      ...options,
    });

  it('maps found users and leaves unknown ids out', async () => {
    const found = await directory().lookup(['a', 'nobody'], {});
    expect([...found.entries()]).toEqual([['a', { userId: 'a', fullName: 'User A', groups: ['doctor'] }]]);
  });

  it('asks once per distinct id within one lookup', async () => {
    await directory().lookup(['a', 'b', 'a', 'a'], {});
    expect(stub.callsFor('a')).toBe(1);
    expect(stub.callsFor('b')).toBe(1);
  });

  it('shares a lookup already in flight instead of asking again', async () => {
    const users = directory();
    stub.holdUntilInFlight(2);
    const [first, second] = await Promise.all([users.lookup(['a', 'b'], {}), users.lookup(['a', 'b'], {})]);
    expect(first.get('a')?.fullName).toBe('User A');
    expect(second.get('b')?.fullName).toBe('User B');
    expect(stub.requests()).toHaveLength(2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    stub.setUser('d', { name: 'User D', groups: ['customer'] });
    // Every answer takes a while, so requests that may overlap do.
    stub.setFault({ kind: 'delay', delayMs: 50 });
    const found = await directory({ concurrency: 2 }).lookup(['a', 'b', 'c', 'd'], {});
    expect(found.size).toBe(4);
    expect(stub.maxInFlight()).toBe(2);
  });

  it('evicts the least recently used user beyond cacheMaxEntries', async () => {
    const users = directory({ cacheMaxEntries: 2 });
    await users.lookup(['a', 'b'], {});
    await users.lookup(['a'], {}); // a is now the most recently used
    await users.lookup(['c'], {}); // evicts b
    stub.clearRequests();
    await users.lookup(['a', 'b', 'c'], {});
    expect(stub.requests().map((r) => r.path)).toEqual(['/users/b']);
  });

  it('expires entries after cacheTtlMs of the injected clock', async () => {
    const users = directory({ cacheTtlMs: 1000 });
    await users.lookup(['a'], {});
    clock.advance(999);
    await users.lookup(['a'], {});
    expect(stub.callsFor('a')).toBe(1);
    clock.advance(1);
    await users.lookup(['a'], {});
    expect(stub.callsFor('a')).toBe(2);
  });

  it('hands out copies: changing a result does not change the cache', async () => {
    const users = directory();
    (await users.lookup(['a'], {})).get('a')?.groups.push('admin');
    expect((await users.lookup(['a'], {})).get('a')?.groups).toEqual(['doctor']);
  });

  it('reports each HTTP fetch to observe, not cache hits', async () => {
    const events: UpstreamCallEvent[] = [];
    const users = directory({ observe: (event) => events.push(event) });
    await users.lookup(['a', 'nobody'], {});
    await users.lookup(['a'], {});
    stub.setFault({ kind: 'status', status: 502 });
    await expect(users.lookup(['b'], {})).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(events.map(({ operation, outcome }) => [operation, outcome])).toEqual([
      ['getUser', 'ok'],
      ['getUser', 'ok'],
      ['getUser', 'error'],
    ]);
    expect(events.every((e) => Number.isInteger(e.durationMs) && e.durationMs >= 0)).toBe(true);
  });

  it('survives an observer that throws', async () => {
    const users = directory({
      observe: () => {
        throw new Error('metrics broke');
      },
    });
    expect((await users.lookup(['a'], {})).get('a')?.fullName).toBe('User A');
  });

  it('joins a repeated incoming header when forwarding it', async () => {
    await directory({ headersToProxy: ['x-tenant', 'cookie'] }).lookup(['a'], {
      'x-tenant': ['one', 'two'],
      cookie: ['a=1', 'b=2'],
    });
    expect(stub.requests()[0]?.headers['x-tenant']).toBe('one, two');
    expect(stub.requests()[0]?.headers.cookie).toBe('a=1; b=2');
  });

  it('gives an empty name and no groups for a user body without them', async () => {
    stub.setUser('bare', { email: 'bare@example.org' });
    expect((await directory().lookup(['bare'], {})).get('bare')).toEqual({
      userId: 'bare',
      fullName: '',
      groups: [],
    });
  });

  it.each([
    ['an array', []],
    ['a string', 'User A'],
    ['groups that are not strings', { name: 'x', groups: [1, 2] }],
  ])('treats a body that is %s as a broken auth service', async (_what, body) => {
    stub.setFault({ kind: 'body', body });
    await expect(directory().lookup(['a'], {})).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'AUTH_SERVICE_UNAVAILABLE',
    });
  });
});
