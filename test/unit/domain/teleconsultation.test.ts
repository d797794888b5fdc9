import { BadUserInputError, TeleconsultationLockedError } from '../../../src/domain/errors.js';
import type { Privileges } from '../../../src/domain/privileges.js';
import {
  assertChangeAllowed,
  assertHasPlusParticipant,
  assertNoDuplicateParticipants,
  assertNotOverExpected,
  assertParticipantsNumber,
  changeableAt,
  isLocked,
  linkLanguage,
  lockedFrom,
  privilegeLevelOf,
  requirePrivilegeLevel,
  resolveSchedule,
  type StatusSelector,
  selectorsOf,
  statusOf,
} from '../../../src/domain/teleconsultation.js';

const NOW = new Date('2030-03-04T09:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectBadInput(fn: () => unknown, reason: string, field?: ReadonlyArray<string | number>) {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(BadUserInputError);
  expect((error as BadUserInputError).code).toBe('BAD_USER_INPUT');
  expect((error as BadUserInputError).reason).toBe(reason);
  if (field) expect((error as BadUserInputError).field).toEqual(field);
}

describe('resolveSchedule', () => {
  it('derives the end from a duration', () => {
    expect(resolveSchedule({ startDate: at(60), durationInSeconds: 1800 }, null, NOW, ['input'])).toEqual({
      startDate: at(60),
      endDate: at(90),
      durationInSeconds: 1800,
    });
  });

  it('derives the duration from an end date', () => {
    expect(resolveSchedule({ startDate: at(60), endDate: at(75) }, null, NOW, ['input'])).toEqual({
      startDate: at(60),
      endDate: at(75),
      durationInSeconds: 900,
    });
  });

  it('accepts exactly five minutes and refuses one second less', () => {
    expect(
      resolveSchedule({ startDate: at(60), durationInSeconds: 300 }, null, NOW, ['input']).durationInSeconds,
    ).toBe(300);
    expectBadInput(
      () => resolveSchedule({ startDate: at(60), durationInSeconds: 299 }, null, NOW, ['input']),
      'DURATION_TOO_SHORT',
      ['input', 'durationInSeconds'],
    );
    expectBadInput(
      () =>
        resolveSchedule({ startDate: at(60), endDate: new Date(at(65).getTime() - 1000) }, null, NOW, [
          'input',
        ]),
      'DURATION_TOO_SHORT',
      ['input', 'endDate'],
    );
  });

  it('refuses both an end date and a duration', () => {
    expectBadInput(
      () =>
        resolveSchedule({ startDate: at(60), endDate: at(90), durationInSeconds: 1800 }, null, NOW, [
          'input',
        ]),
      'END_AND_DURATION',
      ['input', 'endDate'],
    );
  });

  it('refuses neither an end date nor a duration on create', () => {
    expectBadInput(
      () => resolveSchedule({ startDate: at(60) }, null, NOW, ['input']),
      'MISSING_END_OR_DURATION',
      ['input', 'durationInSeconds'],
    );
  });

  it('refuses a missing start on create', () => {
    expectBadInput(() => resolveSchedule({ durationInSeconds: 600 }, null, NOW, ['input']), 'MISSING_START');
  });

  it('refuses an end at or before the start', () => {
    expectBadInput(
      () => resolveSchedule({ startDate: at(60), endDate: at(60) }, null, NOW, ['input']),
      'END_BEFORE_START',
    );
    expectBadInput(
      () => resolveSchedule({ startDate: at(60), endDate: at(30) }, null, NOW, ['input']),
      'END_BEFORE_START',
    );
  });

  it('refuses a visit that would already be over', () => {
    expectBadInput(
      () => resolveSchedule({ startDate: at(-60), durationInSeconds: 600 }, null, NOW, ['input']),
      'ENDS_IN_THE_PAST',
      ['input', 'startDate'],
    );
  });

  it('accepts a visit that started but is not over yet', () => {
    expect(resolveSchedule({ startDate: at(-5), durationInSeconds: 600 }, null, NOW, []).endDate).toEqual(
      at(5),
    );
  });

  it('on update keeps the duration when only the start moves', () => {
    const current = { startDate: at(60), endDate: at(90), durationInSeconds: 1800 };
    expect(resolveSchedule({ startDate: at(120) }, current, NOW, ['input'])).toEqual({
      startDate: at(120),
      endDate: at(150),
      durationInSeconds: 1800,
    });
  });

  it('on update derives the duration from a new end and the current start', () => {
    const current = { startDate: at(60), endDate: at(90), durationInSeconds: 1800 };
    expect(resolveSchedule({ endDate: at(70) }, current, NOW, ['input']).durationInSeconds).toBe(600);
  });
});

describe('the immutable period', () => {
  const subject = { startDate: at(60), roomId: 'room_1' };
  const period = 10 * 60_000;
  const from = lockedFrom(subject.startDate, period);

  it('starts IMMUTABLE_PERIOD_MS before the start date', () => {
    expect(from).toEqual(at(50));
    expect(lockedFrom(subject.startDate, 0)).toEqual(subject.startDate);
  });

  it('locks at lockedFrom exactly and not one millisecond before', () => {
    expect(isLocked(subject, period, new Date(from.getTime() - 1))).toBe(false);
    expect(isLocked(subject, period, from)).toBe(true);
    expect(isLocked(subject, period, at(500))).toBe(true);
  });

  it('never locks a teleconsultation without a room, until it is over', () => {
    expect(isLocked({ ...subject, roomId: null }, period, at(500))).toBe(false);
    const waiting = { ...subject, roomId: null, endDate: at(800) };
    expect(() => assertChangeAllowed(waiting, period, at(500))).not.toThrow();
    expect(() => assertChangeAllowed(waiting, period, new Date(at(800).getTime() - 1))).not.toThrow();
    const over = thrown(() => assertChangeAllowed(waiting, period, at(800)));
    expect(over).toBeInstanceOf(TeleconsultationLockedError);
    expect((over as TeleconsultationLockedError).reason).toBe('VISIT_OVER');
  });

  it('refuses changes from lockedFrom on with TELECONSULTATION_LOCKED', () => {
    const scheduled = { ...subject, endDate: at(800) };
    expect(() => assertChangeAllowed(scheduled, period, new Date(from.getTime() - 1))).not.toThrow();
    const error = thrown(() => assertChangeAllowed(scheduled, period, from));
    expect(error).toBeInstanceOf(TeleconsultationLockedError);
    expect((error as TeleconsultationLockedError).code).toBe('TELECONSULTATION_LOCKED');
    expect((error as TeleconsultationLockedError).reason).toBe('IMMUTABLE_PERIOD');
  });

  it('states the same rule as a store condition on the write', () => {
    expect(changeableAt(at(100), period)).toEqual({
      roomlessOrStartsAfter: new Date(at(100).getTime() + period),
      endsAfter: at(100),
    });
  });
});

describe('statusOf', () => {
  const period = 0;
  it('is WAITING_FOR_PARTICIPANTS without a room, even after the start', () => {
    expect(statusOf({ startDate: at(-1), roomId: null, state: 'active' }, period, NOW)).toBe(
      'WAITING_FOR_PARTICIPANTS',
    );
  });
  it('is SCHEDULED with a room before lockedFrom and LOCKED from it', () => {
    const subject = { startDate: at(10), roomId: 'r', state: 'active' as const };
    expect(statusOf(subject, period, new Date(at(10).getTime() - 1))).toBe('SCHEDULED');
    expect(statusOf(subject, period, at(10))).toBe('LOCKED');
  });
  it('is CANCELLED once trashed, whatever the room and time', () => {
    expect(statusOf({ startDate: at(10), roomId: 'r', state: 'trashed' }, period, at(20))).toBe('CANCELLED');
    expect(statusOf({ startDate: at(10), roomId: null, state: 'trashed' }, period, NOW)).toBe('CANCELLED');
  });
});

describe('participant counts', () => {
  it('takes 2 to 25 participants', () => {
    expect(() => assertParticipantsNumber(2, ['n'])).not.toThrow();
    expect(() => assertParticipantsNumber(25, ['n'])).not.toThrow();
    expectBadInput(() => assertParticipantsNumber(1, ['n']), 'PARTICIPANTS_NUMBER_OUT_OF_RANGE', ['n']);
    expectBadInput(() => assertParticipantsNumber(26, ['n']), 'PARTICIPANTS_NUMBER_OUT_OF_RANGE', ['n']);
  });

  it('refuses more participants than expected, accepts as many', () => {
    expect(() => assertNotOverExpected(3, 3, ['p'])).not.toThrow();
    expectBadInput(() => assertNotOverExpected(4, 3, ['p']), 'TOO_MANY_PARTICIPANTS', ['p']);
  });

  it('refuses a user listed twice in the request or already present', () => {
    expect(() => assertNoDuplicateParticipants([{ userId: 'a' }, { userId: 'b' }], [], ['p'])).not.toThrow();
    expectBadInput(
      () => assertNoDuplicateParticipants([{ userId: 'a' }, { userId: 'a' }], [], ['p']),
      'DUPLICATE_PARTICIPANT',
      ['p', 1, 'userId'],
    );
    expectBadInput(
      () => assertNoDuplicateParticipants([{ userId: 'b' }], [{ userId: 'b' }], ['p']),
      'DUPLICATE_PARTICIPANT',
      ['p', 0, 'userId'],
    );
  });
});

describe('privilege levels', () => {
  const tools = {
    chat: true,
    screenSharing: true,
    fileUpload: true,
    whiteboard: true,
    snapshot: true,
    liveEdit: true,
    livePointer: true,
    presentToEveryone: true,
  };
  const privileges: Privileges = {
    basic: { groups: ['customer', 'caregiver'], tools },
    plus: { groups: ['doctor'], tools },
  };

  it('is PLUS when any group is a plus group, even if another is a basic group', () => {
    expect(privilegeLevelOf(['customer', 'doctor'], privileges)).toBe('plus');
    expect(privilegeLevelOf(['doctor'], privileges)).toBe('plus');
  });
  it('is BASIC when no group is plus and any is basic', () => {
    expect(privilegeLevelOf(['other', 'caregiver'], privileges)).toBe('basic');
  });
  it('is refused when no group is in any profile', () => {
    expect(privilegeLevelOf(['other'], privileges)).toBeNull();
    expect(privilegeLevelOf([], privileges)).toBeNull();
    expectBadInput(
      () => requirePrivilegeLevel('u1', ['other'], privileges, ['input', 'participants', 0]),
      'NO_PRIVILEGE_GROUP',
      ['input', 'participants', 0, 'groups'],
    );
  });
});

describe('linkLanguage', () => {
  it('normalises a locale to its primary language', () => {
    expect(linkLanguage('it-IT', ['language'])).toBe('it');
    expect(linkLanguage(' EN_us ', ['language'])).toBe('en');
    expect(linkLanguage('de', ['language'])).toBe('de');
  });
  it('refuses a language Kaleyra links do not support', () => {
    expectBadInput(() => linkLanguage('xx', ['language']), 'UNSUPPORTED_LANGUAGE', ['language']);
  });
});

describe('assertHasPlusParticipant', () => {
  it('refuses a room without a plus participant, naming the list', () => {
    let error: unknown;
    try {
      assertHasPlusParticipant([{ role: 'basic' }, { role: null }], ['participants']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).reason).toBe('NO_PLUS_PARTICIPANT');
    expect((error as BadUserInputError).field).toEqual(['participants']);
  });

  it('accepts a room with one plus participant among others', () => {
    expect(() => assertHasPlusParticipant([{ role: 'basic' }, { role: 'plus' }], [])).not.toThrow();
  });
});

describe('selectorsOf: the records having one of some statuses, as a store filters them', () => {
  const IMMUTABLE = 10 * 60_000;
  const STATUSES = ['WAITING_FOR_PARTICIPANTS', 'SCHEDULED', 'LOCKED', 'CANCELLED'] as const;
  const boundary = NOW.getTime() + IMMUTABLE;
  // Every kind of record around the lock boundary, to the millisecond.
  const records = (['active', 'trashed'] as const).flatMap((state) =>
    [null, 'room-1'].flatMap((roomId) =>
      [-60_000, -1, 0, 1, 60_000].map((offset) => ({
        state,
        roomId,
        startDate: new Date(boundary + offset),
      })),
    ),
  );
  const matches = (selector: StatusSelector, record: (typeof records)[number]) =>
    record.state === selector.state &&
    (selector.hasRoom === undefined || (record.roomId !== null) === selector.hasRoom) &&
    (selector.startsAfter === undefined || record.startDate > selector.startsAfter) &&
    (selector.startsAtOrBefore === undefined || record.startDate <= selector.startsAtOrBefore);
  const subsets = Array.from({ length: 1 << STATUSES.length }, (_, mask) =>
    STATUSES.filter((_, bit) => mask & (1 << bit)),
  );

  it.each(subsets.map((subset) => [subset.join(',') || '(none)', subset] as const))(
    'selects exactly the records statusOf puts in %s',
    (_, subset) => {
      const selectors = selectorsOf(new Set(subset), IMMUTABLE, NOW);
      for (const record of records) {
        const wanted = (subset as readonly string[]).includes(statusOf(record, IMMUTABLE, NOW));
        expect([record, selectors.some((selector) => matches(selector, record))]).toEqual([record, wanted]);
      }
    },
  );
});
