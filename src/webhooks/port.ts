/** One delivery attempt's HTTP request to a webhook endpoint. */
export interface WebhookRequest {
  url: string;
  /** The exact bytes that were signed. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What the endpoint answered; redirects are answers too (never followed). */
export interface WebhookAnswer {
  status: number;
  /** From a Retry-After header, when the endpoint sent one. */
  retryAfterMs?: number;
}

/** The endpoint did not answer: a timeout, a refused or dropped connection, a DNS failure. */
export class WebhookTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    /** The system error code when there is one (ECONNREFUSED…), for the delivery's outcome. */
    readonly code: string | undefined,
  ) {
    super(
      kind === 'timeout'
        ? 'the endpoint did not answer in time'
        : `the endpoint could not be reached (${code ?? 'network error'})`,
    );
    this.name = 'WebhookTransportError';
  }
}

export interface WebhookTransport {
  post(request: WebhookRequest): Promise<WebhookAnswer>;
}
