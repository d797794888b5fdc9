/** A plain JSON object (not null, not an array): what parsed bodies and request paths are walked as. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
