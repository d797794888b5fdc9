import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Clock } from '../../domain/clock.js';
import type { CalendarSettings } from '../../domain/settings.js';
import { scheduleOf, type TeleconsultationRecord } from '../../domain/teleconsultation-record.js';

export interface CalendarEventsOptions extends CalendarSettings {
  /** FRONTEND_TELECONSULTATION_URL: the frontend's page of a visit, `{id}` filled in. */
  frontendUrlTemplate?: string | undefined;
}

/** The product identifier every event carries (PRODID). */
const PRODUCT = { company: 'teleconsultation-gateway', product: 'teleconsultation-gateway', language: 'EN' };

/**
 * Each teleconsultation as an iCalendar (RFC 5545) document: one VEVENT whose UID never changes,
 * whose SEQUENCE is the record's (raised on every move and on cancellation, so calendar clients
 * replace the entry), METHOD:REQUEST while it stands and METHOD:CANCEL with STATUS:CANCELLED once
 * cancelled. No participant appears in it, and no join link: the document travels to mail
 * servers and shared calendars, and links are personal and handed out only at the lock.
 */
export class CalendarEvents {
  constructor(
    private readonly clock: Clock,
    private readonly options: CalendarEventsOptions,
  ) {}

  eventOf(record: TeleconsultationRecord): string {
    const cancelled = record.state === 'trashed';
    const { startDate, endDate } = scheduleOf(record);
    const calendar = ical({
      prodId: PRODUCT,
      method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    });
    const url = this.urlOf(record.id);
    const { organizer } = this.options;
    calendar.createEvent({
      id: uidOf(record.id),
      sequence: record.calendarSequence,
      // DTSTAMP: when this copy of the event was produced (the injected clock).
      stamp: this.clock.now(),
      start: startDate,
      // A legacy record with neither end nor duration: no DTEND (the event is an instant).
      ...(endDate ? { end: endDate } : {}),
      summary: this.options.summary,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(url ? { url } : {}),
      ...(organizer
        ? { organizer: { name: organizer.name ?? organizer.email, email: organizer.email } }
        : {}),
    });
    return calendar.toString();
  }

  private urlOf(id: string): string | null {
    const template = this.options.frontendUrlTemplate;
    return template ? template.replaceAll('{id}', encodeURIComponent(id)) : null;
  }
}

/** Stable for the visit's whole life: its id never changes. */
export function uidOf(teleconsultationId: string): string {
  return `${teleconsultationId}@teleconsultation-gateway`;
}
