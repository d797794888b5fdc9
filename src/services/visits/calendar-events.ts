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
  ) {
    const name = options.organizer?.name;
    if (name !== undefined && UNSAFE_PARAMETER_CHARACTER.test(name)) {
      throw new Error('calendar.organizer.name holds a character no calendar parameter can carry');
    }
  }

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
      // CN is a quoted parameter: its text goes through quotedParameter (RFC 6868).
      ...(organizer
        ? {
            organizer: {
              name: quotedParameter(organizer.name ?? organizer.email),
              email: organizer.email,
            },
          }
        : {}),
    });
    return calendar.toString();
  }

  private urlOf(id: string): string | null {
    const template = this.options.frontendUrlTemplate;
    return template ? template.replaceAll('{id}', encodeURIComponent(id)) : null;
  }
}

/**
 * Text for a quoted iCalendar parameter (`CN="…"`), every parameter we write. RFC 5545 lets a
 * quoted parameter hold anything but `"` and control characters, with no escape of its own (the
 * writer's `\"` is read by parsers as the end of the value, so `Dr "X":mailto:evil@…` became
 * another organizer); RFC 6868 encodes the rest: `^` as `^^`, `"` as `^'`, a line break as `^n`.
 * Other control characters and `\` (which the writer would double) cannot travel and are refused
 * before they get here: the config (`calendar.organizer.name`) and the constructor.
 */
export function quotedParameter(text: string): string {
  return text
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'")
    .replace(/\r\n|\r|\n/g, '^n');
}

/** What no quoted parameter can carry, even encoded: other control characters, and `\`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
export const UNSAFE_PARAMETER_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\\]/;

/** Stable for the visit's whole life: its id never changes. */
export function uidOf(teleconsultationId: string): string {
  return `${teleconsultationId}@teleconsultation-gateway`;
}
