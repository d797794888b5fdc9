/**
 * A participant's join link: LIVEKIT_JOIN_URL (the frontend's meeting page) with `{token}` and
 * `{url}` (LIVEKIT_WS_URL, where browsers connect) put in, both URL-encoded.
 */
export function livekitJoinLink(template: string, token: string, wsUrl: string): string {
  return template
    .replaceAll('{token}', encodeURIComponent(token))
    .replaceAll('{url}', encodeURIComponent(wsUrl));
}
