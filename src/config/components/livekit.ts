/**
 * LiveKit (self-hosted or cloud): where its server API is, where browsers connect, the key and
 * secret the gateway signs every token with, and the frontend's meeting page the join links open.
 * Optional unless LiveKit hosts the rooms; set in part, they stop the start (a record whose room
 * lives on LiveKit could not be served).
 */
import { z } from 'zod';
import type { EnvironmentIssue } from '../issues.js';
import { DAY, HOUR, MINUTE, text, type ValuesOf, type VariableTable, wholeNumber } from '../values.js';

/** LiveKit refuses HMAC keys shorter than this (and so do we, at start). */
export const MIN_LIVEKIT_SECRET_BYTES = 32;

function parseUrl(raw: string, protocols: readonly string[]): URL | undefined {
  try {
    const url = new URL(raw);
    return protocols.includes(url.protocol) && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The server API: http(s), or the ws(s) address LiveKit's SDKs also accept (same host and port). */
const serverUrl = z.string().transform((raw, ctx) => {
  const url = parseUrl(raw, ['http:', 'https:', 'ws:', 'wss:']);
  if (url === undefined) {
    ctx.issues.push({ code: 'custom', input: raw, message: 'expected an http:// or https:// URL' });
    return z.NEVER;
  }
  return raw.replace(/^ws(s?):/i, 'http$1:').replace(/\/+$/, '');
});

const websocketUrl = z.string().refine((raw) => parseUrl(raw, ['ws:', 'wss:']) !== undefined, {
  error: 'expected a ws:// or wss:// URL (the address browsers connect to)',
});

const nonEmpty = text.refine((raw) => raw.trim() !== '', { error: 'expected a non-empty value' });

/** Never echoed back: only its length is reported. */
const apiSecret = z.string().refine((raw) => Buffer.byteLength(raw) >= MIN_LIVEKIT_SECRET_BYTES, {
  error: (issue) =>
    `too short: ${Buffer.byteLength(String(issue.input))} bytes, at least ${MIN_LIVEKIT_SECRET_BYTES} are required (LiveKit refuses shorter keys)`,
});

/**
 * An https URL once `{token}` (and `{url}`, if present) are put in; `{token}` must be there. Only an
 * https URL is handed out as a link (as for Kaleyra's links), so plain http is refused at start.
 */
const joinUrlTemplate = z
  .string()
  .refine((raw) => raw.includes('{token}'), { error: 'expected a URL template containing {token}' })
  .refine(
    (raw) =>
      parseUrl(raw.replaceAll('{token}', 'token').replaceAll('{url}', 'wss%3A%2F%2Fx'), ['https:']) !==
      undefined,
    { error: 'expected an https:// URL template (join links are https)' },
  );

export const LIVEKIT_VARIABLES = {
  LIVEKIT_URL: {
    description:
      "LiveKit's server API (http or https; a ws(s) address is read as http(s)): where rooms are created and deleted. Required with VIDEO_PROVIDER=livekit.",
    schema: serverUrl,
  },
  LIVEKIT_WS_URL: {
    description:
      'The address browsers connect to (ws:// or wss://), put into join links as {url}. Required with VIDEO_PROVIDER=livekit.',
    schema: websocketUrl,
  },
  LIVEKIT_API_KEY: {
    description:
      'The LiveKit API key: the issuer of every token the gateway signs. Required with VIDEO_PROVIDER=livekit.',
    schema: nonEmpty,
  },
  LIVEKIT_API_SECRET: {
    description: `The LiveKit API secret the gateway signs tokens with (HS256), at least ${MIN_LIVEKIT_SECRET_BYTES} bytes. Never logged. Required with VIDEO_PROVIDER=livekit.`,
    schema: apiSecret,
  },
  LIVEKIT_JOIN_URL: {
    description:
      "The frontend's meeting page (https), a template with {token} (the participant's join token) and optionally {url} (LIVEKIT_WS_URL), both URL-encoded: https://meet.example/custom?liveKitUrl={url}&token={token}. Required with VIDEO_PROVIDER=livekit.",
    schema: joinUrlTemplate,
  },
  LIVEKIT_TIMEOUT_MS: {
    default: '5000',
    description: 'Timeout of each LiveKit server API request, in milliseconds.',
    schema: wholeNumber(100, 2 * MINUTE),
  },
  LIVEKIT_RETRY_LIMIT: {
    default: '2',
    description:
      'Retries of a failed LiveKit call (every RoomService method the gateway uses is safe to repeat: rooms are created under names we choose).',
    schema: wholeNumber(0, 10),
  },
  LIVEKIT_TOKEN_TTL_MS: {
    default: String(6 * HOUR),
    description:
      "Lifetime of a LiveKit join token when the participant's join window has no end (no close rule, or a visit without an end date), in milliseconds from when the link is handed out. With an end, the token expires exactly there.",
    schema: wholeNumber(MINUTE, 7 * DAY),
  },
} as const satisfies VariableTable;

/** `config.livekit`, when LiveKit's credentials are configured. */
export interface LivekitConfig {
  /** LIVEKIT_URL, http(s), no trailing slash. */
  url: string;
  /** LIVEKIT_WS_URL */
  wsUrl: string;
  /** LIVEKIT_API_KEY */
  apiKey: string;
  /** LIVEKIT_API_SECRET: never logged, never put in an error. */
  apiSecret: string;
  /** LIVEKIT_JOIN_URL, `{token}` and `{url}` to fill in. */
  joinUrlTemplate: string;
  /** LIVEKIT_TIMEOUT_MS */
  timeoutMs: number;
  /** LIVEKIT_RETRY_LIMIT */
  retryLimit: number;
  /** LIVEKIT_TOKEN_TTL_MS */
  unboundedTokenTtlMs: number;
}

/** The variables that must be set together: LiveKit can be used only with all of them. */
export const LIVEKIT_CONNECTION_VARIABLES = [
  'LIVEKIT_URL',
  'LIVEKIT_WS_URL',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'LIVEKIT_JOIN_URL',
] as const;

/**
 * LiveKit's section, or why the start stops. With VIDEO_PROVIDER=livekit every connection
 * variable is required; with another provider they are all set (to serve the records whose rooms
 * live on LiveKit) or none is. Values already reported as malformed are not judged again.
 */
export function chooseLivekit(
  v: ValuesOf<typeof LIVEKIT_VARIABLES>,
  required: boolean,
  reported: (name: string) => boolean,
): { livekit: LivekitConfig | undefined } | { issues: EnvironmentIssue[] } {
  const missing = LIVEKIT_CONNECTION_VARIABLES.filter((name) => v[name] === undefined && !reported(name));
  const anyReported = LIVEKIT_CONNECTION_VARIABLES.some(reported);
  const noneSet = missing.length === LIVEKIT_CONNECTION_VARIABLES.length;
  if (!required && noneSet) return { livekit: undefined };
  if (missing.length > 0) {
    const why = required
      ? 'required with VIDEO_PROVIDER=livekit'
      : `required with the other LIVEKIT_* variables (set: ${LIVEKIT_CONNECTION_VARIABLES.filter((name) => v[name] !== undefined || reported(name)).join(', ')}); set all of them to serve rooms on LiveKit, or none`;
    return {
      issues: missing.map((name) => ({
        path: name,
        message: `${why} (${LIVEKIT_VARIABLES[name].description.split('. ')[0]})`,
      })),
    };
  }
  if (anyReported) return { issues: [] };
  return {
    livekit: {
      url: v.LIVEKIT_URL as string,
      wsUrl: v.LIVEKIT_WS_URL as string,
      apiKey: v.LIVEKIT_API_KEY as string,
      apiSecret: v.LIVEKIT_API_SECRET as string,
      joinUrlTemplate: v.LIVEKIT_JOIN_URL as string,
      timeoutMs: v.LIVEKIT_TIMEOUT_MS,
      retryLimit: v.LIVEKIT_RETRY_LIMIT,
      unboundedTokenTtlMs: v.LIVEKIT_TOKEN_TTL_MS,
    },
  };
}
