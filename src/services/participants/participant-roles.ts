import type { PrivilegeLevel, Privileges } from '../../domain/privileges.js';
import { assertHasPlusParticipant, privilegeLevelOf } from '../../domain/teleconsultation.js';
import type { RoomParticipant, StoredParticipant } from '../../domain/teleconsultation-record.js';
import type { UserDirectory } from '../../identity/ports.js';
import type { RequestScope } from '../request-scope.js';

/**
 * Roles of stored participants. Every participant this service stores has one; those the
 * original service stored have none, and get it from the current privileges: from their stored
 * groups without an auth service, from the auth service with one. Never "basic" by default when
 * that would leave a room without its doctor.
 */
export class ParticipantRoles {
  constructor(
    private readonly privileges: Privileges,
    private readonly directory: UserDirectory | null,
  ) {}

  /** Fills missing roles where the privileges give one; participants with a role are untouched. */
  async resolve(
    participants: readonly StoredParticipant[],
    scope: RequestScope,
  ): Promise<StoredParticipant[]> {
    const missing = participants.filter((p) => p.role === null);
    if (missing.length === 0) return [...participants];
    const levels = await this.levelsOf(missing, scope);
    return participants.map((p) => (p.role === null ? { ...p, role: levels.get(p.userId) ?? null } : p));
  }

  /**
   * The participants a room is built from. A participant whose role no privilege gives (a legacy
   * participant whose groups left every profile) joins as basic only when the room still has a
   * plus participant; otherwise the room is refused (NO_PLUS_PARTICIPANT), as for any room
   * without its doctor.
   */
  async forRoom(participants: readonly StoredParticipant[], scope: RequestScope): Promise<RoomParticipant[]> {
    const resolved = await this.resolve(participants, scope);
    assertHasPlusParticipant(resolved, ['participants']);
    return resolved.map((p) => ({ ...p, role: p.role ?? 'basic' }));
  }

  private async levelsOf(
    participants: readonly StoredParticipant[],
    scope: RequestScope,
  ): Promise<Map<string, PrivilegeLevel>> {
    const levels = new Map<string, PrivilegeLevel>();
    if (this.directory) {
      const users = await this.directory.lookup(
        participants.map((p) => p.userId),
        scope.headers,
        scope.logger,
      );
      for (const [userId, user] of users) {
        const level = privilegeLevelOf(user.groups, this.privileges);
        if (level) levels.set(userId, level);
      }
      return levels;
    }
    for (const participant of participants) {
      const level = privilegeLevelOf(participant.groups ?? [], this.privileges);
      if (level) levels.set(participant.userId, level);
    }
    return levels;
  }
}
