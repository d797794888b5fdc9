import { BadUserInputError, UnauthenticatedError } from '../../domain/errors.js';
import type { Privileges } from '../../domain/privileges.js';
import { privilegeLevelOf } from '../../domain/teleconsultation.js';
import type { UserDirectory } from '../../identity/ports.js';
import type { SdkCredentials, VideoProvider, VideoProviders } from '../../video/port.js';
import type { VideoUsers } from '../participants/video-users.js';
import type { RequestScope } from '../request-scope.js';
import { requireCapability, upstreamErrorFrom } from '../upstream-errors.js';
import type { AccessControl } from './access-control.js';

export const DEFAULT_CREDENTIALS_EXPIRES_IN_SECONDS = 3600;

export interface CreateCredentialsCommand {
  /** Token lifetime in seconds; default 3600. */
  expiresIn?: number | null;
}

export interface CredentialsServiceDeps {
  access: AccessControl;
  video: VideoProviders;
  videoUsers: VideoUsers;
  /** The auth service, when configured: where a first-time caller's groups come from. */
  directory: UserDirectory | null;
  privileges: Privileges;
}

/**
 * SDK credentials for the caller (the original's POST /credentials, for mobile SDKs).
 *
 * The caller's user on the configured video provider (SDK_CREDENTIALS) is created on first use, with the role their groups give. Without an
 * auth service nothing says which groups a caller has until they are a participant of a
 * teleconsultation (participants carry their groups there), so a caller with no Kaleyra user yet
 * is refused (BAD_USER_INPUT, reason UNKNOWN_CALLER) instead of being created with a guessed
 * role: Kaleyra keeps the role a user was created with, and a doctor created as `basic` would stay
 * so.
 */
export class CredentialsService {
  constructor(private readonly deps: CredentialsServiceDeps) {}

  async create(scope: RequestScope, command: CreateCredentialsCommand): Promise<SdkCredentials> {
    await this.deps.access.check(scope, 'createCredentials');
    const provider = this.deps.video.configured;
    const sdk = requireCapability(provider, 'SDK_CREDENTIALS');
    const { min, max } = sdk.expiresInSeconds;
    const callerId = scope.caller.id;
    if (!callerId) {
      throw new UnauthenticatedError('Credentials are issued to the caller: the request names none.', {
        reason: 'NO_CALLER_ID',
      });
    }
    const expiresInSeconds = command.expiresIn ?? DEFAULT_CREDENTIALS_EXPIRES_IN_SECONDS;
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < min || expiresInSeconds > max) {
      throw new BadUserInputError(`expiresIn must be from ${min} to ${max} seconds.`, {
        reason: 'EXPIRES_IN_OUT_OF_RANGE',
        field: ['expiresIn'],
      });
    }
    const videoUserId = await this.videoUserOf(provider, callerId, scope);
    try {
      return await sdk.createCredentials({ videoUserId, expiresInSeconds }, scope.logger);
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
  }

  private async videoUserOf(provider: VideoProvider, callerId: string, scope: RequestScope): Promise<string> {
    const known = await this.deps.videoUsers.idOf(provider, callerId);
    if (known) return known;
    const { directory } = this.deps;
    if (!directory) {
      throw new BadUserInputError(
        `Caller ${callerId} has no Kaleyra user yet; without an auth service one is created when they join a teleconsultation.`,
        { reason: 'UNKNOWN_CALLER' },
      );
    }
    const user = (await directory.lookup([callerId], scope.headers, scope.logger)).get(callerId);
    if (!user) {
      throw new BadUserInputError(`Caller ${callerId} is unknown to the auth service.`, {
        reason: 'UNKNOWN_CALLER',
      });
    }
    const role = privilegeLevelOf(user.groups, this.deps.privileges);
    if (!role) {
      throw new BadUserInputError(`Caller ${callerId} is in no group of any privilege profile.`, {
        reason: 'NO_PRIVILEGE_GROUP',
      });
    }
    const ids = await this.deps.videoUsers.idsFor(provider, [{ userId: callerId, role }], scope.logger);
    return ids.get(callerId) as string;
  }
}
