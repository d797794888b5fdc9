import { describe, expect, it } from '@jest/globals';
import { ObjectId } from 'mongodb';
import type { TeleconsultationEvent } from '../../../src/domain/events.js';
import type { TeleconsultationData } from '../../../src/domain/teleconsultation-record.js';
import {
  changeUpdate,
  legacyParticipantKaleyraIds,
  newTeleconsultationDocument,
  type ParticipantDocument,
  parseTeleconsultationId,
  type TeleconsultationDocument,
  toEvent,
  toEventDocument,
  toTeleconsultationFields,
  toTeleconsultationRecord,
  toUserIdMapping,
  UnresolvedLegacyParticipantError,
  versionFilter,
} from '../../../src/storage/mongo/documents.js';

const NOW = new Date('2030-04-01T08:00:00.000Z');
const LATER = new Date('2030-04-01T09:00:00.000Z');
const ID = ObjectId.createFromHexString('65f1c0ffee0123456789abcd');

function data(overrides: Partial<TeleconsultationData> = {}): TeleconsultationData {
  return {
    startDate: new Date('2030-05-02T10:00:00.000Z'),
    endDate: new Date('2030-05-02T10:30:00.000Z'),
    durationInSeconds: null,
    participantsNumber: 2,
    participants: [
      {
        userId: 'doctor-1',
        videoUserId: 'kaleyra-doctor-1',
        role: 'plus',
        accessLinkURL: 'https://join/doctor-1',
        fullName: 'Dr. Ada Rossi',
        groups: ['doctors'],
        language: 'it',
      },
      { userId: 'patient-1', videoUserId: 'kaleyra-patient-1', role: 'basic', accessLinkURL: null },
    ],
    roomId: 'room_1',
    state: 'active',
    recording: 'manual',
    calendarSequence: 2,
    ...overrides,
  };
}

/** A document as the original service (a Mia-Platform CRUD client) left it. */
function legacyDocument(overrides: Partial<TeleconsultationDocument> = {}): TeleconsultationDocument {
  return {
    _id: ID,
    bandyerRoomId: 'room_legacy',
    participantsNumber: 1,
    participants: [{ userBandyerId: 'kaleyra-patient-1', accessLinkURL: 'https://legacy/join' }],
    startDate: new Date('2024-01-01T10:00:00.000Z'),
    endDate: new Date('2024-01-01T10:30:00.000Z'),
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

describe('teleconsultation documents', () => {
  it("maps a new teleconsultation to the original service's field names at version 1", () => {
    expect(newTeleconsultationDocument(ID, data(), NOW)).toEqual({
      _id: ID,
      bandyerRoomId: 'room_1',
      participantsNumber: 2,
      recording: 'manual',
      calendarSequence: 2,
      participants: [
        {
          userBandyerId: 'kaleyra-doctor-1',
          receivedUserId: 'doctor-1',
          role: 'plus',
          accessLinkURL: 'https://join/doctor-1',
          fullName: 'Dr. Ada Rossi',
          groups: ['doctors'],
          language: 'it',
        },
        {
          userBandyerId: 'kaleyra-patient-1',
          receivedUserId: 'patient-1',
          role: 'basic',
          accessLinkURL: null,
        },
      ],
      startDate: new Date('2030-05-02T10:00:00.000Z'),
      endDate: new Date('2030-05-02T10:30:00.000Z'),
      durationInSeconds: null,
      __STATE__: 'PUBLIC',
      __v: 1,
      eventSequence: 0,
      outbox: [],
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('omits absent optional participant fields instead of writing undefined (stored as null)', () => {
    const [, patient] = toTeleconsultationFields(data(), NOW).participants;
    expect(Object.keys(patient ?? {}).sort()).toEqual([
      'accessLinkURL',
      'receivedUserId',
      'role',
      'userBandyerId',
    ]);
  });

  it('writes the soft-delete state the CRUD way and sets only updatedAt as the time of change', () => {
    const fields = toTeleconsultationFields(data({ state: 'trashed' }), LATER);
    expect(fields.__STATE__).toBe('TRASH');
    expect(fields.updatedAt).toEqual(LATER);
    expect(fields).not.toHaveProperty('createdAt');
    expect(fields).not.toHaveProperty('__v');
  });

  it('shares no dates or arrays with the data it was made from', () => {
    const input = data();
    const now = new Date(NOW);
    const document = newTeleconsultationDocument(ID, input, now);
    const expected = newTeleconsultationDocument(ID, data(), NOW);

    input.startDate.setUTCFullYear(2000);
    input.endDate?.setUTCFullYear(2000);
    input.participants[0]?.groups?.push('admins');
    now.setUTCFullYear(2000);

    expect(document).toEqual(expected);
  });

  it('round-trips a record through its document', () => {
    const record = toTeleconsultationRecord(newTeleconsultationDocument(ID, data({ state: 'trashed' }), NOW));
    expect(record).toEqual({
      ...data({ state: 'trashed' }),
      id: '65f1c0ffee0123456789abcd',
      version: 1,
      eventSequence: 0,
      outbox: [],
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('reads a legacy document without __v and __STATE__ as an active record at version 0, roles unknown', () => {
    const record = toTeleconsultationRecord(legacyDocument(), new Map([['kaleyra-patient-1', 'patient-1']]));
    expect(record).toEqual({
      id: '65f1c0ffee0123456789abcd',
      version: 0,
      state: 'active',
      roomId: 'room_legacy',
      // The original stored no recording type: DEFAULT_RECORDING_TYPE applies.
      recording: null,
      // Written before calendar events existed: its first event is SEQUENCE 0.
      calendarSequence: 0,
      // The original kept no event log: this service's first event is sequence 1.
      eventSequence: 0,
      outbox: [],
      participantsNumber: 1,
      participants: [
        {
          userId: 'patient-1',
          videoUserId: 'kaleyra-patient-1',
          // The original stored no role: the service derives it from the current privileges.
          role: null,
          accessLinkURL: 'https://legacy/join',
        },
      ],
      startDate: new Date('2024-01-01T10:00:00.000Z'),
      endDate: new Date('2024-01-01T10:30:00.000Z'),
      durationInSeconds: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it.each([
    ['TRASH', 'trashed'],
    ['DELETED', 'trashed'],
    ['PUBLIC', 'active'],
    ['DRAFT', 'active'],
  ] as const)('reads __STATE__ %s as %s', (crudState, state) => {
    expect(toTeleconsultationRecord(legacyDocument({ participants: [], __STATE__: crudState })).state).toBe(
      state,
    );
  });

  it('reads a missing endDate as null and ignores nulls the CRUD stored for absent optional fields', () => {
    // Nulls the typed shape forbids but a CRUD client may have stored.
    const withNulls = {
      userBandyerId: 'k',
      receivedUserId: 'u',
      accessLinkURL: null,
      fullName: null,
      groups: null,
    };
    const document = legacyDocument({ participants: [withNulls as unknown as ParticipantDocument] });
    delete document.endDate;
    const record = toTeleconsultationRecord(document);
    expect(record.endDate).toBeNull();
    expect(record.participants).toEqual([{ userId: 'u', videoUserId: 'k', role: null, accessLinkURL: null }]);
  });

  it('names the legacy participants whose platform id must come from the user-id map', () => {
    const document = legacyDocument({
      participants: [
        { userBandyerId: 'kaleyra-old', accessLinkURL: null },
        { userBandyerId: 'kaleyra-new', receivedUserId: 'user-new', role: 'plus', accessLinkURL: null },
      ],
    });
    expect(legacyParticipantKaleyraIds(document)).toEqual(['kaleyra-old']);
    expect(legacyParticipantKaleyraIds(newTeleconsultationDocument(ID, data(), NOW))).toEqual([]);
  });

  it('prefers the stored receivedUserId over the user-id map', () => {
    const document = legacyDocument({
      participants: [
        { userBandyerId: 'kaleyra-1', receivedUserId: 'stored', role: 'plus', accessLinkURL: null },
      ],
    });
    const record = toTeleconsultationRecord(document, new Map([['kaleyra-1', 'from-map']]));
    expect(record.participants[0]).toMatchObject({ userId: 'stored', role: 'plus' });
  });

  it('throws rather than invent a platform id for a legacy participant the map does not know', () => {
    expect(() => toTeleconsultationRecord(legacyDocument())).toThrow(UnresolvedLegacyParticipantError);
  });
});

describe('conditional update filter', () => {
  it('matches the exact version', () => {
    expect(versionFilter(3)).toEqual({ __v: 3 });
  });

  it('matches legacy documents without __v (and __v 0) when version 0 is expected', () => {
    expect(versionFilter(0)).toEqual({ $or: [{ __v: 0 }, { __v: { $exists: false } }] });
  });
});

describe('teleconsultation ids', () => {
  it('accepts the canonical 24-hex form', () => {
    expect(parseTeleconsultationId('65f1c0ffee0123456789abcd')?.equals(ID)).toBe(true);
  });

  it.each([
    '',
    'twelve chars',
    '65F1C0FFEE0123456789ABCD',
    '65f1c0ffee0123456789abc',
    'zzzzzzzzzzzzzzzzzzzzzzzz',
  ])('rejects %p', (id) => {
    expect(parseTeleconsultationId(id)).toBeNull();
  });
});

describe('user-id map documents', () => {
  it('maps receivedUserId and bandyerId to the domain names', () => {
    expect(toUserIdMapping({ receivedUserId: 'doctor-1', bandyerId: 'kaleyra-doctor-1' })).toEqual({
      userId: 'doctor-1',
      videoUserId: 'kaleyra-doctor-1',
    });
  });
});

describe('event documents', () => {
  const event: TeleconsultationEvent = {
    id: 'a1b2c3d4e5f6a1b2c3d4e5f6',
    teleconsultationId: '0123456789abcdef01234567',
    sequence: 7,
    type: 'TRANSCRIPTION_READ',
    occurredAt: new Date('2030-05-02T10:40:00.000Z'),
    actorId: 'doctor-1',
    changedFields: [],
    participantIds: [],
    sessionId: 'session-1',
    snapshot: {
      status: 'LOCKED',
      startDate: new Date('2030-05-02T10:00:00.000Z'),
      endDate: new Date('2030-05-02T10:30:00.000Z'),
      durationInSeconds: 1800,
      participantsNumber: 2,
      participantCount: 2,
    },
  };

  it("keeps a TRANSCRIPTION_READ's session id, and reads it back", () => {
    const document = toEventDocument(event);
    expect(document.sessionId).toBe('session-1');
    expect(toEvent(document)).toEqual(event);
  });

  it('writes no sessionId for other events, and reads none back', () => {
    const { sessionId: _, ...linkIssued } = { ...event, type: 'LINK_ISSUED' as const };
    const document = toEventDocument(linkIssued);
    expect('sessionId' in document).toBe(false);
    expect('sessionId' in toEvent(document)).toBe(false);
  });
});

describe('the waiting room in documents', () => {
  const attendance = {
    state: 'DENIED' as const,
    checkedInAt: NOW,
    device: {
      camera: 'OK' as const,
      microphone: 'FAILED' as const,
      speaker: 'UNTESTED' as const,
      networkKbps: 900,
    },
    deniedReason: 'not booked',
    transitions: [
      { state: 'WAITING' as const, at: NOW, by: 'patient-1' },
      { state: 'DENIED' as const, at: LATER, by: 'doctor-1' },
    ],
  };
  const withWaitingRoom = () => {
    const base = data({
      admission: 'HOST_ADMITS',
      hostDelay: { minutes: 10, announcedAt: NOW, by: 'doctor-1' },
    });
    const [doctor, patient] = base.participants;
    return { ...base, participants: [doctor as never, { ...patient, attendance }] } as TeleconsultationData;
  };

  it('round-trips admission, a delay and an attendance', () => {
    const record = toTeleconsultationRecord(newTeleconsultationDocument(ID, withWaitingRoom(), NOW));
    expect(record.admission).toBe('HOST_ADMITS');
    expect(record.hostDelay).toEqual({ minutes: 10, announcedAt: NOW, by: 'doctor-1' });
    expect(record.participants[1]?.attendance).toEqual(attendance);
    expect(record.participants[0]?.attendance).toBeUndefined();
  });

  it('writes none of them for a visit without them, and unsets them when a change clears them', () => {
    const document = newTeleconsultationDocument(ID, data(), NOW);
    expect(document).not.toHaveProperty('admission');
    expect(document).not.toHaveProperty('hostDelay');
    expect(document.participants[1]).not.toHaveProperty('attendance');
    const cleared = changeUpdate(data(), NOW, []);
    expect(cleared.$unset).toEqual({ admission: '', hostDelay: '' });
    expect(changeUpdate(withWaitingRoom(), NOW, [])).not.toHaveProperty('$unset');
  });

  it('reads a damaged attendance as NOT_ARRIVED (absent), never as a state it does not say', () => {
    const document = newTeleconsultationDocument(ID, data(), NOW);
    const damaged = {
      ...document,
      admission: 'SOMETIMES',
      participants: [document.participants[0], { ...document.participants[1], attendance: { state: 'VIP' } }],
    } as unknown as TeleconsultationDocument;
    const record = toTeleconsultationRecord(damaged);
    expect(record.participants[1]?.attendance).toBeUndefined();
    expect(record.admission).toBeUndefined();
  });
});
