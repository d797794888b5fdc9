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
      createUser: ({ videoUserId, role }) => client.createUser({ kaleyraUserId: videoUserId, role }),
      updateUserRole: ({ videoUserId, role }) => client.updateUserRole({ kaleyraUserId: videoUserId, role }),
    },
    createRoom: (input) => client.createRoom(toKaleyraRoom(input)),
    getRoom: (roomId) => client.getRoom(roomId),
    deleteRoom: (roomId) => client.deleteRoom(roomId),
    listRooms: async (input) => {
      const page = await client.listRooms(input);
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
      getCompany: () => client.getCompany(),
      updateCompany: (changes) => client.updateCompany(changes),
    },
    virtualBackgrounds: {
      uploadVirtualBackground: (file) => client.uploadVirtualBackground(file),
      listVirtualBackgrounds: () => client.listVirtualBackgrounds(),
      deleteVirtualBackground: (alias) => client.deleteVirtualBackground(alias),
    },
    recording: {},
    transcription: {
      listSessions: (roomId) => client.listSessions(roomId),
      openTranscription: (input) => client.openTranscription(input),
    },
    uploads: { deleteRoomUploads: (roomId) => client.deleteRoomUploads(roomId) },
    sdkCredentials: {
      expiresInSeconds: { min: MIN_CREDENTIALS_EXPIRES_IN_SECONDS, max: MAX_CREDENTIALS_EXPIRES_IN_SECONDS },
      createCredentials: async ({ videoUserId, expiresInSeconds }) => {
        const { kaleyraUserId, ...credentials } = await client.createCredentials({
          kaleyraUserId: videoUserId,
          expiresInSeconds,
        });
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
