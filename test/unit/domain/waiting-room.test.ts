import type { StoredParticipant, TeleconsultationData } from '../../../src/domain/teleconsultation-record.js';
import {
  admissionOf,
  admit,
  attendanceFrom,
  checkIn,
  DEFAULT_WAITING_ROOM_SETTINGS,
  deny,
  expectedStartOf,
  isHeld,
  keepAttendance,
  MAX_TRANSITIONS,
  type WaitingRoomSettings,
} from '../../../src/domain/waiting-room.js';

const T0 = new Date('2030-03-04T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const person = (userId: string, role: 'plus' | 'basic' | null, groups: string[]): StoredParticipant => ({
  userId,
  videoUserId: `k-${userId}`,
  role,
  accessLinkURL: null,
  groups,
});

const data = (
  participants: StoredParticipant[],
  extra: Partial<TeleconsultationData> = {},
): TeleconsultationData => ({
  startDate: at(60),
  endDate: at(90),
  durationInSeconds: 1800,
  participantsNumber: participants.length,
  participants,
  roomId: 'room',
  state: 'active',
  recording: null,
  calendarSequence: 0,
  ...extra,
});

const settings: WaitingRoomSettings = {
  ...DEFAULT_WAITING_ROOM_SETTINGS,
  admission: { default: 'AUTOMATIC', byPlusGroup: { psychiatrist: 'HOST_ADMITS', gp: 'AUTOMATIC' } },
};
const privileges = {
  basic: { groups: ['customer'], tools: {} as never },
  plus: { groups: ['doctor', 'psychiatrist', 'gp'], tools: {} as never },
};

describe('admission', () => {
  it("is the visit's own when set, else the config's for its PLUS participants' groups, HOST_ADMITS winning", () => {
    const gp = person('gp', 'plus', ['gp']);
    const psy = person('psy', 'plus', ['psychiatrist']);
    const pat = person('pat', 'basic', ['psychiatrist']);
    expect(admissionOf(data([gp, pat]), settings)).toBe('AUTOMATIC');
    expect(admissionOf(data([gp, psy, pat]), settings)).toBe('HOST_ADMITS');
    // A BASIC participant's groups never choose the mode.
    expect(admissionOf(data([person('doc', 'plus', ['doctor']), pat]), settings)).toBe('AUTOMATIC');
    expect(admissionOf(data([psy, pat], { admission: 'AUTOMATIC' }), settings)).toBe('AUTOMATIC');
    expect(
      admissionOf(data([gp]), { ...settings, admission: { default: 'HOST_ADMITS', byPlusGroup: {} } }),
    ).toBe('HOST_ADMITS');
    // A group's AUTOMATIC beats a HOST_ADMITS default; a group the config does not name (even one
    // named like an object's own property) leaves the default.
    const automaticGroups = { default: 'HOST_ADMITS' as const, byPlusGroup: { gp: 'AUTOMATIC' as const } };
    expect(admissionOf(data([gp, pat]), { ...settings, admission: automaticGroups })).toBe('AUTOMATIC');
    const constructorGroup = person('odd', 'plus', ['constructor', 'toString']);
    expect(admissionOf(data([constructorGroup]), { ...settings, admission: automaticGroups })).toBe(
      'HOST_ADMITS',
    );
  });

  it('holds BASIC participants (a legacy one by their groups) until admitted, never a PLUS one', () => {
    const legacyDoctor = person('old-doc', null, ['doctor']);
    const legacyPatient = person('old-pat', null, ['customer']);
    expect(isHeld(legacyDoctor, 'HOST_ADMITS', privileges)).toBe(false);
    expect(isHeld(legacyPatient, 'HOST_ADMITS', privileges)).toBe(true);
    expect(isHeld(legacyPatient, 'AUTOMATIC', privileges)).toBe(false);
    const admitted = {
      ...legacyPatient,
      attendance: { state: 'ADMITTED' as const, checkedInAt: at(1), transitions: [] },
    };
    expect(isHeld(admitted, 'HOST_ADMITS', privileges)).toBe(false);
  });
});

describe('check-in', () => {
  const pat = person('pat', 'basic', ['customer']);
  const window = { opensAt: at(15), closesAt: at(90) };

  it('opens at opensAt and closes at closesAt, exactly', () => {
    const visit = data([pat]);
    expect(() => checkIn(visit, pat, null, window, new Date(at(15).getTime() - 1), privileges)).toThrow(
      expect.objectContaining({ reason: 'CHECK_IN_NOT_OPEN' }),
    );
    expect(checkIn(visit, pat, null, window, at(15), privileges).participants[0]?.attendance?.state).toBe(
      'WAITING',
    );
    expect(() => checkIn(visit, pat, null, window, at(90), privileges)).toThrow(
      expect.objectContaining({ reason: 'CHECK_IN_CLOSED' }),
    );
  });

  it('admits a PLUS participant at once, and refuses a malformed device check', () => {
    const doc = person('doc', 'plus', ['doctor']);
    const visit = data([doc, pat]);
    expect(checkIn(visit, doc, null, window, at(20), privileges).participants[0]?.attendance?.state).toBe(
      'ADMITTED',
    );
    const device = { camera: 'OK', microphone: 'OK', speaker: 'OK', networkKbps: -5 } as const;
    expect(() => checkIn(visit, pat, device, window, at(20), privileges)).toThrow(
      expect.objectContaining({ reason: 'INVALID_DEVICE_CHECK' }),
    );
  });

  it('keeps who stays in the waiting room when the list is replaced, and a bounded log of transitions', () => {
    let visit = checkIn(data([pat]), pat, null, window, at(20), privileges);
    expect(keepAttendance([pat, person('new', 'basic', [])], visit.participants)[0]?.attendance?.state).toBe(
      'WAITING',
    );
    for (let i = 0; i < MAX_TRANSITIONS; i++) {
      visit = deny(visit, 'pat', null, 'doc', at(21 + i), privileges);
      visit = admit(visit, 'pat', 'doc', at(21 + i), privileges);
    }
    expect(visit.participants[0]?.attendance?.transitions).toHaveLength(MAX_TRANSITIONS);
  });

  it('reads an attendance a database holds, and drops one that is not', () => {
    expect(attendanceFrom({ state: 'WAITING', checkedInAt: at(1), transitions: [] })?.state).toBe('WAITING');
    expect(attendanceFrom({ state: 'NOT_ARRIVED' })).toBeUndefined();
    expect(attendanceFrom({ state: 'BOGUS' })).toBeUndefined();
    expect(attendanceFrom(null)).toBeUndefined();
  });
});

describe('running late', () => {
  it('moves the expected start from the start, or from the announcement when that is later', () => {
    const delay = (announcedAt: Date) => ({ hostDelay: { minutes: 10, announcedAt, by: 'doc' } });
    expect(expectedStartOf(data([], delay(at(50))))).toEqual(at(70));
    expect(expectedStartOf(data([], delay(at(65))))).toEqual(at(75));
    expect(expectedStartOf(data([]))).toEqual(at(60));
  });
});
