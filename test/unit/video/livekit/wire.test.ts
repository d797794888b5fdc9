/** LiveKit's wire contract as both the client and the sandbox read it. */
import { describe, expect, it } from '@jest/globals';
import {
  camelCaseKeys,
  grantFor,
  ROOM_SERVICE_METHODS,
  roomServicePath,
  wireListRoomsResponseSchema,
  wireRoomSchema,
} from '../../../../src/video/livekit/wire.js';

describe('the RoomService wire contract', () => {
  it("names each method's Twirp path", () => {
    expect(ROOM_SERVICE_METHODS.map(roomServicePath)).toEqual([
      'twirp/livekit.RoomService/CreateRoom',
      'twirp/livekit.RoomService/DeleteRoom',
      'twirp/livekit.RoomService/ListRooms',
      'twirp/livekit.RoomService/UpdateRoomMetadata',
      'twirp/livekit.RoomService/RemoveParticipant',
    ]);
  });

  it("gives each method LiveKit's grant: roomCreate, roomList, roomAdmin of that room", () => {
    expect(ROOM_SERVICE_METHODS.map((method) => [method, grantFor(method, 'r1')])).toEqual([
      ['CreateRoom', { roomCreate: true }],
      ['DeleteRoom', { roomCreate: true }],
      ['ListRooms', { roomList: true }],
      ['UpdateRoomMetadata', { roomAdmin: true, room: 'r1' }],
      ['RemoveParticipant', { roomAdmin: true, room: 'r1' }],
    ]);
  });

  it('reads snake_case keys as camelCase, keeping the camelCase one when both are given', () => {
    expect(camelCaseKeys({ empty_timeout: 1, max_participants: 2, name: 'a' })).toEqual({
      emptyTimeout: 1,
      maxParticipants: 2,
      name: 'a',
    });
    expect(camelCaseKeys({ empty_timeout: 1, emptyTimeout: 2 })).toEqual({ emptyTimeout: 2 });
    expect(camelCaseKeys(['a'])).toEqual(['a']);
    expect(camelCaseKeys(null)).toBeNull();
  });

  it('reads a Room with int64 as a string or a number, and the defaults protobuf leaves out', () => {
    expect(wireRoomSchema.parse({ name: 'a', creation_time: '1700000000' })).toEqual({
      sid: '',
      name: 'a',
      emptyTimeout: 0,
      departureTimeout: 0,
      maxParticipants: 0,
      creationTime: 1700000000,
      metadata: '',
      numParticipants: 0,
    });
    expect(wireRoomSchema.parse({ name: 'a', creationTime: 1700000001 }).creationTime).toBe(1700000001);
    expect(wireRoomSchema.safeParse({ name: 'a', creationTime: '17e8' }).success).toBe(false);
    expect(wireRoomSchema.safeParse({ sid: 'RM_1' }).success).toBe(false);
  });

  it('reads a listing, empty when LiveKit leaves rooms out, and refuses one holding something else', () => {
    expect(wireListRoomsResponseSchema.parse({})).toEqual([]);
    expect(wireListRoomsResponseSchema.parse({ rooms: [{ name: 'a' }] })).toHaveLength(1);
    expect(wireListRoomsResponseSchema.safeParse({ rooms: [{ sid: 'x' }] }).success).toBe(false);
  });
});
