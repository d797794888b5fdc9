import type { DomainError } from '../../domain/errors.js';
import type { IssueCode, OperationOutcome } from './resources.js';

export interface FhirError {
  status: number;
  outcome: OperationOutcome;
}

export function fhirError(status: number, code: IssueCode, diagnostics: string): FhirError {
  return {
    status,
    outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] },
  };
}

/**
 * A domain error as FHIR answers it (http://hl7.org/fhir/R4/http.html#2.21.0.14): the HTTP status
 * and an OperationOutcome whose diagnostics are the error's message (no secret, no name: the
 * services' messages carry ids only) with its stable reason.
 */
export function fhirErrorOf(error: DomainError): FhirError {
  const diagnostics = error.reason ? `${error.message} (${error.reason})` : error.message;
  switch (error.code) {
    case 'BAD_USER_INPUT':
      return fhirError(400, 'invalid', diagnostics);
    case 'UNAUTHENTICATED':
      return fhirError(401, 'login', diagnostics);
    case 'FORBIDDEN':
      return fhirError(403, 'forbidden', diagnostics);
    case 'NOT_FOUND':
      return fhirError(404, 'not-found', diagnostics);
    case 'UPSTREAM_UNAVAILABLE':
      return fhirError(503, 'transient', diagnostics);
    default:
      return fhirError(500, 'exception', diagnostics);
  }
}
