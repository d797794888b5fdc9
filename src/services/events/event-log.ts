import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { BadUserInputError } from '../../domain/errors.js';
import { type ChangeFacts, eventsOfChange, type TeleconsultationEvent } from '../../domain/events.js';
import type { TeleconsultationRecord } from '../../domain/teleconsultation-record.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../shared/opaque-cursor.js';
import type {
  EventStore,
  SequencedEvent,
  StoredTeleconsultation,
  TeleconsultationStore,
} from '../../storage/ports.js';

/** Whoever wants to hear about published events (webhooks, live subscriptions). */
export interface EventSink {
  /** Called in sequence order per visit, at least once per event; must be idempotent. */
  accept(events: readonly TeleconsultationEvent[]): Promise<void>;
}

export interface EventLogDeps {
  store: TeleconsultationStore;
  events: EventStore;
  clock: Clock;
  logger: Logger;
  immutablePeriodMs: number;
  /** An outbox event older than this is taken as left behind by a crash and published by the sweep. */
  sweepAfterMs?: number;
}

const DEFAULT_SWEEP_AFTER_MS = 5000;
const SWEEP_BATCH = 100;

/**
 * The visit's append-only event log. A change's events are written into its record's outbox by
 * the same conditional write as the change (so an event exists exactly when its change was
 * stored), then published: handed to the sinks (webhook deliveries are enqueued as durable jobs),
 * appended to the event log, and removed from the outbox. Every step is idempotent, so the sweep
 * publishes again whatever a crash left in an outbox. A publisher always publishes the record's
 * whole outbox, oldest first, so a slow replica cannot get a visit's events out of order.
 */
export class EventLog {
  private readonly sinks: EventSink[] = [];

  constructor(private readonly deps: EventLogDeps) {}

  subscribe(sink: EventSink): void {
    this.sinks.push(sink);
  }

  /** The events of a change, numbered after the record's last one. */
  eventsOf(
    current: Pick<TeleconsultationRecord, 'eventSequence'> | null,
    facts: Omit<ChangeFacts, 'newId' | 'immutablePeriodMs'>,
  ): SequencedEvent[] {
    const first = (current?.eventSequence ?? 0) + 1;
    return eventsOfChange({ ...facts, immutablePeriodMs: this.deps.immutablePeriodMs, newId }).map(
      (draft, index) => ({ ...draft, sequence: first + index }),
    );
  }

  /**
   * Publishes what the record's outbox holds. Never throws: the change is stored already, and an
   * event left in the outbox is published by the sweep.
   */
  async publish(record: StoredTeleconsultation, logger: Logger = this.deps.logger): Promise<void> {
    if (record.outbox.length === 0) return;
    const events = [...record.outbox].sort((a, b) => a.sequence - b.sequence);
    try {
      for (const sink of this.sinks) await sink.accept(events);
      await this.deps.events.append(events);
      await this.deps.store.clearOutbox(record.id, events.at(-1)?.sequence ?? 0);
    } catch (error) {
      logger.warn(
        { teleconsultationId: record.id, err: error },
        'events stored with their change could not be published yet; the sweep will',
      );
    }
  }

  /** Publishes the outboxes a crash (or a failed publish) left behind. */
  async sweep(): Promise<number> {
    const before = new Date(
      this.deps.clock.now().getTime() - (this.deps.sweepAfterMs ?? DEFAULT_SWEEP_AFTER_MS),
    );
    let records: StoredTeleconsultation[];
    try {
      records = await this.deps.store.withUnpublishedEvents(before, SWEEP_BATCH);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'event sweep failed; retrying at the next one');
      return 0;
    }
    for (const record of records) await this.publish(record);
    if (records.length > 0)
      this.deps.logger.warn({ records: records.length }, 'unpublished events published by the sweep');
    return records.length;
  }

  /**
   * A visit's events after `afterSequence`, in order: the published log, then what the record's
   * outbox still holds (so an event is visible the moment its change is stored).
   */
  async history(
    record: StoredTeleconsultation,
    afterSequence: number,
    limit: number,
  ): Promise<TeleconsultationEvent[]> {
    const published = await this.deps.events.list(record.id, afterSequence, limit);
    const bySequence = new Map(published.map((event) => [event.sequence, event]));
    for (const event of record.outbox) {
      if (event.sequence > afterSequence && !bySequence.has(event.sequence))
        bySequence.set(event.sequence, event);
    }
    return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence).slice(0, limit);
  }
}

function newId(): string {
  return randomBytes(12).toString('hex');
}

export const DEFAULT_HISTORY_PAGE_SIZE = 50;
export const MAX_HISTORY_PAGE_SIZE = 100;

export interface HistoryPage {
  events: TeleconsultationEvent[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A history page request, checked: `first` 1..100, `after` a cursor the history gave. */
export function historyPageOf(query: { first?: number | null; after?: string | null }): {
  afterSequence: number;
  first: number;
} {
  const first = query.first ?? DEFAULT_HISTORY_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_HISTORY_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 1 and ${MAX_HISTORY_PAGE_SIZE}.`, {
      reason: 'PAGE_SIZE_OUT_OF_RANGE',
      field: ['first'],
    });
  }
  return { first, afterSequence: query.after == null ? 0 : decodeEventCursor(query.after) };
}

/** The page for up to `first + 1` events fetched: the extra one only tells that more follow. */
export function toHistoryPage(events: readonly TeleconsultationEvent[], first: number): HistoryPage {
  const page = events.slice(0, first);
  const last = page.at(-1);
  return {
    events: page,
    hasNextPage: events.length > first,
    endCursor: last ? encodeEventCursor(last.sequence) : null,
  };
}

export function encodeEventCursor(sequence: number): string {
  return encodeOpaqueCursor(`e1:${sequence}`);
}

function decodeEventCursor(cursor: string): number {
  const invalid = () =>
    new BadUserInputError('after is not a cursor this history gave.', {
      reason: 'INVALID_CURSOR',
      field: ['after'],
    });
  const match = /^e1:(\d{1,15})$/.exec(decodeOpaqueCursor(cursor, 64) ?? '');
  if (!match) throw invalid();
  return Number(match[1]);
}
