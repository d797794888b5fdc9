import { BadUserInputError, type FieldPath } from './errors.js';

/**
 * Text that cannot travel. A JavaScript string may hold a lone surrogate (`"q\ud800"`, from a
 * JSON `\ud800` escape), which is no Unicode text at all: no header can carry it, UTF-8 has no
 * bytes for it (MongoDB and hashes read it as U+FFFD, so `"q\ud800"` and `"q\ufffd"` would be
 * one user), and `encodeURIComponent` throws on it. Every string a request gives is refused
 * when it is not well-formed, with the path of the first one.
 */
export function illFormedTextIn(value: unknown, path: FieldPath = []): FieldPath | null {
  // Iterative: a body's unknown fields may nest deeper than the stack. Each pending value knows
  // only its parent and its own key; the path is spelled out once, for the string refused (a copy
  // of the path per level made a body nested n deep cost n² steps: minutes of CPU at 100,000).
  const pending: Pending[] = [{ value, parent: null, key: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const current = next.value;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return pathTo(next, path);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        pending.push({ value: current[index], parent: next, key: index });
      }
    } else if (current !== null && typeof current === 'object' && !(current instanceof Date)) {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index] as [string, unknown];
        pending.push({ value: item, parent: next, key });
      }
    }
  }
  return null;
}

interface Pending {
  readonly value: unknown;
  /** The value this one is in; null for the value given. */
  readonly parent: Pending | null;
  readonly key: string | number;
}

function pathTo(found: Pending, start: FieldPath): FieldPath {
  const keys: Array<string | number> = [];
  for (let at: Pending = found; at.parent !== null; at = at.parent) keys.push(at.key);
  return [...start, ...keys.reverse()];
}

export function illFormedTextError(field: FieldPath): BadUserInputError {
  return new BadUserInputError(
    `${field.length > 0 ? field.join('.') : 'The input'} is not well-formed Unicode: it holds a lone surrogate (U+D800 to U+DFFF), which no header, URL or database can carry.`,
    { reason: 'ILL_FORMED_TEXT', field },
  );
}

/** Throws ILL_FORMED_TEXT for the first string in `value` that is not well-formed. */
export function assertWellFormedText(value: unknown, path: FieldPath = []): void {
  const at = illFormedTextIn(value, path);
  if (at !== null) throw illFormedTextError(at);
}
