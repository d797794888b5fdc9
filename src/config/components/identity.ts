/**
 * Who calls: the headers the platform's gateway puts the caller in, and the auth service that
 * knows users' names and groups (with what is forwarded to it).
 */
import type { UserIdPathStep } from '../../domain/settings.js';
import {
  HOUR,
  headerList,
  headerName,
  hostOrHttpUrl,
  MINUTE,
  refusedWhenSet,
  text,
  type ValuesOf,
  type VariableTable,
  wholeNumber,
} from '../values.js';

/** The seed requires exactly this list so the caller's Auth0 session reaches the auth service. */
const SEED_HEADERS_TO_PROXY = 'x-forwarded-for,x-request-id,x-forwarded-host,cookie,client-type';

export const IDENTITY_VARIABLES = {
  AUTH_SERVICE: {
    description:
      'Hostname (or http(s) URL) of the auth service that provides full names and groups. Unset: participants carry fullName and groups.',
    schema: hostOrHttpUrl,
  },
  DEFAULT_CLIENT_TYPE: {
    description: 'client-type header sent to the auth service when the request has none.',
    schema: text,
  },
  USERID_HEADER_KEY: {
    default: 'miauserid',
    description:
      "Header carrying the caller's user id (used by the default userIdPathInRequest). Case-insensitive.",
    schema: headerName,
  },
  GROUPS_HEADER_KEY: {
    default: 'miausergroups',
    description:
      "Header carrying the caller's groups, comma-separated (read by the authorization policies). Case-insensitive name; group names are case-sensitive.",
    schema: headerName,
  },
  BACKOFFICE_HEADER_KEY: {
    default: 'isbackoffice',
    description: 'Header saying the caller is the back office (`true` or `1`). Case-insensitive.',
    schema: headerName,
  },
  CLIENTTYPE_HEADER_KEY: {
    default: 'client-type',
    description:
      "Header carrying the caller's client type (`clientType` in the authorization policies). Case-insensitive.",
    schema: headerName,
  },
  USER_PROPERTIES_HEADER_KEY: {
    default: 'miauserproperties',
    description:
      "Header carrying the caller's properties as JSON, where the configuration file's userIdPathInRequest may read the caller's id (headers, this header, then a json step). Counted among the identity headers (a WebSocket's connection_init may carry it in development). Case-insensitive.",
    schema: headerName,
  },
  ADDITIONAL_HEADERS_TO_PROXY: {
    default: SEED_HEADERS_TO_PROXY,
    description: 'Comma-separated request headers forwarded to the auth service. Case-insensitive.',
    schema: headerList,
  },
  AUTH_SERVICE_TIMEOUT_MS: {
    default: '3000',
    description: 'Timeout of each auth service request, in milliseconds.',
    schema: wholeNumber(100, MINUTE),
  },
  AUTH_SERVICE_CACHE_TTL_MS: {
    default: '5000',
    description: 'How long a user looked up on the auth service is reused, in milliseconds (0: not cached).',
    schema: wholeNumber(0, HOUR),
  },
  MICROSERVICE_GATEWAY_SERVICE_NAME: {
    description:
      "Accepted from 2.x deployments, without effect: it names Mia-Platform's Microservice Gateway (itself deprecated), through which this service calls nothing.",
    schema: text,
  },
  CUSTOM_ID_USERS_API_ENDPOINT: {
    description:
      "A variable of the original's 1.8 (custom user ids) whose meaning is not public: set, the service refuses to start rather than map users in a way nobody can check. Unset it, or map ids with userIdPathInRequest.",
    schema: refusedWhenSet(
      "its meaning (the original's custom user ids) is not public, and running without it would map users wrongly: unset it (the caller's id can be read with userIdPathInRequest; see docs/migration.md)",
    ),
  },
} as const satisfies VariableTable;

export interface AuthServiceConfig {
  /** http://<AUTH_SERVICE> (a bare hostname gets the http scheme). */
  baseUrl: string;
  /** AUTH_SERVICE_TIMEOUT_MS */
  timeoutMs: number;
  /** AUTH_SERVICE_CACHE_TTL_MS: how long a looked-up user is reused (short: names and groups may change). */
  cacheTtlMs: number;
  /** ADDITIONAL_HEADERS_TO_PROXY, lower-cased. */
  headersToProxy: string[];
  /** DEFAULT_CLIENT_TYPE: the client-type sent when the request has none. */
  defaultClientType: string | undefined;
}

/** Where the platform's gateway puts who the caller is (what identity/caller.ts reads). */
export interface CallerSource {
  /** The service file's userIdPathInRequest (by default: the USERID_HEADER_KEY header). */
  userIdPath: readonly UserIdPathStep[];
  /** GROUPS_HEADER_KEY, lower-cased */
  groups: string;
  /** BACKOFFICE_HEADER_KEY, lower-cased */
  backoffice: string;
  /** CLIENTTYPE_HEADER_KEY, lower-cased */
  clientType: string;
}

/** `config.identity` */
export interface IdentityConfig {
  /** USERID_HEADER_KEY, lower-cased (the IDE's header editor starts with it). */
  userIdHeader: string;
  caller: CallerSource;
  /**
   * Every header that says who calls, lower-cased: what a WebSocket's connection_init may carry
   * instead when identity may come from it (browsers cannot set headers on a WebSocket).
   */
  headerNames: readonly string[];
  /** AUTH_SERVICE and its settings; null: participants carry fullName and groups. */
  authService: AuthServiceConfig | null;
}

export function identitySection(
  v: ValuesOf<typeof IDENTITY_VARIABLES>,
  userIdPath: readonly UserIdPathStep[],
): IdentityConfig {
  return {
    userIdHeader: v.USERID_HEADER_KEY,
    caller: {
      userIdPath,
      groups: v.GROUPS_HEADER_KEY,
      backoffice: v.BACKOFFICE_HEADER_KEY,
      clientType: v.CLIENTTYPE_HEADER_KEY,
    },
    headerNames: [
      ...new Set([
        v.USERID_HEADER_KEY,
        v.GROUPS_HEADER_KEY,
        v.BACKOFFICE_HEADER_KEY,
        v.CLIENTTYPE_HEADER_KEY,
        v.USER_PROPERTIES_HEADER_KEY,
      ]),
    ],
    authService:
      v.AUTH_SERVICE === undefined
        ? null
        : {
            baseUrl: v.AUTH_SERVICE,
            timeoutMs: v.AUTH_SERVICE_TIMEOUT_MS,
            cacheTtlMs: v.AUTH_SERVICE_CACHE_TTL_MS,
            headersToProxy: v.ADDITIONAL_HEADERS_TO_PROXY,
            defaultClientType: v.DEFAULT_CLIENT_TYPE,
          },
  };
}
