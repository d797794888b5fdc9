import type { FhirParticipantType, FhirReferencePrefix, FhirSettings } from '../../domain/settings.js';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';

/** A participant as FHIR names it: its resource type and its reference. */
export interface ParticipantReference {
  type: FhirParticipantType;
  /** The prefix, then the user id (percent-encoded: a FHIR reference is a URL). */
  reference: string;
}

/**
 * The prefix of a participant: its first group listed in `fhir.references.byGroup` (in the
 * file's order), else its role's (PLUS: `Practitioner/`, BASIC: `Patient/`). A participant whose
 * role no privilege gives (a legacy one whose groups left every profile) counts as BASIC, as its
 * room does.
 */
export function prefixOf(participant: StoredParticipant, settings: FhirSettings): FhirReferencePrefix {
  const groups = participant.groups ?? [];
  const byGroup = settings.byGroup.find((entry) => groups.includes(entry.group));
  if (byGroup) return byGroup;
  return participant.role === 'plus' ? settings.plus : settings.basic;
}

export function referenceOf(participant: StoredParticipant, settings: FhirSettings): ParticipantReference {
  const { prefix, type } = prefixOf(participant, settings);
  return { type, reference: `${prefix}${encodeURIComponent(participant.userId)}` };
}
