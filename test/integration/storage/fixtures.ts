import { type Db, MongoServerError } from 'mongodb';
import type { StoredParticipant, TeleconsultationData } from '../../../src/domain/teleconsultation-record.js';

export const NOW = new Date('2030-04-01T08:00:00.000Z');
export const LATER = new Date('2030-04-01T09:30:00.000Z');

/** A plus participant with every optional field (the mode without an auth service). */
export function doctor(overrides: Partial<StoredParticipant> = {}): StoredParticipant {
  return {
    userId: 'doctor-1',
    videoUserId: 'kaleyra-doctor-1',
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
    videoUserId: 'kaleyra-patient-1',
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

/** MongoDB's error code for a command the server does not know. */
const COMMAND_NOT_FOUND = 59;

/**
 * Removes a contract suite's database once it is done. The emulator of `npm run test:mongo` has no
 * dropDatabase (CommandNotFound): there the documents of `collections` are deleted instead, and
 * its databases vanish with its process anyway.
 */
export async function removeTestDatabase(db: Db, collections: readonly string[]): Promise<void> {
  try {
    await db.dropDatabase();
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === COMMAND_NOT_FOUND)) throw error;
    for (const name of collections) await db.collection(name).deleteMany({});
  }
}
