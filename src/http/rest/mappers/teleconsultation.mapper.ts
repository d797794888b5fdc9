import { BadUserInputError, type FieldPath } from '../../../domain/errors.js';
import type { ParticipantRequest } from '../../../services/participants/participant-profiles.js';
import type {
  CreateTeleconsultationCommand,
  LiveRoom,
  TeleconsultationView,
  UpdateTeleconsultationCommand,
} from '../../../services/visits/teleconsultation.service.js';
import type {
  FromRestSchema,
  RestCreateBody,
  RestParticipant,
  RestUpdateBody,
  readSchema,
} from '../schemas.js';

/** The original's body names mapped to the service's commands, and back for error field paths. */

export function participantRequest(body: RestParticipant): ParticipantRequest {
  return {
    // The schema requires one of the two.
    userId: (body.userId ?? body.userExternalId) as string,
    ...(body.fullName !== undefined ? { fullName: body.fullName } : {}),
    ...(body.groups !== undefined
      ? { groups: body.groups }
      : body.group !== undefined
        ? { groups: [body.group] }
        : {}),
    ...(body.language !== undefined ? { language: body.language } : {}),
  };
}

/** `usesAuthService`: the array-of-ids form is only meaningful when the auth service knows the ids. */
export function createCommand(body: RestCreateBody, usesAuthService: boolean): CreateTeleconsultationCommand {
  const listed = participantList(body.participants, usesAuthService);
  return {
    ...schedule(body),
    startDate: new Date(body.start_date),
    participants: listed.participants,
    participantsNumber: listed.number,
  };
}

export function updateCommand(
  id: string,
  body: RestUpdateBody,
  usesAuthService: boolean,
): UpdateTeleconsultationCommand {
  const listed = body.participants === undefined ? null : participantList(body.participants, usesAuthService);
  return {
    id,
    ...schedule(body),
    ...(body.start_date !== undefined ? { startDate: new Date(body.start_date) } : {}),
    ...(listed ? { participants: listed.participants, participantsNumber: listed.number } : {}),
  };
}

/**
 * A service field path in the terms of a schedule body: `participantsNumber` is
 * `participants.number`, `participants.2.groups` is `participants.data.2.groups` (or
 * `participants.2` for the array of ids), `startDate` is `start_date`.
 */
export function scheduleFieldOf(field: FieldPath, body: RestUpdateBody): FieldPath {
  const [first, ...rest] = field;
  switch (first) {
    case 'startDate':
      return ['start_date', ...rest];
    case 'endDate':
      return ['end_date', ...rest];
    case 'durationInSeconds':
      return ['duration_in_seconds', ...rest];
    case 'participantsNumber':
      return ['participants', 'number', ...rest];
    case 'participants':
      if (rest.length === 0) return field;
      return Array.isArray(body.participants)
        ? ['participants', rest[0] as number]
        : ['participants', 'data', ...rest];
    default:
      return field;
  }
}

/** The body of `POST …/participants/data` is the one participant: `participants.0.groups` is its `groups`. */
export function addedParticipantFieldOf(field: FieldPath): FieldPath {
  return field[0] === 'participants' && field.length > 2 ? field.slice(2) : field;
}

export type RestReadBody = FromRestSchema<typeof readSchema>;

/** The GET answer: the caller's Kaleyra id and link, every participant with their name, the live room. */
export function readBody(
  view: TeleconsultationView,
  names: ReadonlyArray<string | null>,
  room: LiveRoom | null,
): RestReadBody {
  // Shown once the waiting room means something to this caller: the original's body otherwise.
  const showsAttendance =
    view.attendance !== null && (view.admission === 'HOST_ADMITS' || view.attendance !== 'NOT_ARRIVED');
  return {
    bandyerUserId: view.caller?.videoUserId ?? null,
    accessLinkURL: view.accessLinkURL,
    ...(showsAttendance && view.attendance !== null ? { attendance: view.attendance } : {}),
    participantsBandyerCall: view.record.participants.map((p, index) => ({
      bandyerUserId: p.videoUserId,
      fullName: names[index] ?? null,
    })),
    details: room
      ? {
          recording: room.recording,
          recordingStatus: room.recordingStatus,
          callType: room.callType,
          description: room.description,
          status: room.status,
          disabled: room.disabled,
          creationDate: room.creationDate?.toISOString() ?? null,
          durationInSeconds: room.durationInSeconds,
          durationUsedInSeconds: room.durationUsedInSeconds,
          live: room.live,
        }
      : null,
  };
}

type RestParticipants = RestCreateBody['participants'];

function participantList(
  given: RestParticipants,
  usesAuthService: boolean,
): { participants: ParticipantRequest[]; number: number | null } {
  if (Array.isArray(given)) {
    if (!usesAuthService) {
      throw new BadUserInputError(
        'participants as an array of user ids needs an auth service (AUTH_SERVICE); give { number, data } with fullName and groups instead.',
        { reason: 'IDS_WITHOUT_AUTH_SERVICE', field: ['participants'] },
      );
    }
    return { participants: given.map((userId) => ({ userId })), number: given.length };
  }
  return {
    participants: given.data.map((participant) => participantRequest(participant)),
    number: given.number ?? null,
  };
}

function schedule(
  body: RestUpdateBody,
): Pick<CreateTeleconsultationCommand, 'endDate' | 'durationInSeconds' | 'recording'> {
  return {
    ...(body.end_date !== undefined ? { endDate: new Date(body.end_date) } : {}),
    ...(body.duration_in_seconds !== undefined ? { durationInSeconds: body.duration_in_seconds } : {}),
    ...(body.recording !== undefined ? { recording: body.recording } : {}),
  };
}
