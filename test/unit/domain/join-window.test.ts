import { canJoinFrom, canJoinUntil, type JoinRules, joinStateOf } from '../../../src/domain/join-window.js';

const START = new Date('2030-03-04T10:00:00.000Z');
const END = new Date('2030-03-04T10:30:00.000Z');
const minutes = (m: number) => m * 60_000;
const at = (offsetMs: number, from = START) => new Date(from.getTime() + offsetMs);

const RULES: JoinRules = {
  windows: [
    { groups: ['doctor'], opensBeforeStartMs: minutes(10) },
    { groups: ['customer'], opensBeforeStartMs: minutes(5) },
    { groups: ['nurse'], opensBeforeStartMs: minutes(30) },
  ],
  closesAfterEndMs: minutes(15),
};

describe('canJoinFrom', () => {
  const immutable = minutes(20);
  it("opens each group's window before the start", () => {
    expect(canJoinFrom(START, ['doctor'], immutable, RULES)).toEqual(at(-minutes(10)));
    expect(canJoinFrom(START, ['customer'], immutable, RULES)).toEqual(at(-minutes(5)));
  });
  it('takes the widest window among the groups a caller is in', () => {
    expect(canJoinFrom(START, ['customer', 'doctor'], immutable, RULES)).toEqual(at(-minutes(10)));
  });
  it('never opens before lockedFrom: a window opening earlier is clamped to it', () => {
    expect(canJoinFrom(START, ['nurse'], immutable, RULES)).toEqual(at(-minutes(20)));
  });
  it('is lockedFrom for a caller no window matches (and without windows at all)', () => {
    expect(canJoinFrom(START, ['visitor'], immutable, RULES)).toEqual(at(-minutes(20)));
    expect(canJoinFrom(START, ['doctor'], immutable, { windows: [], closesAfterEndMs: null })).toEqual(
      at(-minutes(20)),
    );
  });
});

describe('canJoinUntil', () => {
  it('is the end plus the close delay, or never', () => {
    expect(canJoinUntil({ startDate: START, endDate: END, durationInSeconds: 1800 }, RULES)).toEqual(
      at(minutes(15), END),
    );
    expect(
      canJoinUntil(
        { startDate: START, endDate: END, durationInSeconds: 1800 },
        { ...RULES, closesAfterEndMs: null },
      ),
    ).toBeNull();
    expect(canJoinUntil({ startDate: START, endDate: null, durationInSeconds: null }, RULES)).toBeNull();
  });
});

describe('joinStateOf', () => {
  const room = { state: 'active' as const, roomId: 'r1' };
  const from = at(-minutes(5));
  const until = at(minutes(15), END);
  it('is NOT_YET one millisecond before canJoinFrom and OPEN at it', () => {
    expect(joinStateOf(room, from, until, at(-1, from))).toBe('NOT_YET');
    expect(joinStateOf(room, from, until, from)).toBe('OPEN');
  });
  it('is OPEN one millisecond before canJoinUntil and ENDED at it', () => {
    expect(joinStateOf(room, from, until, at(-1, until))).toBe('OPEN');
    expect(joinStateOf(room, from, until, until)).toBe('ENDED');
    expect(joinStateOf(room, from, null, at(minutes(600), END))).toBe('OPEN');
  });
  it('is WAITING_FOR_PARTICIPANTS without a room and CANCELLED once cancelled', () => {
    expect(joinStateOf({ state: 'active', roomId: null }, from, until, from)).toBe(
      'WAITING_FOR_PARTICIPANTS',
    );
    expect(joinStateOf({ state: 'trashed', roomId: 'r1' }, from, until, from)).toBe('CANCELLED');
  });
});
