import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../../src/shared/opaque-cursor.js';

describe('opaque cursors', () => {
  it('round-trips a position', () => {
    expect(decodeOpaqueCursor(encodeOpaqueCursor('v1:1700000000000:0123456789abcdef01234567'))).toBe(
      'v1:1700000000000:0123456789abcdef01234567',
    );
  });

  it.each([
    ['a character base64url does not have', `${encodeOpaqueCursor('e1:5')}!`],
    ['a non-canonical spelling of the same bytes', `${encodeOpaqueCursor('e1:5').slice(0, -1)}B`],
    ['padding', `${encodeOpaqueCursor('e1:5')}=`],
    ['an overlong cursor', 'A'.repeat(101)],
    ['nothing', ''],
  ])('refuses %s', (_what, cursor) => {
    expect(decodeOpaqueCursor(cursor)).toBeNull();
  });
});
