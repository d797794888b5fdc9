/**
 * What the OpenAPI document says of the FHIR facade's answers. A FHIR resource is described by
 * its own specification, not here: each schema names its resource type and links to it, and
 * leaves the rest open (the tests validate every answer against the R4 JSON Schema and
 * StructureDefinitions instead).
 */

const MEDIA_TYPES = ['application/fhir+json', 'application/json'] as const;

function resource(type: string, description: string) {
  const schema = {
    type: 'object',
    description: `${description} http://hl7.org/fhir/R4/${type.toLowerCase()}.html`,
    required: ['resourceType'],
    properties: { resourceType: { type: 'string', const: type } },
    additionalProperties: true,
  };
  return Object.fromEntries(MEDIA_TYPES.map((mediaType) => [mediaType, { schema }]));
}

function answer(description: string, type: string, resourceDescription: string) {
  return { description, content: resource(type, resourceDescription) };
}

const outcome = (description: string) =>
  answer(description, 'OperationOutcome', 'What went wrong, in issue[0].code and diagnostics.');

const fhirErrors = {
  400: outcome('A search parameter is unknown, repeated or malformed (INVALID_SEARCH_PARAMETER, …).'),
  401: outcome('The request does not say who is calling, and the read needs to know (login).'),
  403: outcome('The `teleconsultation` policy refuses the caller (forbidden).'),
  404: outcome('No such visit (a caller the policy lets read unknown ids), or no Encounter yet (not-found).'),
  406: outcome('Neither _format nor Accept asks for JSON (not-supported).'),
  503: outcome('The auth service did not answer (transient).'),
  504: outcome('The read took longer than REQUEST_TIMEOUT_MS (timeout).'),
};

type FhirErrorStatus = keyof typeof fhirErrors;

export function fhirErrorsFor<K extends FhirErrorStatus>(...statuses: K[]): Pick<typeof fhirErrors, K> {
  return Object.fromEntries(statuses.map((status) => [status, fhirErrors[status]])) as Pick<
    typeof fhirErrors,
    K
  >;
}

export const notModified = {
  304: {
    type: 'null',
    description: 'If-None-Match names the resource\'s current version (W/"<version>"): no body.',
  },
};

export const fhirIdParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', description: 'The visit id (the teleconsultation record id).' } },
} as const;

const formatParameter = {
  type: 'string',
  description: 'json, application/json or application/fhir+json (wins over Accept); anything else is 406.',
};

export const formatQuerySchema = {
  type: 'object',
  properties: { _format: formatParameter },
} as const;

export const appointmentSearchQuerySchema = {
  type: 'object',
  properties: {
    patient: { type: 'string', description: 'A participant referenced as a Patient: <id> or Patient/<id>.' },
    practitioner: {
      type: 'string',
      description: 'A participant referenced as a Practitioner: <id> or Practitioner/<id>.',
    },
    actor: { type: 'string', description: 'Any participant: <Type>/<id> or <id>.' },
    date: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 2 }],
      description: 'The start: eq (default), ge, gt, le or lt, then a date or an instant; at most twice.',
    },
    status: { type: 'string', description: 'Appointment statuses, comma-separated.' },
    _count: { type: 'string', description: 'Entries per page, 1 to 100 (default 20).' },
    _cursor: { type: 'string', description: 'Where a page starts: what link[next] carries.' },
    _format: formatParameter,
  },
} as const;

export const capabilityStatementAnswer = {
  200: answer(
    'What the facade offers: FHIR 4.0.1, JSON, Appointment read and search, Encounter read.',
    'CapabilityStatement',
    'The server’s capabilities.',
  ),
};

export const appointmentAnswer = {
  200: answer(
    'The visit as an Appointment, with ETag W/"<version>".',
    'Appointment',
    'The visit: status, start, end, participants (references, no names unless configured), virtualService.',
  ),
};

export const encounterAnswer = {
  200: answer(
    'The visit as an Encounter (class VR), once it is over or cancelled, with ETag W/"<version>".',
    'Encounter',
    'The visit as it happened: finished or cancelled, period, participants, appointment.',
  ),
};

export const searchSetAnswer = {
  200: answer(
    'A searchset Bundle of Appointments the caller may read, in start order; link[next] while more remain.',
    'Bundle',
    'type searchset; link self and next (relative to the FHIR base); entry[].resource.',
  ),
};
