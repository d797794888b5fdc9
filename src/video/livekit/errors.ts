/**
 * The LiveKit client's typed failures, shaped like the Kaleyra client's so the provider adapter
 * maps both the same way. They never carry the API secret, a token or a request header.
 */
export abstract class LivekitError extends Error {
  constructor(
    message: string,
    /** The Twirp method, e.g. `CreateRoom`. */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Network error, timeout, 5xx, or 429 after the bounded retries. */
export class LivekitUnavailableError extends LivekitError {}

/** LiveKit refused the request (a 4xx other than not_found), with its Twirp code. */
export class LivekitRejectedError extends LivekitError {
  constructor(
    message: string,
    operation: string,
    readonly status: number,
    readonly twirpCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, operation, options);
  }
}

/** No such room (or no such participant in it). */
export class LivekitNotFoundError extends LivekitError {}
