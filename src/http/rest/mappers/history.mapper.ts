import type { HistoryPage } from '../../../services/visits/teleconsultation.service.js';
import type { FromRestSchema, historySchema } from '../schemas.js';

export type RestHistoryBody = FromRestSchema<typeof historySchema>;

/** A page of the audit trail as `GET …/history` answers it: dates as ISO strings. */
export function historyBody(page: HistoryPage): RestHistoryBody {
  return {
    events: page.events.map((event) => ({
      id: event.id,
      sequence: event.sequence,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      actorId: event.actorId,
      changedFields: event.changedFields,
      participantIds: event.participantIds,
      ...(event.sessionId !== undefined ? { sessionId: event.sessionId } : {}),
      ...(event.delayMinutes !== undefined ? { delayMinutes: event.delayMinutes } : {}),
    })),
    hasNextPage: page.hasNextPage,
    endCursor: page.endCursor,
  };
}
