import type { ServiceConfig, TeleconsultationRules, WebhookEndpoint } from '../domain/settings.js';
import type { GraphqlLimits } from '../shared/request-limits.js';

// The parts rules and use cases take are defined in the domain; re-exported for the config layer.
export type {
  ServiceConfig,
  TeleconsultationRules,
  ThemeColors,
  UserIdPathStep,
} from '../domain/settings.js';

export type StoreConfig = { kind: 'mongodb'; url: string } | { kind: 'memory' };

export interface KaleyraConfig {
  /** BANDYER_BASE_URL */
  baseUrl: string;
  /** BANDYER_API_SECRET_KEY: never logged, never put in an error. */
  apiKey: string;
  /** KALEYRA_TIMEOUT_MS: whole-request timeout (got sets none by default). */
  timeoutMs: number;
  /** KALEYRA_RETRY_LIMIT: retries of safe calls (GET, DELETE, idempotent user creation). */
  retryLimit: number;
}

export interface AuthServiceConfig {
  /** http://<AUTH_SERVICE> (a bare hostname gets the http scheme). */
  baseUrl: string;
  timeoutMs: number;
  /** How long a looked-up user is reused, in ms (short: names and groups may change). */
  cacheTtlMs: number;
}

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  store: StoreConfig;
  collections: { teleconsultations: string; userIdMap: string; jobs: string; events: string };
  /** The config file's `webhooks`, their secrets read from the variables they name. */
  webhooks: WebhookEndpoint[];
  /** SUBSCRIPTIONS_*: GraphQL subscriptions over WebSocket. */
  subscriptions: {
    enabled: boolean;
    perConnection: number;
    perProcess: number;
    initTimeoutMs: number;
    keepAliveMs: number;
    /** SUBSCRIPTIONS_ALLOWED_ORIGINS: page origins a browser may open the socket from ('*': any). */
    allowedOrigins: readonly string[];
  };
  /** WEBHOOK_TIMEOUT_MS and WEBHOOKS_ALLOW_HTTP. */
  webhookDelivery: { timeoutMs: number; allowHttp: boolean };
  /** CLEANUP_INTERVAL_MS and JOBS_POLL_INTERVAL_MS. */
  jobs: { cleanupIntervalMs: number; pollIntervalMs: number };
  kaleyra: KaleyraConfig;
  /** AUTH_SERVICE; null selects the mode where participants carry fullName and groups. */
  authService: AuthServiceConfig | null;
  /** DEFAULT_CLIENT_TYPE: the client-type sent to the auth service when the request has none. */
  defaultClientType: string | undefined;
  /** ADDITIONAL_HEADERS_TO_PROXY, lower-cased. */
  additionalHeadersToProxy: string[];
  /** USERID_HEADER_KEY */
  userIdHeaderKey: string;
  /** SHUTDOWN_TIMEOUT_MS: how long a stop may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** REST_API_ENABLED: the original's REST API is served beside GraphQL. */
  restApiEnabled: boolean;
  /** COMPANY_SETTINGS_TTL_MS: how long Kaleyra's company settings are reused. */
  companySettingsTtlMs: number;
  /** FRONTEND_TELECONSULTATION_URL: the frontend's page of a visit, `{id}` to fill in. */
  frontendTeleconsultationUrl: string | undefined;
  /** GROUPS_HEADER_KEY, BACKOFFICE_HEADER_KEY, CLIENTTYPE_HEADER_KEY, lower-cased. */
  callerHeaders: { groups: string; backoffice: string; clientType: string };
  teleconsultation: TeleconsultationRules;
  service: ServiceConfig;
  graphql: GraphqlLimits & { ide: boolean; introspection: boolean };
}
