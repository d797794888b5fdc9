import type { Logger } from 'pino';
import type { Caller } from '../domain/authorization/caller.js';
import type { RequestScope } from '../services/request-scope.js';
import type { Deadline } from '../shared/deadline.js';
import type { IncomingHeaders } from '../shared/incoming-headers.js';
import type { LinkHandOuts } from './link-hand-outs.js';

/** What every resolver knows about the request it serves. */
export interface GatewayContext {
  requestId: string;
  /** Who is calling, read once from the request's headers. */
  caller: Caller;
  headers: IncomingHeaders;
  /** Child logger carrying the request id. */
  logger: Logger;
  /** REQUEST_TIMEOUT_MS for this request: see shared/deadline.ts. */
  deadline: Deadline;
  /** Over WebSocket only: where subscriptions find their streams. */
  live?: LiveFeed;
  /**
   * The join links this operation's answer may hand out, recorded once the answer is known to
   * carry them: a fresh one per HTTP request and per subscription.
   */
  linkHandOuts: LinkHandOuts;
}

/** The subscriptions' side of the resolvers, handed to WebSocket contexts. */
export interface LiveFeed {
  changes(
    args: { id: string; language?: string | null; useBackground?: boolean | null },
    context: GatewayContext,
  ): Promise<AsyncIterable<unknown>>;
  /** Runs `callback` once the pushes due at this instant are sent (what they cause, off their path). */
  afterPushes(callback: () => void): void;
}

/** The request scope services take, from a GraphQL context. */
export function scopeOf(context: GatewayContext): RequestScope {
  return {
    caller: context.caller,
    headers: context.headers,
    logger: context.logger,
    deadline: context.deadline,
  };
}
