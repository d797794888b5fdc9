import type { StoredParticipant, TeleconsultationData } from '../../../src/domain/teleconsultation-record.js';

export const NOW = new Date('2030-04-01T08:00:00.000Z');
export const LATER = new Date('2030-04-01T09:30:00.000Z');

/** A plus participant with every optional field (the mode without an auth service). */
export function doctor(overrides: Partial<StoredParticipant> = {}): StoredParticipant {
  return {
    userId: 'doctor-1',
    kaleyraUserId: 'kaleyra-doctor-1',
    role: 'plus',
    accessLinkURL: 'https://sandbox.example/join/doctor-1',
    fullName: 'Dr. Ada Rossi',
    groups: ['doctors', 'cardiology'],
    language: 'it',
    ...overrides,
  };
}

/** A basic participant with no optional field and no join link yet. */
export function patient(overrides: Partial<StoredParticipant> = {}): StoredParticipant {
  return {
    userId: 'patient-1',
    kaleyraUserId: 'kaleyra-patient-1',
    role: 'basic',
    accessLinkURL: null,
    ...overrides,
  };
}

export function teleconsultationData(overrides: Partial<TeleconsultationData> = {}): TeleconsultationData {
  return {
    startDate: new Date('2030-05-02T10:00:00.000Z'),
    endDate: null,
    durationInSeconds: 1800,
    participantsNumber: 3,
    participants: [doctor(), patient()],
    roomId: null,
    state: 'active',
    recording: 'none',
    calendarSequence: 0,
    ...overrides,
  };
}
