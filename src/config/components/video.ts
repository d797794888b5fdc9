/** The video provider (VIDEO_PROVIDER) and Kaleyra Video's connection: where its API is, with which key, and how it is called. */
import { VIDEO_PROVIDER_NAMES, type VideoProviderName } from '../../domain/video-provider.js';
import {
  byteSize,
  HOUR,
  httpUrl,
  MINUTE,
  oneOf,
  text,
  type ValuesOf,
  type VariableTable,
  wholeNumber,
} from '../values.js';

/** The largest TRANSCRIPTION_MAX_FILE_SIZE accepted: 1 GB (GraphQL holds a transcription whole). */
export const MAX_TRANSCRIPTION_LIMIT_BYTES = 1024 ** 3;

export const VIDEO_VARIABLES = {
  VIDEO_PROVIDER: {
    default: VIDEO_PROVIDER_NAMES[0],
    description: `Which video provider hosts the rooms of new visits: ${VIDEO_PROVIDER_NAMES.map((name) => `\`${name}\``).join(', ')}. A stored visit is always served by the provider that created its room (records without \`provider\` are Kaleyra's); another value is refused at start.`,
    schema: oneOf(VIDEO_PROVIDER_NAMES),
  },
  BANDYER_API_SECRET_KEY: {
    required: true,
    requiredUnless: { variable: 'VIDEO_PROVIDER', value: 'livekit' },
    description:
      "API secret key used to call Kaleyra Video's REST API. Never logged. Optional with VIDEO_PROVIDER=livekit (then needed only for visits whose rooms are on Kaleyra).",
    schema: text,
  },
  BANDYER_BASE_URL: {
    required: true,
    requiredUnless: { variable: 'VIDEO_PROVIDER', value: 'livekit' },
    description:
      'Base URL of the Kaleyra Video REST API (http or https). Optional with VIDEO_PROVIDER=livekit (then needed only for visits whose rooms are on Kaleyra).',
    schema: httpUrl,
  },
  KALEYRA_TIMEOUT_MS: {
    default: '5000',
    description: 'Timeout of each Kaleyra API request, in milliseconds.',
    schema: wholeNumber(100, 2 * MINUTE),
  },
  KALEYRA_RETRY_LIMIT: {
    default: '2',
    description: 'Retries of safe Kaleyra calls (reads, deletes, idempotent user creation).',
    schema: wholeNumber(0, 10),
  },
  COMPANY_SETTINGS_TTL_MS: {
    default: '60000',
    description:
      "How long the company's settings read from Kaleyra (its default background) are reused, in milliseconds; refreshed after our own update, and kept while Kaleyra fails.",
    schema: wholeNumber(0, HOUR),
  },
  TRANSCRIPTION_MAX_FILE_SIZE: {
    default: '50MB',
    description:
      'The largest session transcription the gateway fetches from Kaleyra and passes on (larger: 413, TRANSCRIPTION_TOO_LARGE; read as a stream and cut off there, never held whole). A number of bytes or a size with a unit: `512KB`, `50MB`, `1GB` (B, KB, MB, GB: powers of 1024). Accepted: 1 byte to 1GB.',
    schema: byteSize(1, MAX_TRANSCRIPTION_LIMIT_BYTES),
  },
} as const satisfies VariableTable;

export interface KaleyraConfig {
  /** BANDYER_BASE_URL */
  baseUrl: string;
  /** BANDYER_API_SECRET_KEY: never logged, never put in an error. */
  apiKey: string;
  /** KALEYRA_TIMEOUT_MS: whole-request timeout (got sets none by default). */
  timeoutMs: number;
  /** KALEYRA_RETRY_LIMIT: retries of safe calls (GET, DELETE, idempotent user creation). */
  retryLimit: number;
}

/** `config.video`: the provider's connection, and how long its company settings are reused. */
export interface VideoConfig {
  /** VIDEO_PROVIDER: hosts every new room. */
  provider: VideoProviderName;
  /**
   * Kaleyra's connection: every provider whose credentials are configured serves its records.
   * Null only with VIDEO_PROVIDER=livekit and no BANDYER_* set.
   */
  kaleyra: KaleyraConfig | null;
  /** COMPANY_SETTINGS_TTL_MS */
  companySettingsTtlMs: number;
  /** TRANSCRIPTION_MAX_FILE_SIZE, in bytes. */
  transcriptionMaxBytes: number;
}

export function videoSection(v: ValuesOf<typeof VIDEO_VARIABLES>): VideoConfig {
  return {
    provider: v.VIDEO_PROVIDER,
    kaleyra:
      v.BANDYER_BASE_URL === undefined || v.BANDYER_API_SECRET_KEY === undefined
        ? null
        : {
            baseUrl: v.BANDYER_BASE_URL,
            apiKey: v.BANDYER_API_SECRET_KEY,
            timeoutMs: v.KALEYRA_TIMEOUT_MS,
            retryLimit: v.KALEYRA_RETRY_LIMIT,
          },
    companySettingsTtlMs: v.COMPANY_SETTINGS_TTL_MS,
    transcriptionMaxBytes: v.TRANSCRIPTION_MAX_FILE_SIZE,
  };
}
