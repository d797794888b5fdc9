/**
 * Value parsers for environment variables, and the shape of one variable's row. Every variable is
 * a string in; each parser turns it into a typed value or a one-line problem. Values that may hold
 * credentials (secret key, URLs) are never echoed back. The component files
 * (src/config/components/) hold the rows; src/config/env.ts puts them together.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** One variable: how it is parsed and what the documentation table says about it. */
export interface VariableSpec {
  description: string;
  schema: z.ZodType;
  required?: true;
  /**
   * A required variable another variable's value makes optional (Kaleyra's credentials with
   * VIDEO_PROVIDER=livekit): then it is needed only where it is used.
   */
  requiredUnless?: { variable: string; value: string };
  /** Parsed through `schema` like a set value, so a documented default is always a valid one. */
  default?: string;
  /** For defaults that depend on another variable: documented here, resolved in the component's section. */
  defaultDescription?: string;
}

/** A component's rows, by variable name. Order is the documentation's order. */
export type VariableTable = Record<string, VariableSpec>;

type ValueOf<S> = S extends { schema: infer Z extends z.ZodType }
  ? S extends { required: true } | { default: string }
    ? z.output<Z>
    : z.output<Z> | undefined
  : never;

/** Each variable's typed value; `undefined` only for optional variables without a default. */
export type ValuesOf<T extends VariableTable> = { [K in keyof T]: ValueOf<T[K]> };

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** RFC 9110 token characters, lower-cased: what Node accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

const quoted = (value: unknown): string => JSON.stringify(value);

export const text = z.string();

export const booleanValue = z
  .enum(['true', 'false'], { error: (issue) => `expected true or false, got ${quoted(issue.input)}` })
  .transform((value) => value === 'true');

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => `expected one of ${values.join(', ')}, got ${quoted(issue.input)}`,
  });
}

const RANGES = new WeakMap<object, readonly [number, number]>();

/**
 * Decimal digits only (`1.5`, `-1`, `10ms`, `1e3` and `0x10` are all mistakes worth stopping
 * for), within a range the service can work with: a value that passes here never breaks a timer,
 * a date or an answer later.
 */
export function wholeNumber(min: number, max: number) {
  const schema = z.string().transform((raw, ctx) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw)) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected a whole number from ${min} to ${max} (digits only), got ${quoted(raw)}`,
      });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected a whole number from ${min} to ${max}, got ${quoted(raw)}`,
      });
      return z.NEVER;
    }
    return value;
  });
  // The documentation tables state the range (the configuration table).
  RANGES.set(schema, [min, max]);
  return schema;
}

const BYTE_UNITS = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 } as const;
const BYTE_SIZE = /^(\d+(?:\.\d+)?) ?(B|KB|MB|GB)$/i;

/**
 * A size in bytes: a plain byte count (`1048576`) or a number with a unit (`50MB`, `512KB`, `1GB`,
 * `1.5MB`, `50 MB`; `B`, `KB`, `MB`, `GB` in any case, powers of 1024), rounded down to whole
 * bytes, within `min` to `max` bytes.
 */
export function byteSize(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const unit = BYTE_SIZE.exec(raw);
    const bytes = /^\d+$/.test(raw)
      ? Number(raw)
      : unit
        ? Math.floor(Number(unit[1]) * BYTE_UNITS[unit[2]?.toUpperCase() as keyof typeof BYTE_UNITS])
        : undefined;
    if (bytes === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected a size such as 50MB, 512KB or 1GB (powers of 1024) or a number of bytes, got ${quoted(raw)}`,
      });
      return z.NEVER;
    }
    if (bytes < min || bytes > max) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected a size from ${min} to ${max} bytes, got ${quoted(raw)} (${bytes} bytes)`,
      });
      return z.NEVER;
    }
    return bytes;
  });
}

/** A variable's documented description, with the range start-up accepts for a number. */
export function documentedDescription(spec: VariableSpec): string {
  const range = RANGES.get(spec.schema);
  return range ? `${spec.description} Accepted: ${range[0]} to ${range[1]}.` : spec.description;
}

function parseHttpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

export const httpUrl = z.string().refine((raw) => parseHttpUrl(raw) !== undefined, {
  error: 'expected an http:// or https:// URL',
});

/** The original took a bare hostname (`auth-service`); a full URL is accepted too. */
export const hostOrHttpUrl = z.string().transform((raw, ctx) => {
  const candidate = raw.includes('://') ? raw : `http://${raw}`;
  if (parseHttpUrl(candidate) === undefined) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: 'expected a hostname (auth-service, auth-service:8080) or an http(s) URL',
    });
    return z.NEVER;
  }
  return candidate.replace(/\/+$/, '');
});

/** An http(s) URL once `{id}` is put in; the placeholder must be there. */
export const urlTemplateWithId = z
  .string()
  .refine((raw) => raw.includes('{id}'), { error: 'expected a URL template containing {id}' })
  .refine((raw) => parseHttpUrl(raw.replaceAll('{id}', '0123456789abcdef01234567')) !== undefined, {
    error: 'expected an http:// or https:// URL template',
  });

/** `*`, or a comma-separated list of origins (scheme, host and port; no path). */
export const allowedOrigins = z.string().transform((raw, ctx) => {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins: string[] = [];
  for (const entry of entries) {
    const url = entry === '*' ? null : parseHttpUrl(entry);
    if (entry !== '*' && (url === undefined || url?.origin !== entry.replace(/\/$/, '').toLowerCase())) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected * or origins such as https://clinic.example (scheme, host, port; no path), got ${quoted(entry)}`,
      });
      return z.NEVER;
    }
    origins.push(url ? url.origin : '*');
  }
  return origins;
});

export const mongoUrl = z.string().refine((raw) => /^mongodb(\+srv)?:\/\/[^/?#]+/.test(raw), {
  error: 'expected a mongodb:// or mongodb+srv:// connection string',
});

export const headerName = z
  .string()
  .transform((raw) => raw.trim().toLowerCase())
  .refine((name) => HEADER_NAME.test(name), {
    error: (issue) => `expected an HTTP header name, got ${quoted(issue.input)}`,
  });

export const headerList = z.string().transform((raw, ctx) => {
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const invalid = names.filter((name) => !HEADER_NAME.test(name));
  if (invalid.length > 0) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: `expected comma-separated HTTP header names; not a header name: ${invalid.map(quoted).join(', ')}`,
    });
    return z.NEVER;
  }
  return [...new Set(names)];
});

/**
 * MongoDB's own limits on collection names, checked here so a typo fails at start, not on first use.
 * A name starting with `/` is the CRUD Service endpoint a 2.x deployment of the original named
 * (`/bk-ts-teleconsultations`): used as a collection name it would silently open a new, empty
 * collection beside the real one, so it is refused with what to write instead.
 */
export const collectionName = z
  .string()
  .refine((name) => !name.startsWith('/'), {
    error: (issue) =>
      `${quoted(issue.input)} is a CRUD Service endpoint path, not a collection: set the MongoDB collection behind that endpoint (see docs/migration.md)`,
  })
  .refine((name) => !/[$\0]/.test(name) && !name.startsWith('system.'), {
    error: (issue) =>
      `expected a collection name (no "$", not starting with "system."), got ${quoted(issue.input)}`,
  });

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Comma-separated IP addresses and CIDR ranges (what Fastify's trustProxy takes as a list). */
export const addressList = z.string().transform((raw, ctx) => {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const invalid = entries.filter((entry) => !isAddressOrRange(entry));
  if (invalid.length > 0) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: `expected comma-separated IP addresses or CIDR ranges (10.0.0.0/8); not one: ${invalid.map(quoted).join(', ')}`,
    });
    return z.NEVER;
  }
  return [...new Set(entries)];
});

/**
 * A variable of the original whose meaning is not public: any value stops the start with
 * `message`, rather than running with a behaviour nobody can check.
 */
export function refusedWhenSet(message: string) {
  return z.string().refine(() => false, { error: message });
}
