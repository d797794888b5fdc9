import type { Privileges } from '../../domain/privileges.js';
import { privilegeLevelOf } from '../../domain/teleconsultation.js';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';
import type { StoredTeleconsultation } from '../../services/visits/caller-views.js';
import type { TeleconsultationView } from '../../services/visits/teleconsultation.service.js';
import {
  AdmissionMode,
  JoinState,
  PrivilegeLevel,
  RecordingMode,
  TeleconsultationStatus,
} from '../types/enums.js';
import { Participant, Teleconsultation } from '../types/teleconsultation.type.js';

/**
 * Instances of the GraphQL classes, not look-alike literals: type-graphql hands a field resolver
 * (`accessLinkURL`, `fullName`) its root as is when it already is an instance of the class, and
 * otherwise copies it into a new one twice per call.
 */
export function toTeleconsultation(view: TeleconsultationView, privileges: Privileges): Teleconsultation {
  const { record } = view;
  return Object.assign(new Teleconsultation(), {
    id: record.id,
    status: TeleconsultationStatus[view.status],
    startDate: record.startDate,
    endDate: view.schedule.endDate,
    durationInSeconds: view.schedule.durationInSeconds,
    lockedFrom: view.lockedFrom,
    locked: view.locked,
    participantsNumber: record.participantsNumber,
    participants: record.participants.map((p) => toParticipant(p, privileges, record)),
    roomId: record.roomId,
    accessLinkURL: view.accessLinkURL,
    canJoinFrom: view.canJoinFrom,
    canJoinUntil: view.canJoinUntil,
    joinState: JoinState[view.joinState],
    recording: RecordingMode[view.recording.toUpperCase() as keyof typeof RecordingMode],
    admission: AdmissionMode[view.admission],
    hostDelayMinutes: view.hostDelayMinutes,
    expectedStartDate: view.expectedStartDate,
    checkInOpensAt: view.checkIn?.opensAt ?? null,
    record,
    view,
  });
}

export function toParticipant(
  participant: StoredParticipant,
  privileges: Privileges,
  visit: StoredTeleconsultation,
): Participant {
  // Only a legacy participant whose groups left every privilege profile has no role here.
  const role = participant.role ?? privilegeLevelOf(participant.groups ?? [], privileges) ?? 'basic';
  return Object.assign(new Participant(), {
    userId: participant.userId,
    kaleyraUserId: participant.videoUserId,
    fullName: participant.fullName ?? null,
    groups: participant.groups ?? [],
    language: participant.language ?? null,
    role: role === 'plus' ? PrivilegeLevel.PLUS : PrivilegeLevel.BASIC,
    tools: { ...privileges[role].tools },
    stored: participant,
    visit,
  });
}
