import type { AuthorizationPolicies } from './authorization/operations.js';
import type { EventType } from './events.js';
import type { JoinRules } from './join-window.js';
import type { Privileges } from './privileges.js';
import type { RecordingType } from './teleconsultation-record.js';
import type { WaitingRoomSettings } from './waiting-room.js';

/**
 * The settings the rules and use cases take, as the configuration layer (src/config) validated
 * them. Defined here so that nothing below the composition root needs to know where they came
 * from (environment variables, the service config file).
 */

/** One step of `userIdPathInRequest`: how to walk from the request to the caller's id. */
export type UserIdPathStep =
  | { from: 'object'; extract: string }
  | { from: 'json'; extract: string }
  | { from: 'array'; extract: number };

export interface ThemeColors {
  primaryColor: string;
  accentColor: string;
}

/** The JSON file at TELECONSULTATION_SERVICE_CONFIG_PATH (or the seed's default), validated. */
export interface ServiceConfig {
  privileges: Privileges;
  environment?: 'sandbox' | 'production';
  mode?: string;
  theme?: { light?: ThemeColors; dark?: ThemeColors };
  companyLogo?: { url?: string };
  groupsWithBackgroundList: string[];
  /** Resolved: when the file has none, the default walks `headers[USERID_HEADER_KEY]`. */
  userIdPathInRequest: UserIdPathStep[];
  /** Who may do what, per operation: the file's `authorization`, the secure defaults elsewhere. */
  authorization: AuthorizationPolicies;
  /** `joinWindows` and `joinClosesAfterEndMs`: when each participant may join. */
  join: JoinRules;
  /** `calendar`: what each teleconsultation's calendar event says. */
  calendar: CalendarSettings;
  /** `webhooks`, as the file says them: the secrets are read from the variables they name. */
  webhooks: WebhookSubscription[];
  /** `fhir`: how the read-only FHIR R4 view names visits and participants. */
  fhir: FhirSettings;
  /**
   * `admission`, `noShowAfterMs`, `checkInOpensBeforeMs`: the waiting room. The file parser always
   * sets it; absent (a config built in code): DEFAULT_WAITING_ROOM_SETTINGS.
   */
  waitingRoom?: WaitingRoomSettings;
}

/** The identifier system when the file names none. */
export const DEFAULT_FHIR_IDENTIFIER_SYSTEM = 'urn:teleconsultation-gateway:teleconsultation';

/** FHIR resource types a participant may be referenced as (Appointment.participant.actor). */
export const FHIR_PARTICIPANT_TYPES = [
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'RelatedPerson',
] as const;
export type FhirParticipantType = (typeof FHIR_PARTICIPANT_TYPES)[number];

/**
 * A reference prefix: an optional base URL and the resource type, ending in `/`
 * (`Practitioner/`, `https://ehr.example/fhir/Patient/`); the participant's user id follows it.
 */
export interface FhirReferencePrefix {
  prefix: string;
  type: FhirParticipantType;
}

export interface FhirSettings {
  /** `Appointment.identifier.system` (and the Encounter's): the record id is the value. */
  identifierSystem: string;
  /** The prefix of a PLUS participant without a group below (default `Practitioner/`). */
  plus: FhirReferencePrefix;
  /** The prefix of a BASIC participant without a group below (default `Patient/`). */
  basic: FhirReferencePrefix;
  /** Per group, in the file's order: the first group of a participant listed here gives its prefix. */
  byGroup: ReadonlyArray<{ group: string } & FhirReferencePrefix>;
  /** Whether `actor.display` carries the participant's name (default false: no name leaves). */
  participantNames: boolean;
}

/** What a configuration file without `fhir` gives. */
export const DEFAULT_FHIR_SETTINGS: FhirSettings = {
  identifierSystem: DEFAULT_FHIR_IDENTIFIER_SYSTEM,
  plus: { prefix: 'Practitioner/', type: 'Practitioner' },
  basic: { prefix: 'Patient/', type: 'Patient' },
  byGroup: [],
  participantNames: false,
};

export interface WebhookSubscription {
  url: string;
  /** The event types sent; '*' for all. */
  events: EventType[] | '*';
  /** The environment variable holding the signing secret. */
  secretEnv: string;
}

/** A webhook endpoint ready to be delivered to: its secret resolved at start-up. */
export interface WebhookEndpoint {
  /** Stable across restarts and replicas (from the URL): orders deliveries and names them. */
  id: string;
  url: string;
  events: EventType[] | '*';
  /** Never logged, never in an error or an event. */
  secret: string;
}

export interface CalendarSettings {
  summary: string;
  organizer?: { name?: string; email: string };
}

export interface TeleconsultationRules {
  /** UNLIMITED_TELECONSULTATION: rooms get no duration limit. */
  unlimited: boolean;
  /** LIVE_TELECONSULTATION: the call ends when fewer than two participants remain. */
  live: boolean;
  /** IMMUTABLE_PERIOD_MS: how long before the start the room stops accepting changes. */
  immutablePeriodMs: number;
  /** TELECONSULTATION_DELETE_UPLOADS */
  deleteUploads: boolean;
  /** MAX_DURATION_SECONDS: the longest visit accepted. */
  maxDurationSeconds: number;
  /** MAX_START_AHEAD_DAYS, in milliseconds: how far ahead a visit may start. */
  maxStartAheadMs: number;
  /** DEFAULT_RECORDING_TYPE: how calls are recorded unless a visit says otherwise. */
  defaultRecording: RecordingType;
}
