import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { RequestScope } from '../../services/request-scope.js';
import type {
  VisitReadsService,
  VisitSearchPage,
  VisitSnapshot,
} from '../../services/visits/visit-reads.service.js';
import type { Deadline } from '../../shared/deadline.js';
import { withinDeadline } from '../deadline.js';
import { appointmentOf, type FhirViewOptions } from './appointment.mapper.js';
import { capabilityStatementOf } from './capability-statement.js';
import { encounterOf } from './encounter.mapper.js';
import { FHIR_JSON, type FhirMediaType, negotiatedMediaType } from './negotiation.js';
import { type FhirError, fhirError, fhirErrorOf } from './operation-outcome.js';
import type { SearchSet } from './resources.js';
import {
  appointmentAnswer,
  appointmentSearchQuerySchema,
  capabilityStatementAnswer,
  encounterAnswer,
  fhirErrorsFor,
  fhirIdParamsSchema,
  formatQuerySchema,
  notModified,
  searchSetAnswer,
} from './schemas.js';
import {
  APPOINTMENT_SEARCH_PARAMETERS,
  type AppointmentSearch,
  appointmentSearchOf,
  CURSOR_PARAMETER,
} from './search-parameters.js';

/** Where the facade is served: its FHIR base. */
export const FHIR_BASE = '/fhir/R4';

/** What the FHIR facade is built from. */
export interface FhirApiDeps {
  visits: Pick<VisitReadsService, 'read' | 'search' | 'assertCanSearch'>;
  /** The decision of an operation on no visit (the metadata's `fhirMetadata`). */
  policies: { decide(scope: RequestScope, operation: 'fhirMetadata', targetId: null): Promise<void> };
  view: FhirViewOptions;
  clock: Clock;
  scopeOf(request: FastifyRequest, deadline: Deadline): RequestScope;
  requestTimeoutMs: number;
  version: string;
}

/** A success: the body, and the version its ETag carries (a resource; not a Bundle or the metadata). */
interface FhirAnswer {
  body: object;
  version?: number;
}

/**
 * The read-only FHIR R4 facade (docs/fhir.md): GET metadata, Appointment/:id, Appointment
 * (search) and Encounter/:id. A sibling of the REST routes rather than route.ts's routes: FHIR
 * has its own error shape (OperationOutcome with FHIR's statuses), content negotiation (_format,
 * Accept, 406) and conditional reads (ETag, If-None-Match), and nothing here writes. The one
 * policy decision of each request is the service's (`teleconsultation`), before anything is
 * read for the answer; a search parameter the facade refuses is refused only once the caller is
 * known to be someone who may search.
 */
export async function fhirRoutes(app: FastifyInstance, deps: FhirApiDeps): Promise<void> {
  // Conditional reads (If-None-Match) need caches to ask again, not to keep nothing; `private`
  // keeps shared caches out (names may appear when configured).
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'private, no-cache');
    return payload;
  });
  app.setErrorHandler(async (error, request, reply) => {
    request.log.error({ err: error }, 'unexpected error on a FHIR route');
    return sendError(reply, FHIR_JSON, fhirError(500, 'exception', 'Internal server error'));
  });

  app.get(
    `${FHIR_BASE}/metadata`,
    {
      schema: {
        operationId: 'fhirCapabilityStatement',
        tags: ['fhir'],
        summary:
          'The CapabilityStatement: FHIR 4.0.1, JSON, what can be read and searched. Policy key fhirMetadata (anyone, by default).',
        querystring: formatQuerySchema,
        response: { ...capabilityStatementAnswer, ...fhirErrorsFor(401, 403, 406, 504) },
      },
      attachValidation: true,
    },
    (request, reply) =>
      answer(request, reply, deps, async (scope) => {
        await deps.policies.decide(scope, 'fhirMetadata', null);
        return {
          body: capabilityStatementOf({
            version: deps.version,
            date: deps.clock.now(),
            searchParameters: APPOINTMENT_SEARCH_PARAMETERS,
          }),
        };
      }),
  );

  app.get(
    `${FHIR_BASE}/Appointment/:id`,
    {
      schema: {
        operationId: 'fhirAppointment',
        tags: ['fhir'],
        summary:
          'The visit as an R4 Appointment. Same authorization as the read (`teleconsultation`); cancelled visits stay readable. ETag W/"<version>"; If-None-Match answers 304.',
        params: fhirIdParamsSchema,
        querystring: formatQuerySchema,
        response: { ...appointmentAnswer, ...notModified, ...fhirErrorsFor(401, 403, 404, 406, 503, 504) },
      },
      attachValidation: true,
    },
    (request, reply) =>
      answer(request, reply, deps, async (scope) => {
        const snapshot = await deps.visits.read(scope, idOf(request));
        return { body: appointmentOf(snapshot, deps.view), version: snapshot.record.version };
      }),
  );

  app.get(
    `${FHIR_BASE}/Appointment`,
    {
      schema: {
        operationId: 'fhirAppointmentSearch',
        tags: ['fhir'],
        summary:
          "Search Appointments by patient, practitioner, actor, date, status; _count per page, keyset pages through link[next]. Only visits the `teleconsultation` policy lets the caller read; without a participant, the caller's own.",
        querystring: appointmentSearchQuerySchema,
        response: { ...searchSetAnswer, ...fhirErrorsFor(400, 401, 406, 503, 504) },
      },
      attachValidation: true,
    },
    (request, reply) =>
      answer(request, reply, deps, async (scope) => {
        let search: AppointmentSearch;
        try {
          search = appointmentSearchOf(
            request.query as Record<string, string | string[]>,
            deps.view.settings,
          );
        } catch (error) {
          // The caller first: someone who may not search learns nothing from their parameters.
          if (error instanceof DomainError) deps.visits.assertCanSearch(scope);
          throw error;
        }
        const page = await deps.visits.search(scope, search.query);
        return { body: searchSetOf(page, search, deps.view) };
      }),
  );

  app.get(
    `${FHIR_BASE}/Encounter/:id`,
    {
      schema: {
        operationId: 'fhirEncounter',
        tags: ['fhir'],
        summary:
          'The visit as an R4 Encounter (class VR), once its last join window has closed (finished) or it was cancelled; 404 before. Same authorization as the read.',
        params: fhirIdParamsSchema,
        querystring: formatQuerySchema,
        response: { ...encounterAnswer, ...notModified, ...fhirErrorsFor(401, 403, 404, 406, 503, 504) },
      },
      attachValidation: true,
    },
    (request, reply) =>
      answer(request, reply, deps, async (scope) => {
        const snapshot = await deps.visits.read(scope, idOf(request));
        return { body: encounterOf(snapshot, deps.view), version: snapshot.record.version };
      }),
  );
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** One FHIR answer: negotiated, within REQUEST_TIMEOUT_MS, errors as OperationOutcome, 304 for a current ETag. */
async function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: FhirApiDeps,
  work: (scope: RequestScope) => Promise<FhirAnswer>,
): Promise<FastifyReply> {
  const mediaType = negotiatedMediaType(
    (request.query as { _format?: unknown })._format,
    request.headers.accept,
  );
  if (mediaType === null) {
    return sendError(
      reply,
      FHIR_JSON,
      fhirError(
        406,
        'not-supported',
        'This server writes FHIR JSON only (application/fhir+json or application/json).',
      ),
    );
  }
  let result: FhirAnswer;
  try {
    const outcome = await withinDeadline(deps.requestTimeoutMs, (deadline) =>
      work(deps.scopeOf(request, deadline)),
    );
    if (outcome.timedOut) {
      return sendError(
        reply,
        mediaType,
        fhirError(
          504,
          'timeout',
          `The read took longer than ${deps.requestTimeoutMs} ms; it is safe to retry.`,
        ),
      );
    }
    result = outcome.result;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return sendError(reply, mediaType, fhirErrorOf(error));
  }
  if (result.version !== undefined) {
    const etag = `W/"${result.version}"`;
    reply.header('etag', etag);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  }
  return reply.code(200).type(`${mediaType}; charset=utf-8`).send(JSON.stringify(result.body));
}

function sendError(reply: FastifyReply, mediaType: FhirMediaType, error: FhirError): FastifyReply {
  return reply.code(error.status).type(`${mediaType}; charset=utf-8`).send(JSON.stringify(error.outcome));
}

/** If-None-Match: `*`, or a list of entity tags compared weakly (W/ or not, the same version). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** The page as a searchset Bundle; its links are relative to the FHIR base, as FHIR allows. */
function searchSetOf(page: VisitSearchPage, search: AppointmentSearch, view: FhirViewOptions): SearchSet {
  const link = (cursor: string | null | undefined) => {
    const parameters = new URLSearchParams(search.parameters);
    if (cursor) parameters.set(CURSOR_PARAMETER, cursor);
    const query = parameters.toString();
    return query === '' ? 'Appointment' : `Appointment?${query}`;
  };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [
      { relation: 'self', url: link(search.query.after) },
      ...(page.nextCursor ? [{ relation: 'next' as const, url: link(page.nextCursor) }] : []),
    ],
    ...(page.snapshots.length > 0
      ? {
          entry: page.snapshots.map((snapshot: VisitSnapshot) => ({
            resource: appointmentOf(snapshot, view),
            search: { mode: 'match' as const },
          })),
        }
      : {}),
  };
}
