import type { Privileges, Tools } from '../../../../src/domain/privileges.js';
import type { RecordSchedule, RoomParticipant } from '../../../../src/domain/teleconsultation-record.js';
import { roomFor, sameRoom } from '../../../../src/services/visits/room-payload.js';

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

const participant = (kaleyraUserId: string, role: 'basic' | 'plus'): RoomParticipant => ({
  userId: kaleyraUserId.replace('tg.', ''),
  videoUserId: kaleyraUserId,
  role,
  accessLinkURL: null,
});
const doc = participant('tg.doc', 'plus');
const pat = participant('tg.pat', 'basic');
const start = new Date('2030-03-04T09:00:00.000Z');
/** A schedule of `seconds`; null: a legacy record stored without any end. */
const lasting = (seconds: number | null): RecordSchedule => ({
  startDate: start,
  endDate: seconds === null ? null : new Date(start.getTime() + seconds * 1000),
  durationInSeconds: seconds,
});

describe('roomFor', () => {
  it('lists every participant with their role tools, plus users as admins', () => {
    const room = roomFor([doc, pat], lasting(1800), privileges, { unlimited: true, live: true });
    expect(room.participants).toEqual([
      { videoUserId: 'tg.doc', isAdmin: true, tools: allOn },
      { videoUserId: 'tg.pat', isAdmin: false, tools: chatOnly },
    ]);
  });

  it('copies the tools so the payload never aliases the configuration', () => {
    const room = roomFor([doc, pat], lasting(1800), privileges, { unlimited: true, live: true });
    expect(room.participants[0]?.tools).not.toBe(privileges.plus.tools);
  });

  it('sends no duration when visits are unlimited, the duration otherwise', () => {
    expect(
      roomFor([doc, pat], lasting(1800), privileges, { unlimited: true, live: true }),
    ).not.toHaveProperty('durationInSeconds');
    expect(
      roomFor([doc, pat], lasting(1800), privileges, { unlimited: false, live: true }).durationInSeconds,
    ).toBe(1800);
  });

  it('carries the live flag as configured', () => {
    expect(roomFor([doc, pat], lasting(1800), privileges, { unlimited: true, live: true }).live).toBe(true);
    expect(roomFor([doc, pat], lasting(1800), privileges, { unlimited: true, live: false }).live).toBe(false);
  });

  it('sends no duration for an open-ended legacy visit, even when visits are limited', () => {
    expect(
      roomFor([doc, pat], lasting(null), privileges, { unlimited: false, live: true }),
    ).not.toHaveProperty('durationInSeconds');
  });
});

describe('sameRoom', () => {
  const rules = { unlimited: false, live: true };
  const base = roomFor([doc, pat], lasting(1800), privileges, rules);

  it('ignores the order of participants', () => {
    expect(sameRoom(base, roomFor([pat, doc], lasting(1800), privileges, rules))).toBe(true);
  });
  it('differs when a participant changes', () => {
    expect(
      sameRoom(base, roomFor([doc, participant('tg.other', 'basic')], lasting(1800), privileges, rules)),
    ).toBe(false);
  });
  it('differs when a role changes', () => {
    expect(
      sameRoom(base, roomFor([doc, participant('tg.pat', 'plus')], lasting(1800), privileges, rules)),
    ).toBe(false);
  });
  it('differs when the duration changes, only if the room carries one', () => {
    expect(sameRoom(base, roomFor([doc, pat], lasting(2400), privileges, rules))).toBe(false);
    const unlimited = { unlimited: true, live: true };
    expect(
      sameRoom(
        roomFor([doc, pat], lasting(1800), privileges, unlimited),
        roomFor([doc, pat], lasting(2400), privileges, unlimited),
      ),
    ).toBe(true);
  });
  it('differs when live changes', () => {
    expect(
      sameRoom(base, roomFor([doc, pat], lasting(1800), privileges, { unlimited: false, live: false })),
    ).toBe(false);
  });
});
