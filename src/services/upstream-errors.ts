import { UpstreamUnavailableError } from '../domain/errors.js';
import { KaleyraError, KaleyraRejectedError } from '../kaleyra/port.js';

/**
 * Every Kaleyra failure a use case cannot recover from reaches the client as
 * UPSTREAM_UNAVAILABLE; the reason says whether Kaleyra was unreachable or refused the request.
 * Kaleyra's own message is not passed on: it may name internal ids; it is logged instead.
 */
export function upstreamErrorFrom(error: unknown): unknown {
  if (!(error instanceof KaleyraError)) return error;
  if (error instanceof KaleyraRejectedError) {
    return new UpstreamUnavailableError(
      'Kaleyra refused the request.',
      { reason: 'KALEYRA_REJECTED' },
      { cause: error },
    );
  }
  return new UpstreamUnavailableError(
    'Kaleyra is unavailable; nothing was changed.',
    {
      reason: 'KALEYRA_UNAVAILABLE',
    },
    { cause: error },
  );
}
