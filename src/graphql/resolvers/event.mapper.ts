import { encodeEventCursor } from '../../services/events/event-log.js';
import type { DeliveryPage } from '../../services/events/webhook.service.js';
import type { HistoryPage } from '../../services/visits/teleconsultation.service.js';
import { DeliveryState, TeleconsultationEventType } from '../types/enums.js';
import type { TeleconsultationEventConnection, WebhookDeliveryConnection } from '../types/event.type.js';
import { forwardPageInfo } from './page-info.js';

export function toEventConnection(page: HistoryPage): TeleconsultationEventConnection {
  const edges = page.events.map((event) => ({
    cursor: encodeEventCursor(event.sequence),
    node: {
      id: event.id,
      sequence: event.sequence,
      type: TeleconsultationEventType[event.type],
      occurredAt: event.occurredAt,
      actorId: event.actorId,
      changedFields: [...event.changedFields],
      participantIds: [...event.participantIds],
      sessionId: event.sessionId ?? null,
      delayMinutes: event.delayMinutes ?? null,
    },
  }));
  return {
    edges,
    pageInfo: forwardPageInfo(edges, page),
  };
}

export function toDeliveryConnection(page: DeliveryPage): WebhookDeliveryConnection {
  const edges = page.deliveries.map(({ cursor, ...delivery }) => ({
    cursor,
    node: {
      ...delivery,
      eventType: TeleconsultationEventType[delivery.eventType],
      state: DeliveryState[delivery.state],
    },
  }));
  return {
    edges,
    pageInfo: forwardPageInfo(edges, page),
  };
}
