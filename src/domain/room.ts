import type { TeleconsultationRules } from '../config/types.js';
import type { CreateRoomInput } from '../kaleyra/port.js';
import type { StoredParticipant } from '../storage/ports.js';
import { BadUserInputError } from './errors.js';
import type { Privileges } from './privileges.js';

/**
 * The Kaleyra room a complete participant list needs: every participant with their role's
 * tools, plus users as admins, `live` and (only when visits are not unlimited) the duration.
 */
export function roomFor(
  participants: readonly StoredParticipant[],
  durationInSeconds: number,
  privileges: Privileges,
  rules: Pick<TeleconsultationRules, 'unlimited' | 'live'>,
): CreateRoomInput {
  if (!participants.some((p) => p.role === 'plus')) {
    throw new BadUserInputError(
      'A teleconsultation needs at least one participant with the plus privilege level.',
      {
        reason: 'NO_PLUS_PARTICIPANT',
        field: ['participants'],
      },
    );
  }
  return {
    participants: participants.map((p) => ({
      kaleyraUserId: p.kaleyraUserId,
      isAdmin: p.role === 'plus',
      tools: { ...privileges[p.role].tools },
    })),
    ...(rules.unlimited ? {} : { durationInSeconds }),
    live: rules.live,
  };
}

/** Rooms cannot be edited: a different payload means the room must be replaced. */
export function sameRoom(a: CreateRoomInput, b: CreateRoomInput): boolean {
  const key = (room: CreateRoomInput) =>
    JSON.stringify({
      participants: [...room.participants].sort((x, y) => x.kaleyraUserId.localeCompare(y.kaleyraUserId)),
      duration: room.durationInSeconds ?? null,
      live: room.live,
    });
  return key(a) === key(b);
}

/** Shapes a participant's join link with Kaleyra's documented query parameters. */
export function shapeJoinLink(
  url: string,
  options: { language?: string; virtualBackground?: 'blur' | 'image' },
): string {
  const link = new URL(url);
  if (options.language) link.searchParams.set('language', options.language);
  if (options.virtualBackground) link.searchParams.set('virtual_background', options.virtualBackground);
  return link.toString();
}
