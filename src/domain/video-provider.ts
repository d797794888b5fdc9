/**
 * Which video provider hosts a room, and what a provider may offer beyond rooms and links. The
 * names are `VIDEO_PROVIDER`'s values and what records store in `provider`; the port that
 * providers implement is src/video/port.ts.
 */

/** `VIDEO_PROVIDER`'s accepted values; the first is the default. A new provider adds its name here. */
export const VIDEO_PROVIDER_NAMES = ['kaleyra', 'livekit'] as const;
export type VideoProviderName = (typeof VIDEO_PROVIDER_NAMES)[number];

/** The provider of records stored without `provider`: every record of the original service. */
export const LEGACY_VIDEO_PROVIDER: VideoProviderName = 'kaleyra';

/**
 * What a provider may offer beyond the core (rooms with participants, roles and tools; join links
 * and windows; clean-up). An operation that needs one the record's provider lacks is refused before
 * any side effect (PROVIDER_CAPABILITY_UNAVAILABLE). `serviceConfig.provider.capabilities` lists them.
 */
export const VIDEO_CAPABILITIES = {
  COMPANY_SETTINGS: "The company's settings (default language and background, end-of-call redirect).",
  VIRTUAL_BACKGROUNDS: 'Uploaded virtual backgrounds, and links that show one.',
  RECORDING: "Rooms that record their calls (a recording other than 'none').",
  TRANSCRIPTION: "A room's sessions and their transcriptions.",
  UPLOADS_DELETION: "Deleting the files shared in a visit's room (deleteUploads).",
  SDK_CREDENTIALS: "Access tokens for the provider's mobile SDKs (createCredentials).",
} as const satisfies Record<string, string>;
export type VideoCapability = keyof typeof VIDEO_CAPABILITIES;

/** What the frontend is told of the provider new visits use (`serviceConfig.provider`). */
export interface VideoProviderInfo {
  name: string;
  /** In VIDEO_CAPABILITIES' order. */
  capabilities: VideoCapability[];
}
