/**
 * The FHIR R4 JSON this facade writes (http://hl7.org/fhir/R4/): only the elements it fills. The
 * tests validate every answer against the R4 JSON Schema and StructureDefinitions.
 */

export interface Reference {
  reference: string;
  display?: string;
}

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  system: string;
  value: string;
}

export interface Meta {
  versionId: string;
  lastUpdated: string;
}

export interface Extension {
  url: string;
  extension?: Extension[];
  valueUrl?: string;
  valueCoding?: Coding;
  valuePositiveInt?: number;
}

export type AppointmentStatus =
  | 'proposed'
  | 'pending'
  | 'booked'
  | 'arrived'
  | 'fulfilled'
  | 'cancelled'
  | 'noshow'
  | 'entered-in-error'
  | 'checked-in'
  | 'waitlist';

export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
];

export type ParticipationStatus = 'accepted' | 'declined' | 'tentative' | 'needs-action';

export interface AppointmentParticipant {
  type?: CodeableConcept[];
  actor?: Reference;
  required: 'required' | 'optional' | 'information-only';
  status: ParticipationStatus;
}

export interface Appointment {
  resourceType: 'Appointment';
  id: string;
  meta: Meta;
  extension?: Extension[];
  identifier: Identifier[];
  status: AppointmentStatus;
  cancelationReason?: CodeableConcept;
  start: string;
  end?: string;
  minutesDuration?: number;
  participant: AppointmentParticipant[];
}

export interface Encounter {
  resourceType: 'Encounter';
  id: string;
  meta: Meta;
  extension?: Extension[];
  identifier: Identifier[];
  status: 'finished' | 'cancelled';
  class: Coding;
  subject?: Reference;
  participant?: Array<{ type?: CodeableConcept[]; individual: Reference }>;
  appointment: Reference[];
  period: { start: string; end?: string };
}

export interface BundleLink {
  relation: 'self' | 'next';
  url: string;
}

export interface SearchSet {
  resourceType: 'Bundle';
  type: 'searchset';
  link: BundleLink[];
  entry?: Array<{ resource: Appointment; search: { mode: 'match' } }>;
}

export type IssueCode =
  | 'invalid'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'timeout'
  | 'transient'
  | 'exception';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Array<{ severity: 'error' | 'fatal'; code: IssueCode; diagnostics: string }>;
}
