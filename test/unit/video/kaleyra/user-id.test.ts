import { describe, expect, it } from '@jest/globals';
import { kaleyraUserIdFor } from '../../../../src/video/kaleyra/user-id.js';

const KALEYRA_ID = /^[a-zA-Z0-9._-]{1,128}$/;

const awkwardIds = [
  'alice@example.com',
  'tenant/42/user',
  'John Smith',
  'Zoë Ångström',
  '患者-123',
  '👩‍⚕️',
  '',
  ' ',
  'x'.repeat(101),
  'y'.repeat(500),
  '@'.repeat(500),
  'a+b=c',
];

describe('kaleyraUserIdFor', () => {
  it('keeps ids already in Kaleyra’s alphabet readable, with a prefix', () => {
    expect(kaleyraUserIdFor('user-42')).toBe('tg.user-42');
    expect(kaleyraUserIdFor('A.b_C-9')).toBe('tg.A.b_C-9');
    expect(kaleyraUserIdFor('x'.repeat(100))).toBe(`tg.${'x'.repeat(100)}`);
  });

  it.each(awkwardIds)('maps %j to a valid Kaleyra id through a hash', (id) => {
    const kaleyraId = kaleyraUserIdFor(id);
    expect(kaleyraId).toMatch(KALEYRA_ID);
    expect(kaleyraId).toMatch(/^tgh\.[A-Za-z0-9_-]{43}$/);
  });

  it('always yields a valid id, whatever the input', () => {
    for (const id of [...awkwardIds, 'plain', 'x'.repeat(100)])
      expect(kaleyraUserIdFor(id)).toMatch(KALEYRA_ID);
  });

  it('is stable: the same platform id always gives the same Kaleyra id', () => {
    expect(kaleyraUserIdFor('alice@example.com')).toBe(kaleyraUserIdFor('alice@example.com'));
    // Pinned, so a change of scheme (which would orphan every existing Kaleyra user) fails here.
    expect(kaleyraUserIdFor('alice@example.com')).toBe('tgh._42YGfwOEr8NJIkuRZh-JJoo3Og2qFytYOKOqqjG2XY');
  });

  it('hashes the UTF-8 bytes, so composed and decomposed forms stay distinct users', () => {
    expect(kaleyraUserIdFor('Zo\u00eb')).not.toBe(kaleyraUserIdFor('Zoe\u0308'));
  });

  it('is injective across the two branches and within each', () => {
    const ids = [
      ...awkwardIds,
      'alice',
      'Alice',
      'alice.',
      'x'.repeat(100),
      'x'.repeat(99),
      // A readable id that looks like a hashed one must not collide with it.
      kaleyraUserIdFor('alice@example.com'),
      kaleyraUserIdFor('alice@example.com').slice(4),
      'h.abc',
      'tgh.abc',
    ];
    const mapped = ids.map(kaleyraUserIdFor);
    expect(new Set(mapped).size).toBe(new Set(ids).size);
    expect(kaleyraUserIdFor('h.abc')).toBe('tg.h.abc');
    expect(kaleyraUserIdFor('h.abc')).not.toBe(kaleyraUserIdFor('tgh.abc'));
  });

  it('switches to the hash exactly above 100 characters', () => {
    expect(kaleyraUserIdFor('x'.repeat(100)).startsWith('tg.')).toBe(true);
    expect(kaleyraUserIdFor('x'.repeat(101)).startsWith('tgh.')).toBe(true);
  });
});
