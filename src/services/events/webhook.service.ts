import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { BadUserInputError } from '../../domain/errors.js';
import type { EventType, TeleconsultationEvent } from '../../domain/events.js';
import type { WebhookEndpoint } from '../../domain/settings.js';
import type { JobQueue } from '../../jobs/job-kind.js';
import { JobFailure, PermanentJobError } from '../../jobs/job-retry.js';
import {
  encodeJobCursor,
  InvalidJobCursorError,
  type JobRecord,
  type JobState,
  type JobStore,
  type JsonValue,
} from '../../jobs/port.js';
import { signatureHeader } from '../../shared/webhook-signature.js';
import { type WebhookTransport, WebhookTransportError } from '../../webhooks/port.js';
import type { AccessControl } from '../access/access-control.js';
import type { RequestScope } from '../request-scope.js';
import type { EventSink } from './event-log.js';

/** The job kind of one delivery (registered with its handler in src/composition/job-kinds.ts). */
export const WEBHOOK_DELIVERY = 'webhook-delivery';

export const EVENT_ID_HEADER = 'x-teleconsultation-event-id';
export const SIGNATURE_HEADER = 'x-teleconsultation-signature';

/** What a webhook's JSON body is: ids, the visit's status, dates and participant count. */
export type WebhookBody = {
  id: string;
  type: EventType;
  teleconsultationId: string;
  sequence: number;
  occurredAt: string;
  data: {
    status: string;
    startDate: string;
    endDate: string | null;
    durationInSeconds: number | null;
    participantsNumber: number;
    participantCount: number;
    actorId: string | null;
    changedFields: string[];
    participantIds: string[];
    /** TRANSCRIPTION_READ only: the session whose transcription was read. */
    sessionId?: string;
    /** HOST_DELAYED only: the minutes announced (0: cleared). */
    delayMinutes?: number;
  };
};

export type DeliveryState = 'PENDING' | 'DELIVERED' | 'DEAD';

const JOB_STATES_OF: Record<DeliveryState, JobState[]> = {
  PENDING: ['waiting', 'pending', 'running'],
  DELIVERED: ['done'],
  DEAD: ['dead'],
};

export interface WebhookDelivery {
  id: string;
  /** Where this delivery sits in the list (for `after`). */
  cursor: string;
  eventId: string;
  eventType: EventType;
  teleconsultationId: string;
  sequence: number;
  endpointUrl: string | null;
  state: DeliveryState;
  attempts: number;
  /** The HTTP status of the last attempt that got an answer. */
  lastStatus: number | null;
  /** What went wrong last, when something did (never a secret). */
  lastError: string | null;
  createdAt: Date;
  /** When a pending delivery is tried next. */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

export interface DeliveryPage {
  deliveries: WebhookDelivery[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface WebhookDeliveriesDeps {
  endpoints: readonly WebhookEndpoint[];
  /** Where deliveries are enqueued (the job runner: it applies their retry policy). */
  jobs: JobQueue;
  /** Where the back office's list of deliveries is read. */
  store: JobStore;
  transport: WebhookTransport;
  access: AccessControl;
  clock: Clock;
  logger: Logger;
  /** WEBHOOK_TIMEOUT_MS */
  timeoutMs: number;
}

const MAX_PAGE_SIZE = 100;

/**
 * Signed webhooks, at least once: each event an endpoint asked for becomes one durable delivery
 * job, ordered per endpoint and visit (a visit's deliveries to one endpoint go out in sequence
 * order, each after the previous one is delivered or dead), retried with backoff and jitter for
 * up to a day. The job carries the exact body, so every retry sends the same event id. Its
 * concurrency key is the endpoint: an endpoint that hangs holds at most its share of the
 * delivery slots (src/composition/job-kinds.ts).
 */
export class WebhookService implements EventSink {
  private readonly byId: ReadonlyMap<string, WebhookEndpoint>;

  constructor(private readonly deps: WebhookDeliveriesDeps) {
    this.byId = new Map(deps.endpoints.map((endpoint) => [endpoint.id, endpoint]));
  }

  /** One delivery job per event and interested endpoint (idempotent: dedupe by endpoint and event). */
  async accept(events: readonly TeleconsultationEvent[]): Promise<void> {
    for (const event of events) {
      for (const endpoint of this.deps.endpoints) {
        if (endpoint.events !== '*' && !endpoint.events.includes(event.type)) continue;
        await this.deps.jobs.enqueue(WEBHOOK_DELIVERY, {
          payload: { endpointId: endpoint.id, body: bodyOf(event) as unknown as JsonValue },
          dedupeKey: `${WEBHOOK_DELIVERY}:${endpoint.id}:${event.id}`,
          order: { key: `${endpoint.id}:${event.teleconsultationId}`, sequence: event.sequence },
          // WEBHOOK_CONCURRENCY_PER_ENDPOINT bounds the deliveries of one endpoint at once.
          concurrencyKey: endpoint.id,
        });
      }
    }
  }

  /** The back office's view of deliveries, newest first. */
  async list(
    scope: RequestScope,
    query: { state?: DeliveryState | null; first?: number | null; after?: string | null },
  ): Promise<DeliveryPage> {
    await this.deps.access.check(scope, 'webhookDeliveries');
    const first = query.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}.`, {
        reason: 'PAGE_SIZE_OUT_OF_RANGE',
        field: ['first'],
      });
    }
    try {
      const page = await this.deps.store.list({
        kinds: [WEBHOOK_DELIVERY],
        ...(query.state ? { states: JOB_STATES_OF[query.state] } : {}),
        first,
        after: query.after ?? null,
      });
      return {
        deliveries: page.jobs.map((job) => this.deliveryOf(job)),
        hasNextPage: page.hasNextPage,
        endCursor: page.endCursor,
      };
    } catch (error) {
      if (error instanceof InvalidJobCursorError) {
        throw new BadUserInputError('after is not a cursor this list gave.', {
          reason: 'INVALID_CURSOR',
          field: ['after'],
        });
      }
      throw error;
    }
  }

  /** The WEBHOOK_DELIVERY job: one signed POST of the event's body to its endpoint. */
  async deliver(job: JobRecord, signal: AbortSignal): Promise<{ outcome: string }> {
    const endpoint = this.byId.get(String(job.payload.endpointId));
    if (!endpoint)
      throw new PermanentJobError('the endpoint is no longer configured', { outcome: 'no endpoint' });
    const body = JSON.stringify(job.payload.body);
    const event = job.payload.body as unknown as WebhookBody;
    const now = this.deps.clock.now();
    try {
      const answer = await this.deps.transport.post({
        url: endpoint.url,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'teleconsultation-gateway-webhooks',
          [EVENT_ID_HEADER]: event.id,
          [SIGNATURE_HEADER]: signatureHeader(endpoint.secret, body, now.getTime() / 1000),
        },
        timeoutMs: this.deps.timeoutMs,
        signal,
      });
      if (answer.status >= 200 && answer.status < 300) return { outcome: `HTTP ${answer.status}` };
      throw new JobFailure(`the endpoint answered ${answer.status}`, {
        outcome: `HTTP ${answer.status}`,
        ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
      });
    } catch (error) {
      if (error instanceof WebhookTransportError) {
        throw new JobFailure(error.message, {
          outcome: error.kind === 'timeout' ? 'timeout' : (error.code ?? 'network'),
        });
      }
      throw error;
    }
  }

  private deliveryOf(job: JobRecord): WebhookDelivery {
    const body = job.payload.body as unknown as WebhookBody;
    const status = /^HTTP (\d{3})$/.exec(job.lastOutcome ?? '');
    return {
      id: job.id,
      cursor: encodeJobCursor(job),
      eventId: body.id,
      eventType: body.type,
      teleconsultationId: body.teleconsultationId,
      sequence: body.sequence,
      endpointUrl: this.byId.get(String(job.payload.endpointId))?.url ?? null,
      state: job.state === 'done' ? 'DELIVERED' : job.state === 'dead' ? 'DEAD' : 'PENDING',
      attempts: Math.min(job.attempt, job.maxAttempts),
      lastStatus: status ? Number(status[1]) : null,
      lastError: job.state === 'done' ? null : job.lastError,
      createdAt: job.createdAt,
      nextAttemptAt: job.state === 'pending' ? job.runAt : null,
      deliveredAt: job.state === 'done' ? job.finishedAt : null,
    };
  }
}

export function bodyOf(event: TeleconsultationEvent): WebhookBody {
  return {
    id: event.id,
    type: event.type,
    teleconsultationId: event.teleconsultationId,
    sequence: event.sequence,
    occurredAt: event.occurredAt.toISOString(),
    data: {
      status: event.snapshot.status,
      startDate: event.snapshot.startDate.toISOString(),
      endDate: event.snapshot.endDate?.toISOString() ?? null,
      durationInSeconds: event.snapshot.durationInSeconds,
      participantsNumber: event.snapshot.participantsNumber,
      participantCount: event.snapshot.participantCount,
      actorId: event.actorId,
      changedFields: [...event.changedFields],
      participantIds: [...event.participantIds],
      ...(event.sessionId !== undefined ? { sessionId: event.sessionId } : {}),
      ...(event.delayMinutes !== undefined ? { delayMinutes: event.delayMinutes } : {}),
    },
  };
}
