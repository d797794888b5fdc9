/**
 * Calendar events over HTTP, read back with an independent parser (node-ical): one VEVENT whose
 * UID never changes, SEQUENCE raised by every move and by the cancellation, METHOD:CANCEL with
 * STATUS:CANCELLED once cancelled, the frontend's page as URL, and no participant anywhere.
 * GraphQL's `calendarEvent` and REST's `GET /teleconsultation/:id/calendar.ics` agree.
 */

import nodeIcal, { type VEvent } from 'node-ical';
import { ConfigError } from '../../../src/config/load-config.js';
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  TeleconsultationCalendarEventDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { inMinutes, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';

const MINUTE = 60_000;
const FRONTEND = 'https://clinic.example/telecons-fe/teleconsultation/{id}';

const SERVICE_CONFIG = {
  privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
  environment: 'sandbox',
  calendar: {
    summary: 'Video visit – Clinica San Luca',
    organizer: { name: 'Clinica San Luca', email: 'no-reply@clinic.example' },
  },
};

interface ParsedEvent {
  method: string | undefined;
  event: VEvent;
  text: string;
}

function parse(text: string): ParsedEvent {
  const parsed = nodeIcal.sync.parseICS(text);
  const events = Object.values(parsed).filter(
    (component): component is VEvent => component?.type === 'VEVENT',
  );
  expect(events).toHaveLength(1);
  const calendar = parsed.vcalendar as unknown as { method?: string } | undefined;
  return { method: calendar?.method, event: events[0] as VEvent, text };
}

describe('calendar events', () => {
  let gateway: TestGateway;

  beforeEach(async () => {
    gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(10 * MINUTE), FRONTEND_TELECONSULTATION_URL: FRONTEND },
      serviceConfigFile: SERVICE_CONFIG,
    });
  });
  afterEach(async () => gateway?.close());

  const schedule = async (participantsNumber = 2) => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participantsNumber,
        participants: [
          { userId: 'doc-7', fullName: 'Ada Rossi', groups: ['doctor'] },
          { userId: 'pat-9', fullName: 'Bruno Bianchi', groups: ['customer'], language: 'it' },
        ],
      },
    });
    return createTeleconsultation.id;
  };

  const graphqlEvent = async (id: string, caller = 'doc-7') => {
    const { teleconsultation } = await gateway.ok(TeleconsultationCalendarEventDocument, { id }, { caller });
    return parse(teleconsultation?.calendarEvent ?? '');
  };

  it('describes the visit: UID, SEQUENCE 0, UTC start and end, DTSTAMP from the clock, summary, organizer, URL', async () => {
    const id = await schedule();
    const { method, event, text } = await graphqlEvent(id);

    expect(method).toBe('REQUEST');
    expect(event.uid).toBe(`${id}@teleconsultation-gateway`);
    expect(event.sequence).toBe(0);
    expect(event.start.toISOString()).toBe(inMinutes(60));
    expect(event.end?.toISOString()).toBe(inMinutes(90));
    expect(event.dtstamp.toISOString()).toBe(T0.toISOString());
    expect(event.summary).toBe('Video visit – Clinica San Luca');
    expect(event.status).toBe('CONFIRMED');
    expect((event.url as unknown as { val: string }).val).toBe(
      `https://clinic.example/telecons-fe/teleconsultation/${id}`,
    );
    expect(JSON.stringify(event.organizer)).toContain('mailto:no-reply@clinic.example');
    // The raw document: UTC times, CRLF lines (RFC 5545).
    expect(text).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
    expect(text).toMatch(/\r\nDTEND:\d{8}T\d{6}Z\r\n/);
  });

  it('names no participant and carries no join link, even once links are handed out', async () => {
    const id = await schedule();
    gateway.clock.set(Date.parse(inMinutes(60)) - 5 * MINUTE);
    const { text } = await graphqlEvent(id);
    for (const secret of [
      'Ada',
      'Rossi',
      'Bruno',
      'Bianchi',
      'doc-7',
      'pat-9',
      'kaleyra',
      'sandbox',
      'join',
    ]) {
      expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    expect(text).not.toContain('ATTENDEE');
  });

  it('keeps the UID and raises SEQUENCE by one on each move and on cancellation, not on other changes', async () => {
    const id = await schedule(3);
    const sequence = async () => {
      const { event, method } = await graphqlEvent(id);
      expect(event.uid).toBe(`${id}@teleconsultation-gateway`);
      return [event.sequence, method, event.status, event.start.toISOString(), event.end?.toISOString()];
    };
    expect(await sequence()).toEqual([0, 'REQUEST', 'CONFIRMED', inMinutes(60), inMinutes(90)]);

    // Completing the participant list creates the room but moves nothing.
    await gateway.ok(AddParticipantsDocument, {
      id,
      participants: [{ userId: 'pat-10', fullName: 'Carla Verdi', groups: ['customer'] }],
    });
    expect(await sequence()).toEqual([0, 'REQUEST', 'CONFIRMED', inMinutes(60), inMinutes(90)]);

    // Rescheduled twice: once the start, once the duration.
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(120) } });
    expect(await sequence()).toEqual([1, 'REQUEST', 'CONFIRMED', inMinutes(120), inMinutes(150)]);
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { durationInSeconds: 2700 } });
    expect(await sequence()).toEqual([2, 'REQUEST', 'CONFIRMED', inMinutes(120), inMinutes(165)]);
    // A change that keeps the dates keeps the sequence.
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { recording: 'MANUAL' } });
    expect(await sequence()).toEqual([2, 'REQUEST', 'CONFIRMED', inMinutes(120), inMinutes(165)]);

    await gateway.ok(DeleteTeleconsultationDocument, { id });
    expect(await sequence()).toEqual([3, 'CANCEL', 'CANCELLED', inMinutes(120), inMinutes(165)]);
  });

  it('counts every one of concurrent moves once, however their retries interleave', async () => {
    const id = await schedule();
    const moves = [100, 110, 120, 130];
    const results = await Promise.all(
      moves.map((minutes) =>
        gateway.request(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(minutes) } }),
      ),
    );
    const stored = results.filter((result) => !result.errors).length;
    expect(stored).toBeGreaterThan(1);
    expect((await graphqlEvent(id)).event.sequence).toBe(stored);
  });

  it("serves the same document as text/calendar on GET /teleconsultation/:id/calendar.ics, with the read's authorization", async () => {
    const id = await schedule();
    const response = await gateway.rest('GET', `/teleconsultation/${id}/calendar.ics`, {
      caller: 'pat-9',
      groups: 'customer',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.text).toBe((await graphqlEvent(id, 'pat-9')).text);

    const stranger = await gateway.rest('GET', `/teleconsultation/${id}/calendar.ics`, {
      caller: 'doc-other',
    });
    // The original's answer to a reader who is not allowed: 401, as on the read.
    expect(stranger.status).toBe(401);
    expect(stranger.json).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
    const anonymous = await gateway.rest('GET', `/teleconsultation/${id}/calendar.ics`, { anonymous: true });
    expect(anonymous.status).toBe(401);

    // Cancelled through REST: the participant's next download cancels the entry.
    expect((await gateway.rest('DELETE', `/teleconsultation/${id}`)).status).toBe(204);
    const cancelled = await gateway.rest('GET', `/teleconsultation/${id}/calendar.ics`, { caller: 'pat-9' });
    expect(parse(cancelled.text)).toMatchObject({
      method: 'CANCEL',
      event: { status: 'CANCELLED', sequence: 1 },
    });
  });
});

describe('calendar event configuration', () => {
  it('defaults to the summary "Teleconsultation", no URL and no organizer', async () => {
    const gateway = await startTestGateway();
    try {
      const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [
            { userId: 'doc-7', fullName: 'Ada Rossi', groups: ['doctor'] },
            { userId: 'pat-9', fullName: 'Bruno Bianchi', groups: ['customer'] },
          ],
        },
      });
      const { teleconsultation } = await gateway.ok(
        TeleconsultationCalendarEventDocument,
        { id: createTeleconsultation.id },
        { caller: 'doc-7' },
      );
      const { event, text } = parse(teleconsultation?.calendarEvent ?? '');
      expect(event.summary).toBe('Teleconsultation');
      expect(text).not.toContain('URL');
      expect(text).not.toContain('ORGANIZER');
    } finally {
      await gateway.close();
    }
  });

  it.each([
    ['a template without {id}', { FRONTEND_TELECONSULTATION_URL: 'https://clinic.example/visit' }, undefined],
    ['a template that is no URL', { FRONTEND_TELECONSULTATION_URL: 'clinic/{id}' }, undefined],
    ['a summary on two lines', {}, { calendar: { summary: 'Visit\nBEGIN:VALARM' } }],
    ['an empty summary', {}, { calendar: { summary: '' } }],
    ['an organizer without an email', {}, { calendar: { organizer: { name: 'Clinic' } } }],
  ])('refuses %s at start-up', async (_, env, file) => {
    await expect(
      startTestGateway({
        env,
        ...(file
          ? {
              serviceConfigFile: {
                privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
                environment: 'sandbox',
                ...file,
              },
            }
          : {}),
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
