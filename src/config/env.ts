/**
 * Environment variables: one table that both parses them and documents them, so the README and
 * the code cannot drift. Every variable is a string in; each spec turns it into a typed value or
 * a one-line problem. Values that may hold credentials (secret key, URLs) are never echoed back.
 */
import { z } from 'zod';
import type { Config, StoreConfig } from './types.js';

export interface EnvironmentIssue {
  /** The variable (or variables, comma-separated, when the problem is their combination). */
  path: string;
  message: string;
}

export interface EnvironmentVariableDoc {
  name: string;
  /** The value used when the variable is unset or empty; absent when there is none. */
  default?: string;
  required: boolean;
  description: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['production', 'development', 'test'] as const;
const STORES = ['memory', 'mongodb'] as const;

/** The seed requires exactly this list so the caller's Auth0 session reaches the auth service. */
const SEED_HEADERS_TO_PROXY = 'x-forwarded-for,x-request-id,x-forwarded-host,cookie,client-type';

/** RFC 9110 token characters, lower-cased: what Node accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

const quoted = (value: unknown): string => JSON.stringify(value);

const text = z.string();

const booleanValue = z
  .enum(['true', 'false'], { error: (issue) => `expected true or false, got ${quoted(issue.input)}` })
  .transform((value) => value === 'true');

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => `expected one of ${values.join(', ')}, got ${quoted(issue.input)}`,
  });
}

/**
 * Decimal digits only (`1.5`, `-1`, `10ms`, `1e3` and `0x10` are all mistakes worth stopping
 * for), within a range the service can work with: a value that passes here never breaks a timer,
 * a date or an answer later.
 */
function wholeNumber(min: number, max: number) {
  const schema = z.string().transform((raw, ctx) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw)) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected a whole number from ${min} to ${max} (digits only), got ${quoted(raw)}`,
      });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected a whole number from ${min} to ${max}, got ${quoted(raw)}`,
      });
      return z.NEVER;
    }
    return value;
  });
  // The documentation tables state the range (the README's configuration table).
  RANGES.set(schema, [min, max]);
  return schema;
}

const RANGES = new WeakMap<object, readonly [number, number]>();

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parseHttpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

const httpUrl = z.string().refine((raw) => parseHttpUrl(raw) !== undefined, {
  error: 'expected an http:// or https:// URL',
});

/** The original took a bare hostname (`auth-service`); a full URL is accepted too. */
const authServiceUrl = z.string().transform((raw, ctx) => {
  const candidate = raw.includes('://') ? raw : `http://${raw}`;
  if (parseHttpUrl(candidate) === undefined) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: 'expected a hostname (auth-service, auth-service:8080) or an http(s) URL',
    });
    return z.NEVER;
  }
  return candidate.replace(/\/+$/, '');
});

/** An http(s) URL once `{id}` is put in; the placeholder must be there. */
const frontendUrlTemplate = z
  .string()
  .refine((raw) => raw.includes('{id}'), { error: 'expected a URL template containing {id}' })
  .refine((raw) => parseHttpUrl(raw.replaceAll('{id}', '0123456789abcdef01234567')) !== undefined, {
    error: 'expected an http:// or https:// URL template',
  });

/** `*`, or a comma-separated list of origins (scheme, host and port; no path). */
const allowedOrigins = z.string().transform((raw, ctx) => {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins: string[] = [];
  for (const entry of entries) {
    const url = entry === '*' ? null : parseHttpUrl(entry);
    if (entry !== '*' && (url === undefined || url?.origin !== entry.replace(/\/$/, '').toLowerCase())) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected * or origins such as https://clinic.example (scheme, host, port; no path), got ${quoted(entry)}`,
      });
      return z.NEVER;
    }
    origins.push(url ? url.origin : '*');
  }
  return origins;
});

const mongoUrl = z.string().refine((raw) => /^mongodb(\+srv)?:\/\/[^/?#]+/.test(raw), {
  error: 'expected a mongodb:// or mongodb+srv:// connection string',
});

const headerName = z
  .string()
  .transform((raw) => raw.trim().toLowerCase())
  .refine((name) => HEADER_NAME.test(name), {
    error: (issue) => `expected an HTTP header name, got ${quoted(issue.input)}`,
  });

const headerList = z.string().transform((raw, ctx) => {
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const invalid = names.filter((name) => !HEADER_NAME.test(name));
  if (invalid.length > 0) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: `expected comma-separated HTTP header names; not a header name: ${invalid.map(quoted).join(', ')}`,
    });
    return z.NEVER;
  }
  return [...new Set(names)];
});

/** MongoDB's own limits on collection names, checked here so a typo fails at start, not on first use. */
const collectionName = z.string().refine((name) => !/[$\0]/.test(name) && !name.startsWith('system.'), {
  error: (issue) =>
    `expected a collection name (no "$", not starting with "system."), got ${quoted(issue.input)}`,
});

interface VariableSpec {
  description: string;
  schema: z.ZodType;
  required?: true;
  /** Parsed through `schema` like a set value, so a documented default is always a valid one. */
  default?: string;
  /** For defaults that depend on another variable: documented here, resolved in `parseEnvironment`. */
  defaultDescription?: string;
}

/** Every variable the gateway reads. Order is the README's order. */
const VARIABLES = {
  BANDYER_API_SECRET_KEY: {
    required: true,
    description: "API secret key used to call Kaleyra Video's REST API. Never logged.",
    schema: text,
  },
  BANDYER_BASE_URL: {
    required: true,
    description: 'Base URL of the Kaleyra Video REST API (http or https).',
    schema: httpUrl,
  },
  TELECONSULTATION_SERVICE_CONFIG_PATH: {
    description:
      'Path of the JSON service configuration file (schema/service-config.schema.json). Unset: the default configuration applies.',
    schema: text,
  },
  TELECONSULTATIONS_CRUD_NAME: {
    default: 'teleconsultations',
    description: 'Name of the collection holding the teleconsultations.',
    schema: collectionName,
  },
  JOBS_CRUD_NAME: {
    default: 'teleconsultation_jobs',
    description:
      'Name of the collection holding durable background work (Kaleyra room clean-up), claimed by one replica at a time.',
    schema: collectionName,
  },
  EVENTS_CRUD_NAME: {
    default: 'teleconsultation_events',
    description:
      'Name of the collection holding the append-only event log of every teleconsultation (the audit trail, webhooks and subscriptions read it).',
    schema: collectionName,
  },
  USER_ID_MAP_CRUD_NAME: {
    default: 'userIdMap',
    description: 'Name of the collection mapping each external user id to its Kaleyra user id.',
    schema: collectionName,
  },
  AUTH_SERVICE: {
    description:
      'Hostname (or http(s) URL) of the auth service that provides full names and groups. Unset: participants carry fullName and groups.',
    schema: authServiceUrl,
  },
  DEFAULT_CLIENT_TYPE: {
    description: 'client-type header sent to the auth service when the request has none.',
    schema: text,
  },
  UNLIMITED_TELECONSULTATION: {
    default: 'true',
    description: 'true: rooms get no duration limit.',
    schema: booleanValue,
  },
  LIVE_TELECONSULTATION: {
    default: 'true',
    description: 'true: the call ends when a participant leaves and fewer than two remain.',
    schema: booleanValue,
  },
  IMMUTABLE_PERIOD_MS: {
    default: '0',
    description:
      'Milliseconds before the start date from which the teleconsultation can be joined and no longer changed.',
    schema: wholeNumber(0, 7 * DAY),
  },
  TELECONSULTATION_DELETE_UPLOADS: {
    default: 'false',
    description: 'true: files uploaded during a call are deleted each time the call ends.',
    schema: booleanValue,
  },
  NODE_ENV: {
    default: 'development',
    description: 'production, development or test. production turns the GraphQL IDE and introspection off.',
    schema: oneOf(NODE_ENVS),
  },
  HOST: { default: '0.0.0.0', description: 'Address the HTTP server listens on.', schema: text },
  PORT: {
    default: '3000',
    description: 'Port the HTTP server listens on (0 picks a free one).',
    schema: wholeNumber(0, 65535),
  },
  LOG_LEVEL: {
    default: 'info',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
    schema: oneOf(LOG_LEVELS),
  },
  MONGODB_URL: {
    description:
      'MongoDB connection string (mongodb:// or mongodb+srv://). Set: teleconsultations are stored in MongoDB.',
    schema: mongoUrl,
  },
  STORE: {
    description:
      'memory: keep data in process memory (demo, tests, trials; lost on restart). mongodb: requires MONGODB_URL. Unset: MONGODB_URL decides.',
    schema: oneOf(STORES),
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
  ADDITIONAL_HEADERS_TO_PROXY: {
    default: SEED_HEADERS_TO_PROXY,
    description: 'Comma-separated request headers forwarded to the auth service. Case-insensitive.',
    schema: headerList,
  },
  KALEYRA_TIMEOUT_MS: {
    default: '5000',
    description: 'Timeout of each Kaleyra API request, in milliseconds.',
    schema: wholeNumber(100, 2 * MINUTE),
  },
  KALEYRA_RETRY_LIMIT: {
    default: '2',
    description: 'Retries of safe Kaleyra calls (reads, deletes, idempotent user creation).',
    schema: wholeNumber(0, 10),
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
  GRAPHQL_MAX_DEPTH: {
    default: '10',
    description: 'Deepest GraphQL field nesting accepted (deeper: QUERY_TOO_DEEP).',
    schema: wholeNumber(2, 100),
  },
  GRAPHQL_MAX_COST: {
    default: '1000',
    description:
      'Highest GraphQL operation cost accepted, 1 per field unless the schema says more (higher: QUERY_TOO_COMPLEX).',
    schema: wholeNumber(10, 1_000_000),
  },
  GRAPHQL_MAX_ALIASES: {
    default: '15',
    description: 'Most aliases accepted in one GraphQL operation (more: TOO_MANY_ALIASES).',
    schema: wholeNumber(0, 1000),
  },
  GRAPHQL_MAX_TOKENS: {
    default: '1000',
    description: 'Most tokens accepted in one GraphQL document (more: TOO_MANY_TOKENS).',
    schema: wholeNumber(100, 1_000_000),
  },
  BODY_LIMIT_BYTES: {
    default: '102400',
    description: 'Largest request body accepted, in bytes (larger: 413, PAYLOAD_TOO_LARGE).',
    schema: wholeNumber(1024, 100 * 1024 * 1024),
  },
  MAX_DURATION_SECONDS: {
    default: '86400',
    description:
      'The longest teleconsultation accepted, in seconds (longer: BAD_USER_INPUT, DURATION_TOO_LONG).',
    schema: wholeNumber(300, 7 * 24 * 3600),
  },
  MAX_START_AHEAD_DAYS: {
    default: '366',
    description:
      'How many days ahead a teleconsultation may start (further: BAD_USER_INPUT, START_TOO_FAR_AHEAD).',
    schema: wholeNumber(1, 3660),
  },
  REQUEST_TIMEOUT_MS: {
    default: '15000',
    description:
      'Time allowed for a whole HTTP request, body included, in milliseconds. A body still arriving then gets 408; an operation that has not begun committing is stopped (nothing changes) and answered 504, REQUEST_TIMEOUT; one whose commit is under way is waited for.',
    schema: wholeNumber(100, 10 * MINUTE),
  },
  SHUTDOWN_TIMEOUT_MS: {
    default: '10000',
    description:
      'How long a stop (SIGTERM, SIGINT) may take to finish the requests in flight, in milliseconds; then the process exits anyway, logging what was still open. A second signal exits at once.',
    schema: wholeNumber(100, 10 * MINUTE),
  },
  DEFAULT_RECORDING_TYPE: {
    default: 'none',
    description:
      'How calls are recorded unless a teleconsultation says otherwise (its recording): none, manual or automatic (Kaleyra records nothing in its sandbox).',
    schema: oneOf(['none', 'manual', 'automatic'] as const),
  },
  CLEANUP_INTERVAL_MS: {
    default: '60000',
    description:
      'After a Kaleyra room creation that failed or timed out, the rooms Kaleyra may still have created are looked for at once, again this long later, and a last time after the longer wait below; how long a room retired by a change waits for that change to be known (at least twice REQUEST_TIMEOUT_MS); and how often stalled work is repaired, in milliseconds.',
    schema: wholeNumber(100, DAY),
  },
  JOBS_POLL_INTERVAL_MS: {
    default: '1000',
    description:
      'How often each replica looks for background work that came due (retries, work other replicas left), in milliseconds.',
    schema: wholeNumber(50, 10 * MINUTE),
  },
  WEBHOOK_TIMEOUT_MS: {
    default: '5000',
    description:
      'How long a webhook endpoint has to answer a delivery, in milliseconds; a slower answer counts as a failure and is retried.',
    schema: wholeNumber(100, MINUTE),
  },
  WEBHOOKS_ALLOW_HTTP: {
    default: 'false',
    description:
      'true: webhook endpoints may be plain http:// URLs (tests, the demo). false: only https:// endpoints start.',
    schema: booleanValue,
  },
  SUBSCRIPTIONS_ENABLED: {
    default: 'true',
    description:
      'true: GraphQL subscriptions (teleconsultationChanged) over graphql-ws at /graphql; with MongoDB they need a replica set (change streams) and the service refuses to start on a standalone server. false: no WebSocket endpoint.',
    schema: booleanValue,
  },
  SUBSCRIPTIONS_PER_CONNECTION: {
    default: '10',
    description:
      'Most subscriptions one WebSocket connection may hold at once (more: TOO_MANY_SUBSCRIPTIONS).',
    schema: wholeNumber(1, 1000),
  },
  SUBSCRIPTIONS_PER_PROCESS: {
    default: '20000',
    description: 'Most subscriptions one gateway process holds at once (more: TOO_MANY_SUBSCRIPTIONS).',
    schema: wholeNumber(1, 1_000_000),
  },
  SUBSCRIPTIONS_ALLOWED_ORIGINS: {
    default: '',
    description:
      "Comma-separated page origins (https://clinic.example) a browser may open the subscriptions WebSocket from, besides the gateway's own host; * allows any. A browser always sends its page's Origin on the upgrade and WebSockets have no CORS preflight, so another site's page could otherwise subscribe with the visitor's cookies. Clients that send no Origin (servers, mobile apps) are not concerned.",
    schema: allowedOrigins,
  },
  SUBSCRIPTION_INIT_TIMEOUT_MS: {
    default: '3000',
    description:
      'How long a WebSocket connection may wait before its connection_init, in milliseconds (then closed 4408).',
    schema: wholeNumber(100, MINUTE),
  },
  SUBSCRIPTION_KEEPALIVE_MS: {
    default: '12000',
    description:
      'Interval of the WebSocket pings, in milliseconds; a connection that misses a pong is closed.',
    schema: wholeNumber(1000, 10 * MINUTE),
  },
  COMPANY_SETTINGS_TTL_MS: {
    default: '60000',
    description:
      "How long the company's settings read from Kaleyra (its default background) are reused, in milliseconds; refreshed after our own update, and kept while Kaleyra fails.",
    schema: wholeNumber(0, HOUR),
  },
  FRONTEND_TELECONSULTATION_URL: {
    description:
      "The frontend's page of a teleconsultation, a template where {id} stands for its id (https://clinic.example/telecons-fe/teleconsultation/{id}): the URL of its calendar event. Unset: events carry no URL (never the personal Kaleyra link).",
    schema: frontendUrlTemplate,
  },
  REST_API_ENABLED: {
    default: 'true',
    description:
      "true: serve the original service's REST API (/teleconsultation, /credentials, /settings) and its OpenAPI document (/openapi.json) beside GraphQL. false: those routes do not exist.",
    schema: booleanValue,
  },
  GRAPHQL_IDE: {
    defaultDescription: 'true (false when NODE_ENV=production)',
    description: 'true: serve the GraphiQL IDE at /graphiql.',
    schema: booleanValue,
  },
  GRAPHQL_INTROSPECTION: {
    defaultDescription: 'true (false when NODE_ENV=production)',
    description: 'true: answer GraphQL introspection queries.',
    schema: booleanValue,
  },
} as const satisfies Record<string, VariableSpec>;

type Variables = typeof VARIABLES;
type ValueOf<S> = S extends { schema: infer Z extends z.ZodType }
  ? S extends { required: true } | { default: string }
    ? z.output<Z>
    : z.output<Z> | undefined
  : never;

/** Each variable's typed value; `undefined` only for optional variables without a default. */
export type EnvironmentValues = { [K in keyof Variables]: ValueOf<Variables[K]> };

/** The settings that come from the environment alone, with combinations resolved. */
export interface EnvironmentSettings {
  values: EnvironmentValues;
  store: StoreConfig;
  graphqlIde: boolean;
  graphqlIntrospection: boolean;
}

/** A numeric setting's description, with the range start-up accepts. */
function withRange(spec: VariableSpec): string {
  const range = RANGES.get(spec.schema);
  return range ? `${spec.description} Accepted: ${range[0]} to ${range[1]}.` : spec.description;
}

export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariableDoc[] = Object.entries(VARIABLES).map(
  ([name, spec]: [string, VariableSpec]) => {
    const documentedDefault = spec.default ?? spec.defaultDescription;
    return {
      name,
      ...(documentedDefault === undefined ? {} : { default: documentedDefault }),
      required: spec.required === true,
      description: withRange(spec),
    };
  },
);

/**
 * Parses every variable and reports every problem at once, so one restart fixes them all.
 * An empty value counts as unset: orchestrators often render unset variables as `VAR=`.
 */
export function parseEnvironment(
  env: Record<string, string | undefined>,
): { ok: true; settings: EnvironmentSettings } | { ok: false; issues: EnvironmentIssue[] } {
  const issues: EnvironmentIssue[] = [];
  const values: Record<string, unknown> = {};

  for (const [name, spec] of Object.entries(VARIABLES) as [string, VariableSpec][]) {
    const set = env[name] === '' ? undefined : env[name];
    const raw = set ?? spec.default;
    if (raw === undefined) {
      if (spec.required) issues.push({ path: name, message: `required but not set (${spec.description})` });
      values[name] = undefined;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else issues.push({ path: name, message: parsed.error.issues[0]?.message ?? 'invalid value' });
  }

  // A malformed STORE or MONGODB_URL is already reported; judging the combination would add noise.
  const storeReported = issues.some((issue) => issue.path === 'STORE' || issue.path === 'MONGODB_URL');
  const store = storeReported
    ? undefined
    : chooseStore(values.STORE as EnvironmentValues['STORE'], values.MONGODB_URL as string | undefined);
  if (store !== undefined && 'issue' in store) issues.push(store.issue);

  if (store === undefined || 'issue' in store || issues.length > 0) return { ok: false, issues };
  const typed = values as EnvironmentValues;
  const graphqlDefault = typed.NODE_ENV !== 'production';
  return {
    ok: true,
    settings: {
      values: typed,
      store: store.store,
      graphqlIde: typed.GRAPHQL_IDE ?? graphqlDefault,
      graphqlIntrospection: typed.GRAPHQL_INTROSPECTION ?? graphqlDefault,
    },
  };
}

/**
 * The store is an explicit choice: silently falling back to memory in production would lose
 * every teleconsultation on restart, so with neither variable the process refuses to start.
 */
function chooseStore(
  store: EnvironmentValues['STORE'],
  mongoUrl: string | undefined,
): { store: StoreConfig } | { issue: EnvironmentIssue } {
  if (store === 'memory') {
    if (mongoUrl !== undefined) {
      return {
        issue: {
          path: 'STORE, MONGODB_URL',
          message:
            'STORE=memory and MONGODB_URL are both set; unset MONGODB_URL to keep data in memory, or unset STORE to use MongoDB',
        },
      };
    }
    return { store: { kind: 'memory' } };
  }
  if (mongoUrl !== undefined) return { store: { kind: 'mongodb', url: mongoUrl } };
  if (store === 'mongodb') {
    return {
      issue: { path: 'MONGODB_URL', message: 'required when STORE=mongodb (a mongodb:// connection string)' },
    };
  }
  return {
    issue: {
      path: 'MONGODB_URL, STORE',
      message:
        'no store chosen: set MONGODB_URL to a mongodb:// connection string to use MongoDB, or STORE=memory to keep data in process memory (demo, tests, trials; lost on restart)',
    },
  };
}

/** Narrows the parsed values to what `Config` calls them; kept here so names stay next to the table. */
export function environmentPart(settings: EnvironmentSettings): Omit<Config, 'service' | 'webhooks'> {
  const v = settings.values;
  return {
    nodeEnv: v.NODE_ENV,
    host: v.HOST,
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    store: settings.store,
    collections: {
      teleconsultations: v.TELECONSULTATIONS_CRUD_NAME,
      userIdMap: v.USER_ID_MAP_CRUD_NAME,
      jobs: v.JOBS_CRUD_NAME,
      events: v.EVENTS_CRUD_NAME,
    },
    webhookDelivery: { timeoutMs: v.WEBHOOK_TIMEOUT_MS, allowHttp: v.WEBHOOKS_ALLOW_HTTP },
    subscriptions: {
      enabled: v.SUBSCRIPTIONS_ENABLED,
      perConnection: v.SUBSCRIPTIONS_PER_CONNECTION,
      perProcess: v.SUBSCRIPTIONS_PER_PROCESS,
      initTimeoutMs: v.SUBSCRIPTION_INIT_TIMEOUT_MS,
      keepAliveMs: v.SUBSCRIPTION_KEEPALIVE_MS,
      allowedOrigins: v.SUBSCRIPTIONS_ALLOWED_ORIGINS,
    },
    jobs: { cleanupIntervalMs: v.CLEANUP_INTERVAL_MS, pollIntervalMs: v.JOBS_POLL_INTERVAL_MS },
    kaleyra: {
      baseUrl: v.BANDYER_BASE_URL,
      apiKey: v.BANDYER_API_SECRET_KEY,
      timeoutMs: v.KALEYRA_TIMEOUT_MS,
      retryLimit: v.KALEYRA_RETRY_LIMIT,
    },
    authService:
      v.AUTH_SERVICE === undefined
        ? null
        : {
            baseUrl: v.AUTH_SERVICE,
            timeoutMs: v.AUTH_SERVICE_TIMEOUT_MS,
            cacheTtlMs: v.AUTH_SERVICE_CACHE_TTL_MS,
          },
    defaultClientType: v.DEFAULT_CLIENT_TYPE,
    additionalHeadersToProxy: v.ADDITIONAL_HEADERS_TO_PROXY,
    userIdHeaderKey: v.USERID_HEADER_KEY,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    restApiEnabled: v.REST_API_ENABLED,
    companySettingsTtlMs: v.COMPANY_SETTINGS_TTL_MS,
    frontendTeleconsultationUrl: v.FRONTEND_TELECONSULTATION_URL,
    callerHeaders: {
      groups: v.GROUPS_HEADER_KEY,
      backoffice: v.BACKOFFICE_HEADER_KEY,
      clientType: v.CLIENTTYPE_HEADER_KEY,
    },
    teleconsultation: {
      unlimited: v.UNLIMITED_TELECONSULTATION,
      live: v.LIVE_TELECONSULTATION,
      immutablePeriodMs: v.IMMUTABLE_PERIOD_MS,
      deleteUploads: v.TELECONSULTATION_DELETE_UPLOADS,
      maxDurationSeconds: v.MAX_DURATION_SECONDS,
      maxStartAheadMs: v.MAX_START_AHEAD_DAYS * DAY,
      defaultRecording: v.DEFAULT_RECORDING_TYPE,
    },
    graphql: {
      maxDepth: v.GRAPHQL_MAX_DEPTH,
      maxCost: v.GRAPHQL_MAX_COST,
      maxAliases: v.GRAPHQL_MAX_ALIASES,
      maxTokens: v.GRAPHQL_MAX_TOKENS,
      bodyLimitBytes: v.BODY_LIMIT_BYTES,
      requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
      ide: settings.graphqlIde,
      introspection: settings.graphqlIntrospection,
    },
  };
}
