import type { FastifyRequest } from 'fastify';
import { websocketOriginAllowed as originAllowed } from '../websocket-origin.js';

/**
 * Cross-site request forgery on REST. A browser sends a "simple" request to any site, with that
 * site's cookies and no CORS preflight to ask first: method POST (GET and HEAD change nothing)
 * with no body type or one of the three a form can send. Any other request reaches the gateway
 * only after a preflight the platform's gateway answered (we answer none), so it is not ours to
 * judge. A simple request carrying the `Origin` of another site's page is refused by the same rule
 * as the subscriptions WebSocket (websocket-origin.ts): the gateway's own pages and the origins
 * of SUBSCRIPTIONS_ALLOWED_ORIGINS pass; clients that send no `Origin` (servers, apps) too.
 */
const SIMPLE_BODY_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** A request a browser sends without a preflight (Fetch: CORS-safelisted method and content type). */
export function isSimpleRequest(request: Pick<FastifyRequest, 'method' | 'headers'>): boolean {
  if (request.method !== 'POST') return false;
  const type = request.headers['content-type'];
  if (type === undefined) return true;
  const essence = type.split(';')[0]?.trim().toLowerCase() ?? '';
  return SIMPLE_BODY_TYPES.has(essence);
}

/** A request another site's page could have sent with the visitor's cookies, refused before anything. */
export function isCrossSiteSimpleRequest(
  request: Pick<FastifyRequest, 'method' | 'headers'>,
  allowedOrigins: readonly string[],
): boolean {
  return isSimpleRequest(request) && !originAllowed(request.headers, allowedOrigins);
}
