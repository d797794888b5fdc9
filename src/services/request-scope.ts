import type { Logger } from 'pino';
import type { Caller } from '../domain/authorization/caller.js';
import type { Deadline } from '../shared/deadline.js';
import type { IncomingHeaders } from '../shared/incoming-headers.js';

/**
 * Who is asking and how to answer them: the first argument of every service method. Entry
 * points (GraphQL, REST) build it from the request; services never see the request itself.
 */
export interface RequestScope {
  /** Who is calling: id, groups, back-office flag, client type (one object per request). */
  caller: Caller;
  /** The incoming headers, forwarded (filtered) to the auth service. */
  headers: IncomingHeaders;
  /** Carries the request id. */
  logger: Logger;
  /** The request's deadline (REQUEST_TIMEOUT_MS); absent for work no client waits for. */
  deadline?: Deadline;
}
