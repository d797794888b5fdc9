import type { CreateRoomInput, VideoProvider } from '../port.js';
import type { KaleyraVideo } from './api.js';
import { shapeJoinLink } from './join-link.js';
import { kaleyraUserIdFor } from './user-id.js';
import { MAX_CREDENTIALS_EXPIRES_IN_SECONDS, MIN_CREDENTIALS_EXPIRES_IN_SECONDS } from './wire.js';

/** `VIDEO_PROVIDER=kaleyra`'s name, stored on the records whose rooms Kaleyra hosts. */
export const KALEYRA = 'kaleyra';

/**
 * Kaleyra Video behind the video port: every capability, each one call of the client (or a
 * test's double of it). Kaleyra keeps users with a role, stores the participants' personal links
 * at the room's creation, and shapes a link with its `language` and `virtual_background`
 * parameters when it is handed out.
 */
export function kaleyraProvider(client: KaleyraVideo): VideoProvider {
  return {
    name: KALEYRA,
    identityFor: kaleyraUserIdFor,
    users: {
      createUser: ({ videoUserId, role }, logger) =>
        client.createUser({ kaleyraUserId: videoUserId, role }, logger),
      updateUserRole: ({ videoUserId, role }, logger) =>
        client.updateUserRole({ kaleyraUserId: videoUserId, role }, logger),
    },
    createRoom: (input, logger) => client.createRoom(toKaleyraRoom(input), logger),
    getRoom: (roomId, logger) => client.getRoom(roomId, logger),
    deleteRoom: (roomId, logger) => client.deleteRoom(roomId, logger),
    listRooms: async (input, logger) => {
      const page = await client.listRooms(input, logger);
      return {
        rooms: page.rooms.map(({ description, ...room }) => ({ ...room, marker: description })),
        nextCursor: page.nextCursor,
      };
    },
    joinLink: ({ storedLink, language, virtualBackground }) =>
      shapeJoinLink(storedLink, {
        ...(language ? { language } : {}),
        ...(virtualBackground ? { virtualBackground } : {}),
      }),
    companySettings: {
      getCompany: (logger) => client.getCompany(logger),
      updateCompany: (changes, logger) => client.updateCompany(changes, logger),
    },
    virtualBackgrounds: {
      uploadVirtualBackground: (file, logger) => client.uploadVirtualBackground(file, logger),
      listVirtualBackgrounds: (logger) => client.listVirtualBackgrounds(logger),
      deleteVirtualBackground: (alias, logger) => client.deleteVirtualBackground(alias, logger),
    },
    recording: {},
    transcription: {
      listSessions: (roomId, logger) => client.listSessions(roomId, logger),
      openTranscription: (input, logger) => client.openTranscription(input, logger),
    },
    uploads: { deleteRoomUploads: (roomId, logger) => client.deleteRoomUploads(roomId, logger) },
    sdkCredentials: {
      expiresInSeconds: { min: MIN_CREDENTIALS_EXPIRES_IN_SECONDS, max: MAX_CREDENTIALS_EXPIRES_IN_SECONDS },
      createCredentials: async ({ videoUserId, expiresInSeconds }, logger) => {
        const { kaleyraUserId, ...credentials } = await client.createCredentials(
          { kaleyraUserId: videoUserId, expiresInSeconds },
          logger,
        );
        return { ...credentials, videoUserId: kaleyraUserId };
      },
    },
  };
}

function toKaleyraRoom({ participants, marker, ...room }: CreateRoomInput) {
  return {
    ...room,
    participants: participants.map(({ videoUserId, ...p }) => ({ ...p, kaleyraUserId: videoUserId })),
    ...(marker !== undefined ? { description: marker } : {}),
  };
}
