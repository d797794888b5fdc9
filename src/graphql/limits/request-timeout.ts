/**
 * What a client is told when its request outlives REQUEST_TIMEOUT_MS (HTTP 504, answered by the
 * GraphQL route). graphql-js cannot abort an execution, so an abandoned one runs to its end
 * without a listener; each upstream call it makes is bounded by its own timeout
 * (KALEYRA_TIMEOUT_MS, AUTH_SERVICE_TIMEOUT_MS). Failing every remaining field from a
 * `willResolveField` hook was tried and dropped: any such hook makes Apollo wrap every field of
 * every request, which cost about a fifth of the read path's throughput (bench scenario 1).
 */
export function requestTimeoutMessage(timeoutMs: number): string {
  return (
    `The request took longer than ${timeoutMs} ms and was abandoned. ` +
    'A mutation may still have taken effect: read the teleconsultation before retrying.'
  );
}
