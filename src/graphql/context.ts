import type { Logger } from 'pino';
import type { IncomingHeaders } from '../identity/ports.js';

/** What every resolver knows about the request it serves. */
export interface GatewayContext {
  requestId: string;
  /** The caller's platform user id, walked from the request by `userIdPathInRequest`. */
  callerId: string | null;
  headers: IncomingHeaders;
  /** Child logger carrying the request id. */
  logger: Logger;
}
