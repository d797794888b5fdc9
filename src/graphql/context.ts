import type { Logger } from 'pino';
import type { RequestScope } from '../services/request-scope.js';
import type { IncomingHeaders } from '../shared/incoming-headers.js';

/** What every resolver knows about the request it serves. */
export interface GatewayContext {
  requestId: string;
  /** The caller's platform user id, walked from the request by `userIdPathInRequest`. */
  callerId: string | null;
  headers: IncomingHeaders;
  /** Child logger carrying the request id. */
  logger: Logger;
}

/** The request scope services take, from a GraphQL context. */
export function scopeOf(context: GatewayContext): RequestScope {
  return { callerId: context.callerId, headers: context.headers, logger: context.logger };
}
