import type { Clock } from '../../domain/clock.js';
import { ConflictError } from '../../domain/errors.js';
import type { ChangeKind } from '../../domain/events.js';
import { dataOf, type TeleconsultationRecord } from '../../domain/teleconsultation-record.js';
import type { TeleconsultationStore } from '../../storage/ports.js';
import type { EventLog } from '../events/event-log.js';
import type { RequestScope } from '../request-scope.js';

export interface VisitFactsDeps {
  store: TeleconsultationStore;
  events: EventLog;
  clock: Clock;
}

/** A lost race is retried from a fresh read this many times; then the fact waits for the next occasion. */
const MAX_ATTEMPTS = 4;

/**
 * Facts about a visit that change none of its data but belong in its log: its uploads were
 * deleted, a participant was handed their link for the first time, a transcription was read. Each
 * is written like a change (version-checked, its event in the same write), so it is recorded
 * exactly once.
 */
export class VisitFacts {
  constructor(private readonly deps: VisitFactsDeps) {}

  /**
   * LINK_ISSUED for a participant handed their link, unless the visit as stored now says they
   * were handed it before. The record is read when the fact is written, not kept from the read
   * that answered: a push's hand-out waits for the instant's last push (LiveService.afterPushes),
   * and 10,000 records kept that long were promoted into the old generation at that instant; the
   * record as stored is also what the write must start from (a view's participants may carry
   * roles the privileges give now, which are never stored).
   */
  async linkHandedOut(scope: RequestScope, teleconsultationId: string, participantId: string): Promise<void> {
    let record: TeleconsultationRecord | null;
    try {
      record = await this.deps.store.findById(teleconsultationId);
    } catch (error) {
      scope.logger.warn({ teleconsultationId, kind: 'issueLink', err: error }, 'visit fact not recorded');
      return;
    }
    if (record !== null) await this.record(scope, record, 'issueLink', participantId);
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
    try {
      if (!(await this.write(scope, record, kind, participantId ? { participantId } : {}))) {
        scope.logger.info(
          { teleconsultationId: record.id, kind },
          'visit fact not recorded: the visit kept changing',
        );
      }
    } catch (error) {
      scope.logger.warn({ teleconsultationId: record.id, kind, err: error }, 'visit fact not recorded');
    }
  }

  /**
   * TRANSCRIPTION_READ, recorded before the transcription is handed over and required: a read the
   * audit trail would not show does not happen. A visit that kept changing is CONFLICT (retry); a
   * store failure throws.
   */
  async transcriptionRead(
    scope: RequestScope,
    record: TeleconsultationRecord,
    sessionId: string,
  ): Promise<void> {
    if (await this.write(scope, record, 'readTranscription', { sessionId })) return;
    throw new ConflictError('The visit kept changing while its transcription was read; retry.', {
      reason: 'VERSION_CONFLICT',
    });
  }

  /** Writes the fact like a change, retried from a fresh read after a lost race; false when every race was lost. */
  private async write(
    scope: RequestScope,
    record: TeleconsultationRecord,
    kind: Extract<ChangeKind, 'deleteUploads' | 'issueLink' | 'readTranscription'>,
    about: { participantId?: string; sessionId?: string },
  ): Promise<boolean> {
    let current: TeleconsultationRecord | null = record;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && current !== null; attempt++) {
      const data = dataOf(current);
      const now = this.deps.clock.now();
      if (kind === 'issueLink') {
        const index = data.participants.findIndex((p) => p.userId === about.participantId);
        const participant = data.participants[index];
        if (!participant || participant.linkIssuedAt !== undefined) return true;
        data.participants = data.participants.map((p, i) => (i === index ? { ...p, linkIssuedAt: now } : p));
      }
      const events = this.deps.events.eventsOf(current, {
        kind,
        before: dataOf(current),
        after: data,
        actorId: scope.caller.id,
        occurredAt: now,
        ...about,
      });
      const updated = await this.deps.store.update(current.id, current.version, data, now, {}, events);
      if (updated) {
        await this.deps.events.publish(updated, scope.logger);
        return true;
      }
      current = await this.deps.store.findById(record.id);
    }
    return false;
  }
}
