import { BadUserInputError } from '../../domain/errors.js';
import type { FhirParticipantType, FhirSettings } from '../../domain/settings.js';
import type { TeleconsultationStatus } from '../../domain/teleconsultation.js';
import { DEFAULT_PAGE_SIZE } from '../../services/visits/agenda.service.js';
import type { VisitSearchQuery, VisitSnapshot } from '../../services/visits/visit-reads.service.js';
import { appointmentStatusOf } from './appointment.mapper.js';
import { referenceOf } from './participant-references.js';
import { APPOINTMENT_STATUSES, type AppointmentStatus } from './resources.js';

/** The search parameters of GET /fhir/R4/Appointment, as the CapabilityStatement lists them. */
export const APPOINTMENT_SEARCH_PARAMETERS = [
  {
    name: 'patient',
    type: 'reference',
    definition: 'Appointment-patient',
    documentation: 'A participant referenced as a Patient: `<id>` or `Patient/<id>`.',
  },
  {
    name: 'practitioner',
    type: 'reference',
    definition: 'Appointment-practitioner',
    documentation: 'A participant referenced as a Practitioner: `<id>` or `Practitioner/<id>`.',
  },
  {
    name: 'actor',
    type: 'reference',
    definition: 'Appointment-actor',
    documentation: 'Any participant: `<Type>/<id>` (its type must match) or `<id>`.',
  },
  {
    name: 'date',
    type: 'date',
    definition: 'clinical-date',
    documentation:
      'The start, with prefix eq (default), ge, gt, le or lt, at the precision given (a year, a month, a day, or an instant with its time zone); at most two.',
  },
  {
    name: 'status',
    type: 'token',
    definition: 'Appointment-status',
    documentation:
      'One status or several, comma-separated (pending, booked, arrived, fulfilled, cancelled, noshow).',
  },
  {
    name: '_count',
    type: 'number',
    definition: undefined,
    documentation: 'Entries per page, 1 to 100 (default 20).',
  },
] as const;

/** The opaque position a `next` link carries. */
export const CURSOR_PARAMETER = '_cursor';
const FORMAT_PARAMETER = '_format';

const KNOWN = new Set<string>([
  ...APPOINTMENT_SEARCH_PARAMETERS.map((parameter) => parameter.name),
  CURSOR_PARAMETER,
  FORMAT_PARAMETER,
]);

/** Which stored statuses can show as each FHIR status: what the store is asked for. */
const STORED_STATUSES: Record<AppointmentStatus, readonly TeleconsultationStatus[]> = {
  pending: ['WAITING_FOR_PARTICIPANTS'],
  booked: ['SCHEDULED', 'LOCKED'],
  arrived: ['SCHEDULED', 'LOCKED'],
  fulfilled: ['SCHEDULED', 'LOCKED'],
  noshow: ['SCHEDULED', 'LOCKED', 'WAITING_FOR_PARTICIPANTS'],
  cancelled: ['CANCELLED'],
  proposed: [],
  'entered-in-error': [],
  'checked-in': [],
  waitlist: [],
};

/** A participant a search names: by id, and by resource type when it says one. */
interface NamedParticipant {
  userId: string;
  type: FhirParticipantType | null;
}

export interface AppointmentSearch {
  query: VisitSearchQuery;
  /** The parameters as understood, without the cursor: the `self` and `next` links repeat them. */
  parameters: Array<[string, string]>;
}

type RawQuery = Record<string, string | string[] | undefined>;

function invalid(message: string, parameter: string): BadUserInputError {
  return new BadUserInputError(message, { reason: 'INVALID_SEARCH_PARAMETER', field: [parameter] });
}

function valuesOf(raw: RawQuery, name: string): string[] {
  const value = raw[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function single(raw: RawQuery, name: string): string | null {
  const values = valuesOf(raw, name);
  if (values.length > 1) throw invalid(`${name} is given more than once.`, name);
  return values[0] ?? null;
}

/**
 * `patient=<id>`, `patient=Patient/<id>` or an absolute reference ending so: the user id (as the
 * reference writes it, percent-encoded) and the type the reference names.
 */
function participantOf(name: string, value: string, implied: FhirParticipantType | null): NamedParticipant {
  if (value === '' || value.includes(',')) throw invalid(`${name} takes one reference.`, name);
  const match = /^(?:.*\/)?(?:([A-Za-z]+)\/)([^/]+)$/.exec(value);
  const type = match ? (match[1] as string) : null;
  const encodedId = match ? (match[2] as string) : value;
  if (type !== null && implied !== null && type !== implied) {
    throw invalid(`${name} references a ${implied}, not a ${type}.`, name);
  }
  let userId: string;
  try {
    userId = decodeURIComponent(encodedId);
  } catch {
    throw invalid(`${name} is not a well-formed reference.`, name);
  }
  return { userId, type: (type as FhirParticipantType | null) ?? implied };
}

/** [from, to) of a date at the precision it is written in. */
function rangeOf(text: string): [Date, Date] | null {
  const partial = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (partial) {
    const year = Number(partial[1]);
    const month = partial[2] === undefined ? null : Number(partial[2]) - 1;
    const day = partial[3] === undefined ? null : Number(partial[3]);
    if (month !== null && (month < 0 || month > 11)) return null;
    const from = new Date(Date.UTC(year, month ?? 0, day ?? 1));
    if (day !== null && from.getUTCDate() !== day) return null;
    const to =
      day !== null
        ? new Date(Date.UTC(year, month ?? 0, day + 1))
        : month !== null
          ? new Date(Date.UTC(year, month + 1, 1))
          : new Date(Date.UTC(year + 1, 0, 1));
    return [from, to];
  }
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!instant) return null;
  const from = new Date(text);
  if (Number.isNaN(from.getTime())) return null;
  const step = instant[2] ? 10 ** (3 - (instant[2].length - 1)) : instant[1] ? 1000 : 60_000;
  return [from, new Date(from.getTime() + step)];
}

/** `date=ge2030-03-04&date=lt2030-03-05`: a start range, [from, to). */
function dateRangeOf(values: readonly string[]): { from: Date | null; to: Date | null } {
  if (values.length > 2) throw invalid('date is given at most twice (a lower and an upper bound).', 'date');
  let from: Date | null = null;
  let to: Date | null = null;
  const raise = (date: Date) => {
    if (from === null || date > from) from = date;
  };
  const lower = (date: Date) => {
    if (to === null || date < to) to = date;
  };
  for (const value of values) {
    const match = /^(eq|ge|gt|le|lt|ne|sa|eb|ap)?(.*)$/.exec(value) as RegExpExecArray;
    const prefix = match[1] ?? 'eq';
    const range = rangeOf(match[2] as string);
    if (!range) {
      throw invalid(
        `date ${JSON.stringify(value)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, or an instant with its time zone).`,
        'date',
      );
    }
    const [start, end] = range;
    if (prefix === 'eq') {
      raise(start);
      lower(end);
    } else if (prefix === 'ge') raise(start);
    else if (prefix === 'gt') raise(end);
    else if (prefix === 'lt') lower(start);
    else if (prefix === 'le') lower(end);
    else throw invalid(`The date prefix ${prefix} is not supported (eq, ge, gt, le, lt are).`, 'date');
  }
  return { from, to };
}

function statusesOf(value: string | null): AppointmentStatus[] | null {
  if (value === null) return null;
  const codes = value.split(',');
  for (const code of codes) {
    if (!(APPOINTMENT_STATUSES as readonly string[]).includes(code)) {
      throw invalid(`status ${JSON.stringify(code)} is not an Appointment status.`, 'status');
    }
  }
  return codes as AppointmentStatus[];
}

function countOf(value: string | null): number {
  if (value === null) return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,4}$/.test(value)) throw invalid('_count is a whole number.', '_count');
  return Number(value);
}

/** Whether `snapshot` lists `named`, referenced as the type it names. */
function lists(snapshot: VisitSnapshot, named: NamedParticipant, settings: FhirSettings): boolean {
  return snapshot.record.participants.some(
    (participant) =>
      participant.userId === named.userId &&
      (named.type === null || referenceOf(participant, settings).type === named.type),
  );
}

/**
 * The search a query string asks for. Unknown parameters (and modifiers such as `patient:missing`)
 * are refused rather than ignored: a filter silently dropped would widen the answer.
 */
export function appointmentSearchOf(raw: RawQuery, settings: FhirSettings): AppointmentSearch {
  for (const name of Object.keys(raw)) {
    if (!KNOWN.has(name)) throw invalid(`${name} is not a search parameter of Appointment here.`, name);
  }
  const named: NamedParticipant[] = [];
  const parameters: Array<[string, string]> = [];
  for (const [name, implied] of [
    ['patient', 'Patient'],
    ['practitioner', 'Practitioner'],
    ['actor', null],
  ] as const) {
    const value = single(raw, name);
    if (value === null) continue;
    named.push(participantOf(name, value, implied));
    parameters.push([name, value]);
  }
  const dates = valuesOf(raw, 'date');
  const { from, to } = dateRangeOf(dates);
  for (const value of dates) parameters.push(['date', value]);
  const statusText = single(raw, 'status');
  const statuses = statusesOf(statusText);
  if (statusText !== null) parameters.push(['status', statusText]);
  const countText = single(raw, '_count');
  const first = countOf(countText);
  if (countText !== null) parameters.push(['_count', countText]);
  const after = single(raw, CURSOR_PARAMETER);

  const stored = statuses ? [...new Set(statuses.flatMap((status) => STORED_STATUSES[status]))] : null;
  const wanted = statuses ? new Set(statuses) : null;
  const query: VisitSearchQuery = {
    participantId: named[0]?.userId ?? null,
    from,
    to,
    // No stored status can show as the statuses asked: `matches` leaves every visit out.
    statuses: stored,
    first,
    after,
    matches: (snapshot) =>
      named.every((participant) => lists(snapshot, participant, settings)) &&
      (wanted === null || wanted.has(appointmentStatusOf(snapshot))),
  };
  return { query, parameters };
}
