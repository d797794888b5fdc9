import type { Logger } from 'pino';
import type { IncomingHeaders } from '../shared/incoming-headers.js';

/** A platform user as the auth service describes them (the mode with AUTH_SERVICE). */
export interface DirectoryUser {
  userId: string;
  fullName: string;
  groups: string[];
}

export interface UserDirectory {
  /**
   * Looks up the given users, forwarding the configured headers of the incoming request.
   * Returns the users found; unknown ids are absent. Throws UpstreamUnavailableError when the
   * auth service fails or times out. `logger`: the request's (its `reqId` on the lookup's lines).
   */
  lookup(
    userIds: readonly string[],
    headers: IncomingHeaders,
    logger?: Logger,
  ): Promise<Map<string, DirectoryUser>>;
}
