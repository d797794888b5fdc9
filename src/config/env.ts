/**
 * Environment variables: one table per component (src/config/components/) that both parses the
 * variables and documents them, so the documentation and the code cannot drift. This file puts the
 * components together: the documented table (ENVIRONMENT_VARIABLES), one pure parse that reports
 * every problem at once, and each component's section of the grouped `Config`.
 */
import type { WebhookEndpoint } from '../domain/settings.js';
import { GRAPHQL_VARIABLES, graphqlSection } from './components/graphql.js';
import { HTTP_VARIABLES, httpSection, portConflict } from './components/http.js';
import { IDENTITY_VARIABLES, identitySection } from './components/identity.js';
import { JOBS_VARIABLES, jobsSection } from './components/jobs.js';
import { chooseLivekit, LIVEKIT_VARIABLES, type LivekitConfig } from './components/livekit.js';
import { RUNTIME_VARIABLES, runtimeSection } from './components/runtime.js';
import { chooseStore, STORE_VARIABLES, type StoreBackend, storeSection } from './components/store.js';
import { SUBSCRIPTIONS_VARIABLES, subscriptionsSection } from './components/subscriptions.js';
import { TRACING_VARIABLES, tracingSection } from './components/tracing.js';
import { VIDEO_VARIABLES, videoSection } from './components/video.js';
import { VISITS_VARIABLES, visitsSection } from './components/visits.js';
import { WEBHOOKS_VARIABLES, webhooksSection } from './components/webhooks.js';
import type { EnvironmentIssue } from './issues.js';
import type { Config, UserIdPathStep } from './types.js';
import { documentedDescription, type ValuesOf, type VariableSpec, type VariableTable } from './values.js';

export type { EnvironmentIssue } from './issues.js';

export interface EnvironmentVariableDoc {
  name: string;
  /** The value used when the variable is unset or empty; absent when there is none. */
  default?: string;
  required: boolean;
  description: string;
}

/**
 * Every component and its variables, in the documentation's order (and the order problems are
 * reported in). A new variable is a row in its component's file and a field of its section; a new
 * component is a file in components/, a line here, its section below and in `Config` (types.ts).
 */
const COMPONENTS = {
  video: VIDEO_VARIABLES,
  livekit: LIVEKIT_VARIABLES,
  runtime: RUNTIME_VARIABLES,
  store: STORE_VARIABLES,
  identity: IDENTITY_VARIABLES,
  visits: VISITS_VARIABLES,
  http: HTTP_VARIABLES,
  graphql: GRAPHQL_VARIABLES,
  jobs: JOBS_VARIABLES,
  webhooks: WEBHOOKS_VARIABLES,
  subscriptions: SUBSCRIPTIONS_VARIABLES,
  tracing: TRACING_VARIABLES,
} as const satisfies Record<string, VariableTable>;

/** Every member of a union at once (the rows of every component's table). */
type AllOf<U> = (U extends unknown ? (member: U) => void : never) extends (member: infer All) => void
  ? All
  : never;
type AllVariables = AllOf<(typeof COMPONENTS)[keyof typeof COMPONENTS]>;

/** Each variable's typed value; `undefined` only for optional variables without a default. */
export type EnvironmentValues = ValuesOf<AllVariables>;

/** Every row, component after component (a name listed twice shows up twice, and a test fails). */
const ROWS: ReadonlyArray<readonly [string, VariableSpec]> = Object.values(COMPONENTS).flatMap(
  (variables: VariableTable) => Object.entries(variables),
);

function documented([name, spec]: readonly [string, VariableSpec]): EnvironmentVariableDoc {
  const documentedDefault = spec.default ?? spec.defaultDescription;
  return {
    name,
    ...(documentedDefault === undefined ? {} : { default: documentedDefault }),
    required: spec.required === true,
    description: documentedDescription(spec),
  };
}

/** The documented table: one row per variable the gateway reads. */
export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariableDoc[] = ROWS.map(documented);

/** The settings that come from the environment alone, with combinations resolved. */
export interface EnvironmentSettings {
  values: EnvironmentValues;
  store: StoreBackend;
  /** LiveKit's connection, when its variables are set. */
  livekit: LivekitConfig | undefined;
}

/**
 * Parses every variable and reports every problem at once, so one restart fixes them all.
 * An empty value counts as unset: orchestrators often render unset variables as `VAR=`.
 */
export function parseEnvironment(
  env: Record<string, string | undefined>,
): { ok: true; settings: EnvironmentSettings } | { ok: false; issues: EnvironmentIssue[] } {
  const issues: EnvironmentIssue[] = [];
  const values: Record<string, unknown> = {};

  for (const [name, spec] of ROWS) {
    const set = env[name] === '' ? undefined : env[name];
    const raw = set ?? spec.default;
    if (raw === undefined) {
      const unless = spec.requiredUnless;
      const waived = unless !== undefined && env[unless.variable] === unless.value;
      if (spec.required && !waived)
        issues.push({ path: name, message: `required but not set (${spec.description})` });
      values[name] = undefined;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else issues.push({ path: name, message: parsed.error.issues[0]?.message ?? 'invalid value' });
  }

  const typed = values as EnvironmentValues;
  const reported = (...names: string[]) => issues.some((issue) => names.includes(issue.path));
  // A malformed value is already reported; judging a combination with it would add noise.
  const port = reported('HTTP_PORT', 'PORT') ? undefined : portConflict(typed.HTTP_PORT, typed.PORT);
  if (port !== undefined) issues.push(port);
  const crudService = typed.CRUD_SERVICE_URL !== undefined || typed.CRUD_SERVICE !== undefined;
  const store = reported('STORE', 'MONGODB_URL')
    ? undefined
    : chooseStore(typed.STORE, typed.MONGODB_URL, crudService);
  if (store !== undefined && 'issue' in store) issues.push(store.issue);
  // Required where LiveKit hosts the rooms; otherwise all or none.
  const livekit = chooseLivekit(typed, typed.VIDEO_PROVIDER === 'livekit', (name) => reported(name));
  if ('issues' in livekit) issues.push(...livekit.issues);

  if (store === undefined || 'issue' in store || 'issues' in livekit || issues.length > 0)
    return { ok: false, issues };
  return { ok: true, settings: { values: typed, store: store.backend, livekit: livekit.livekit } };
}

/** What the service file contributes to the environment's sections. */
export interface FromServiceFile {
  /** userIdPathInRequest, resolved: where the caller's id is read. */
  userIdPath: readonly UserIdPathStep[];
  /** The file's webhooks, their secrets resolved. */
  webhookEndpoints: WebhookEndpoint[];
}

/** Every section of `Config` but the service file itself, from the parsed environment. */
export function environmentSections(
  settings: EnvironmentSettings,
  fromFile: FromServiceFile,
): Omit<Config, 'service'> {
  const v = settings.values;
  const runtime = runtimeSection(v);
  const graphql = graphqlSection(v, runtime.devMode);
  return {
    runtime,
    http: httpSection(v),
    graphql,
    subscriptions: subscriptionsSection(v, runtime.devMode),
    identity: identitySection(v, fromFile.userIdPath),
    video: videoSection(v),
    livekit: settings.livekit,
    store: storeSection(v, settings.store),
    jobs: jobsSection(v, runtime.shutdownTimeoutMs),
    webhooks: webhooksSection(v, fromFile.webhookEndpoints),
    visits: visitsSection(v),
    tracing: tracingSection(v),
  };
}
