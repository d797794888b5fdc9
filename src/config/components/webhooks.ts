/** Webhooks: how long an endpoint has to answer, whether plain http is allowed, and the endpoints. */
import type { WebhookEndpoint } from '../../domain/settings.js';
import { booleanValue, MINUTE, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

export const WEBHOOKS_VARIABLES = {
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
} as const satisfies VariableTable;

/** `config.webhooks` */
export interface WebhooksConfig {
  /** The service file's `webhooks`, their secrets read from the variables they name. */
  endpoints: WebhookEndpoint[];
  /** WEBHOOK_TIMEOUT_MS */
  timeoutMs: number;
  /** WEBHOOKS_ALLOW_HTTP */
  allowHttp: boolean;
}

export function webhooksSection(
  v: ValuesOf<typeof WEBHOOKS_VARIABLES>,
  endpoints: WebhookEndpoint[],
): WebhooksConfig {
  return { endpoints, timeoutMs: v.WEBHOOK_TIMEOUT_MS, allowHttp: v.WEBHOOKS_ALLOW_HTTP };
}
