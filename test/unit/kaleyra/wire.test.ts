import { describe, expect, it } from '@jest/globals';
import { TOOL_NAMES, type Tools } from '../../../src/domain/privileges.js';
import {
  fromWireCreatedRoom,
  fromWireCredentials,
  fromWireRoom,
  fromWireTools,
  kaleyraRoutes,
  routePath,
  toWireCreateRoomRequest,
  toWireTools,
} from '../../../src/kaleyra/wire.js';

const tools: Tools = {
  chat: true,
  screenSharing: false,
  fileUpload: true,
  whiteboard: false,
  snapshot: true,
  liveEdit: false,
  livePointer: true,
  presentToEveryone: false,
};

describe('tools on the wire', () => {
  it('sends all eight tools in snake_case', () => {
    expect(toWireTools(tools)).toEqual({
      chat: true,
      screen_sharing: false,
      file_upload: true,
      whiteboard: false,
      snapshot: true,
      live_edit: false,
      live_pointer: true,
      present_to_everyone: false,
    });
  });

  it("reads Kaleyra's defaults back: absent means all on, a missing key means off", () => {
    expect(Object.values(fromWireTools(undefined))).toEqual(TOOL_NAMES.map(() => true));
    expect(Object.values(fromWireTools({}))).toEqual(TOOL_NAMES.map(() => false));
    expect(fromWireTools(toWireTools(tools))).toEqual(tools);
  });
});

describe('room payload', () => {
  it('maps participants and omits absent optional fields', () => {
    expect(
      toWireCreateRoomRequest({
        participants: [{ kaleyraUserId: 'tg.a', isAdmin: true, tools }],
        live: false,
      }),
    ).toEqual({
      participants: [{ user_id: 'tg.a', is_admin: true, tools: toWireTools(tools) }],
      live: false,
    });
  });

  it('maps duration, recording, call type and description', () => {
    expect(
      toWireCreateRoomRequest({
        participants: [],
        live: true,
        durationInSeconds: 900,
        recording: 'automatic',
        callType: 'audio_only',
        description: 'x',
      }),
    ).toEqual({
      participants: [],
      live: true,
      duration: 900,
      recording: 'automatic',
      call_type: 'audio_only',
      description: 'x',
    });
  });

  it('indexes join links by Kaleyra user id', () => {
    const created = fromWireCreatedRoom({
      room_id: 'r1',
      participants: [
        { user_id: 'a', url: 'https://h/x/direct-rest-call-handler/1' },
        { user_id: 'b', url: 'https://h/x/direct-rest-call-handler/2' },
      ],
    });
    expect(created.roomId).toBe('r1');
    expect(created.links.get('b')).toBe('https://h/x/direct-rest-call-handler/2');
  });

  it('reads room details, treating null duration as unlimited and ignoring a bad date', () => {
    expect(
      fromWireRoom({ room_id: 'r1', duration: null, creation_date: 'not a date', description: null }),
    ).toEqual({
      roomId: 'r1',
    });
    expect(
      fromWireRoom({ room_id: 'r1', duration: 60, duration_used: 5, creation_date: '2030-01-01T00:00:00Z' }),
    ).toEqual({
      roomId: 'r1',
      durationInSeconds: 60,
      durationUsedInSeconds: 5,
      creationDate: new Date('2030-01-01T00:00:00Z'),
    });
  });

  it('reads credentials', () => {
    expect(
      fromWireCredentials({ access_token: 't', expires_at: '2030-01-01T00:10:00.000Z', user_id: 'u' }),
    ).toEqual({ accessToken: 't', expiresAt: new Date('2030-01-01T00:10:00.000Z'), kaleyraUserId: 'u' });
  });
});

describe('paths', () => {
  it('are relative, for got’s prefixUrl', () => {
    for (const route of Object.values(kaleyraRoutes)) expect(route.template.startsWith('/')).toBe(false);
  });

  it('percent-encode ids so they cannot change the path', () => {
    expect(routePath(kaleyraRoutes.deleteRoomUploads, { room_id: '../users?x=1' })).toBe(
      'v2/rooms/..%2Fusers%3Fx%3D1/uploads',
    );
  });

  it('refuse a missing parameter', () => {
    expect(() => routePath(kaleyraRoutes.getRoom)).toThrow(/room_id/);
  });
});
