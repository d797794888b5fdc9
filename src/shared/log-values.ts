/**
 * Client-supplied text in a log line is clipped: one request must not write a 100 KB line (a
 * 90,000-character operation name, a huge request id), nor make the log pipeline pay for it.
 */
export function clipForLog(value: string, maxLength: number): string {
  return value.length <= maxLength ? value : `${value.slice(0, maxLength)}…(${value.length} chars)`;
}

/** An `x-request-id` worth keeping: short and made of the characters ids and UUIDs use. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function acceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}
