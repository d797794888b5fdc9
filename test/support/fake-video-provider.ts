/**
 * A test double of the video port (src/video/port.ts): rooms in memory, every call logged, and only
 * the capabilities a test gives it. What a provider without Kaleyra's extras looks like to the
 * services, before any real one exists.
 */
import { VIDEO_CAPABILITIES, type VideoCapability } from '../../src/domain/video-provider.js';
import { type CreateRoomInput, VideoNotFoundError, type VideoProvider } from '../../src/video/port.js';

export interface FakeVideoProvider {
  provider: VideoProvider;
  /** Every call, in order: `createRoom room_1`, `deleteRoom room_1`, `getCompany`, … */
  calls: string[];
  rooms: Map<string, CreateRoomInput>;
}

export const ALL_CAPABILITIES = Object.keys(VIDEO_CAPABILITIES) as VideoCapability[];

export function fakeVideoProvider(
  options: { name?: string; capabilities?: readonly VideoCapability[] } = {},
): FakeVideoProvider {
  const name = options.name ?? 'fake';
  const offered = new Set(options.capabilities ?? []);
  const calls: string[] = [];
  const rooms = new Map<string, CreateRoomInput>();
  let next = 0;
  const call = (what: string) => calls.push(what);
  const provider: VideoProvider = {
    name,
    identityFor: (userId) => `${name}.${userId}`,
    async createRoom(input) {
      const roomId = `${name}_room_${++next}`;
      call(`createRoom ${roomId}`);
      rooms.set(roomId, input);
      return {
        roomId,
        links: new Map(input.participants.map((p) => [p.videoUserId, `https://${name}.test/${roomId}`])),
      };
    },
    async getRoom(roomId) {
      call(`getRoom ${roomId}`);
      if (!rooms.has(roomId)) throw new VideoNotFoundError('gone', 'getRoom');
      return { roomId };
    },
    async deleteRoom(roomId) {
      call(`deleteRoom ${roomId}`);
      if (!rooms.delete(roomId)) throw new VideoNotFoundError('gone', 'deleteRoom');
    },
    async listRooms() {
      call('listRooms');
      return { rooms: [], nextCursor: null };
    },
    joinLink: ({ storedLink, participant, joinUntil }) =>
      `${storedLink}?as=${participant.videoUserId}&until=${joinUntil?.toISOString() ?? 'none'}`,
    ...(offered.has('COMPANY_SETTINGS')
      ? {
          companySettings: {
            async getCompany() {
              call('getCompany');
              return {
                name: 'Fake',
                defaultLanguage: null,
                defaultBackground: null,
                endCallRedirectUrl: null,
                userDetailsProviderUrl: null,
                endCallRedirectTimeoutMs: null,
              };
            },
            async updateCompany() {
              call('updateCompany');
              return {
                name: 'Fake',
                defaultLanguage: null,
                defaultBackground: null,
                endCallRedirectUrl: null,
                userDetailsProviderUrl: null,
                endCallRedirectTimeoutMs: null,
              };
            },
          },
        }
      : {}),
    ...(offered.has('VIRTUAL_BACKGROUNDS')
      ? {
          virtualBackgrounds: {
            async uploadVirtualBackground() {
              call('uploadVirtualBackground');
              return { alias: 'bg', url: `https://${name}.test/bg.png`, creationDate: new Date(0) };
            },
            async listVirtualBackgrounds() {
              call('listVirtualBackgrounds');
              return [];
            },
            async deleteVirtualBackground() {
              call('deleteVirtualBackground');
            },
          },
        }
      : {}),
    ...(offered.has('RECORDING') ? { recording: {} } : {}),
    ...(offered.has('TRANSCRIPTION')
      ? {
          transcription: {
            async listSessions() {
              call('listSessions');
              return [];
            },
            async openTranscription() {
              call('openTranscription');
              throw new VideoNotFoundError('none', 'openTranscription');
            },
          },
        }
      : {}),
    ...(offered.has('UPLOADS_DELETION')
      ? {
          uploads: {
            async deleteRoomUploads() {
              call('deleteRoomUploads');
              return { total: 0, deleted: 0 };
            },
          },
        }
      : {}),
    ...(offered.has('SDK_CREDENTIALS')
      ? {
          sdkCredentials: {
            expiresInSeconds: { min: 360, max: 86400 },
            async createCredentials({ videoUserId }) {
              call('createCredentials');
              return { accessToken: 'token', expiresAt: new Date(0), videoUserId };
            },
          },
        }
      : {}),
  };
  return { provider, calls, rooms };
}
