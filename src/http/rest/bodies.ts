import { BadUserInputError, type FieldPath } from '../../domain/errors.js';
import type { RecordingType } from '../../domain/teleconsultation-record.js';
import type { ParticipantRequest } from '../../services/participants/participant-profiles.js';
import type {
  CreateTeleconsultationCommand,
  UpdateTeleconsultationCommand,
} from '../../services/visits/teleconsultation.service.js';

/** A participant as the original took it (validated by schemas.ts). */
export interface RestParticipant {
  userId?: string;
  userExternalId?: string;
  fullName?: string;
  groups?: string[];
  group?: string;
  language?: string;
}

export type RestParticipants = string[] | { number?: number; data: RestParticipant[] };

export interface RestScheduleBody {
  participants?: RestParticipants;
  start_date?: string;
  end_date?: string;
  duration_in_seconds?: number;
  recording?: RecordingType;
}

/** Maps the original's body names to the service's command, and back for error field paths. */
export class RestBodies {
  /** `usesAuthService`: the array-of-ids form is only meaningful when the auth service knows the ids. */
  constructor(private readonly usesAuthService: boolean) {}

  participant(body: RestParticipant): ParticipantRequest {
    return {
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

  createCommand(body: RestScheduleBody): CreateTeleconsultationCommand {
    const listed = this.participants(body.participants as RestParticipants);
    return {
      ...schedule(body),
      startDate: new Date(body.start_date as string),
      participants: listed.participants,
      participantsNumber: listed.number,
    };
  }

  updateCommand(id: string, body: RestScheduleBody): UpdateTeleconsultationCommand {
    const listed = body.participants === undefined ? null : this.participants(body.participants);
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
  scheduleFieldOf(body: RestScheduleBody): (field: FieldPath) => FieldPath {
    const ids = Array.isArray(body.participants);
    return (field) => {
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
          return ids ? ['participants', rest[0] as number] : ['participants', 'data', ...rest];
        default:
          return field;
      }
    };
  }

  private participants(given: RestParticipants): {
    participants: ParticipantRequest[];
    number: number | null;
  } {
    if (Array.isArray(given)) {
      if (!this.usesAuthService) {
        throw new BadUserInputError(
          'participants as an array of user ids needs an auth service (AUTH_SERVICE); give { number, data } with fullName and groups instead.',
          { reason: 'IDS_WITHOUT_AUTH_SERVICE', field: ['participants'] },
        );
      }
      return { participants: given.map((userId) => ({ userId })), number: given.length };
    }
    return {
      participants: given.data.map((participant) => this.participant(participant)),
      number: given.number ?? null,
    };
  }
}

function schedule(
  body: RestScheduleBody,
): Pick<CreateTeleconsultationCommand, 'endDate' | 'durationInSeconds' | 'recording'> {
  return {
    ...(body.end_date !== undefined ? { endDate: new Date(body.end_date) } : {}),
    ...(body.duration_in_seconds !== undefined ? { durationInSeconds: body.duration_in_seconds } : {}),
    ...(body.recording !== undefined ? { recording: body.recording } : {}),
  };
}
