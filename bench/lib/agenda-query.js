/**
 * Scenario 5, the agenda: one participant with AGENDA_VISITS visits spread over the whole store,
 * read a page at a time through `myTeleconsultations`, first page and a deep page.
 */
import { CALLER_HEADER } from './read-query.js';

/** The participant whose agenda is read. */
export const AGENDA_CALLER = 'agenda-doctor';
export const AGENDA_VISITS = 200;
export const AGENDA_PAGE_SIZE = 20;

export const AGENDA_QUERY = `query Agenda($first: Int, $after: String) {
  myTeleconsultations(first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        status
        startDate
        endDate
        lockedFrom
        joinState
        accessLinkURL
        participants { userId role }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const AGENDA_ANSWER_PREFIX = '{"data":{"myTeleconsultations":{"edges":[{"cursor":';

/**
 * Whether seeded record `n` of `records` is one of the caller's visits: an even spread, so the
 * caller's visits sit among everybody else's.
 * @param {number} n @param {number} records
 */
export function isAgendaVisit(n, records) {
  const step = Math.max(1, Math.floor(records / AGENDA_VISITS));
  return n % step === 0 && n / step < AGENDA_VISITS;
}

/** @param {string | null} after */
export function agendaRequest(after) {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: AGENDA_CALLER },
    body: JSON.stringify({
      operationName: 'Agenda',
      query: AGENDA_QUERY,
      variables: { first: AGENDA_PAGE_SIZE, after },
    }),
  };
}
