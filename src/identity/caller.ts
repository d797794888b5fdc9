import type { Caller } from '../domain/authorization/caller.js';
import { BadUserInputError } from '../domain/errors.js';
import type { UserIdPathStep } from '../domain/settings.js';
import { isRecord } from '../shared/is-record.js';

/** Where the platform's API gateway puts who the caller is. */
export interface CallerHeaders {
  /** userIdPathInRequest */
  userIdPath: readonly UserIdPathStep[];
  /** GROUPS_HEADER_KEY, lower-cased */
  groups: string;
  /** BACKOFFICE_HEADER_KEY, lower-cased */
  backoffice: string;
  /** CLIENTTYPE_HEADER_KEY, lower-cased */
  clientType: string;
}

/** More groups, or longer names, than any real user has: a request carrying them is refused. */
export const MAX_CALLER_GROUPS = 100;
export const MAX_GROUP_NAME_LENGTH = 128;

/** The caller of a request (Fastify's request object, or anything with `headers`). */
export function callerFrom(request: unknown, where: CallerHeaders): Caller {
  const headers = isRecord(request) && isRecord(request.headers) ? request.headers : {};
  const groups = groupsFrom(headers[where.groups]);
  return {
    id: callerIdFrom(request, where.userIdPath),
    groups: Array.isArray(groups) ? groups : null,
    isBackoffice: ['true', '1'].includes(single(headers[where.backoffice])?.trim().toLowerCase() ?? ''),
    clientType: single(headers[where.clientType])?.trim() || null,
    problem: groups instanceof BadUserInputError ? groups : null,
  };
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value.join(',');
  return undefined;
}

/**
 * A comma-separated list: items trimmed, empty ones dropped, repeats kept once; names are
 * case-sensitive, as the platform's. Absent: null (not the same as an empty list: the auth
 * service may then know the groups).
 */
function groupsFrom(value: unknown): string[] | null | BadUserInputError {
  const raw = single(value);
  if (raw === undefined) return null;
  const groups = [
    ...new Set(
      raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    ),
  ];
  if (groups.length > MAX_CALLER_GROUPS || groups.some((group) => group.length > MAX_GROUP_NAME_LENGTH)) {
    return new BadUserInputError(
      `The caller's groups header lists more than ${MAX_CALLER_GROUPS} groups or a name longer than ${MAX_GROUP_NAME_LENGTH} characters.`,
      { reason: 'CALLER_GROUPS_OVER_LIMIT' },
    );
  }
  return groups;
}

/**
 * Walks `userIdPathInRequest` from the incoming request to the caller's platform user id.
 * Any step that cannot be taken (missing property, invalid JSON, wrong type) means "no caller":
 * identity is optional for the walk, and the policy decides whether it needs one.
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
