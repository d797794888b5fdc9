import type { Privileges } from '../../domain/privileges.js';
import type { TeleconsultationView } from '../../services/teleconsultation.service.js';
import type { StoredParticipant } from '../../storage/ports.js';
import { PrivilegeLevel, TeleconsultationStatus } from '../types/enums.js';
import type { Participant, Teleconsultation } from '../types/teleconsultation.type.js';

export function toTeleconsultation(view: TeleconsultationView, privileges: Privileges): Teleconsultation {
  const { record } = view;
  return {
    id: record.id,
    status: TeleconsultationStatus[view.status],
    startDate: record.startDate,
    endDate: record.endDate,
    durationInSeconds: record.durationInSeconds,
    lockedFrom: view.lockedFrom,
    locked: view.locked,
    participantsNumber: record.participantsNumber,
    participants: record.participants.map((p) => toParticipant(p, privileges)),
    roomId: record.roomId,
    accessLinkURL: view.accessLinkURL,
    record,
  };
}

function toParticipant(participant: StoredParticipant, privileges: Privileges): Participant {
  return {
    userId: participant.userId,
    kaleyraUserId: participant.kaleyraUserId,
    fullName: participant.fullName ?? null,
    groups: participant.groups ?? [],
    language: participant.language ?? null,
    role: participant.role === 'plus' ? PrivilegeLevel.PLUS : PrivilegeLevel.BASIC,
    tools: { ...privileges[participant.role].tools },
  };
}
