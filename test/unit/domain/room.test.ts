import { BadUserInputError } from '../../../src/domain/errors.js';
import type { Privileges, Tools } from '../../../src/domain/privileges.js';
import { roomFor, sameRoom, shapeJoinLink } from '../../../src/domain/room.js';
import type { StoredParticipant } from '../../../src/storage/ports.js';

const allOn: Tools = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};
const chatOnly: Tools = {
  ...allOn,
  screenSharing: false,
  fileUpload: false,
  whiteboard: false,
  snapshot: false,
  liveEdit: false,
  livePointer: false,
  presentToEveryone: false,
};
const privileges: Privileges = {
  basic: { groups: ['customer'], tools: chatOnly },
  plus: { groups: ['doctor'], tools: allOn },
};

const participant = (kaleyraUserId: string, role: 'basic' | 'plus'): StoredParticipant => ({
  userId: kaleyraUserId.replace('tg.', ''),
  kaleyraUserId,
  role,
  accessLinkURL: null,
});
const doc = participant('tg.doc', 'plus');
const pat = participant('tg.pat', 'basic');

describe('roomFor', () => {
  it('lists every participant with their role tools, plus users as admins', () => {
    const room = roomFor([doc, pat], 1800, privileges, { unlimited: true, live: true });
    expect(room.participants).toEqual([
      { kaleyraUserId: 'tg.doc', isAdmin: true, tools: allOn },
      { kaleyraUserId: 'tg.pat', isAdmin: false, tools: chatOnly },
    ]);
  });

  it('copies the tools so the payload never aliases the configuration', () => {
    const room = roomFor([doc, pat], 1800, privileges, { unlimited: true, live: true });
    expect(room.participants[0]?.tools).not.toBe(privileges.plus.tools);
  });

  it('sends no duration when visits are unlimited, the duration otherwise', () => {
    expect(roomFor([doc, pat], 1800, privileges, { unlimited: true, live: true })).not.toHaveProperty(
      'durationInSeconds',
    );
    expect(roomFor([doc, pat], 1800, privileges, { unlimited: false, live: true }).durationInSeconds).toBe(
      1800,
    );
  });

  it('carries the live flag as configured', () => {
    expect(roomFor([doc, pat], 1800, privileges, { unlimited: true, live: true }).live).toBe(true);
    expect(roomFor([doc, pat], 1800, privileges, { unlimited: true, live: false }).live).toBe(false);
  });

  it('refuses a room without a plus participant', () => {
    let error: unknown;
    try {
      roomFor([pat, participant('tg.pat2', 'basic')], 1800, privileges, { unlimited: true, live: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).reason).toBe('NO_PLUS_PARTICIPANT');
  });
});

describe('sameRoom', () => {
  const rules = { unlimited: false, live: true };
  const base = roomFor([doc, pat], 1800, privileges, rules);

  it('ignores the order of participants', () => {
    expect(sameRoom(base, roomFor([pat, doc], 1800, privileges, rules))).toBe(true);
  });
  it('differs when a participant changes', () => {
    expect(sameRoom(base, roomFor([doc, participant('tg.other', 'basic')], 1800, privileges, rules))).toBe(
      false,
    );
  });
  it('differs when a role changes', () => {
    expect(sameRoom(base, roomFor([doc, participant('tg.pat', 'plus')], 1800, privileges, rules))).toBe(
      false,
    );
  });
  it('differs when the duration changes, only if the room carries one', () => {
    expect(sameRoom(base, roomFor([doc, pat], 2400, privileges, rules))).toBe(false);
    const unlimited = { unlimited: true, live: true };
    expect(
      sameRoom(
        roomFor([doc, pat], 1800, privileges, unlimited),
        roomFor([doc, pat], 2400, privileges, unlimited),
      ),
    ).toBe(true);
  });
  it('differs when live changes', () => {
    expect(sameRoom(base, roomFor([doc, pat], 1800, privileges, { unlimited: false, live: false }))).toBe(
      false,
    );
  });
});

describe('shapeJoinLink', () => {
  const link = 'https://sandbox.video.kaleyra.local/connect/direct-rest-call-handler/abc';
  it('adds language and virtual_background as query parameters', () => {
    const shaped = new URL(shapeJoinLink(link, { language: 'it', virtualBackground: 'blur' }));
    expect(shaped.searchParams.get('language')).toBe('it');
    expect(shaped.searchParams.get('virtual_background')).toBe('blur');
    expect(`${shaped.origin}${shaped.pathname}`).toBe(link);
  });
  it('leaves the link untouched without options', () => {
    expect(shapeJoinLink(link, {})).toBe(link);
  });
  it('replaces rather than duplicates an existing parameter', () => {
    const shaped = new URL(shapeJoinLink(`${link}?language=en`, { language: 'fr' }));
    expect(shaped.searchParams.getAll('language')).toEqual(['fr']);
  });
  it("keeps the link's own query parameters and adds to them", () => {
    const shaped = new URL(shapeJoinLink(`${link}?token=t1`, { language: 'de' }));
    expect(shaped.searchParams.get('token')).toBe('t1');
    expect(shaped.searchParams.get('language')).toBe('de');
  });
  it('puts the parameters before a fragment, not inside it', () => {
    const shaped = new URL(shapeJoinLink(`${link}#start`, { virtualBackground: 'image' }));
    expect(shaped.searchParams.get('virtual_background')).toBe('image');
    expect(shaped.hash).toBe('#start');
  });
});
