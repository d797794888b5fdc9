import { type PolicyExpression, parsePolicy } from './policy-expression.js';

/**
 * Every operation the service exposes, GraphQL and REST alike, under one key each, with the
 * secure default a clinic gets when the config file's `authorization` object does not name it.
 * `target`: the operation acts on one teleconsultation, so `isParticipant` and
 * `isPlusParticipant` mean something (about the record as stored before the change).
 * Operations added later take their key from this table.
 */
export const OPERATIONS = {
  teleconsultation: {
    target: true,
    default: 'isParticipant',
    description:
      'Read one teleconsultation (GraphQL `teleconsultation`, REST `GET /teleconsultation/:id`; the FHIR view: `Appointment` and `Encounter` reads, and each visit a search returns).',
  },
  teleconsultationHistory: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description:
      "A teleconsultation's audit trail: who changed what, when, and who was handed a link (`Teleconsultation.history`, REST `GET /teleconsultation/:id/history`).",
  },
  transcription: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description:
      "Read a visit's sessions and a session's transcription: health data (`Teleconsultation.sessions`, `transcription`, REST `GET /transcription/:roomId/:sessionId`).",
  },
  fhirMetadata: {
    target: false,
    default: 'true',
    description:
      "The FHIR facade's CapabilityStatement (`GET /fhir/R4/metadata`); its reads and searches are `teleconsultation`'s.",
  },
  myTeleconsultations: {
    target: false,
    default: 'isAuthenticated',
    description: "The caller's own agenda: the visits listing them as a participant (`myTeleconsultations`).",
  },
  createTeleconsultation: {
    target: false,
    default: 'inPlusGroups || isBackoffice',
    description: 'Schedule a teleconsultation (`createTeleconsultation`, `POST /teleconsultation`).',
  },
  addParticipants: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description: 'Add participants (`addParticipants`, `POST /teleconsultation/:id/participants/data`).',
  },
  updateTeleconsultation: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description:
      'Change dates, duration or participants (`updateTeleconsultation`, `PATCH /teleconsultation/:id`).',
  },
  deleteTeleconsultation: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description: 'Cancel (`deleteTeleconsultation`, `DELETE /teleconsultation/:id`).',
  },
  deleteTeleconsultationUploads: {
    target: true,
    default: 'isParticipant',
    description:
      'Delete files uploaded in the call (`deleteTeleconsultationUploads`, `DELETE /teleconsultation/:id/uploads`).',
  },
  createCredentials: {
    target: false,
    default: 'isAuthenticated',
    description: 'SDK credentials for the caller (`createCredentials`, `POST /credentials`).',
  },
  serviceConfig: {
    target: false,
    default: 'true',
    description: 'What the frontend renders a call with (`serviceConfig`).',
  },
  companySettings: {
    target: false,
    default: 'isAuthenticated',
    description: "Read the company's Kaleyra settings (`companySettings`).",
  },
  virtualBackgrounds: {
    target: false,
    default: 'isAuthenticated',
    description: 'List the uploaded virtual backgrounds (`virtualBackgrounds`).',
  },
  updateCompanySettings: {
    target: false,
    default: 'isBackoffice',
    description:
      "Change the company's default language, background and redirect (`updateCompanySettings`, `PATCH /settings/update`).",
  },
  uploadVirtualBackground: {
    target: false,
    default: 'isBackoffice',
    description: 'Upload a virtual background image (`POST /settings/background-image`).',
  },
  webhookDeliveries: {
    target: false,
    default: 'isBackoffice',
    description:
      'The webhook deliveries: pending, delivered, dead, with attempts and the last status (`webhookDeliveries`).',
  },
  deleteVirtualBackground: {
    target: false,
    default: 'isBackoffice',
    description: 'Delete an uploaded virtual background (`deleteVirtualBackground`).',
  },
  checkIn: {
    target: true,
    default: 'isParticipant',
    description:
      'Check in to the waiting room, for oneself (`checkIn`, REST `POST /teleconsultation/:id/check-in`).',
  },
  admitParticipant: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description: 'Let a waiting participant in (`admitParticipant`).',
  },
  denyParticipant: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description: 'Turn a waiting (or admitted) participant away (`denyParticipant`).',
  },
  admitAll: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description: 'Let everyone waiting in (`admitAll`).',
  },
  announceDelay: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description: 'Say the host is running late, 0 to 240 minutes (`announceDelay`).',
  },
  waitingRoom: {
    target: true,
    default: 'isPlusParticipant || isBackoffice',
    description:
      "Read who waits, since when, with their device check, and every participant's attendance (`Teleconsultation.waitingRoom`, `Participant.attendance` of others).",
  },
} as const satisfies Record<string, { target: boolean; default: string; description: string }>;

export type OperationKey = keyof typeof OPERATIONS;
export type TargetedOperation = {
  [K in OperationKey]: (typeof OPERATIONS)[K]['target'] extends true ? K : never;
}[OperationKey];
export type UntargetedOperation = Exclude<OperationKey, TargetedOperation>;

/** The policy of every operation: configured, else the default. */
export type AuthorizationPolicies = Record<OperationKey, PolicyExpression>;

export const OPERATION_KEYS = Object.keys(OPERATIONS) as OperationKey[];

export function isOperationKey(key: string): key is OperationKey {
  return Object.hasOwn(OPERATIONS, key);
}

/** The defaults, parsed (they are constants: a syntax error here is a bug, caught by the tests). */
export function defaultPolicies(): AuthorizationPolicies {
  return Object.fromEntries(
    OPERATION_KEYS.map((key) => [key, parsePolicy(OPERATIONS[key].default)]),
  ) as AuthorizationPolicies;
}
