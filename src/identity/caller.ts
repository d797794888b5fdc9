import { parse as parseLosslessJson } from 'lossless-json';
import type { Caller } from '../domain/authorization/caller.js';
import { BadUserInputError } from '../domain/errors.js';
import type { UserIdPathStep } from '../domain/settings.js';
import { isUsableUserId } from '../domain/teleconsultation.js';
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

/** A header value whose bytes are not UTF-8. */
const NOT_UTF8: unique symbol = Symbol('not UTF-8');
/** A value walked to that cannot mean one id (a number JSON would round, a duplicate key…). */
const AMBIGUOUS: unique symbol = Symbol('ambiguous');
type Walked = unknown | typeof NOT_UTF8 | typeof AMBIGUOUS;

/** A number from a JSON step, kept as written (`9007199254740993`, `1e2`, `100.0`). */
class RawNumber {
  constructor(readonly text: string) {}
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The platform's headers arrive as bytes, which Node reads as latin-1: `josé` sent as UTF-8
 * reads as `josÃ©`. Identity headers are decoded as UTF-8 so an id means the same in a header
 * and in a body; bytes that are not UTF-8 make the identity unusable rather than guessed.
 */
function decodeHeader(value: string): string | typeof NOT_UTF8 {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range, on purpose
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  // Not bytes read as latin-1 but text already (the connection_init payload in development):
  // kept as it is when it is well-formed, refused like bytes that are not UTF-8 otherwise.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the latin-1 range, on purpose
  if (/[^\u0000-\u00ff]/.test(value)) return value.isWellFormed() ? value : NOT_UTF8;
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return NOT_UTF8;
  }
}

function invalidIdentity(message: string): BadUserInputError {
  return new BadUserInputError(message, { reason: 'INVALID_CALLER_ID' });
}

/**
 * The caller of a request (Fastify's request object, or anything with `headers`, and
 * `raw.rawHeaders` to tell a repeated header). Problems with the identity headers are not thrown
 * here: they become the caller's `problem`, which every operation refuses before doing anything.
 */
export function callerFrom(request: unknown, where: CallerHeaders): Caller {
  const headers = isRecord(request) && isRecord(request.headers) ? request.headers : {};
  const repeated = repeatedHeaders(request, identityHeaderNames(where));
  const groups = groupsFrom(headers[where.groups]);
  const clientType = single(headers[where.clientType]);
  const id = walkToId(request, where.userIdPath);
  const problem =
    repeated.length > 0
      ? invalidIdentity(`The identity header ${repeated.join(', ')} is repeated: the caller is ambiguous.`)
      : id === NOT_UTF8 || groups === NOT_UTF8 || clientType === NOT_UTF8
        ? invalidIdentity("The caller's identity headers are not valid UTF-8.")
        : id === AMBIGUOUS
          ? invalidIdentity("The caller's id cannot be read as one user id.")
          : groups instanceof BadUserInputError
            ? groups
            : null;
  return {
    id: typeof id === 'string' ? id : null,
    groups: Array.isArray(groups) ? groups : null,
    isBackoffice: ['true', '1'].includes(
      (single(headers[where.backoffice]) as string | undefined)?.trim().toLowerCase() ?? '',
    ),
    clientType: typeof clientType === 'string' ? clientType.trim() || null : null,
    problem,
  };
}

/** The header the id path reads first, when it starts `headers` → `<name>`. */
function idHeaderOf(path: readonly UserIdPathStep[]): string | null {
  const [first, second] = path;
  return first?.from === 'object' && first.extract === 'headers' && second?.from === 'object'
    ? second.extract.toLowerCase()
    : null;
}

/** The identity headers of a configuration, computed once (the configuration does not change). */
const IDENTITY_HEADER_NAMES = new WeakMap<CallerHeaders, ReadonlySet<string>>();

function identityHeaderNames(where: CallerHeaders): ReadonlySet<string> {
  let names = IDENTITY_HEADER_NAMES.get(where);
  if (names === undefined) {
    const all = [where.groups, where.backoffice, where.clientType, idHeaderOf(where.userIdPath)];
    names = new Set(all.filter((name): name is string => name !== null));
    IDENTITY_HEADER_NAMES.set(where, names);
  }
  return names;
}

const NONE: readonly string[] = Object.freeze([]);

/** Identity headers sent more than once: Node would join them into `a, b`, one made-up caller. */
function repeatedHeaders(request: unknown, wanted: ReadonlySet<string>): readonly string[] {
  const raw = isRecord(request) && isRecord(request.raw) ? request.raw.rawHeaders : undefined;
  if (!Array.isArray(raw)) return NONE;
  // Runs on every request: no allocation unless an identity header is there (then a short list).
  let seen: string[] | undefined;
  let repeated: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    if (!wanted.has(name)) continue;
    if (seen === undefined) seen = [name];
    else if (!seen.includes(name)) seen.push(name);
    else if (repeated === undefined) repeated = [name];
    else if (!repeated.includes(name)) repeated.push(name);
  }
  if (repeated === undefined || seen === undefined) return NONE;
  // In the order the headers first appeared, as the message names them.
  return seen.filter((name) => repeated.includes(name));
}

function single(value: unknown): string | typeof NOT_UTF8 | undefined {
  if (typeof value === 'string') return decodeHeader(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return decodeHeader(value.join(','));
  return undefined;
}

/**
 * A comma-separated list: items trimmed, empty ones dropped, repeats kept once; names are
 * case-sensitive, as the platform's. Absent: null (not the same as an empty list: the auth
 * service may then know the groups).
 */
function groupsFrom(value: unknown): string[] | null | BadUserInputError | typeof NOT_UTF8 {
  const raw = single(value);
  if (raw === undefined) return null;
  if (raw === NOT_UTF8) return raw;
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
 * identity is optional for the walk, and the policy decides whether it needs one. An id that is
 * there but cannot mean one user (a number JSON would round or that is not written as an
 * integer, a duplicate JSON key, bytes that are not UTF-8, control characters, `.` or `..`) is
 * a problem: the request is refused rather than given a caller it did not name.
 */
export function callerIdFrom(request: unknown, path: readonly UserIdPathStep[]): string | null {
  const id = walkToId(request, path);
  return typeof id === 'string' ? id : null;
}

function walkToId(
  request: unknown,
  path: readonly UserIdPathStep[],
): string | null | typeof NOT_UTF8 | typeof AMBIGUOUS {
  let current: Walked = request;
  path.forEach((step, index) => {
    if (current === undefined || current === null || current === NOT_UTF8 || current === AMBIGUOUS) return;
    current = takeStep(current, step);
    // The first step reads the request; a header it reaches is decoded as UTF-8.
    if (
      index === 1 &&
      path[0]?.from === 'object' &&
      path[0].extract === 'headers' &&
      typeof current === 'string'
    ) {
      current = decodeHeader(current);
    }
  });
  if (current === NOT_UTF8 || current === AMBIGUOUS) return current;
  if (current instanceof RawNumber) {
    if (!/^-?\d+$/.test(current.text) || !Number.isSafeInteger(Number(current.text))) return AMBIGUOUS;
    return String(Number(current.text));
  }
  if (typeof current === 'number') return Number.isSafeInteger(current) ? String(current) : AMBIGUOUS;
  if (typeof current !== 'string') return null;
  const id = current.trim();
  if (id === '') return null;
  return isUsableUserId(id) ? id : AMBIGUOUS;
}

function takeStep(current: unknown, step: UserIdPathStep): Walked {
  switch (step.from) {
    case 'object':
      return isRecord(current) ? current[step.extract] : undefined;
    case 'json': {
      if (typeof current !== 'string') return undefined;
      let parsed: unknown;
      try {
        // Numbers stay as written, so an id JSON would round is seen for what it is.
        parsed = parseLosslessJson(current, null, (text) => new RawNumber(text));
      } catch (error) {
        return /duplicate key/i.test((error as Error).message) ? AMBIGUOUS : undefined;
      }
      return isRecord(parsed) ? parsed[step.extract] : undefined;
    }
    case 'array':
      return Array.isArray(current) ? current[step.extract] : undefined;
  }
}
