import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which request the code running now works for, so that every line logged for a request carries
 * its `reqId` (Mia-Platform's log parser groups a request's lines by it), including the lines of
 * loggers that are not the request's own: the Kaleyra and auth-service clients log through a
 * process-wide logger. Only while the request is open: a timer a request happened to set (a job's
 * wake-up) runs long after it, and its lines belong to no request.
 */
interface RequestScope {
  readonly reqId: string;
  open: boolean;
}

const current = new AsyncLocalStorage<RequestScope>();

export interface RequestContext {
  /** The request is answered (or aborted): lines logged from now on are not its. */
  close(): void;
}

/** Runs `next` (the rest of the request's handling) within a new scope for `reqId`. */
export function enterRequest(reqId: string, next: (context: RequestContext) => void): void {
  const scope: RequestScope = { reqId, open: true };
  const context: RequestContext = {
    close: () => {
      scope.open = false;
    },
  };
  // Everything `next` starts (later hooks, the body, the handler, its awaits) inherits the scope.
  current.run(scope, () => next(context));
}

/** The id of the open request the running code works for, if any. */
export function openRequestId(): string | undefined {
  const scope = current.getStore();
  return scope?.open ? scope.reqId : undefined;
}
