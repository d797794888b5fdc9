import { BadUserInputError, type FieldPath } from './errors.js';

/**
 * Text that cannot travel. A JavaScript string may hold a lone surrogate (`"q\ud800"`, from a
 * JSON `\ud800` escape), which is no Unicode text at all: no header can carry it, UTF-8 has no
 * bytes for it (MongoDB and hashes read it as U+FFFD, so `"q\ud800"` and `"q\ufffd"` would be
 * one user), and `encodeURIComponent` throws on it. Every string a request gives is refused
 * when it is not well-formed, with the path of the first one.
 */
export function illFormedTextIn(value: unknown, path: FieldPath = []): FieldPath | null {
  // Iterative: a body's unknown fields may nest deeper than the stack.
  const pending: Array<{ value: unknown; path: FieldPath }> = [{ value, path }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path: at } = next;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return at;
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        pending.push({ value: current[index], path: [...at, index] });
      }
    } else if (current !== null && typeof current === 'object' && !(current instanceof Date)) {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index] as [string, unknown];
        pending.push({ value: item, path: [...at, key] });
      }
    }
  }
  return null;
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
