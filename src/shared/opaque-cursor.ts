/**
 * Opaque page cursors: base64url of a short position text, so clients treat them as tokens.
 * Decoding demands the canonical form: Buffer's base64url decoding skips characters it does not
 * know, so `abc!` would otherwise read as `abc`.
 */

export function encodeOpaqueCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

/** The position a cursor carries, or null when it is not one this service wrote. */
export function decodeOpaqueCursor(cursor: string, maxLength = 100): string | null {
  if (cursor.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const decoded = Buffer.from(cursor, 'base64url');
  return decoded.toString('base64url') === cursor ? decoded.toString('utf8') : null;
}
