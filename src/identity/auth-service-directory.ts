import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../domain/clock.js';
import type { ErrorReason } from '../domain/error-reasons.js';
import { UpstreamUnavailableError } from '../domain/errors.js';
import { isUsableUserId } from '../domain/teleconsultation.js';
import { mapWithConcurrency } from '../shared/bounded-concurrency.js';
import type { IncomingHeaders } from '../shared/incoming-headers.js';
import { isRecord } from '../shared/is-record.js';
import { isSafePathSegment, pathSegment } from '../shared/path-segment.js';
import { createUpstreamClient, type UpstreamCallEvent } from '../shared/upstream-client.js';
import type { DirectoryUser, UserDirectory } from './ports.js';

/**
 * The auth service (AUTH_SERVICE) as a UserDirectory. Everything we ASSUME about that service
 * lives in this module, so correcting an assumption is a change here only:
 *
 * - `GET <AUTH_SERVICE>/users/<userId>` (id percent-encoded, one opaque path segment: `.`, `..`,
 *   their percent-encoded spellings and other ids that are not usable user ids are never sent)
 *   answers 200 with an Auth0-style user:
 *   `{ "name": "Ada Lovelace", "groups": ["doctor"], ... }`. Other fields are ignored.
 *   - full name: `name`; `fullName` and `full_name` are accepted as fallbacks (platforms that
 *     wrap Auth0 often rename it). A user without any of them gets an empty name: the name is
 *     only shown, never stored or used for a rule.
 *   - groups: `groups`, else Auth0's usual `app_metadata.groups`; absent means no groups (the
 *     participant is then refused as "in no privilege group", which names them). Present but not
 *     an array of strings is a broken contract: UPSTREAM_UNAVAILABLE.
 * - 404: the user does not exist (absent from the result; the use case says BAD_USER_INPUT).
 * - network error, timeout, 5xx, a body that is not a user: UPSTREAM_UNAVAILABLE
 *   (reason AUTH_SERVICE_UNAVAILABLE); any other status: UPSTREAM_UNAVAILABLE (reason
 *   AUTH_SERVICE_REJECTED): the auth service refused the forwarded credentials or our request.
 *
 * Headers: the incoming request's headers named in ADDITIONAL_HEADERS_TO_PROXY are forwarded
 * (except hop-by-hop and framing headers, which describe the incoming connection, not the
 * caller), plus `client-type`: the incoming one, else DEFAULT_CLIENT_TYPE, else none.
 *
 * Retries: a GET is safe to repeat, so a dropped or refused connection is retried once, after a
 * short pause. A timeout is not retried (the caller already waited the whole timeout) and neither
 * is a 5xx (the service answered; asking again at once rarely helps a waiting GraphQL caller).
 *
 * Cache key: the auth service may answer differently per caller (cookie, authorization,
 * client-type), so an entry is reused only for requests that forward the same values. The key is
 * the user id plus a SHA-256 digest of the forwarded headers, leaving out headers that change on
 * every request without saying who the caller is (request ids, tracing, x-forwarded-*): keeping
 * them would make the cache useless with the default ADDITIONAL_HEADERS_TO_PROXY. Only found
 * users are cached (a user created a second ago must be found now); failures are never cached.
 * Lookups of the same key already in flight are shared instead of repeated.
 */

export interface AuthServiceDirectoryOptions {
  /** http(s)://<AUTH_SERVICE>, no trailing slash. */
  baseUrl: string;
  /** Per attempt, whole request. */
  timeoutMs: number;
  /** How long a found user is reused; 0 disables the cache. */
  cacheTtlMs: number;
  /** Most users kept (least recently used go first). Default 1000. */
  cacheMaxEntries?: number;
  /** ADDITIONAL_HEADERS_TO_PROXY, lower-cased. */
  headersToProxy: string[];
  /** DEFAULT_CLIENT_TYPE */
  defaultClientType?: string | undefined;
  /** Most auth-service requests in flight for one lookup. Default 8. */
  concurrency?: number;
  /** Pause before the one retry of a failed connection. Default 50 ms. */
  retryDelayMs?: number;
  /** Cache expiry; defaults to the system clock. */
  clock?: Clock;
  logger: Logger;
  /** Metrics hook: once per user fetched from the auth service (after the retry, if any). */
  observe?: (event: UpstreamCallEvent) => void;
}

const OPERATION = 'getUser';
const CLIENT_TYPE_HEADER = 'client-type';
const DEFAULT_CACHE_MAX_ENTRIES = 1000;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_RETRY_DELAY_MS = 50;

/** Describe the incoming connection, not the caller: forwarding them would break our request. */
const NEVER_FORWARDED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'content-type',
  'expect',
]);

/** Change on every request and never identify the caller: left out of the cache key. */
const NOT_IN_CACHE_KEY = new Set([
  'x-request-id',
  'x-correlation-id',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
  'forwarded',
  'traceparent',
  'tracestate',
  'baggage',
  'x-amzn-trace-id',
]);

/** Connection failures worth one more try (not ETIMEDOUT: see "Retries" above). */
const RETRYABLE_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
];

type FetchOutcome = { found: DirectoryUser } | { found: null };

export function createAuthServiceDirectory(options: AuthServiceDirectoryOptions): UserDirectory {
  const clock = options.clock ?? systemClock;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const forwarded = options.headersToProxy
    .map((name) => name.toLowerCase())
    .filter((name) => name !== CLIENT_TYPE_HEADER && !NEVER_FORWARDED.has(name));
  const cache = new UserCache(options.cacheTtlMs, options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES, () =>
    clock.now().getTime(),
  );
  const inFlight = new Map<string, Promise<FetchOutcome>>();
  const fetchUser = authServiceFetch(options);

  /** One fetch per user at a time: a second request for the same user shares the first's (and its log lines). */
  function fetchShared(
    key: string,
    userId: string,
    headers: Record<string, string>,
    logger: Logger | undefined,
  ): Promise<FetchOutcome> {
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = fetchUser(userId, headers, logger)
      .then((outcome) => {
        if (outcome.found) cache.set(key, outcome.found);
        return outcome;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  }

  return {
    async lookup(userIds, incoming, logger) {
      const headers = outgoingHeaders(incoming, forwarded, options.defaultClientType);
      const scope = cacheScope(headers);
      const result = new Map<string, DirectoryUser>();
      const missing: string[] = [];
      for (const userId of new Set(userIds)) {
        // `.` and `..` (also percent-encoded) would be path segments, not an id: `GET /users/..`
        // is the service's root, with the caller's cookie; a lone surrogate has no URL at all.
        // Such an id is no user; it never reaches the auth service.
        if (!isUsableUserId(userId) || !isSafePathSegment(userId)) continue;
        const cached = cache.get(`${scope}:${userId}`);
        if (cached) result.set(userId, copy(cached));
        else missing.push(userId);
      }
      const fetched = await mapWithConcurrency(missing, concurrency, (userId) =>
        fetchShared(`${scope}:${userId}`, userId, headers, logger),
      );
      fetched.forEach((outcome, index) => {
        if (outcome.found) result.set(missing[index] as string, copy(outcome.found));
      });
      return result;
    },
  };
}

/** One `GET users/<userId>` (no cache, no sharing), with its one retry of a failed connection. */
function authServiceFetch(
  options: AuthServiceDirectoryOptions,
): (userId: string, headers: Record<string, string>, logger?: Logger) => Promise<FetchOutcome> {
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const upstream = createUpstreamClient(
    {
      name: 'auth service',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
      ...(options.observe ? { observe: options.observe } : {}),
    },
    () => ({ kind: 'unavailable', level: 'warn' }),
  );
  const retry = {
    limit: 1,
    methods: ['GET' as const],
    statusCodes: [],
    errorCodes: RETRYABLE_ERROR_CODES,
    calculateDelay: ({ computedValue }: { computedValue: number }) =>
      computedValue === 0 ? 0 : retryDelayMs,
  };

  return (userId, headers, logger) =>
    upstream.call<FetchOutcome>({
      logger,
      operation: OPERATION,
      method: 'GET',
      path: `users/${pathSegment('userId', userId)}`,
      headers,
      retry,
      // Names of the forwarded headers only: their values identify the caller.
      logContext: { userId, forwardedHeaders: Object.keys(headers) },
      interpret: (response) => interpretAnswer(userId, response.statusCode, response.body),
      failed: ({ timedOut, code }) =>
        unavailable(
          `The auth service ${timedOut ? `timed out after ${options.timeoutMs} ms` : `failed (${code})`}; nothing was changed.`,
        ),
    });
}

/** The auth service's final answer (after the retry), read as the contract above describes it. */
function interpretAnswer(
  userId: string,
  status: number,
  body: unknown,
): { value: FetchOutcome } | { error: UpstreamUnavailableError } {
  if (status === 404) return { value: { found: null } };
  if (status >= 500)
    return { error: unavailable(`The auth service failed (${status}); nothing was changed.`) };
  if (status < 200 || status >= 300) {
    return {
      error: unavailable(
        `The auth service refused the lookup (${status}); nothing was changed.`,
        'AUTH_SERVICE_REJECTED',
      ),
    };
  }
  const user = userFromBody(userId, body);
  if (!user)
    return { error: unavailable('The auth service answered an unexpected body; nothing was changed.') };
  return { value: { found: user } };
}

function unavailable(
  message: string,
  reason: ErrorReason = 'AUTH_SERVICE_UNAVAILABLE',
): UpstreamUnavailableError {
  return new UpstreamUnavailableError(message, { reason });
}

/** The configured headers of the incoming request, plus its client type (or the default one). */
function outgoingHeaders(
  incoming: IncomingHeaders,
  forwarded: readonly string[],
  defaultClientType: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of forwarded) {
    const value = headerValue(incoming[name], name);
    if (value !== undefined) headers[name] = value;
  }
  const clientType = headerValue(incoming[CLIENT_TYPE_HEADER], CLIENT_TYPE_HEADER) ?? defaultClientType;
  if (clientType !== undefined && clientType !== '') headers[CLIENT_TYPE_HEADER] = clientType;
  return headers;
}

/** One header value; repeated headers are joined the way HTTP folds them. */
function headerValue(value: string | string[] | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value))
    return value.length === 0 ? undefined : value.join(name === 'cookie' ? '; ' : ', ');
  return value;
}

function cacheScope(headers: Record<string, string>): string {
  const identifying = Object.keys(headers)
    .filter((name) => !NOT_IN_CACHE_KEY.has(name))
    .sort()
    .map((name) => [name, headers[name]]);
  return createHash('sha256').update(JSON.stringify(identifying)).digest('base64url');
}

function userFromBody(userId: string, body: unknown): DirectoryUser | null {
  if (!isRecord(body)) return null;
  const name = [body.name, body.fullName, body.full_name].find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '',
  );
  const appMetadata = isRecord(body.app_metadata) ? body.app_metadata : {};
  const groups = body.groups !== undefined ? body.groups : appMetadata.groups;
  if (groups !== undefined && !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))) {
    return null;
  }
  return { userId, fullName: name?.trim() ?? '', groups: groups ? [...groups] : [] };
}

function copy(user: DirectoryUser): DirectoryUser {
  return { ...user, groups: [...user.groups] };
}

/** A TTL + size-bounded LRU over a Map (whose iteration order is insertion order). */
class UserCache {
  private readonly entries = new Map<string, { user: DirectoryUser; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get(key: string): DirectoryUser | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.user;
  }

  set(key: string, user: DirectoryUser): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { user: copy(user), expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
