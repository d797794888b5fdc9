import type { ErrorReason } from './error-reasons.js';

/**
 * Errors a client can act on. Each carries the stable `code` of the GraphQL contract; the GraphQL
 * layer maps them to `extensions.code` in one place. Messages must never contain secrets or
 * patient data beyond ids.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'TELECONSULTATION_LOCKED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'NOT_IMPLEMENTED';

/** Where in a command (or request) a value sits: `['participants', 1, 'groups']`. */
export type FieldPath = ReadonlyArray<string | number>;

export interface ErrorDetails {
  /** Machine-readable sub-reason, e.g. `NO_PLUS_PARTICIPANT`. */
  reason?: ErrorReason;
  /** Path of the offending input field, e.g. `['input', 'participants', 1, 'groups']`. */
  field?: FieldPath;
  /** The operation an authorization refusal is about (`updateTeleconsultation`). */
  operation?: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  readonly field: FieldPath | undefined;
  readonly operation: string | undefined;

  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.reason = details.reason;
    this.field = details.field;
    this.operation = details.operation;
  }

  /**
   * The same error with its field path under `prefix`. Services name fields in their own terms
   * (`participants.1.groups`); each entry point adds where those sit in its request
   * (`input.participants.1.groups` for GraphQL's `input` argument).
   */
  under(prefix: FieldPath): this {
    if (this.field === undefined || prefix.length === 0) return this;
    const Same = this.constructor as new (
      message: string,
      details: ErrorDetails,
      options?: { cause?: unknown },
    ) => this;
    const moved = new Same(
      this.message,
      {
        ...(this.reason ? { reason: this.reason } : {}),
        ...(this.operation ? { operation: this.operation } : {}),
        field: [...prefix, ...this.field],
      },
      { cause: this.cause },
    );
    if (this.stack !== undefined) moved.stack = this.stack;
    return moved;
  }
}

export class BadUserInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT' as const;
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED' as const;
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN' as const;
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND' as const;
}

export class TeleconsultationLockedError extends DomainError {
  readonly code = 'TELECONSULTATION_LOCKED' as const;
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT' as const;
}

/** An answer larger than the gateway passes on (a transcription over TRANSCRIPTION_MAX_FILE_SIZE). */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE' as const;
}

/** Kaleyra or the auth service failed or timed out; the operation left nothing half-done. */
export class UpstreamUnavailableError extends DomainError {
  readonly code = 'UPSTREAM_UNAVAILABLE' as const;
}

/** The video provider offers no capability the operation needs (REST 501): nothing was done. */
export class CapabilityUnavailableError extends DomainError {
  readonly code = 'NOT_IMPLEMENTED' as const;
}
