import { createHash } from 'node:crypto';

/** Platform ids already in Kaleyra's alphabet, short enough to keep with a prefix (3 + 100 <= 128). */
const READABLE_PLATFORM_ID = /^[a-zA-Z0-9._-]{1,100}$/;

/**
 * The Kaleyra user id we choose for a platform user. Choosing it ourselves (instead of letting
 * Kaleyra generate one) makes user creation idempotent: a repeated create answers 409.
 *
 * Stable and injective, and always matches Kaleyra's `[a-zA-Z0-9._-]{1,128}`:
 * - ids already in that alphabet stay readable: `tg.` + id;
 * - anything else (`@`, `/`, spaces, unicode, overlong): `tgh.` + base64url(sha256(UTF-8 id)),
 *   whose alphabet (`A-Za-z0-9-_`, no padding) is Kaleyra's too.
 * The prefixes differ at the third character (`.` vs `h`), so the branches never collide.
 * UTF-8 keeps the hash reproducible with ordinary tools; ill-formed UTF-16 (lone surrogates),
 * which no real platform id contains, is the only input where two ids could share a hash input.
 */
export function kaleyraUserIdFor(platformUserId: string): string {
  if (READABLE_PLATFORM_ID.test(platformUserId)) return `tg.${platformUserId}`;
  return `tgh.${createHash('sha256').update(platformUserId, 'utf8').digest('base64url')}`;
}
