import type { PageInfo } from '../types/agenda.type.js';

/**
 * The PageInfo of a forward-only page (first/after): there is never a previous page, as the
 * Relay specification allows; the start cursor is the first edge's.
 */
export function forwardPageInfo(
  edges: ReadonlyArray<{ cursor: string }>,
  page: { hasNextPage: boolean; endCursor: string | null },
): PageInfo {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: false,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: page.endCursor,
  };
}
