/**
 * The FHIR mapping of a visit, state by state, the waiting room's attendance included (records
 * that carry it): each status, each participant's answer, references and names, and every
 * resource valid FHIR R4 (JSON Schema and StructureDefinitions).
 */
import { DEFAULT_FHIR_SETTINGS, type FhirSettings } from '../../../../src/domain/settings.js';
import type { TeleconsultationStatus } from '../../../../src/domain/teleconsultation.js';
import { type StoredParticipant, scheduleOf } from '../../../../src/domain/teleconsultation-record.js';
import {
  appointmentOf,
  appointmentStatusOf,
  type FhirViewOptions,
} from '../../../../src/http/fhir/appointment.mapper.js';
import type { Attendance } from '../../../../src/http/fhir/attendance.js';
import { encounterOf } from '../../../../src/http/fhir/encounter.mapper.js';
import type { VisitSnapshot } from '../../../../src/services/visits/visit-reads.service.js';
import {
  FHIR_VALIDATION_SETUP_MS,
  fhirProblems,
  prepareFhirValidation,
} from '../../../support/fhir-validation.js';

const START = new Date('2030-03-04T10:00:00.000Z');
const END = new Date('2030-03-04T10:30:00.000Z');
const LINK = 'https://kaleyra.example/connect/direct-rest-call-handler/s3cr3t-t0ken';
const OPTIONS: FhirViewOptions = {
  settings: DEFAULT_FHIR_SETTINGS,
  frontendUrlTemplate: 'https://clinic.example/visit/{id}',
};

function participant(
  userId: string,
  role: 'plus' | 'basic' | null,
  { attendance, ...extra }: Partial<Omit<StoredParticipant, 'attendance'>> & { attendance?: Attendance } = {},
): StoredParticipant {
  // The waiting room stores every state but NOT_ARRIVED (the absence of an attendance).
  const stored =
    attendance === undefined || attendance === 'NOT_ARRIVED'
      ? {}
      : {
          attendance: {
            state: attendance,
            checkedInAt: attendance === 'NO_SHOW' ? null : START,
            transitions: [],
          },
        };
  return {
    userId,
    videoUserId: `k-${userId}`,
    role,
    accessLinkURL: LINK,
    fullName: `Name of ${userId}`,
    groups: role === 'plus' ? ['doctor'] : ['customer'],
    ...stored,
    ...extra,
  };
}

interface SnapshotOf {
  status?: TeleconsultationStatus;
  over?: boolean;
  participants?: StoredParticipant[];
  participantsNumber?: number;
  names?: Array<string | null> | null;
  endDate?: Date | null;
  admission?: 'AUTOMATIC' | 'HOST_ADMITS';
}

function snapshot(options: SnapshotOf = {}): VisitSnapshot {
  const participants = options.participants ?? [participant('doc', 'plus'), participant('pat', 'basic')];
  const endDate = options.endDate === undefined ? END : options.endDate;
  const record = {
    id: '0123456789abcdef01234567',
    startDate: START,
    endDate,
    durationInSeconds: endDate ? (endDate.getTime() - START.getTime()) / 1000 : null,
    participantsNumber: options.participantsNumber ?? participants.length,
    participants,
    ...(options.admission ? { admission: options.admission } : {}),
    roomId: options.status === 'WAITING_FOR_PARTICIPANTS' ? null : 'room-1',
    state: options.status === 'CANCELLED' ? ('trashed' as const) : ('active' as const),
    recording: null,
    calendarSequence: 0,
    eventSequence: 0,
    version: 3,
    createdAt: new Date('2030-03-01T00:00:00.000Z'),
    updatedAt: new Date('2030-03-02T00:00:00.000Z'),
    outbox: [],
  };
  return {
    record,
    schedule: scheduleOf(record),
    status: options.status ?? 'SCHEDULED',
    overAt: endDate,
    over: options.over ?? false,
    names: options.names ?? null,
  };
}

const attending = (doc: Attendance | undefined, ...patients: Array<Attendance | undefined>) => [
  participant('doc', 'plus', doc ? { attendance: doc } : {}),
  ...patients.map((attendance, index) =>
    participant(`pat-${index}`, 'basic', attendance ? { attendance } : {}),
  ),
];

beforeAll(prepareFhirValidation, FHIR_VALIDATION_SETUP_MS);

describe('the Appointment status of a visit', () => {
  it.each<[string, SnapshotOf, string]>([
    ['waiting for participants', { status: 'WAITING_FOR_PARTICIPANTS', participantsNumber: 3 }, 'pending'],
    ['scheduled', { status: 'SCHEDULED' }, 'booked'],
    ['locked', { status: 'LOCKED' }, 'booked'],
    ['over (its last join window closed)', { status: 'LOCKED', over: true }, 'fulfilled'],
    ['cancelled', { status: 'CANCELLED' }, 'cancelled'],
    ['cancelled after its end', { status: 'CANCELLED', over: true }, 'cancelled'],
    [
      'waiting for participants past its end',
      { status: 'WAITING_FOR_PARTICIPANTS', over: true, participantsNumber: 3 },
      'pending',
    ],
    // With the waiting room (records that carry attendance).
    [
      'locked, the patient checked in',
      { status: 'LOCKED', admission: 'HOST_ADMITS', participants: attending(undefined, 'WAITING') },
      'arrived',
    ],
    [
      'locked, the patient admitted',
      { status: 'LOCKED', admission: 'HOST_ADMITS', participants: attending('ADMITTED', 'ADMITTED') },
      'arrived',
    ],
    [
      'locked, one of two patients checked in',
      {
        status: 'LOCKED',
        admission: 'HOST_ADMITS',
        participants: attending(undefined, 'NOT_ARRIVED', 'WAITING'),
      },
      'arrived',
    ],
    [
      'locked, the patient not arrived yet',
      { status: 'LOCKED', admission: 'HOST_ADMITS', participants: attending(undefined, 'NOT_ARRIVED') },
      'booked',
    ],
    [
      'locked, only the doctor checked in',
      { status: 'LOCKED', admission: 'HOST_ADMITS', participants: attending('WAITING', 'NOT_ARRIVED') },
      'booked',
    ],
    [
      'locked, the patient denied',
      { status: 'LOCKED', admission: 'HOST_ADMITS', participants: attending(undefined, 'DENIED') },
      'booked',
    ],
    [
      'the patient a no-show',
      { status: 'LOCKED', admission: 'HOST_ADMITS', participants: attending(undefined, 'NO_SHOW') },
      'noshow',
    ],
    [
      'over, the patient a no-show',
      {
        status: 'LOCKED',
        over: true,
        admission: 'HOST_ADMITS',
        participants: attending(undefined, 'NO_SHOW'),
      },
      'noshow',
    ],
    [
      'one of two patients a no-show',
      {
        status: 'LOCKED',
        admission: 'HOST_ADMITS',
        participants: attending(undefined, 'NO_SHOW', 'ADMITTED'),
      },
      'arrived',
    ],
    [
      'over, the patient admitted',
      {
        status: 'LOCKED',
        over: true,
        admission: 'HOST_ADMITS',
        participants: attending(undefined, 'ADMITTED'),
      },
      'fulfilled',
    ],
    [
      'cancelled, the patient a no-show',
      { status: 'CANCELLED', admission: 'HOST_ADMITS', participants: attending(undefined, 'NO_SHOW') },
      'cancelled',
    ],
  ])('%s → %s, as a valid Appointment', (_what, options, expected) => {
    const visit = snapshot(options);
    expect(appointmentStatusOf(visit)).toBe(expected);
    const appointment = appointmentOf(visit, OPTIONS);
    expect(appointment.status).toBe(expected);
    expect(fhirProblems(appointment)).toEqual([]);
    expect(appointment.cancelationReason !== undefined).toBe(expected === 'cancelled');
  });
});

describe('the participants of an Appointment', () => {
  it.each<[Attendance | undefined, string]>([
    [undefined, 'accepted'], // an AUTOMATIC visit: no waiting room to wait in
    ['NOT_ARRIVED', 'tentative'],
    ['WAITING', 'accepted'],
    ['ADMITTED', 'accepted'],
    ['DENIED', 'declined'],
    ['NO_SHOW', 'declined'],
  ])('a participant whose attendance is %s has answered %s', (attendance, expected) => {
    const visit = snapshot({
      status: 'LOCKED',
      admission: attendance === undefined ? 'AUTOMATIC' : 'HOST_ADMITS',
      participants: attending(undefined, attendance),
    });
    const appointment = appointmentOf(visit, OPTIONS);
    expect(appointment.participant[1]?.status).toBe(expected);
    expect(fhirProblems(appointment)).toEqual([]);
  });

  it('references by role, by the first configured group, percent-encoded, with an optional base URL', () => {
    const settings: FhirSettings = {
      ...DEFAULT_FHIR_SETTINGS,
      plus: { prefix: 'https://ehr.example/fhir/PractitionerRole/', type: 'PractitionerRole' },
      byGroup: [
        { group: 'caregiver', prefix: 'RelatedPerson/', type: 'RelatedPerson' },
        { group: 'nurse', prefix: 'Practitioner/', type: 'Practitioner' },
      ],
    };
    const visit = snapshot({
      participants: [
        participant('doc', 'plus'),
        participant('nurse-1', 'plus', { groups: ['doctor', 'nurse'] }),
        participant('a@b.example', 'basic'),
        participant('care', 'basic', { groups: ['nurse', 'caregiver'] }),
        participant('legacy', null, { groups: [] }),
      ],
    });
    const appointment = appointmentOf(visit, { ...OPTIONS, settings });
    expect(appointment.participant.map((p) => p.actor?.reference)).toEqual([
      'https://ehr.example/fhir/PractitionerRole/doc',
      'Practitioner/nurse-1',
      'Patient/a%40b.example',
      'RelatedPerson/care',
      'Patient/legacy',
    ]);
    expect(fhirProblems(appointment)).toEqual([]);
  });

  it('shows names only when the snapshot carries them (participantNames), and never a link', () => {
    const without = JSON.stringify(appointmentOf(snapshot(), OPTIONS));
    expect(without).not.toContain('Name of');
    expect(without).not.toContain('display":"Name');
    const named = appointmentOf(snapshot({ names: ['Dr Rossi', null] }), OPTIONS);
    expect(named.participant.map((p) => p.actor)).toEqual([
      { reference: 'Practitioner/doc', display: 'Dr Rossi' },
      { reference: 'Patient/pat' },
    ]);
    expect(fhirProblems(named)).toEqual([]);
    for (const text of [without, JSON.stringify(named)]) {
      expect(text).not.toContain(LINK);
      expect(text).not.toContain('s3cr3t-t0ken');
      expect(text).not.toContain('kaleyra.example');
    }
  });

  it('gives the virtualService no address without FRONTEND_TELECONSULTATION_URL, and stays valid', () => {
    const appointment = appointmentOf(snapshot(), { settings: DEFAULT_FHIR_SETTINGS });
    expect(appointment.extension?.[0]?.extension?.map((e) => e.url)).toEqual([
      'channelType',
      'maxParticipants',
    ]);
    expect(fhirProblems(appointment)).toEqual([]);
  });

  it('maps a legacy record without an end to a valid Appointment ending at its start', () => {
    const appointment = appointmentOf(snapshot({ endDate: null }), OPTIONS);
    expect(appointment.end).toBe(appointment.start);
    expect(appointment.minutesDuration).toBeUndefined();
    expect(fhirProblems(appointment)).toEqual([]);
  });
});

describe('the Encounter of a visit', () => {
  it.each<[string, SnapshotOf]>([
    ['scheduled', { status: 'SCHEDULED' }],
    ['locked', { status: 'LOCKED' }],
    ['waiting for participants, even past its end', { status: 'WAITING_FOR_PARTICIPANTS', over: true }],
  ])('does not exist while the visit is %s', (_what, options) => {
    expect(() => encounterOf(snapshot(options), OPTIONS)).toThrow(
      expect.objectContaining({ reason: 'ENCOUNTER_NOT_YET' }),
    );
  });

  it.each<[string, SnapshotOf, string]>([
    ['over', { status: 'LOCKED', over: true }, 'finished'],
    ['cancelled', { status: 'CANCELLED' }, 'cancelled'],
    ['cancelled before its room', { status: 'CANCELLED', participantsNumber: 3 }, 'cancelled'],
    ['over, names shown', { status: 'LOCKED', over: true, names: ['Dr Rossi', 'Ada Bianchi'] }, 'finished'],
    [
      'over, no patient',
      {
        status: 'LOCKED',
        over: true,
        participants: [participant('doc', 'plus'), participant('doc2', 'plus')],
      },
      'finished',
    ],
    ['over, a legacy record without an end', { status: 'LOCKED', over: true, endDate: null }, 'finished'],
  ])('is %s → %s, a valid Encounter of class VR', (_what, options, status) => {
    const encounter = encounterOf(snapshot(options), OPTIONS);
    expect(encounter.status).toBe(status);
    expect(encounter.class.code).toBe('VR');
    expect(fhirProblems(encounter)).toEqual([]);
  });

  it('names the first patient its subject, the others who are not patients its participants', () => {
    const encounter = encounterOf(
      snapshot({
        status: 'LOCKED',
        over: true,
        participants: [participant('doc', 'plus'), participant('pat', 'basic'), participant('pat2', 'basic')],
        names: ['Dr Rossi', 'Ada Bianchi', null],
      }),
      OPTIONS,
    );
    expect(encounter.subject).toEqual({ reference: 'Patient/pat', display: 'Ada Bianchi' });
    expect(encounter.participant?.map((p) => p.individual)).toEqual([
      { reference: 'Practitioner/doc', display: 'Dr Rossi' },
    ]);
  });
});
