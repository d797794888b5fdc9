import { NotFoundError } from '../../domain/errors.js';
import type { VisitSnapshot } from '../../services/visits/visit-reads.service.js';
import {
  displayOf,
  type FhirViewOptions,
  identifierOf,
  metaOf,
  virtualServiceOf,
} from './appointment.mapper.js';
import { referenceOf } from './participant-references.js';
import type { Encounter } from './resources.js';

/** Encounter.class of every visit: virtual (v3 ActCode VR). */
export const VIRTUAL_CLASS = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'VR',
  display: 'virtual',
};

/** A practitioner who took part (v3 ParticipationType PPRF for PLUS participants, PART otherwise). */
const PRIMARY_PERFORMER = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'PPRF',
      display: 'primary performer',
    },
  ],
};
const PARTICIPANT = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'PART',
      display: 'Participation',
    },
  ],
};

/**
 * The visit as an R4 Encounter, once there is one: a cancelled visit (status cancelled), or a
 * visit with a room whose last join window has closed (finished). Its period is the scheduled
 * one: the gateway does not read when the call actually ran. The first participant referenced
 * as a Patient is its subject (R4 lets Encounter.participant name no Patient); the others who are
 * not patients are its participants.
 */
export function encounterOf(snapshot: VisitSnapshot, options: FhirViewOptions): Encounter {
  const { record, schedule } = snapshot;
  const cancelled = snapshot.status === 'CANCELLED';
  if (!cancelled && (snapshot.status === 'WAITING_FOR_PARTICIPANTS' || !snapshot.over)) {
    throw new NotFoundError(
      `Teleconsultation ${record.id} has no encounter yet: it has one once it is over or cancelled.`,
      { reason: 'ENCOUNTER_NOT_YET' },
    );
  }
  const references = record.participants.map((participant, index) => ({
    ...referenceOf(participant, options.settings),
    participant,
    index,
  }));
  const subject = references.find((entry) => entry.type === 'Patient');
  const others = references.filter((entry) => entry.type !== 'Patient');
  return {
    resourceType: 'Encounter',
    id: record.id,
    meta: metaOf(snapshot),
    extension: [virtualServiceOf(snapshot, 'Encounter', options)],
    identifier: identifierOf(snapshot, options),
    status: cancelled ? 'cancelled' : 'finished',
    class: VIRTUAL_CLASS,
    ...(subject ? { subject: { reference: subject.reference, ...displayOf(snapshot, subject.index) } } : {}),
    ...(others.length > 0
      ? {
          participant: others.map((entry) => ({
            type: [entry.participant.role === 'plus' ? PRIMARY_PERFORMER : PARTICIPANT],
            individual: { reference: entry.reference, ...displayOf(snapshot, entry.index) },
          })),
        }
      : {}),
    appointment: [{ reference: `Appointment/${record.id}` }],
    period: {
      start: schedule.startDate.toISOString(),
      ...(schedule.endDate ? { end: schedule.endDate.toISOString() } : {}),
    },
  };
}
