import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { PrivilegeLevel, Tools } from '../domain/privileges.js';
import type { LINK_LANGUAGES } from '../domain/teleconsultation.js';
import type { VideoCapability, VideoProviderName } from '../domain/video-provider.js';

/**
 * The video provider port: what the services need from whatever hosts the rooms (Kaleyra Video,
 * LiveKit, …). The services import this file only, never a provider's folder
 * (`.dependency-cruiser.cjs`, rule `services-see-the-video-port`). Each provider is one folder
 * under src/video/ (`kaleyra/`, `livekit/`) with a `provider.ts` that returns a `VideoProvider`,
 * registered in the table of `create-video-provider.ts`.
 *
 * The port has a core every provider implements (participant identities, rooms, join links, the
 * orphan listing) and optional parts, one per capability (`VideoCapability`): a provider offers a
 * capability exactly when it implements that part (`capabilitiesOf`). The services refuse an
 * operation that needs a missing part before any side effect (PROVIDER_CAPABILITY_UNAVAILABLE).
 *
 * Logs: every call that reaches the provider takes, last, the logger of the request it is made for
 * (it carries the request's `reqId`, so the call's log lines are that request's); work no request
 * waits for (jobs, the orphan sweep) leaves it out and the provider's own logger writes them.
 *
 * Failures: a provider throws the `VideoProviderError` subclasses below (they carry no secret and
 * no request header); anything else reaches the services as an unexpected error.
 *
 * Contract tests: test/integration/video/provider-contract.test.ts runs against each provider's
 * sandbox; a new provider adds one entry there.
 */

export type { VideoCapability, VideoProviderName };

/** A participant of a room, as the provider builds the room. */
export interface RoomParticipantSpec {
  /** The participant's identity on the provider: what `identityFor` gave for their user id. */
  videoUserId: string;
  /** The PLUS privilege level: moderates the room (Kaleyra: admin; LiveKit: `roomAdmin`). */
  isAdmin: boolean;
  /** The tools of the participant's privilege level (chat, screen sharing, …). */
  tools: Tools;
}

export interface CreateRoomInput {
  participants: RoomParticipantSpec[];
  /** Seconds; undefined means unlimited. */
  durationInSeconds?: number;
  live: boolean;
  /** How the call is recorded; anything but 'none' needs the `RECORDING` capability. */
  recording?: 'none' | 'manual' | 'automatic';
  callType?: 'audio_video' | 'audio_upgradable' | 'audio_only';
  /**
   * Our marker: an opaque string the room must carry so that `listRooms` shows it again (Kaleyra:
   * the room's description; LiveKit: its metadata). The orphan sweep finds a room whose creation
   * timed out by it. At most 200 characters, `[A-Za-z0-9:._-]`.
   */
  marker?: string;
}

export interface CreatedRoom {
  roomId: string;
  /**
   * What is stored for each participant, by `videoUserId`, as their `accessLinkURL`: an https URL.
   * Kaleyra: the personal join link itself. A provider whose links carry a short-lived token
   * (LiveKit) stores a link without any secret (the room's page, say) and mints the real one in
   * `joinLink` when it is handed out: stored records never hold a token.
   */
  links: Map<string, string>;
}

/** The live room, as `details` shows it; every field but `roomId` may be unknown to a provider. */
export interface VideoRoom {
  roomId: string;
  status?: string;
  disabled?: boolean;
  creationDate?: Date;
  durationInSeconds?: number;
  durationUsedInSeconds?: number;
  live?: boolean;
  recording?: string;
  recordingStatus?: string;
  callType?: string;
  description?: string;
}

export interface ListRoomsInput {
  /** Rooms created at or after this instant (a provider may return older ones too). */
  createdAfter: Date;
  /** Page size, 1 to 100; the provider's default when absent. */
  limit?: number;
  /** `nextCursor` of the previous page; absent or null for the first. */
  cursor?: string | null;
}

/** A room as the listing shows it: enough to find the one carrying our marker. */
export interface ListedRoom {
  roomId: string;
  /** The marker the room was created with (`CreateRoomInput.marker`); null when it has none. */
  marker: string | null;
  creationDate: Date;
  status?: string;
}

export interface RoomListPage {
  rooms: ListedRoom[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export type LinkLanguage = (typeof LINK_LANGUAGES)[number];

/** A join link handed out to one participant, at the instant the services hand it out. */
export interface JoinLinkInput {
  roomId: string;
  /** What `createRoom` returned for this participant (the record's `accessLinkURL`). */
  storedLink: string;
  participant: {
    videoUserId: string;
    /** Their name as the others see it, when the record keeps one (a provider may show it). */
    displayName?: string;
    role: PrivilegeLevel | null;
    /** The tools of their privilege level (null role: the basic level's). */
    tools: Tools;
  };
  /**
   * The end of this participant's join window (null: the visit has no end). A provider whose
   * links carry a token makes it expire then.
   */
  joinUntil: Date | null;
  /** The instant the link is handed out (the services' clock). */
  now: Date;
  /** A language the link's page shows (`LINK_LANGUAGES`). */
  language?: string;
  /** The background the participant's camera shows; only asked with `VIRTUAL_BACKGROUNDS`. */
  virtualBackground?: 'blur' | 'image';
}

/** What the provider's user directory needs to know of a participant (Kaleyra keeps users). */
export interface VideoUser {
  videoUserId: string;
  role: PrivilegeLevel;
}

/** A provider's own users (see `VideoProvider.users`). */
export interface VideoUserDirectory {
  /** Makes the user known with this role. Idempotent: an existing user counts as success. */
  createUser(user: VideoUser, logger?: Logger): Promise<void>;
  /** Sets an existing user's role. Idempotent. Throws VideoNotFoundError for an unknown user. */
  updateUserRole(user: VideoUser, logger?: Logger): Promise<void>;
}

// ----- optional capabilities -----

export interface SdkCredentials {
  accessToken: string;
  expiresAt: Date;
  /** The caller's identity on the provider (public names: GraphQL `kaleyraUserId`, REST `bandyerUserId`). */
  videoUserId: string;
}

export interface VirtualBackground {
  /** The provider's name for the image: what the company's default background refers to. */
  alias: string;
  url: string;
  creationDate: Date;
}

/** The company's settings on the provider; null where it has nothing set. */
export interface CompanySettings {
  name: string;
  defaultLanguage: string | null;
  defaultBackground: VirtualBackground | null;
  endCallRedirectUrl: string | null;
  userDetailsProviderUrl: string | null;
  endCallRedirectTimeoutMs: number | null;
}

/** What to change; an absent field stays as it is, null clears it. */
export interface CompanySettingsChanges {
  defaultLanguage?: LinkLanguage;
  backgroundAlias?: string | null;
  endCallRedirectUrl?: string | null;
  endCallRedirectTimeoutMs?: number | null;
  userDetailsProviderUrl?: string | null;
}

/** An image to upload as a virtual background: JPEG or PNG, at most 10 MB. */
export interface VirtualBackgroundFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export type TranscriptionStatus = 'none' | 'processing' | 'completed' | 'failed';

/** One meeting in a room: each time people met in it. */
export interface RoomSession {
  sessionId: string;
  startedAt: Date;
  endedAt: Date | null;
  transcriptionStatus: TranscriptionStatus;
}

export interface OpenTranscriptionInput {
  roomId: string;
  /** Matches the provider's `sessionIdPattern`; another id throws before anything is sent. */
  sessionId: string;
  /** The largest body passed on, in bytes: TRANSCRIPTION_MAX_FILE_SIZE. */
  maxBytes: number;
}

/** A transcription on its way: its JSON bytes as the provider sends them, never held whole. */
export interface TranscriptionStream {
  /**
   * At most `maxBytes`: past it the stream fails with VideoTooLargeError; a body that breaks off
   * fails with VideoUnavailableError. Whoever opens it reads it to its end or destroys it.
   */
  body: Readable;
  declaredBytes: number | null;
}

/** `COMPANY_SETTINGS`: the account-wide settings of the provider. */
export interface CompanySettingsPart {
  getCompany(logger?: Logger): Promise<CompanySettings>;
  /** Idempotent (it sets values). */
  updateCompany(changes: CompanySettingsChanges, logger?: Logger): Promise<CompanySettings>;
}

/** `VIRTUAL_BACKGROUNDS`: uploaded images a participant's camera may show. */
export interface VirtualBackgroundsPart {
  /** Never retried once the request may have reached the provider (a repeat stores a second image). */
  uploadVirtualBackground(file: VirtualBackgroundFile, logger?: Logger): Promise<VirtualBackground>;
  listVirtualBackgrounds(logger?: Logger): Promise<VirtualBackground[]>;
  /** Throws VideoNotFoundError when the alias is unknown. */
  deleteVirtualBackground(alias: string, logger?: Logger): Promise<void>;
}

/** `RECORDING`: rooms may record their calls (`CreateRoomInput.recording` other than 'none'). */
export type RecordingPart = Record<never, never>;

/** `TRANSCRIPTION`: a room's sessions and each session's transcription. */
export interface TranscriptionPart {
  /** Throws VideoNotFoundError for an unknown room. */
  listSessions(roomId: string, logger?: Logger): Promise<RoomSession[]>;
  /** Throws VideoNotFoundError, VideoNotReadyError, VideoTooLargeError (declared too large). */
  openTranscription(input: OpenTranscriptionInput, logger?: Logger): Promise<TranscriptionStream>;
}

/** `UPLOADS_DELETION`: files shared in a room, deleted with the visit. */
export interface UploadsPart {
  /** Throws VideoNotFoundError when the room is unknown. */
  deleteRoomUploads(roomId: string, logger?: Logger): Promise<{ total: number; deleted: number }>;
}

/** `SDK_CREDENTIALS`: access tokens for the provider's mobile SDKs. */
export interface SdkCredentialsPart {
  /** The lifetimes the provider accepts, in seconds. */
  readonly expiresInSeconds: { readonly min: number; readonly max: number };
  createCredentials(
    input: { videoUserId: string; expiresInSeconds: number },
    logger?: Logger,
  ): Promise<SdkCredentials>;
}

/** Each capability and the part of the port that offers it. */
export interface VideoCapabilityParts {
  COMPANY_SETTINGS: CompanySettingsPart;
  VIRTUAL_BACKGROUNDS: VirtualBackgroundsPart;
  RECORDING: RecordingPart;
  TRANSCRIPTION: TranscriptionPart;
  UPLOADS_DELETION: UploadsPart;
  SDK_CREDENTIALS: SdkCredentialsPart;
}

export interface VideoProvider {
  /**
   * `VIDEO_PROVIDER`'s value for it (a `VideoProviderName`; test doubles may use others); stored
   * on every record whose room it hosts.
   */
  readonly name: string;

  // ----- participant identities -----
  /**
   * The provider's identity for one of our users: derived, stable and injective, so every replica
   * and every request agree on it without asking anyone (Kaleyra: `tg.<id>` or a hash).
   */
  identityFor(platformUserId: string): string;
  /**
   * Present when the provider keeps users of its own, each with a role (Kaleyra): the services then
   * create a user before their first room, record it in the user-id map, and raise a user's role
   * when they become PLUS. Absent (LiveKit: identities and roles travel in the room and the token):
   * a participant's identity is `identityFor`'s, and nothing is created.
   */
  readonly users?: VideoUserDirectory;

  // ----- rooms -----
  /**
   * Creates a room for these participants and answers what to store per participant. Never
   * retried once the request may have reached the provider: a room whose creation times out is
   * found again by its `marker` (listRooms) and deleted by the orphan sweep.
   */
  createRoom(input: CreateRoomInput, logger?: Logger): Promise<CreatedRoom>;
  /** Throws VideoNotFoundError when the room is unknown. */
  getRoom(roomId: string, logger?: Logger): Promise<VideoRoom>;
  /** Throws VideoNotFoundError when the room is unknown (the services count it as done). */
  deleteRoom(roomId: string, logger?: Logger): Promise<void>;
  /** One page of the rooms created at or after `createdAfter`, oldest first: the orphan sweep. */
  listRooms(input: ListRoomsInput, logger?: Logger): Promise<RoomListPage>;

  /**
   * The provider's links carry a token that gates only the first connection (LiveKit): whoever is
   * in stays until the room goes, so the services delete the room when the visit's last join
   * window closes (a durable job). Absent: rooms end by the provider's own rules (Kaleyra).
   */
  readonly roomsEndWithJoinWindow?: boolean;

  // ----- join links -----
  /**
   * The link handed out to one participant now, from what was stored at the room's creation.
   * Synchronous and local (it is on every read of the waiting room): a provider that signs tokens
   * signs them in-process (HMAC, `node:crypto`), never with a network call.
   */
  joinLink(input: JoinLinkInput): string;

  // ----- optional capabilities: present exactly when offered -----
  readonly companySettings?: CompanySettingsPart;
  readonly virtualBackgrounds?: VirtualBackgroundsPart;
  readonly recording?: RecordingPart;
  readonly transcription?: TranscriptionPart;
  readonly uploads?: UploadsPart;
  readonly sdkCredentials?: SdkCredentialsPart;
}

/** Which property of the port offers each capability. */
export const CAPABILITY_PARTS = {
  COMPANY_SETTINGS: 'companySettings',
  VIRTUAL_BACKGROUNDS: 'virtualBackgrounds',
  RECORDING: 'recording',
  TRANSCRIPTION: 'transcription',
  UPLOADS_DELETION: 'uploads',
  SDK_CREDENTIALS: 'sdkCredentials',
} as const satisfies { [C in VideoCapability]: keyof VideoProvider };

/** What a provider offers: the capabilities whose part it implements, in a stable order. */
export function capabilitiesOf(provider: VideoProvider): VideoCapability[] {
  return (Object.keys(CAPABILITY_PARTS) as VideoCapability[]).filter(
    (capability) => provider[CAPABILITY_PARTS[capability]] !== undefined,
  );
}

// ----- failures -----

/** Base of a provider's typed failures. Never carries a secret or a request header. */
export abstract class VideoProviderError extends Error {
  /** How messages to clients name the upstream ("Kaleyra"); a provider's subclasses set it. */
  readonly upstream: string = 'The video provider';

  constructor(
    message: string,
    /** The port operation, e.g. `createRoom`. */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Network error, timeout, 5xx, or throttling after the bounded retries. */
export class VideoUnavailableError extends VideoProviderError {}

/** The provider refused the request (a 4xx the operation gives no meaning), with its status and code. */
export class VideoRejectedError extends VideoProviderError {
  constructor(
    message: string,
    operation: string,
    readonly status: number,
    /** The provider's own error code. */
    readonly providerCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, operation, options);
  }
}

export class VideoNotFoundError extends VideoProviderError {}

/** The thing asked for exists but is not ready yet (a transcription still being made). */
export class VideoNotReadyError extends VideoProviderError {}

/** An answer larger than the caller allows: declared so (refused unread) or counted while read. */
export class VideoTooLargeError extends VideoProviderError {
  constructor(
    message: string,
    operation: string,
    readonly maxBytes: number,
    /** What the provider declared; null when the limit was passed while reading. */
    readonly declaredBytes: number | null,
  ) {
    super(message, operation);
  }
}

/**
 * The providers a process can serve records with. A record is always served by the provider that
 * created its room (`record.provider`): the configured one, or another whose credentials are
 * configured too. Built in the composition root (src/composition/adapters.ts).
 */
export interface VideoProviders {
  /** `VIDEO_PROVIDER`: hosts every new room, the company settings and SDK credentials. */
  readonly configured: VideoProvider;
  /** The provider named so, or null when this process has no credentials for it. */
  named(name: string): VideoProvider | null;
}
