import { describe, expect, it } from '@jest/globals';
import { TOOL_NAMES, type Tools } from '../../../../src/domain/privileges.js';
import { UnsafePathSegmentError } from '../../../../src/shared/path-segment.js';
import {
  fromWireCompany,
  fromWireCreatedRoom,
  fromWireCredentials,
  fromWireRoom,
  fromWireRoomList,
  fromWireTools,
  fromWireVirtualBackground,
  kaleyraRoutes,
  routePath,
  toWireCreateRoomRequest,
  toWireListRoomsQuery,
  toWireTools,
  toWireUpdateCompanyRequest,
  toWireVirtualBackgroundForm,
  wireCompanySchema,
  wireCreateRoomResponseSchema,
  wireRoomListSchema,
} from '../../../../src/video/kaleyra/wire.js';

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

  it.each([
    ['a dot segment, which a URL resolves', '..'],
    ['the other dot segment', '.'],
    ['an empty value, which would name the collection', ''],
    ['a percent-encoded dot segment', '%2e%2E'],
    ['a dot segment encoded twice', '%252e%252e'],
    ['text with a lone surrogate, which encodeURIComponent throws on', 'q\ud800'],
  ])('refuse %s in every route, never building the path', (_what, value) => {
    const refused: string[] = [];
    for (const [operation, route] of Object.entries(kaleyraRoutes)) {
      const names = [...route.template.matchAll(/:([a-z_]+)/g)].map(([, name]) => name as string);
      for (const name of names) {
        // Every other parameter safe, so the refusal is this one's.
        const params = Object.fromEntries(names.map((other) => [other, other === name ? value : 'ok']));
        expect(() => routePath(route, params)).toThrow(UnsafePathSegmentError);
        refused.push(`${operation}.${name}`);
      }
    }
    expect(refused).toEqual([
      'updateUserRole.user_id',
      'getRoom.room_id',
      'deleteRoom.room_id',
      'deleteRoomUploads.room_id',
      'listSessions.room_id',
      'getTranscription.room_id',
      'getTranscription.session_id',
      'deleteVirtualBackground.alias',
    ]);
  });

  it('take a room id that could not be a path segment as a broken contract', () => {
    const answer = { room_id: '..', participants: [] };
    expect(wireCreateRoomResponseSchema.safeParse(answer).success).toBe(false);
    expect(wireCreateRoomResponseSchema.safeParse({ ...answer, room_id: 'r-1' }).success).toBe(true);
  });
});

describe('query parameters', () => {
  const createdAfter = new Date('2030-01-01T00:00:00.000Z');

  it('appends the ones that are set, encoded, after the path', () => {
    expect(
      routePath(
        kaleyraRoutes.listRooms,
        {},
        toWireListRoomsQuery({ createdAfter, limit: 50, cursor: 'a&b=c d' }),
      ),
    ).toBe('v2/rooms?created_after=2030-01-01T00%3A00%3A00.000Z&limit=50&cursor=a%26b%3Dc+d');
  });

  it('leave out an absent limit and a null or absent cursor', () => {
    expect(toWireListRoomsQuery({ createdAfter, cursor: null })).toEqual({
      created_after: '2030-01-01T00:00:00.000Z',
    });
    expect(routePath(kaleyraRoutes.listRooms, {}, { created_after: 'x', limit: undefined })).toBe(
      'v2/rooms?created_after=x',
    );
  });

  it('refuse a name the route does not declare', () => {
    expect(() => routePath(kaleyraRoutes.listRooms, {}, { created_before: 'x' })).toThrow(/created_before/);
    expect(() => routePath(kaleyraRoutes.getRoom, { room_id: 'r1' }, { limit: '1' })).toThrow(/limit/);
  });
});

describe('users', () => {
  it('change a role with PATCH on the user, the id percent-encoded', () => {
    expect(kaleyraRoutes.updateUserRole.method).toBe('PATCH');
    expect(routePath(kaleyraRoutes.updateUserRole, { user_id: 'tg.a/b' })).toBe('v2/users/tg.a%2Fb');
  });
});

describe('room listing', () => {
  it('reads rooms and the next cursor', () => {
    expect(
      fromWireRoomList({
        rooms: [
          { room_id: 'r1', description: 'op:1', creation_date: '2030-01-01T00:00:00Z', status: 'active' },
          { room_id: 'r2', description: null, creation_date: '2030-01-01T00:00:01.500+01:00' },
          { room_id: 'r3', creation_date: '2030-01-01T00:00:02Z' },
        ],
        next_cursor: 'c2',
      }),
    ).toEqual({
      rooms: [
        {
          roomId: 'r1',
          description: 'op:1',
          creationDate: new Date('2030-01-01T00:00:00Z'),
          status: 'active',
        },
        { roomId: 'r2', description: null, creationDate: new Date('2029-12-31T23:00:01.500Z') },
        { roomId: 'r3', description: null, creationDate: new Date('2030-01-01T00:00:02Z') },
      ],
      nextCursor: 'c2',
    });
  });

  it('ends the walk on a null, absent or empty cursor (an empty one would restart it)', () => {
    for (const next_cursor of [null, undefined, '']) {
      expect(fromWireRoomList({ rooms: [], next_cursor }).nextCursor).toBeNull();
    }
  });

  it('refuses a room without a readable creation date: reconciliation filters by it', () => {
    expect(
      wireRoomListSchema.safeParse({
        rooms: [{ room_id: 'r1', creation_date: 'yesterday' }],
        next_cursor: null,
      }).success,
    ).toBe(false);
  });
});

describe('company settings', () => {
  it('reads every field, the default background included', () => {
    expect(
      fromWireCompany({
        name: 'Clinic',
        default_language: 'it',
        default_background: {
          alias: 'bg_1',
          url: 'https://h/bg_1.png',
          creation_date: '2030-01-01T00:00:00Z',
        },
        end_call_redirect_url: 'https://clinic.example/bye',
        user_details_provider_url: 'https://clinic.example/users',
        end_call_redirect_timeout_ms: 3000,
      }),
    ).toEqual({
      name: 'Clinic',
      defaultLanguage: 'it',
      defaultBackground: {
        alias: 'bg_1',
        url: 'https://h/bg_1.png',
        creationDate: new Date('2030-01-01T00:00:00Z'),
      },
      endCallRedirectUrl: 'https://clinic.example/bye',
      userDetailsProviderUrl: 'https://clinic.example/users',
      endCallRedirectTimeoutMs: 3000,
    });
  });

  it('reads absent or null fields as null', () => {
    const wire = wireCompanySchema.parse({ name: 'Clinic', default_background: null });
    expect(fromWireCompany(wire)).toEqual({
      name: 'Clinic',
      defaultLanguage: null,
      defaultBackground: null,
      endCallRedirectUrl: null,
      userDetailsProviderUrl: null,
      endCallRedirectTimeoutMs: null,
    });
  });

  it('sends only the changes that are set, and null to clear', () => {
    expect(toWireUpdateCompanyRequest({})).toEqual({});
    expect(
      toWireUpdateCompanyRequest({
        defaultLanguage: 'de',
        backgroundAlias: null,
        endCallRedirectUrl: 'https://clinic.example/bye',
        endCallRedirectTimeoutMs: null,
        userDetailsProviderUrl: null,
      }),
    ).toEqual({
      default_language: 'de',
      background_alias: null,
      end_call_redirect_url: 'https://clinic.example/bye',
      end_call_redirect_timeout_ms: null,
      user_details_provider_url: null,
    });
    expect(toWireUpdateCompanyRequest({ backgroundAlias: 'bg_1', defaultLanguage: undefined })).toEqual({
      background_alias: 'bg_1',
    });
  });

  it('is read and changed on one path, with GET and PATCH', () => {
    expect([kaleyraRoutes.getCompany.method, kaleyraRoutes.updateCompany.method]).toEqual(['GET', 'PATCH']);
    expect(kaleyraRoutes.getCompany.template).toBe(kaleyraRoutes.updateCompany.template);
  });
});

describe('virtual backgrounds', () => {
  it('reads an uploaded background', () => {
    expect(
      fromWireVirtualBackground({
        background_alias: 'bg_1',
        url: 'https://h/bg_1.png',
        creation_date: '2030-01-01T00:00:00Z',
      }),
    ).toEqual({ alias: 'bg_1', url: 'https://h/bg_1.png', creationDate: new Date('2030-01-01T00:00:00Z') });
  });

  it('puts the image in field `file` of a multipart form, with its name and type', async () => {
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const form = toWireVirtualBackgroundForm({ fileName: 'bg.png', contentType: 'image/png', data });
    expect([...form.keys()]).toEqual(['file']);
    const file = form.get('file');
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe('bg.png');
    expect((file as File).type).toBe('image/png');
    expect(Buffer.from(await (file as File).arrayBuffer())).toEqual(data);
  });

  it('deletes by alias, percent-encoded', () => {
    expect(routePath(kaleyraRoutes.deleteVirtualBackground, { alias: 'a b/c' })).toBe(
      'v2/company/virtual_backgrounds/a%20b%2Fc',
    );
  });
});
