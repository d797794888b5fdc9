import type { FieldPath } from '../../domain/errors.js';
import type { Privileges } from '../../domain/privileges.js';
import {
  assertNoDuplicateParticipants,
  assertUserId,
  linkLanguage,
  requirePrivilegeLevel,
} from '../../domain/teleconsultation.js';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';
import type { VideoProvider } from '../../video/port.js';
import type { RequestScope } from '../request-scope.js';
import type { ParticipantProfiles, ParticipantRequest } from './participant-profiles.js';
import type { VideoUsers } from './video-users.js';

/**
 * Turns participants named in a command into stored participants: checks what can be checked
 * without I/O first, then resolves profiles (the request or the auth service), privilege levels
 * and their identities on the video provider (created on first use, by a provider that keeps users). Field paths are relative to the list (`path`).
 */
export class ParticipantPreparation {
  constructor(
    private readonly profiles: ParticipantProfiles,
    private readonly videoUsers: VideoUsers,
    private readonly privileges: Privileges,
  ) {}

  /**
   * The stored participants for `requests` in a room of `provider`, and `createUsers`, which
   * creates the provider's users among them that do not exist yet: the one side effect, left for the caller to run once the
   * request can no longer be refused for another reason.
   */
  async prepare(
    scope: RequestScope,
    provider: VideoProvider,
    requests: readonly ParticipantRequest[],
    existing: readonly StoredParticipant[],
    path: FieldPath,
  ): Promise<{ participants: StoredParticipant[]; createUsers: () => Promise<void> }> {
    requests.forEach((request, index) => {
      assertUserId(request.userId, [...path, index, 'userId']);
    });
    assertNoDuplicateParticipants(requests, existing, path);
    const languages = requests.map((r, index) =>
      r.language ? linkLanguage(r.language, [...path, index, 'language']) : undefined,
    );
    const profiles = await this.profiles.resolve(requests, scope.headers, path, scope.logger);
    const levels = profiles.map((profile, index) =>
      requirePrivilegeLevel(profile.userId, profile.groups, this.privileges, [...path, index]),
    );
    const { ids: videoIds, create } = await this.videoUsers.plan(
      provider,
      profiles.map((p, index) => ({ userId: p.userId, role: levels[index] ?? 'basic' })),
      scope.logger,
    );
    const participants = profiles.map((profile, index): StoredParticipant => {
      const language = languages[index];
      return {
        userId: profile.userId,
        videoUserId: videoIds.get(profile.userId) as string,
        role: levels[index] ?? 'basic',
        accessLinkURL: null,
        groups: profile.groups,
        ...(profile.fullName !== undefined ? { fullName: profile.fullName } : {}),
        ...(language ? { language } : {}),
      };
    });
    return { participants, createUsers: create };
  }
}
