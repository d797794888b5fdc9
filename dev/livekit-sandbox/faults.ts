import { z } from 'zod';

/**
 * A fault the LiveKit sandbox injects into matching requests, to rehearse what LiveKit or the
 * network can do to the client. As the Kaleyra sandbox's, plus `afterHandling`: the request takes
 * effect, then the answer is lost or replaced (a room made whose creation the caller never hears of).
 */
export const livekitFaultSchema = z
  .object({
    /** `/twirp/livekit.RoomService/<Method>`, or `*` for every method. */
    path: z.string().min(1),
    /** Answer with this status (body: `body`, or a Twirp `{ code: "internal", msg }`). */
    status: z.number().int().min(100).max(599).optional(),
    body: z.unknown().optional(),
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    delayMs: z.number().int().nonnegative().optional(),
    /** Destroy the connection without answering (after any delay). */
    drop: z.boolean().optional(),
    /** Handle the request first, then apply `status` or `drop` to its answer. */
    afterHandling: z.boolean().optional(),
    /** How many matching requests it affects; default 1. */
    times: z.union([z.number().int().positive(), z.literal('always')]).optional(),
  })
  .strict();

export type LivekitSandboxFault = z.infer<typeof livekitFaultSchema>;

/** Faults in the order they were injected; the first match wins and uses up one of its times. */
export class LivekitFaultSchedule {
  private scheduled: Array<{ fault: LivekitSandboxFault; remaining: number }> = [];

  add(fault: LivekitSandboxFault): void {
    const parsed = livekitFaultSchema.parse(fault);
    const times = parsed.times ?? 1;
    this.scheduled.push({ fault: parsed, remaining: times === 'always' ? Number.POSITIVE_INFINITY : times });
  }

  clear(): void {
    this.scheduled = [];
  }

  list(): LivekitSandboxFault[] {
    return this.scheduled.map(({ fault, remaining }) => ({
      ...fault,
      times: remaining === Number.POSITIVE_INFINITY ? 'always' : remaining,
    }));
  }

  take(path: string): LivekitSandboxFault | undefined {
    const index = this.scheduled.findIndex(({ fault }) => fault.path === '*' || fault.path === path);
    const scheduled = this.scheduled[index];
    if (scheduled === undefined) return undefined;
    scheduled.remaining -= 1;
    if (scheduled.remaining <= 0) this.scheduled.splice(index, 1);
    return scheduled.fault;
  }
}
