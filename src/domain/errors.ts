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
  | 'UPSTREAM_UNAVAILABLE';

export interface ErrorDetails {
  /** Machine-readable sub-reason, e.g. `NO_PLUS_PARTICIPANT`. */
  reason?: string;
  /** Path of the offending input field, e.g. `['input', 'participants', 1, 'groups']`. */
  field?: ReadonlyArray<string | number>;
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly field: ReadonlyArray<string | number> | undefined;

  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.reason = details.reason;
    this.field = details.field;
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

/** Kaleyra or the auth service failed or timed out; the operation left nothing half-done. */
export class UpstreamUnavailableError extends DomainError {
  readonly code = 'UPSTREAM_UNAVAILABLE' as const;
}
