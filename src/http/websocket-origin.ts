/**
 * Cross-site WebSocket hijacking: a browser opens a WebSocket to any site, sends that site's
 * cookies, and asks no CORS preflight; only the `Origin` header it always sets tells which page
 * asked. HTTP GraphQL requests are covered by CSRF prevention (a preflighted content type or
 * header); the upgrade is covered here.
 */

type Headers = Record<string, string | string[] | undefined>;

/** The first value of a header that proxies may repeat or list (`a, b`). */
function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim().toLowerCase() || undefined;
}

/** `host` and `proto` of the first element of RFC 7239's `Forwarded` header. */
function forwarded(headers: Headers): { host?: string; proto?: string } {
  const element = firstValue(headers.forwarded);
  if (!element) return {};
  const pairs = element.split(';').map((pair) => pair.trim().split('='));
  const value = (name: string) => {
    const raw = pairs.find(([key]) => key?.trim() === name)?.[1]?.trim();
    return raw?.replace(/^"(.*)"$/, '$1') || undefined;
  };
  const host = value('host');
  const proto = value('proto');
  return { ...(host ? { host } : {}), ...(proto ? { proto } : {}) };
}

/** X-Forwarded-Host, with X-Forwarded-Port when the host names none (nginx's `$host` drops it). */
function withForwardedPort(headers: Headers): string | undefined {
  const host = firstValue(headers['x-forwarded-host']);
  const port = firstValue(headers['x-forwarded-port']);
  if (host === undefined || port === undefined || !/^\d+$/.test(port) || /:\d+$|\]$/.test(host)) return host;
  return `${host}:${port}`;
}

/** `host[:port]` without the scheme's default port, as `URL.host` writes it. */
function withoutDefaultPort(host: string, scheme: string): string {
  const defaultPort = scheme === 'https:' || scheme === 'wss:' ? ':443' : ':80';
  return host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host;
}

/**
 * Whether the upgrade may proceed:
 * - no Origin: not a browser (a server, a mobile app);
 * - an origin in `allowedOrigins` (`*`: any);
 * - a page of the gateway itself, as the client reached it: the host of `Forwarded`,
 *   `X-Forwarded-Host` or `Host` (default ports aside), and, when a proxy says which scheme the
 *   client used (`Forwarded: proto=`, `X-Forwarded-Proto`), that scheme: an `http://` page may not
 *   subscribe to an `https://` gateway of the same name.
 * A page cannot forge any of these headers; a proxy that rewrites `Host` and sets none of the
 * forwarding headers needs its frontend's origin listed.
 */
export function websocketOriginAllowed(headers: Headers, allowedOrigins: readonly string[]): boolean {
  const origin = firstValue(headers.origin);
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*')) return true;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file pages) or garbage
  }
  if (allowedOrigins.includes(page.origin)) return true;
  const viaProxy = forwarded(headers);
  // Proxies name an upgrade's scheme ws/wss (Traefik) or http/https: the page's is http(s).
  const proto = (viaProxy.proto ?? firstValue(headers['x-forwarded-proto']))?.replace(/^ws(s?)$/, 'http$1');
  if (proto !== undefined && `${proto}:` !== page.protocol) return false;
  // X-Forwarded-Port is the client's port for some proxies and the proxy's own for others
  // (nginx's `$server_port` behind a load balancer): when it is a default port (80, 443), the
  // forwarded host also counts without it. Any other port is taken at its word: a page on
  // another port of the same host is another origin.
  const forwardedPort = firstValue(headers['x-forwarded-port']);
  const hosts = [
    viaProxy.host,
    withForwardedPort(headers),
    forwardedPort === '80' || forwardedPort === '443' ? firstValue(headers['x-forwarded-host']) : undefined,
    firstValue(headers.host),
  ];
  return hosts.some((host) => host !== undefined && withoutDefaultPort(host, page.protocol) === page.host);
}
