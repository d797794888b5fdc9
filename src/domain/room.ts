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

/**
 * Shapes a participant's join link with Kaleyra's documented query parameters. The values come
 * from fixed lists (LINK_LANGUAGES, blur/image), so appending them needs no encoding; a link that
 * already carries one of these parameters goes through URL to have it replaced. (This runs on
 * every poll of the waiting room: parsing every link with URL was 2% of the read path.)
 */
export function shapeJoinLink(
  url: string,
  options: { language?: string; virtualBackground?: 'blur' | 'image' },
): string {
  const params: Array<[string, string]> = [];
  if (options.language) params.push(['language', options.language]);
  if (options.virtualBackground) params.push(['virtual_background', options.virtualBackground]);
  if (params.length === 0) return url;
  if (/[?&](language|virtual_background)=/.test(url) || url.includes('#')) {
    const link = new URL(url);
    for (const [name, value] of params) link.searchParams.set(name, value);
    return link.toString();
  }
  const query = params.map(([name, value]) => `${name}=${value}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
