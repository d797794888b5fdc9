/**
 * What a client is told when its request outlives REQUEST_TIMEOUT_MS (HTTP 504, answered by the
 * GraphQL route) and the operation had not begun committing: it is stopped at its next
 * checkpoint, undoes what it did (a room it created is deleted) and never stores anything
 * (shared/deadline.ts). A request whose commit is under way when the time is up is not answered
 * 504: the client waits for its outcome. graphql-js cannot abort an execution, so the stopped one
 * runs to its next checkpoint without a listener; each upstream call it makes is bounded by its
 * own timeout (KALEYRA_TIMEOUT_MS, AUTH_SERVICE_TIMEOUT_MS). Failing every remaining field from a
 * `willResolveField` hook was tried and dropped: any such hook makes Apollo wrap every field of
 * every request, which cost about a fifth of the read path's throughput (bench scenario 1).
 */
export function requestTimeoutMessage(timeoutMs: number): string {
  return `The request took longer than ${timeoutMs} ms and was stopped before it changed anything; it is safe to retry.`;
}
