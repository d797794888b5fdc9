import { describe, expect, it } from '@jest/globals';
import type {
  StoredParticipant,
  TeleconsultationRecord,
} from '../../../../src/domain/teleconsultation-record.js';
import { keyOf, sameKey } from '../../../../src/services/live/live.service.js';
import type { TeleconsultationView } from '../../../../src/services/visits/caller-views.js';

/**
 * A subscriber is pushed a view only when its key changes: the key must change with everything
 * the caller sees, and with nothing else (a link handed out being recorded, another patient's
 * attendance seen by a BASIC caller).
 */
const START = new Date('2026-12-07T09:00:00.000Z');
const END = new Date('2026-12-07T09:30:00.000Z');

const doctor: StoredParticipant = {
  userId: 'doctor-1',
  videoUserId: 'tg.doctor-1',
  role: 'plus',
  accessLinkURL: 'https://video.example/rooms/r1?token=d',
  fullName: 'Doctor One',
  groups: ['doctor'],
};
const patient: StoredParticipant = {
  userId: 'patient-1',
  videoUserId: 'tg.patient-1',
  role: 'basic',
  accessLinkURL: 'https://video.example/rooms/r1?token=p',
  groups: ['customer'],
  language: 'it',
};
const otherPatient: StoredParticipant = { ...patient, userId: 'patient-2', videoUserId: 'tg.patient-2' };

function viewOf(
  caller: StoredParticipant | null,
  participants: StoredParticipant[] = [doctor, patient, otherPatient],
  changes: Partial<TeleconsultationView> = {},
): TeleconsultationView {
  const record = {
    id: 'visit-1',
    startDate: START,
    endDate: END,
    durationInSeconds: 1800,
    participantsNumber: participants.length,
    participants,
    roomId: 'r1',
    state: 'active',
    recording: null,
    calendarSequence: 0,
    eventSequence: 3,
  } as unknown as TeleconsultationRecord;
  return {
    record,
    schedule: { startDate: START, endDate: END, durationInSeconds: 1800 },
    status: 'SCHEDULED',
    locked: false,
    lockedFrom: START,
    caller,
    canJoinFrom: START,
    canJoinUntil: END,
    joinState: 'NOT_YET',
    accessLinkURL: null,
    recording: 'none',
    admission: 'AUTOMATIC',
    attendance: null,
    checkIn: null,
    hostDelayMinutes: null,
    expectedStartDate: START,
    ...changes,
  } as TeleconsultationView;
}

const waiting = {
  state: 'WAITING',
  checkedInAt: START,
  transitions: [],
} as unknown as StoredParticipant['attendance'];

describe('the key of what a subscriber sees', () => {
  const base = keyOf(viewOf(patient));

  it('is the same for the same view', () => {
    expect(sameKey(keyOf(viewOf(patient)), base)).toBe(true);
  });

  it('is the same for a copy of the view (as every read gives: new dates, new lists)', () => {
    const copies = structuredClone([doctor, patient, otherPatient]);
    const copy = viewOf(copies[1] as StoredParticipant, copies, {
      canJoinFrom: new Date(START),
      expectedStartDate: new Date(START),
      schedule: { startDate: new Date(START), endDate: new Date(END), durationInSeconds: 1800 },
    });
    expect(sameKey(keyOf(copy), base)).toBe(true);
  });

  it('tells a group moved to the next participant from the same groups', () => {
    const doctorWithTwo = { ...doctor, groups: ['doctor', 'customer'] };
    const patientWithNone = { ...patient, groups: [] };
    const before = keyOf(viewOf(patient, [doctorWithTwo, patientWithNone]));
    const after = keyOf(viewOf(patient, [doctor, { ...patient, groups: ['customer'] }]));
    expect(sameKey(before, after)).toBe(false);
    expect(sameKey(before, keyOf(viewOf(patient, [doctorWithTwo, patientWithNone])))).toBe(true);
  });

  it.each<[string, Partial<TeleconsultationView>]>([
    ['status', { status: 'LOCKED' }],
    ['joinState', { joinState: 'OPEN' }],
    ['accessLinkURL', { accessLinkURL: 'https://video.example/rooms/r1?token=p' }],
    ['locked', { locked: true }],
    ['canJoinFrom', { canJoinFrom: new Date(START.getTime() - 60_000) }],
    ['canJoinUntil', { canJoinUntil: null }],
    ['schedule', { schedule: { startDate: START, endDate: END, durationInSeconds: 2400 } }],
    [
      'schedule start',
      { schedule: { startDate: new Date(START.getTime() + 1), endDate: END, durationInSeconds: 1800 } },
    ],
    ['recording', { recording: 'automatic' }],
    ['admission', { admission: 'HOST_ADMITS' }],
    ['hostDelayMinutes', { hostDelayMinutes: 10 }],
    ['expectedStartDate', { expectedStartDate: new Date(START.getTime() + 600_000) }],
  ])('changes with the view’s %s', (_field, changes) => {
    expect(sameKey(keyOf(viewOf(patient, undefined, changes)), base)).toBe(false);
  });

  it.each<[string, Partial<StoredParticipant>]>([
    ['userId', { userId: 'doctor-2' }],
    ['videoUserId', { videoUserId: 'tg.doctor-2' }],
    ['role', { role: 'basic' }],
    ['accessLinkURL', { accessLinkURL: 'https://video.example/rooms/r2?token=d' }],
    ['fullName', { fullName: 'Doctor Two' }],
    ['groups', { groups: ['doctor', 'surgeon'] }],
    ['language', { language: 'en' }],
  ])('changes with a participant’s %s', (_field, changes) => {
    expect(sameKey(keyOf(viewOf(patient, [{ ...doctor, ...changes }, patient, otherPatient])), base)).toBe(
      false,
    );
  });

  it('changes with the participants and the record’s room', () => {
    expect(sameKey(keyOf(viewOf(patient, [doctor, patient])), base)).toBe(false);
    const moved = viewOf(patient);
    moved.record = { ...moved.record, roomId: 'r2' };
    expect(sameKey(keyOf(moved), base)).toBe(false);
  });

  it('does not change when a link handed out is recorded', () => {
    const issued = { ...patient, linkIssuedAt: new Date(START.getTime() + 5) };
    expect(sameKey(keyOf(viewOf(issued, [doctor, issued, otherPatient])), base)).toBe(true);
  });

  it('changes with the caller’s own attendance', () => {
    const checkedIn = { ...patient, attendance: waiting };
    expect(sameKey(keyOf(viewOf(checkedIn, [doctor, checkedIn, otherPatient])), base)).toBe(false);
  });

  it('does not change with another patient’s attendance for a BASIC caller, and does for a PLUS one', () => {
    const otherWaiting = { ...otherPatient, attendance: waiting };
    expect(sameKey(keyOf(viewOf(patient, [doctor, patient, otherWaiting])), base)).toBe(true);
    expect(sameKey(keyOf(viewOf(doctor, [doctor, patient, otherWaiting])), keyOf(viewOf(doctor)))).toBe(
      false,
    );
    expect(sameKey(keyOf(viewOf(null, [doctor, patient, otherWaiting])), keyOf(viewOf(null)))).toBe(false);
  });
});
