/**
 * Webhooks: how long an endpoint has to answer, how many deliveries run at once (in all, and to
 * one endpoint), whether plain http is allowed, and the endpoints.
 */
import type { WebhookEndpoint } from '../../domain/settings.js';
import { booleanValue, MINUTE, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

export const WEBHOOKS_VARIABLES = {
  WEBHOOK_TIMEOUT_MS: {
    default: '5000',
    description:
      'How long a webhook endpoint has to answer a delivery, in milliseconds; a slower answer counts as a failure and is retried.',
    schema: wholeNumber(100, MINUTE),
  },
  WEBHOOK_CONCURRENCY: {
    default: '8',
    description:
      'How many webhook deliveries one replica sends at once. Deliveries have slots of their own: room deletions and other clean-up never wait for them.',
    schema: wholeNumber(1, 100),
  },
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: {
    default: '4',
    description:
      'Of those, how many may go to one endpoint at once (at most WEBHOOK_CONCURRENCY): an endpoint that hangs holds no more slots than this, and the others keep theirs.',
    schema: wholeNumber(1, 100),
  },
  WEBHOOKS_ALLOW_HTTP: {
    default: 'false',
    description:
      'true: webhook endpoints may be plain http:// URLs (tests, the demo). false: only https:// endpoints start.',
    schema: booleanValue,
  },
} as const satisfies VariableTable;

/** `config.webhooks` */
export interface WebhooksConfig {
  /** The service file's `webhooks`, their secrets read from the variables they name. */
  endpoints: WebhookEndpoint[];
  /** WEBHOOK_TIMEOUT_MS */
  timeoutMs: number;
  /** WEBHOOK_CONCURRENCY */
  concurrency: number;
  /** WEBHOOK_CONCURRENCY_PER_ENDPOINT, at most `concurrency`. */
  concurrencyPerEndpoint: number;
  /** WEBHOOKS_ALLOW_HTTP */
  allowHttp: boolean;
}

export function webhooksSection(
  v: ValuesOf<typeof WEBHOOKS_VARIABLES>,
  endpoints: WebhookEndpoint[],
): WebhooksConfig {
  return {
    endpoints,
    timeoutMs: v.WEBHOOK_TIMEOUT_MS,
    concurrency: v.WEBHOOK_CONCURRENCY,
    concurrencyPerEndpoint: Math.min(v.WEBHOOK_CONCURRENCY_PER_ENDPOINT, v.WEBHOOK_CONCURRENCY),
    allowHttp: v.WEBHOOKS_ALLOW_HTTP,
  };
}
