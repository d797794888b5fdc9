import type { Clock } from '../../domain/clock.js';
import type { ChangeKind } from '../../domain/events.js';
import { dataOf, type TeleconsultationRecord } from '../../domain/teleconsultation-record.js';
import type { TeleconsultationStore } from '../../storage/ports.js';
import type { EventLog } from '../events/event-log.js';
import type { RequestScope } from '../request-scope.js';
import type { TeleconsultationView } from './caller-views.js';

export interface VisitFactsDeps {
  store: TeleconsultationStore;
  events: EventLog;
  clock: Clock;
}

/** A lost race is retried from a fresh read this many times; then the fact waits for the next occasion. */
const MAX_ATTEMPTS = 4;

/**
 * Facts about a visit that change none of its data but belong in its log: its uploads were
 * deleted, a participant was handed their link for the first time. Each is written like a change
 * (version-checked, its event in the same write), so it is recorded exactly once.
 */
export class VisitFacts {
  constructor(private readonly deps: VisitFactsDeps) {}

  /** LINK_ISSUED for every view that hands its caller a link they were never handed before. */
  async linksHandedOut(scope: RequestScope, views: readonly TeleconsultationView[]): Promise<void> {
    for (const view of views) {
      const caller = view.caller;
      if (view.accessLinkURL === null || caller === null || caller.linkIssuedAt !== undefined) continue;
      await this.record(scope, view.record, 'issueLink', caller.userId);
    }
  }

  /**
   * Records a fact about `record`. Never throws for a lost race or a store failure: the fact is
   * recorded on the next occasion (a link is handed out again on the next read).
   */
  async record(
    scope: RequestScope,
    record: TeleconsultationRecord,
    kind: Extract<ChangeKind, 'deleteUploads' | 'issueLink'>,
    participantId?: string,
  ): Promise<void> {
    let current: TeleconsultationRecord | null = record;
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS && current !== null; attempt++) {
        const data = dataOf(current);
        const now = this.deps.clock.now();
        if (kind === 'issueLink') {
          const index = data.participants.findIndex((p) => p.userId === participantId);
          const participant = data.participants[index];
          if (!participant || participant.linkIssuedAt !== undefined) return;
          data.participants = data.participants.map((p, i) =>
            i === index ? { ...p, linkIssuedAt: now } : p,
          );
        }
        const events = this.deps.events.eventsOf(current, {
          kind,
          before: dataOf(current),
          after: data,
          actorId: scope.caller.id,
          occurredAt: now,
          ...(participantId ? { participantId } : {}),
        });
        const updated = await this.deps.store.update(current.id, current.version, data, now, {}, events);
        if (updated) {
          await this.deps.events.publish(updated, scope.logger);
          return;
        }
        current = await this.deps.store.findById(record.id);
      }
      scope.logger.info(
        { teleconsultationId: record.id, kind },
        'visit fact not recorded: the visit kept changing',
      );
    } catch (error) {
      scope.logger.warn({ teleconsultationId: record.id, kind, err: error }, 'visit fact not recorded');
    }
  }
}
