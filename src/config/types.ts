/**
 * The validated configuration, one section per component (src/config/components/): each section
 * is what its component's variables (and, for some, the service file) resolve to.
 */
import type { ServiceConfig } from '../domain/settings.js';
import type { GraphqlConfig } from './components/graphql.js';
import type { HttpConfig } from './components/http.js';
import type { IdentityConfig } from './components/identity.js';
import type { JobsConfig } from './components/jobs.js';
import type { LivekitConfig } from './components/livekit.js';
import type { RuntimeConfig } from './components/runtime.js';
import type { StoreConfig } from './components/store.js';
import type { SubscriptionsConfig } from './components/subscriptions.js';
import type { TracingConfig } from './components/tracing.js';
import type { VideoConfig } from './components/video.js';
import type { VisitsConfig } from './components/visits.js';
import type { WebhooksConfig } from './components/webhooks.js';

// The parts rules and use cases take are defined in the domain; re-exported for the config layer.
export type {
  ServiceConfig,
  TeleconsultationRules,
  ThemeColors,
  UserIdPathStep,
} from '../domain/settings.js';
export type { GraphqlConfig } from './components/graphql.js';
export type { HttpConfig } from './components/http.js';
export type { AuthServiceConfig, CallerSource, IdentityConfig } from './components/identity.js';
export type { JobsConfig } from './components/jobs.js';
export type { LivekitConfig } from './components/livekit.js';
export type { RuntimeConfig } from './components/runtime.js';
export type { StoreBackend, StoreConfig } from './components/store.js';
export type { SubscriptionsConfig } from './components/subscriptions.js';
export type { TracingConfig } from './components/tracing.js';
export type { KaleyraConfig, VideoConfig } from './components/video.js';
export type { VisitsConfig } from './components/visits.js';
export type { WebhooksConfig } from './components/webhooks.js';

export interface Config {
  /** NODE_ENV, DEV_MODE, LOG_LEVEL, WAIT_BEFORE_SERVER_CLOSE_SEC, SHUTDOWN_TIMEOUT_MS */
  runtime: RuntimeConfig;
  /** HOST, HTTP_PORT (PORT), TRUSTED_PROXIES, BODY_LIMIT_BYTES, REQUEST_TIMEOUT_MS, REST_API_ENABLED */
  http: HttpConfig;
  /** GRAPHQL_* */
  graphql: GraphqlConfig;
  /** SUBSCRIPTIONS_*, SUBSCRIPTION_*, WEBSOCKET_* */
  subscriptions: SubscriptionsConfig;
  /** The caller headers, AUTH_SERVICE* and what is forwarded to it */
  identity: IdentityConfig;
  /** BANDYER_*, KALEYRA_*, COMPANY_SETTINGS_TTL_MS */
  video: VideoConfig;
  /** LIVEKIT_*: LiveKit's connection, undefined when none is configured */
  livekit: LivekitConfig | undefined;
  /** STORE, MONGODB_URL, *_CRUD_NAME (CRUD_SERVICE* only say MONGODB_URL is missing) */
  store: StoreConfig;
  /** CLEANUP_INTERVAL_MS, JOBS_POLL_INTERVAL_MS */
  jobs: JobsConfig;
  /** WEBHOOK_TIMEOUT_MS, WEBHOOKS_ALLOW_HTTP, and the service file's endpoints */
  webhooks: WebhooksConfig;
  /** The teleconsultation rules and FRONTEND_TELECONSULTATION_URL */
  visits: VisitsConfig;
  /** ENABLE_TRACING, OTEL_SDK_DISABLED and the standard OTEL_* variables */
  tracing: TracingConfig;
  /** The service configuration file (TELECONSULTATION_SERVICE_CONFIG_PATH), validated. */
  service: ServiceConfig;
}
