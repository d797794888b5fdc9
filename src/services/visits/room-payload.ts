import type { Privileges } from '../../domain/privileges.js';
import type { TeleconsultationRules } from '../../domain/settings.js';
import type { RecordingType, RecordSchedule, RoomParticipant } from '../../domain/teleconsultation-record.js';
import type { CreateRoomInput } from '../../video/port.js';

/**
 * The room a complete participant list needs: every participant with their role's
 * tools, plus users as admins, `live`, how the call is recorded, and (only when visits are not
 * unlimited and the visit has an end) the duration. The rule that a room needs a plus participant is the domain's
 * (`assertHasPlusParticipant`), checked before this is built.
 */
export function roomFor(
  participants: readonly RoomParticipant[],
  schedule: RecordSchedule,
  privileges: Privileges,
  rules: Pick<TeleconsultationRules, 'unlimited' | 'live'>,
  recording: RecordingType = 'none',
): CreateRoomInput {
  const limited = !rules.unlimited && schedule.durationInSeconds !== null;
  return {
    participants: participants.map((p) => ({
      videoUserId: p.videoUserId,
      isAdmin: p.role === 'plus',
      tools: { ...privileges[p.role].tools },
    })),
    ...(limited ? { durationInSeconds: schedule.durationInSeconds as number } : {}),
    live: rules.live,
    recording,
  };
}

/** Rooms cannot be edited: a different payload means the room must be replaced. */
export function sameRoom(a: CreateRoomInput, b: CreateRoomInput): boolean {
  const key = (room: CreateRoomInput) =>
    JSON.stringify({
      participants: [...room.participants].sort((x, y) => x.videoUserId.localeCompare(y.videoUserId)),
      duration: room.durationInSeconds ?? null,
      live: room.live,
      recording: room.recording ?? 'none',
    });
  return key(a) === key(b);
}
