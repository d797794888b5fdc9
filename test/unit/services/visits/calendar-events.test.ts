/**
 * Every iCalendar parameter we write holds exactly its text, read back by an independent parser
 * (node-ical): RFC 5545 quoted parameters have no escape, so `"`, `^` and line breaks travel
 * RFC 6868-encoded (`^'`, `^^`, `^n`), and a name can never end the parameter early and smuggle
 * in another organizer address.
 */
import nodeIcal, { type VEvent } from 'node-ical';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { TeleconsultationRecord } from '../../../../src/domain/teleconsultation-record.js';
import { CalendarEvents, quotedParameter } from '../../../../src/services/visits/calendar-events.js';

const RECORD = {
  id: '65f0c0ffee0000000000abcd',
  state: 'active',
  startDate: new Date('2030-03-04T10:00:00Z'),
  endDate: null,
  durationInSeconds: 1800,
  calendarSequence: 0,
} as unknown as TeleconsultationRecord;

/** RFC 6868's decoding, which node-ical does not do itself. */
function decodeParameter(text: string): string {
  return text.replace(/\^(\^|'|n)/g, (_, code: string) => (code === '^' ? '^' : code === "'" ? '"' : '\n'));
}

function organizerOf(name: string | undefined, email = 'no-reply@clinic.example') {
  const events = new CalendarEvents(new ManualClock(new Date('2030-03-01T00:00:00Z')), {
    summary: 'Teleconsultation',
    organizer: name === undefined ? { email } : { name, email },
  });
  const text = events.eventOf(RECORD);
  const parsed = Object.values(nodeIcal.sync.parseICS(text)).filter(
    (component): component is VEvent => component?.type === 'VEVENT',
  );
  const organizer = parsed[0]?.organizer as unknown as { params?: { CN?: string }; val?: string } | undefined;
  return { text, organizer };
}

describe('calendar event parameters', () => {
  it.each([
    ['a double quote that would end the parameter', 'Dr "Who":mailto:evil@attacker.example'],
    ['a caret, which RFC 6868 readers decode', "Clinica ^' San ^n Luca ^^"],
    ['a line break', 'Clinica\nSan Luca'],
    ['non-ASCII text', 'Clínica «São Luís» – 東京'],
    ['colons and commas', 'Clinica: San Luca, Roma'],
  ])('writes the organizer name with %s so that it reads back exactly', (_what, name) => {
    const { text, organizer } = organizerOf(name);
    expect(organizer?.val).toBe('mailto:no-reply@clinic.example');
    expect(decodeParameter(organizer?.params?.CN ?? '')).toBe(name);
    // Nothing but the one ORGANIZER line, and no backslash escape RFC 5545 does not have.
    expect(text.match(/ORGANIZER/g)).toHaveLength(1);
    expect(text).not.toContain('\\"');
  });

  it('writes a semicolon as it is, inside the quotes, where RFC 5545 allows it', () => {
    // node-ical 0.26 splits parameters at every `;`, quoted or not: read the line itself.
    const { text } = organizerOf('Clinica; San Luca');
    expect(text).toContain('ORGANIZER;CN="Clinica; San Luca":mailto:no-reply@clinic.example\r\n');
  });

  it('writes the email as the name when none is configured', () => {
    const { organizer } = organizerOf(undefined);
    expect(organizer?.params?.CN).toBe('no-reply@clinic.example');
  });

  it('encodes exactly the three characters RFC 6868 defines', () => {
    expect(quotedParameter(`a"b^c\r\nd\re\nf`)).toBe("a^'b^^c^nd^ne^nf");
  });

  it('refuses, at construction, a name with a character no parameter can carry', () => {
    expect(() => organizerOf('back\\slash')).toThrow(/calendar\.organizer\.name/);
    expect(() => organizerOf('bell\u0007')).toThrow(/calendar\.organizer\.name/);
  });
});
