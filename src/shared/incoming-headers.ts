/** Incoming request headers, lower-cased names (as Node gives them). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;
