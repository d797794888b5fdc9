import type { FhirSettings } from '../../domain/settings.js';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';
import type { VisitSnapshot } from '../../services/visits/visit-reads.service.js';
import { type Attendance, attendanceOf } from './attendance.js';
import { referenceOf } from './participant-references.js';
import type {
  Appointment,
  AppointmentParticipant,
  AppointmentStatus,
  Extension,
  Identifier,
  Meta,
  ParticipationStatus,
} from './resources.js';

/** What the FHIR view is written with: the `fhir` settings and the frontend's page of a visit. */
export interface FhirViewOptions {
  settings: FhirSettings;
  /** FRONTEND_TELECONSULTATION_URL: `{id}` stands for the visit's id; unset: no address. */
  frontendUrlTemplate?: string | undefined;
}

/** R5's Appointment.virtualService / Encounter.virtualService, as R4 carries it. */
export const VIRTUAL_SERVICE_EXTENSION = {
  Appointment: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService',
  Encounter: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Encounter.virtualService',
} as const;

/** The kind of video service (VirtualServiceDetail.channelType): ours, for R5's value set names none. */
export const CHANNEL_TYPE = {
  system: 'urn:teleconsultation-gateway:virtual-service-type',
  code: 'kaleyra-video',
  display: 'Kaleyra Video',
};

/** Shown when a visit is cancelled: nothing records why, only that it was. */
export const CANCELATION_TEXT = 'The teleconsultation was cancelled.';

/**
 * The visit's FHIR status. Cancelled, then (with the waiting room) noshow when every patient
 * (non-PLUS participant) was marked NO_SHOW; pending while participants are missing; fulfilled
 * once the visit is over (its last join window closed); arrived when a patient has checked in
 * (WAITING or ADMITTED); else booked (scheduled or locked).
 */
export function appointmentStatusOf(snapshot: VisitSnapshot): AppointmentStatus {
  if (snapshot.status === 'CANCELLED') return 'cancelled';
  const patients = snapshot.record.participants
    .filter((p) => p.role !== 'plus')
    .map((p) => attendanceOf(p, snapshot.record.admission));
  if (patients.length > 0 && patients.every((attendance) => attendance === 'NO_SHOW')) return 'noshow';
  if (snapshot.status === 'WAITING_FOR_PARTICIPANTS') return 'pending';
  if (snapshot.over) return 'fulfilled';
  if (patients.some((attendance) => attendance === 'WAITING' || attendance === 'ADMITTED')) return 'arrived';
  return 'booked';
}

/** A participant's answer: accepted, unless the waiting room says they have not arrived (tentative) or will not (declined). */
export function participationStatusOf(attendance: Attendance | null): ParticipationStatus {
  switch (attendance) {
    case 'NOT_ARRIVED':
      return 'tentative';
    case 'DENIED':
    case 'NO_SHOW':
      return 'declined';
    default:
      return 'accepted';
  }
}

export function metaOf(snapshot: VisitSnapshot): Meta {
  return { versionId: String(snapshot.record.version), lastUpdated: snapshot.record.updatedAt.toISOString() };
}

export function identifierOf(snapshot: VisitSnapshot, options: FhirViewOptions): Identifier[] {
  return [{ system: options.settings.identifierSystem, value: snapshot.record.id }];
}

/**
 * The video meeting (R5 VirtualServiceDetail): what it runs on, how many may join, and the
 * frontend's page of the visit, where each participant signs in: never a personal join link.
 */
export function virtualServiceOf(
  snapshot: VisitSnapshot,
  resource: keyof typeof VIRTUAL_SERVICE_EXTENSION,
  options: FhirViewOptions,
): Extension {
  const address = options.frontendUrlTemplate?.replaceAll('{id}', encodeURIComponent(snapshot.record.id));
  return {
    url: VIRTUAL_SERVICE_EXTENSION[resource],
    extension: [
      { url: 'channelType', valueCoding: CHANNEL_TYPE },
      ...(address ? [{ url: 'address', valueUrl: address }] : []),
      { url: 'maxParticipants', valuePositiveInt: snapshot.record.participantsNumber },
    ],
  };
}

/** `actor.display` only when the configuration allows names, and a name is known. */
export function displayOf(
  snapshot: VisitSnapshot,
  index: number,
): { display: string } | Record<string, never> {
  const name = snapshot.names?.[index];
  return name ? { display: name } : {};
}

function participantOf(
  snapshot: VisitSnapshot,
  participant: StoredParticipant,
  index: number,
  options: FhirViewOptions,
): AppointmentParticipant {
  return {
    actor: { reference: referenceOf(participant, options.settings).reference, ...displayOf(snapshot, index) },
    required: 'required',
    status: participationStatusOf(attendanceOf(participant, snapshot.record.admission)),
  };
}

/** A participant the visit expects and does not know yet: a place, with no one in it. */
const EXPECTED_PARTICIPANT: AppointmentParticipant = {
  type: [{ text: 'A participant not named yet' }],
  required: 'required',
  status: 'needs-action',
};

/** The visit as an R4 Appointment (docs/fhir.md). */
export function appointmentOf(snapshot: VisitSnapshot, options: FhirViewOptions): Appointment {
  const { record, schedule } = snapshot;
  const status = appointmentStatusOf(snapshot);
  const missing = Math.max(0, record.participantsNumber - record.participants.length);
  return {
    resourceType: 'Appointment',
    id: record.id,
    meta: metaOf(snapshot),
    extension: [virtualServiceOf(snapshot, 'Appointment', options)],
    identifier: identifierOf(snapshot, options),
    status,
    ...(status === 'cancelled' ? { cancelationReason: { text: CANCELATION_TEXT } } : {}),
    start: schedule.startDate.toISOString(),
    // A legacy record without an end ends when it starts: R4 wants both or neither (app-2).
    end: (schedule.endDate ?? schedule.startDate).toISOString(),
    ...(schedule.durationInSeconds !== null
      ? { minutesDuration: Math.max(1, Math.round(schedule.durationInSeconds / 60)) }
      : {}),
    participant: [
      ...record.participants.map((participant, index) =>
        participantOf(snapshot, participant, index, options),
      ),
      ...Array.from({ length: missing }, () => EXPECTED_PARTICIPANT),
    ],
  };
}
