/**
 * Cross-site WebSocket hijacking: a browser opens a WebSocket to any site, sends that site's
 * cookies, and asks no CORS preflight; only the `Origin` header it always sets tells which page
 * asked. HTTP GraphQL requests are covered by CSRF prevention (a preflighted content type or
 * header); the upgrade is covered here.
 */

/** The first value of a header that proxies may repeat or list (`a, b`). */
function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim().toLowerCase() || undefined;
}

/**
 * Whether the upgrade may proceed: no Origin (not a browser: a server, a mobile app), a page of
 * the gateway's own host (as the client reached it: `Host`, or `X-Forwarded-Host` behind the
 * platform's gateway), or an origin in `allowedOrigins` (`*`: any).
 */
export function websocketOriginAllowed(
  headers: Record<string, string | string[] | undefined>,
  allowedOrigins: readonly string[],
): boolean {
  const origin = firstValue(headers.origin);
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file pages) or garbage
  }
  if (allowedOrigins.includes(parsed.origin)) return true;
  const hosts = [firstValue(headers['x-forwarded-host']), firstValue(headers.host)];
  return hosts.includes(parsed.host);
}
