import type { UserIdPathStep } from '../../../src/domain/settings.js';
import {
  callerFrom,
  callerIdFrom,
  MAX_CALLER_GROUPS,
  MAX_GROUP_NAME_LENGTH,
} from '../../../src/identity/caller.js';

const HEADER_PATH: UserIdPathStep[] = [
  { from: 'object', extract: 'headers' },
  { from: 'object', extract: 'miauserid' },
];
const JSON_HEADER_PATH: UserIdPathStep[] = [
  { from: 'object', extract: 'headers' },
  { from: 'object', extract: 'miauserproperties' },
  { from: 'json', extract: 'customUserId' },
];
const ARRAY_PATH: UserIdPathStep[] = [
  { from: 'object', extract: 'body' },
  { from: 'object', extract: 'ids' },
  { from: 'array', extract: 1 },
];

describe('callerIdFrom walks userIdPathInRequest', () => {
  describe('object steps', () => {
    it('takes a property at each step (the default: a header)', () => {
      expect(callerIdFrom({ headers: { miauserid: 'user-42' } }, HEADER_PATH)).toBe('user-42');
    });

    it('means no caller when the header is missing', () => {
      expect(callerIdFrom({ headers: {} }, HEADER_PATH)).toBeNull();
    });

    it('means no caller when an intermediate value is not an object', () => {
      expect(callerIdFrom({ headers: 'miauserid=user-42' }, HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: ['user-42'] }, HEADER_PATH)).toBeNull();
      expect(callerIdFrom(null, HEADER_PATH)).toBeNull();
    });

    it('means no caller when a step lands on an inherited method, not a value', () => {
      expect(
        callerIdFrom({ headers: {} }, [
          { from: 'object', extract: 'headers' },
          { from: 'object', extract: 'constructor' },
        ]),
      ).toBeNull();
    });
  });

  describe('json steps', () => {
    it('parses the current string and takes a property of it', () => {
      const request = { headers: { miauserproperties: JSON.stringify({ customUserId: 'patient-7' }) } };
      expect(callerIdFrom(request, JSON_HEADER_PATH)).toBe('patient-7');
    });

    it('means no caller when the string is not valid JSON', () => {
      expect(
        callerIdFrom({ headers: { miauserproperties: '{customUserId: patient-7' } }, JSON_HEADER_PATH),
      ).toBeNull();
    });

    it('means no caller when the JSON is not an object', () => {
      expect(callerIdFrom({ headers: { miauserproperties: '["patient-7"]' } }, JSON_HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: { miauserproperties: '"patient-7"' } }, JSON_HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: { miauserproperties: 'null' } }, JSON_HEADER_PATH)).toBeNull();
    });

    it('means no caller when the value to parse is not a string', () => {
      expect(
        callerIdFrom({ headers: { miauserproperties: { customUserId: 'x' } } }, JSON_HEADER_PATH),
      ).toBeNull();
    });

    it('means no caller when the parsed object lacks the property', () => {
      expect(
        callerIdFrom({ headers: { miauserproperties: '{"otherId":"x"}' } }, JSON_HEADER_PATH),
      ).toBeNull();
    });
  });

  describe('array steps', () => {
    it('takes the item at the index', () => {
      expect(callerIdFrom({ body: { ids: ['first', 'second'] } }, ARRAY_PATH)).toBe('second');
    });

    it('means no caller when the index is out of range', () => {
      expect(callerIdFrom({ body: { ids: ['only'] } }, ARRAY_PATH)).toBeNull();
    });

    it('means no caller when the value is not an array', () => {
      expect(callerIdFrom({ body: { ids: { 1: 'second' } } }, ARRAY_PATH)).toBeNull();
      expect(callerIdFrom({ body: { ids: 'ab' } }, ARRAY_PATH)).toBeNull();
    });

    it('combines with json steps: an array inside a JSON header', () => {
      const request = { headers: { 'x-user': JSON.stringify({ ids: ['a', 'b'] }) } };
      expect(
        callerIdFrom(request, [
          { from: 'object', extract: 'headers' },
          { from: 'object', extract: 'x-user' },
          { from: 'json', extract: 'ids' },
          { from: 'array', extract: 0 },
        ]),
      ).toBe('a');
    });
  });

  describe('the value found', () => {
    it('accepts a finite number as an id, as its decimal text', () => {
      const request = { headers: { miauserproperties: '{"customUserId":12345}' } };
      expect(callerIdFrom(request, JSON_HEADER_PATH)).toBe('12345');
    });

    it('refuses a number that is not finite', () => {
      expect(callerIdFrom({ body: { ids: [0, Number.NaN] } }, ARRAY_PATH)).toBeNull();
    });

    it('trims surrounding blanks', () => {
      expect(callerIdFrom({ headers: { miauserid: '  user-42 ' } }, HEADER_PATH)).toBe('user-42');
    });

    it('means no caller for an empty or blank string', () => {
      expect(callerIdFrom({ headers: { miauserid: '' } }, HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: { miauserid: '   ' } }, HEADER_PATH)).toBeNull();
    });

    it('means no caller for a value that is neither a string nor a number', () => {
      expect(callerIdFrom({ headers: { miauserid: true } }, HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: { miauserid: { id: 'x' } } }, HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: { miauserid: ['a', 'b'] } }, HEADER_PATH)).toBeNull();
      expect(callerIdFrom({ headers: { miauserid: null } }, HEADER_PATH)).toBeNull();
    });
  });
});

describe('callerFrom: groups, back office and client type from the platform headers', () => {
  const where = {
    userIdPath: HEADER_PATH,
    groups: 'miausergroups',
    backoffice: 'isbackoffice',
    clientType: 'client-type',
  };
  const callerWith = (headers: Record<string, string | string[]>) => callerFrom({ headers }, where);

  it('reads a comma-separated list: items trimmed, empty ones dropped, repeats kept once, case kept', () => {
    const caller = callerWith({ miausergroups: ' doctor ,, Doctor,nurse , doctor,' });
    expect(caller.groups).toEqual(['doctor', 'Doctor', 'nurse']);
    expect(caller.problem).toBeNull();
  });

  it('refuses identity text that is not well-formed Unicode (headers written into a connection_init payload)', () => {
    // Real header bytes decode as UTF-8 and never give a lone surrogate; a JSON payload's `\ud800` does.
    for (const headers of [
      { miauserid: 'q\ud800' } as Record<string, string>,
      { miauserid: 'q\ud800\u0101' },
      { miauserid: 'doc', miausergroups: 'doctor,\udc00\u0101' },
      { miauserid: 'doc', 'client-type': 'app\ud800\u0101' },
    ]) {
      const caller = callerWith(headers);
      expect([headers, caller.problem]).toEqual([
        headers,
        expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_CALLER_ID' }),
      ]);
      expect(caller.id === null || caller.id.isWellFormed()).toBe(true);
    }
    // Text that is no latin-1 reading of bytes is taken as it is.
    expect(callerWith({ miauserid: 'Łukasz' })).toMatchObject({ id: 'Łukasz', problem: null });
  });

  it('tells an absent groups header (null) from an empty one ([])', () => {
    expect(callerWith({}).groups).toBeNull();
    expect(callerWith({ miausergroups: ' , ' }).groups).toEqual([]);
  });

  it(`refuses more than ${MAX_CALLER_GROUPS} groups, or a name over ${MAX_GROUP_NAME_LENGTH} characters`, () => {
    const many = Array.from({ length: MAX_CALLER_GROUPS + 1 }, (_, i) => `g${i}`).join(',');
    expect(callerWith({ miausergroups: many }).problem).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'CALLER_GROUPS_OVER_LIMIT',
    });
    const exactly = Array.from({ length: MAX_CALLER_GROUPS }, (_, i) => `g${i}`).join(',');
    expect(callerWith({ miausergroups: exactly }).problem).toBeNull();
    expect(
      callerWith({ miausergroups: `doctor,${'x'.repeat(MAX_GROUP_NAME_LENGTH + 1)}` }).problem,
    ).toMatchObject({
      reason: 'CALLER_GROUPS_OVER_LIMIT',
    });
    expect(callerWith({ miausergroups: 'x'.repeat(MAX_GROUP_NAME_LENGTH) }).problem).toBeNull();
  });

  it('reads the back-office flag as true for "true" or "1" only', () => {
    for (const value of ['true', '1', ' TRUE '])
      expect(callerWith({ isbackoffice: value }).isBackoffice).toBe(true);
    for (const value of ['false', '0', 'yes', ''])
      expect(callerWith({ isbackoffice: value }).isBackoffice).toBe(false);
    expect(callerWith({}).isBackoffice).toBe(false);
  });

  it('reads the client type, none when absent or blank', () => {
    expect(callerWith({ 'client-type': ' backoffice ' }).clientType).toBe('backoffice');
    expect(callerWith({ 'client-type': '  ' }).clientType).toBeNull();
    expect(callerWith({}).clientType).toBeNull();
  });

  it('refuses identity headers sent more than once (any case), naming them in the order they came; other repeats are fine', () => {
    const withRaw = (rawHeaders: string[]) =>
      callerFrom({ headers: { miauserid: 'a, b' }, raw: { rawHeaders } }, where);
    const problem = withRaw([
      'Accept',
      '*/*',
      'Accept',
      'text/html',
      'MiaUserGroups',
      'x',
      'miauserid',
      'a',
      'Client-Type',
      'web',
      'MIAUSERID',
      'b',
      'miausergroups',
      'y',
    ]).problem;
    expect(problem?.message).toBe(
      'The identity header miausergroups, miauserid is repeated: the caller is ambiguous.',
    );
    expect(withRaw(['Accept', '*/*', 'Accept', 'text/html', 'miauserid', 'a']).problem).toBeNull();
    expect(withRaw(['miauserid', 'a', 'isbackoffice', 'true', 'client-type', 'web']).problem).toBeNull();
    // Without the raw headers (a connection_init payload), nothing can be repeated.
    expect(callerWith({ miauserid: 'a' }).problem).toBeNull();
  });

  it('reads the id as userIdPathInRequest says', () => {
    expect(callerWith({ miauserid: 'doctor-1', miausergroups: 'doctor' })).toMatchObject({
      id: 'doctor-1',
      groups: ['doctor'],
    });
  });
});
