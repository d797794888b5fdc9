import type { APPOINTMENT_SEARCH_PARAMETERS } from './search-parameters.js';

/** FHIR's own search parameter definitions, which ours are. */
const SEARCH_PARAMETER_BASE = 'http://hl7.org/fhir/SearchParameter';

export interface CapabilityStatementOptions {
  version: string;
  /** When this statement was produced: the instant it is served. */
  date: Date;
  searchParameters: typeof APPOINTMENT_SEARCH_PARAMETERS;
}

/**
 * What the facade offers (GET /fhir/R4/metadata): FHIR 4.0.1, JSON, read and search of
 * Appointment, read of Encounter. Nothing in it depends on the caller.
 */
export function capabilityStatementOf(options: CapabilityStatementOptions) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date.toISOString(),
    publisher: 'teleconsultation-gateway',
    kind: 'instance',
    software: { name: 'teleconsultation-gateway', version: options.version },
    implementation: {
      description:
        'A read-only FHIR R4 view of the teleconsultations: each visit as an Appointment and, once over or cancelled, as an Encounter.',
    },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            "The platform's API gateway authenticates the caller; each visit is shown to whoever the `teleconsultation` policy lets read it, in reads and searches alike.",
        },
        resource: [
          {
            type: 'Appointment',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            versioning: 'versioned',
            readHistory: false,
            conditionalRead: 'not-match',
            searchParam: options.searchParameters.map(({ name, type, documentation, definition }) => ({
              name,
              ...(definition ? { definition: `${SEARCH_PARAMETER_BASE}/${definition}` } : {}),
              type,
              documentation,
            })),
          },
          {
            type: 'Encounter',
            interaction: [{ code: 'read' }],
            versioning: 'versioned',
            readHistory: false,
            conditionalRead: 'not-match',
          },
        ],
      },
    ],
  };
}
