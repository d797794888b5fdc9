import type { Logger } from 'pino';
import { BadUserInputError } from '../../domain/errors.js';
import type { UserDirectory } from '../../identity/ports.js';
import type { IncomingHeaders } from '../../shared/incoming-headers.js';

export interface ParticipantRequest {
  userId: string;
  fullName?: string | null;
  groups?: string[] | null;
  language?: string | null;
}

export interface ParticipantProfile {
  userId: string;
  groups: string[];
  /** Kept only in the mode without an auth service, where the request is its only source. */
  fullName?: string;
}

type FieldPath = ReadonlyArray<string | number>;

/**
 * Who the participants are. Without AUTH_SERVICE each participant carries fullName and groups;
 * with it, they come from the auth service and anything given in the input is ignored.
 */
export class ParticipantProfiles {
  constructor(private readonly directory: UserDirectory | null) {}

  get usesDirectory(): boolean {
    return this.directory !== null;
  }

  async resolve(
    requests: readonly ParticipantRequest[],
    headers: IncomingHeaders,
    path: FieldPath,
    logger?: Logger,
  ): Promise<ParticipantProfile[]> {
    if (!this.directory) return requests.map((request, index) => profileFromInput(request, [...path, index]));
    const found = await this.directory.lookup(
      requests.map((r) => r.userId),
      headers,
      logger,
    );
    return requests.map((request, index) => {
      const user = found.get(request.userId);
      if (!user) {
        throw new BadUserInputError(`User ${request.userId} is unknown to the auth service.`, {
          reason: 'UNKNOWN_USER',
          field: [...path, index, 'userId'],
        });
      }
      return { userId: request.userId, groups: [...user.groups] };
    });
  }
}

function profileFromInput(request: ParticipantRequest, path: FieldPath): ParticipantProfile {
  const fullName = request.fullName?.trim();
  if (!fullName) {
    throw new BadUserInputError(
      `Participant ${request.userId} needs a fullName (no AUTH_SERVICE is configured).`,
      {
        reason: 'MISSING_FULL_NAME',
        field: [...path, 'fullName'],
      },
    );
  }
  if (!request.groups || request.groups.length === 0) {
    throw new BadUserInputError(
      `Participant ${request.userId} needs groups (no AUTH_SERVICE is configured).`,
      {
        reason: 'MISSING_GROUPS',
        field: [...path, 'groups'],
      },
    );
  }
  return { userId: request.userId, fullName, groups: [...request.groups] };
}
