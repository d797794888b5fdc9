import got, { RequestError, TimeoutError } from 'got';
import { traceHeaders } from '../shared/tracing.js';
import {
  type WebhookAnswer,
  type WebhookRequest,
  type WebhookTransport,
  WebhookTransportError,
} from './port.js';

/** Retry-After is honoured up to this long; the job's backoff caps the rest. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Webhook requests over HTTP(S) with got, beside the upstream client (which is built around one
 * base URL and JSON answers): one try (the delivery job retries), no redirects
 * followed (a 3xx is an answer, and following one would send the signed body somewhere the
 * configuration never named), the whole exchange bounded by `timeoutMs`.
 */
export function createHttpWebhookTransport(): WebhookTransport {
  return {
    async post(request: WebhookRequest): Promise<WebhookAnswer> {
      try {
        const response = await got.post(request.url, {
          body: request.body,
          // The delivery's trace context (its job's span), so a receiver can continue the trace.
          headers: { ...request.headers, ...traceHeaders() },
          timeout: { request: request.timeoutMs },
          retry: { limit: 0 },
          followRedirect: false,
          throwHttpErrors: false,
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const retryAfterMs = retryAfter(response.headers['retry-after']);
        return { status: response.statusCode, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      } catch (error) {
        // got's errors carry the request options: only their code travels.
        if (error instanceof TimeoutError) throw new WebhookTransportError('timeout', error.code);
        if (error instanceof RequestError) throw new WebhookTransportError('network', error.code);
        throw error;
      }
    },
  };
}

function retryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(date - Date.now(), 0), MAX_RETRY_AFTER_MS);
}
