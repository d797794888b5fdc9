/**
 * One value as one path segment of an upstream URL (Kaleyra, the auth service): the one function
 * every upstream path parameter goes through. `encodeURIComponent` keeps `.` and `..` as they are,
 * and URL parsers resolve those (`v2/company/virtual_backgrounds/..` is `DELETE v2/company/`), and
 * it throws on a lone surrogate; so a value is refused when it is empty (the segment would vanish
 * and the path name another route), not well-formed Unicode, or a dot segment, also in
 * percent-encoded spellings (`%2e%2E`) that a server or proxy decoding once more would resolve.
 */

/** A value refused as a path segment: a programming error once inputs are checked where they enter. */
export class UnsafePathSegmentError extends Error {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(`path parameter ${parameter} ${reason}: not sent`);
    this.name = 'UnsafePathSegmentError';
  }
}

/** Most percent-decodings looked through: more layers than any server or proxy applies. */
const MAX_DECODINGS = 3;

/** Why `value` cannot be a path segment, or null when it can. */
export function pathSegmentProblem(value: string): string | null {
  if (value === '') return 'is empty';
  if (!value.isWellFormed()) return 'is not well-formed Unicode';
  if (isDotSegment(value)) return 'is a dot segment';
  return null;
}

export function isSafePathSegment(value: string): boolean {
  return pathSegmentProblem(value) === null;
}

/** `value` percent-encoded as one segment; throws UnsafePathSegmentError when it cannot be one. */
export function pathSegment(parameter: string, value: string): string {
  const problem = pathSegmentProblem(value);
  if (problem !== null) throw new UnsafePathSegmentError(parameter, problem);
  return encodeURIComponent(value);
}

function isDotSegment(value: string): boolean {
  let decoded = value;
  for (let layer = 0; layer <= MAX_DECODINGS; layer++) {
    if (decoded === '.' || decoded === '..') return true;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return false;
    }
    if (next === decoded) return false;
    decoded = next;
  }
  return false;
}
