/** Teleconsultations: the rules every visit follows, and where the frontend shows one. */
import type { TeleconsultationRules } from '../../domain/settings.js';
import {
  booleanValue,
  DAY,
  oneOf,
  urlTemplateWithId,
  type ValuesOf,
  type VariableTable,
  wholeNumber,
} from '../values.js';

export const VISITS_VARIABLES = {
  UNLIMITED_TELECONSULTATION: {
    default: 'true',
    description: 'true: rooms get no duration limit.',
    schema: booleanValue,
  },
  LIVE_TELECONSULTATION: {
    default: 'true',
    description: 'true: the call ends when a participant leaves and fewer than two remain.',
    schema: booleanValue,
  },
  IMMUTABLE_PERIOD_MS: {
    default: '0',
    description:
      'Milliseconds before the start date from which the teleconsultation can be joined and no longer changed.',
    schema: wholeNumber(0, 7 * DAY),
  },
  TELECONSULTATION_DELETE_UPLOADS: {
    default: 'false',
    description: 'true: files uploaded during a call are deleted each time the call ends.',
    schema: booleanValue,
  },
  MAX_DURATION_SECONDS: {
    default: '86400',
    description:
      'The longest teleconsultation accepted, in seconds (longer: BAD_USER_INPUT, DURATION_TOO_LONG).',
    schema: wholeNumber(300, 7 * 24 * 3600),
  },
  MAX_START_AHEAD_DAYS: {
    default: '366',
    description:
      'How many days ahead a teleconsultation may start (further: BAD_USER_INPUT, START_TOO_FAR_AHEAD).',
    schema: wholeNumber(1, 3660),
  },
  DEFAULT_RECORDING_TYPE: {
    default: 'none',
    description:
      'How calls are recorded unless a teleconsultation says otherwise (its recording): none, manual or automatic (Kaleyra records nothing in its sandbox).',
    schema: oneOf(['none', 'manual', 'automatic'] as const),
  },
  FRONTEND_TELECONSULTATION_URL: {
    description:
      "The frontend's page of a teleconsultation, a template where {id} stands for its id (https://clinic.example/telecons-fe/teleconsultation/{id}): the URL of its calendar event. Unset: events carry no URL (never the personal Kaleyra link).",
    schema: urlTemplateWithId,
  },
} as const satisfies VariableTable;

/** `config.visits` */
export interface VisitsConfig {
  rules: TeleconsultationRules;
  /** FRONTEND_TELECONSULTATION_URL: the frontend's page of a visit, `{id}` to fill in. */
  frontendUrlTemplate: string | undefined;
}

export function visitsSection(v: ValuesOf<typeof VISITS_VARIABLES>): VisitsConfig {
  return {
    rules: {
      unlimited: v.UNLIMITED_TELECONSULTATION,
      live: v.LIVE_TELECONSULTATION,
      immutablePeriodMs: v.IMMUTABLE_PERIOD_MS,
      deleteUploads: v.TELECONSULTATION_DELETE_UPLOADS,
      maxDurationSeconds: v.MAX_DURATION_SECONDS,
      maxStartAheadMs: v.MAX_START_AHEAD_DAYS * DAY,
      defaultRecording: v.DEFAULT_RECORDING_TYPE,
    },
    frontendUrlTemplate: v.FRONTEND_TELECONSULTATION_URL,
  };
}
