/**
 * The LiveKit client's typed failures: the port's, named for LiveKit (messages to clients say
 * "LiveKit is unavailable"). They never carry the API secret, a token or a request header.
 */
import { VideoNotFoundError, VideoRejectedError, VideoUnavailableError } from '../port.js';

/** Network error, timeout, 5xx, or 429 after the bounded retries. */
export class LivekitUnavailableError extends VideoUnavailableError {
  override readonly upstream = 'LiveKit';
}

/** LiveKit refused the request (a 4xx other than not_found), with its Twirp code. */
export class LivekitRejectedError extends VideoRejectedError {
  override readonly upstream = 'LiveKit';

  constructor(
    message: string,
    operation: string,
    status: number,
    readonly twirpCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, operation, status, twirpCode, options);
  }
}

/** No such room (or no such participant in it). */
export class LivekitNotFoundError extends VideoNotFoundError {
  override readonly upstream = 'LiveKit';
}
