import { z } from 'zod';

/**
 * A fault the sandbox injects into matching requests, to rehearse what Kaleyra or the network
 * can do to the client. A fault with only `delayMs` delays, then the request is handled normally.
 */
export const sandboxFaultSchema = z
  .object({
    /** Any method when absent. */
    method: z.string().min(1).optional(),
    /** Exact path (`/v2/rooms`), with `:param` segments (`/v2/rooms/:room_id`), or `*` for every Kaleyra route. */
    path: z.string().min(1),
    /** Answer with this status instead of handling the request. */
    status: z.number().int().min(100).max(599).optional(),
    /** Body of the injected answer; defaults to a contract-shaped `{ error, message }`. */
    body: z.unknown().optional(),
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    delayMs: z.number().int().nonnegative().optional(),
    /** Destroy the connection without answering (after any delay). */
    drop: z.boolean().optional(),
    /**
     * Handle the request first, then apply `status` or `drop` to its answer: the request takes
     * effect and the caller never hears of it (a room made whose creation answer is lost).
     */
    afterHandling: z.boolean().optional(),
    /** How many matching requests it affects; default 1. */
    times: z.union([z.number().int().positive(), z.literal('always')]).optional(),
  })
  .strict();

export type SandboxFault = z.infer<typeof sandboxFaultSchema>;

interface ScheduledFault {
  fault: SandboxFault;
  remaining: number;
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  const expected = pattern.replace(/^\/+/, '').split('/');
  const actual = path.replace(/^\/+/, '').split('/');
  return (
    expected.length === actual.length &&
    expected.every((segment, index) => segment.startsWith(':') || segment === actual[index])
  );
}

/** Faults in the order they were injected; the first match wins and uses up one of its times. */
export class FaultSchedule {
  private scheduled: ScheduledFault[] = [];

  add(fault: SandboxFault): void {
    const parsed = sandboxFaultSchema.parse(fault);
    const times = parsed.times ?? 1;
    this.scheduled.push({ fault: parsed, remaining: times === 'always' ? Number.POSITIVE_INFINITY : times });
  }

  clear(): void {
    this.scheduled = [];
  }

  list(): SandboxFault[] {
    return this.scheduled.map(({ fault, remaining }) => ({
      ...fault,
      times: remaining === Number.POSITIVE_INFINITY ? 'always' : remaining,
    }));
  }

  /** Takes the fault for this request, if any. */
  take(method: string, path: string): SandboxFault | undefined {
    const index = this.scheduled.findIndex(
      ({ fault }) =>
        (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
        pathMatches(fault.path, path),
    );
    const scheduled = this.scheduled[index];
    if (scheduled === undefined) return undefined;
    scheduled.remaining -= 1;
    if (scheduled.remaining <= 0) this.scheduled.splice(index, 1);
    return scheduled.fault;
  }
}
