import type { Logger } from 'pino';
import type { PrivilegeLevel, Tools } from '../../domain/privileges.js';
import type {
  CompanySettings,
  CompanySettingsChanges,
  CreatedRoom,
  LinkLanguage,
  ListRoomsInput,
  OpenTranscriptionInput,
  RoomSession,
  TranscriptionStatus,
  TranscriptionStream,
  VirtualBackground,
  VirtualBackgroundFile,
} from '../port.js';
import {
  VideoNotFoundError,
  VideoNotReadyError,
  VideoProviderError,
  VideoRejectedError,
  VideoTooLargeError,
  VideoUnavailableError,
} from '../port.js';

/** The port's own shapes, which Kaleyra's answers map to as they are. */
export type {
  CompanySettings,
  CompanySettingsChanges,
  CreatedRoom,
  LinkLanguage,
  ListRoomsInput,
  OpenTranscriptionInput,
  RoomSession,
  TranscriptionStatus,
  TranscriptionStream,
  VirtualBackground,
  VirtualBackgroundFile,
};

/**
 * Kaleyra Video's API as our client speaks it: the got-based client (client.ts) implements it over
 * the wire contract in wire.ts; tests run it against the local sandbox (dev/kaleyra-sandbox/).
 * The services never see it: provider.ts adapts it to the video port (../port.ts).
 */

export interface RoomParticipantSpec {
  kaleyraUserId: string;
  isAdmin: boolean;
  tools: Tools;
}

export interface CreateRoomInput {
  participants: RoomParticipantSpec[];
  /** Seconds; undefined means unlimited. */
  durationInSeconds?: number;
  live: boolean;
  recording?: 'none' | 'manual' | 'automatic';
  callType?: 'audio_video' | 'audio_upgradable' | 'audio_only';
  description?: string;
}

export interface KaleyraRoom {
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

export interface SdkCredentials {
  accessToken: string;
  expiresAt: Date;
  kaleyraUserId: string;
}

/** A room as the listing shows it: enough to find the one carrying our marker in its description. */
export interface ListedRoom {
  roomId: string;
  description: string | null;
  creationDate: Date;
  status?: string;
}

export interface RoomListPage {
  rooms: ListedRoom[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/**
 * Every operation takes, last, the logger of the request it is made for (it carries the request's
 * `reqId`, so the call's log lines are the request's); without it, the client's own logger.
 */
export interface KaleyraVideo {
  /** Idempotent: an existing user with this id (409) counts as success. */
  createUser(input: { kaleyraUserId: string; role: PrivilegeLevel }, logger?: Logger): Promise<void>;
  /** Never retried once the request may have reached Kaleyra. */
  createRoom(input: CreateRoomInput, logger?: Logger): Promise<CreatedRoom>;
  /** Throws KaleyraNotFoundError when the room is unknown. */
  getRoom(roomId: string, logger?: Logger): Promise<KaleyraRoom>;
  /** Throws KaleyraNotFoundError when the room is unknown. */
  deleteRoom(roomId: string, logger?: Logger): Promise<void>;
  deleteRoomUploads(roomId: string, logger?: Logger): Promise<{ total: number; deleted: number }>;
  createCredentials(
    input: { kaleyraUserId: string; expiresInSeconds: number },
    logger?: Logger,
  ): Promise<SdkCredentials>;
  /** Idempotent (it sets the role). Throws KaleyraNotFoundError when the user is unknown. */
  updateUserRole(input: { kaleyraUserId: string; role: PrivilegeLevel }, logger?: Logger): Promise<void>;
  /**
   * One page of the rooms created at or after `createdAfter`, oldest first. Room creation has no
   * idempotency key: after a timed-out creation, this is how the room is found (by its description).
   */
  listRooms(input: ListRoomsInput, logger?: Logger): Promise<RoomListPage>;
  getCompany(logger?: Logger): Promise<CompanySettings>;
  /** Idempotent (it sets values). Rejected (400) for an unknown alias or an unsupported language. */
  updateCompany(changes: CompanySettingsChanges, logger?: Logger): Promise<CompanySettings>;
  /** Never retried once the request may have reached Kaleyra: a repeat would store a second image. */
  uploadVirtualBackground(file: VirtualBackgroundFile, logger?: Logger): Promise<VirtualBackground>;
  listVirtualBackgrounds(logger?: Logger): Promise<VirtualBackground[]>;
  /** Throws KaleyraNotFoundError when the alias is unknown. */
  deleteVirtualBackground(alias: string, logger?: Logger): Promise<void>;
  /** The room's sessions, oldest first as Kaleyra lists them. Throws KaleyraNotFoundError for an unknown room. */
  listSessions(roomId: string, logger?: Logger): Promise<RoomSession[]>;
  /**
   * Opens one session's transcription as a stream, once Kaleyra has accepted to send it. Throws
   * KaleyraNotFoundError (no such room, session or transcription), KaleyraNotReadyError (still being
   * made) and KaleyraTooLargeError (declared larger than `maxBytes`: refused before it is read).
   */
  openTranscription(input: OpenTranscriptionInput, logger?: Logger): Promise<TranscriptionStream>;
}

/**
 * The client's typed failures: the port's failures (what the services catch), under Kaleyra's
 * names (what logs, job outcomes and tests show). Never carry the API key or request headers.
 */
export { VideoProviderError as KaleyraError };

/** Network error, timeout, 5xx, or 429 after the bounded retries. */
export class KaleyraUnavailableError extends VideoUnavailableError {
  override readonly upstream = 'Kaleyra';
}

/** Kaleyra refused the request (a 4xx the operation does not give a meaning), with its error code and message. */
export class KaleyraRejectedError extends VideoRejectedError {
  constructor(
    message: string,
    operation: string,
    status: number,
    /** Kaleyra's own error code (also `providerCode`). */
    readonly kaleyraCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, operation, status, kaleyraCode, options);
  }

  override readonly upstream = 'Kaleyra';
}

export class KaleyraNotFoundError extends VideoNotFoundError {
  override readonly upstream = 'Kaleyra';
}

/** The thing asked for exists but is not ready yet (a transcription still being made: 409). */
export class KaleyraNotReadyError extends VideoNotReadyError {
  override readonly upstream = 'Kaleyra';
}

/** An answer larger than the caller allows: declared so (refused unread) or counted while read. */
export class KaleyraTooLargeError extends VideoTooLargeError {
  override readonly upstream = 'Kaleyra';
}
