/** How the FHIR facade reads a request: search parameters, content negotiation, If-None-Match. */
import { DEFAULT_FHIR_SETTINGS } from '../../../../src/domain/settings.js';
import { matchesEtag } from '../../../../src/http/fhir/fhir-api.js';
import { negotiatedMediaType } from '../../../../src/http/fhir/negotiation.js';
import { appointmentSearchOf } from '../../../../src/http/fhir/search-parameters.js';

const search = (raw: Record<string, string | string[]>) =>
  appointmentSearchOf(raw, DEFAULT_FHIR_SETTINGS).query;
const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

describe('the date parameter', () => {
  it.each<[string[], string | null, string | null]>([
    [['2030-03-04'], '2030-03-04T00:00:00.000Z', '2030-03-05T00:00:00.000Z'],
    [['eq2030-03'], '2030-03-01T00:00:00.000Z', '2030-04-01T00:00:00.000Z'],
    [['eq2030'], '2030-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z'],
    [['ge2030-03-04'], '2030-03-04T00:00:00.000Z', null],
    [['gt2030-03-04'], '2030-03-05T00:00:00.000Z', null],
    [['lt2030-03-04'], null, '2030-03-04T00:00:00.000Z'],
    [['le2030-03-04'], null, '2030-03-05T00:00:00.000Z'],
    [['le2030-12'], null, '2031-01-01T00:00:00.000Z'],
    [['ge2030-03-04T10:00:00Z'], '2030-03-04T10:00:00.000Z', null],
    [['gt2030-03-04T10:00:00Z'], '2030-03-04T10:00:01.000Z', null],
    [['gt2030-03-04T10:00Z'], '2030-03-04T10:01:00.000Z', null],
    [['le2030-03-04T10:00:00.5Z'], null, '2030-03-04T10:00:00.600Z'],
    [['lt2030-03-04T12:00:00+02:00'], null, '2030-03-04T10:00:00.000Z'],
    [['ge2030-03-01', 'lt2030-04-01'], '2030-03-01T00:00:00.000Z', '2030-04-01T00:00:00.000Z'],
    [['ge2030-03-01', 'ge2030-03-10'], '2030-03-10T00:00:00.000Z', null],
  ])('%j starts at or after %s and before %s', (dates, from, to) => {
    const query = search({ date: dates.length === 1 ? (dates[0] as string) : dates });
    expect([iso(query.from), iso(query.to)]).toEqual([from, to]);
  });

  it.each([['2030-02-30'], ['2030-00'], ['ne2030-03-04'], ['ap2030'], ['2030-03-04T10:00'], ['tomorrow']])(
    'refuses %s',
    (date) => {
      expect(() => search({ date })).toThrow(expect.objectContaining({ reason: 'INVALID_SEARCH_PARAMETER' }));
    },
  );

  it('refuses a third date', () => {
    expect(() => search({ date: ['ge2030', 'lt2031', 'ge2030-06'] })).toThrow(
      expect.objectContaining({ reason: 'INVALID_SEARCH_PARAMETER' }),
    );
  });
});

describe('the participant parameters', () => {
  it('searches the index of the first participant named, and asks each visit for all of them', () => {
    const query = search({ patient: 'Patient/p%40x', practitioner: 'doc' });
    expect(query.participantId).toBe('p@x');
    expect(search({ actor: 'https://ehr.example/fhir/RelatedPerson/care' }).participantId).toBe('care');
    expect(search({}).participantId).toBeNull();
  });

  it.each([
    [{ patient: 'Practitioner/doc' }, 'patient references a Patient'],
    [{ practitioner: 'Patient/p' }, 'practitioner references a Practitioner'],
    [{ patient: 'a,b' }, 'takes one reference'],
    [{ patient: '' }, 'takes one reference'],
    [{ actor: 'Patient/%E0%A4%A' }, 'not a well-formed reference'],
    [{ patient: ['a', 'b'] }, 'more than once'],
    [{ identifier: 'x' }, 'not a search parameter'],
    [{ 'patient:missing': 'true' }, 'not a search parameter'],
    [{ status: 'booked,confirmed' }, 'not an Appointment status'],
    [{ _count: '1e2' }, 'whole number'],
  ])('refuses %j', (raw, message) => {
    expect(() => search(raw)).toThrow(message);
  });

  it('keeps the parameters it understood for the links, without the cursor or _format', () => {
    const { parameters } = appointmentSearchOf(
      {
        patient: 'p',
        date: ['ge2030', 'lt2031'],
        status: 'booked',
        _count: '5',
        _cursor: 'abc',
        _format: 'json',
      },
      DEFAULT_FHIR_SETTINGS,
    );
    expect(parameters).toEqual([
      ['patient', 'p'],
      ['date', 'ge2030'],
      ['date', 'lt2031'],
      ['status', 'booked'],
      ['_count', '5'],
    ]);
  });
});

describe('content negotiation', () => {
  it.each<[unknown, string | undefined, string | null]>([
    [undefined, undefined, 'application/fhir+json'],
    [undefined, '', 'application/fhir+json'],
    [undefined, '*/*', 'application/fhir+json'],
    [undefined, 'application/*', 'application/fhir+json'],
    [undefined, 'application/fhir+json; fhirVersion=4.0', 'application/fhir+json'],
    [undefined, 'application/json+fhir', 'application/fhir+json'],
    [undefined, 'application/json', 'application/json'],
    [undefined, 'application/json;q=0.9, application/fhir+json', 'application/fhir+json'],
    [undefined, 'application/fhir+json;q=0.1, application/json', 'application/json'],
    [undefined, 'text/html, */*;q=0.1', 'application/fhir+json'],
    [undefined, 'application/fhir+json;q=0', null],
    [undefined, 'application/fhir+xml', null],
    [undefined, 'text/html', null],
    ['json', 'text/html', 'application/fhir+json'],
    ['application/json', undefined, 'application/json'],
    ['application/fhir+json', undefined, 'application/fhir+json'],
    ['xml', 'application/fhir+json', null],
    ['application/fhir+xml', undefined, null],
    [['json', 'xml'], undefined, 'application/fhir+json'],
  ])('_format %j and Accept %j → %s', (format, accept, expected) => {
    expect(negotiatedMediaType(format, accept)).toBe(expected);
  });
});

describe('If-None-Match', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['W/"3"', true],
    ['"3"', true],
    ['*', true],
    ['W/"2", W/"3"', true],
    ['W/"2"', false],
    ['W/"30"', false],
  ])('%j matches W/"3": %s', (header, expected) => {
    expect(matchesEtag(header, 'W/"3"')).toBe(expected);
  });
});
