import type { UserIdPathStep } from '../domain/settings.js';
import { isRecord } from '../shared/is-record.js';

/**
 * Walks `userIdPathInRequest` from the incoming request to the caller's platform user id.
 * Any step that cannot be taken (missing property, invalid JSON, wrong type) means "no caller":
 * identity is optional for the walk, and the use case decides whether it needs one.
 */
export function callerIdFrom(request: unknown, path: readonly UserIdPathStep[]): string | null {
  let current: unknown = request;
  for (const step of path) {
    current = takeStep(current, step);
    if (current === undefined || current === null) return null;
  }
  if (typeof current === 'number' && Number.isFinite(current)) return String(current);
  if (typeof current !== 'string') return null;
  const id = current.trim();
  return id === '' ? null : id;
}

function takeStep(current: unknown, step: UserIdPathStep): unknown {
  switch (step.from) {
    case 'object':
      return isRecord(current) ? current[step.extract] : undefined;
    case 'json': {
      if (typeof current !== 'string') return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(current);
      } catch {
        return undefined;
      }
      return isRecord(parsed) ? parsed[step.extract] : undefined;
    }
    case 'array':
      return Array.isArray(current) ? current[step.extract] : undefined;
  }
}
