import type { FastifyError } from 'fastify';
import { DomainError, type FieldPath } from '../../domain/errors.js';

/** The original's error body, with our stable code (and reason, field) beside it. */
export interface RestErrorBody {
  error: string;
  code: string;
  reason?: string;
  field?: ReadonlyArray<string | number>;
}

export interface RestError {
  status: number;
  body: RestErrorBody;
}

/** What a route tells the mapping: its request line, the teleconsultation id, how its body names fields. */
export interface RestErrorContext {
  /** `POST /teleconsultation`, as the original's messages quote it. */
  requestLine: string;
  teleconsultationId?: string;
  /** A service field path (`participants.1.groups`) in the terms of this route's body. */
  fieldOf?: (field: FieldPath) => FieldPath;
}

/** The original's words where it documented them; ours elsewhere. */
const UNAUTHORIZED = 'Unauthorized user';

/** The services' field names as the REST bodies write them, for messages that quote a field. */
const REST_FIELD_NAMES: Record<string, string> = {
  startDate: 'start_date',
  endDate: 'end_date',
  durationInSeconds: 'duration_in_seconds',
  participantsNumber: 'participants.number',
  defaultBackgroundAlias: 'background_alias',
  defaultLanguage: 'default_language',
  endCallRedirectUrl: 'end_call_redirect_url',
  endCallRedirectTimeoutMs: 'end_call_redirect_timeout_ms',
};
const QUOTED_FIELD = new RegExp(`\\b(${Object.keys(REST_FIELD_NAMES).join('|')})\\b`, 'g');

/** A message in the body's terms: "Give either end_date or duration_in_seconds". */
function inRestTerms(message: string): string {
  return message.replace(QUOTED_FIELD, (name) => REST_FIELD_NAMES[name] ?? name);
}

/**
 * A domain error as the original's clients expect it: the status codes it used (and ours where it
 * was silent, see docs/rest-api.md), `{ error }` plus our code.
 */
export function restErrorOf(error: DomainError, context: RestErrorContext): RestError {
  const extra = {
    ...(error.reason ? { reason: error.reason } : {}),
    ...(error.field ? { field: context.fieldOf ? context.fieldOf(error.field) : error.field } : {}),
  };
  const body = (status: number, message: string): RestError => ({
    status,
    body: { error: message, code: error.code, ...extra },
  });
  switch (error.code) {
    case 'BAD_USER_INPUT':
      return body(
        400,
        error.reason === 'NO_PLUS_PARTICIPANT'
          ? `Failed ${context.requestLine}: no plus user in room`
          : context.fieldOf
            ? inRestTerms(error.message)
            : error.message,
      );
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      // The original's only refusal; the code and reason say which.
      return body(401, UNAUTHORIZED);
    case 'NOT_FOUND':
      return body(
        404,
        context.teleconsultationId
          ? `Room with id ${context.teleconsultationId} not found on CRUD`
          : error.message,
      );
    case 'TELECONSULTATION_LOCKED':
    case 'CONFLICT':
      return body(409, error.message);
    case 'PAYLOAD_TOO_LARGE':
      return body(413, error.message);
    case 'UPSTREAM_UNAVAILABLE':
      // Unreachable or timed out: 503; reachable but refused or broken: 502.
      return body(
        error.reason?.endsWith('_UNAVAILABLE') || error.reason === 'PROVIDER_NOT_CONFIGURED' ? 503 : 502,
        error.message,
      );
    case 'NOT_IMPLEMENTED':
      return body(501, error.message);
  }
}

/** Requests Fastify refuses before a handler runs: bad JSON, a schema violation, a type it does not read, a body too large. */
export function restErrorOfFastify(error: FastifyError): RestError | null {
  if (error.validation) {
    return { status: 400, body: { error: error.message, code: 'BAD_USER_INPUT' } };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: { error: 'The request body is larger than the gateway accepts.', code: 'PAYLOAD_TOO_LARGE' },
    };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 400,
      body: { error: 'The body must be JSON (content-type: application/json).', code: 'BAD_REQUEST' },
    };
  }
  if (error.code?.startsWith('FST_ERR_CTP_')) {
    return { status: 400, body: { error: error.message, code: 'BAD_USER_INPUT' } };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, body: { error: error.message, code: 'BAD_REQUEST' } };
  return null;
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
