import type { FastifyInstance } from 'fastify';

export interface HealthCheck {
  name: string;
  /**
   * Resolves when the dependency answers; with 'DEGRADED' when it works but needs a look (the
   * service keeps serving: only the check-up says so).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a check that resolves with nothing is healthy (a store ping).
  check: () => Promise<void | 'DEGRADED'>;
}

/** One dependency's state; the route's own status is only OK or KO, as lc39's schema says. */
type CheckStatus = 'OK' | 'DEGRADED' | 'KO';

/** Runs checks concurrently, each bounded, and reports which failed (never why: no internals). */
async function runChecks(checks: HealthCheck[], timeoutMs: number): Promise<Record<string, CheckStatus>> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
      try {
        const status = await Promise.race([check(), timeout]);
        return [name, status === 'DEGRADED' ? 'DEGRADED' : 'OK'] as const;
      } catch {
        return [name, 'KO'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(results);
}

/**
 * Mia-Platform's status routes, answered as lc39's are (`{ status: "OK" | "KO", name, version }`,
 * 200 or 503; extra fields are allowed): liveness, readiness, and a deeper check-up that lists
 * each dependency. A dependency that is DEGRADED (works, but needs a look) leaves the status OK
 * and says so in `dependencies`.
 */
export function registerHealthRoutes(
  server: FastifyInstance,
  options: {
    name: string;
    version: string;
    ready: HealthCheck[];
    checkUp: HealthCheck[];
    timeoutMs?: number;
    /** Why the service takes no new requests (it is stopping), or undefined while it does. */
    notReady?: () => string | undefined;
  },
): void {
  const timeoutMs = options.timeoutMs ?? 3000;
  const identity = { name: options.name, version: options.version };
  server.get('/-/healthz', async () => ({ status: 'OK', ...identity }));
  for (const [path, checks] of [
    ['/-/ready', options.ready],
    ['/-/check-up', options.checkUp],
  ] as const) {
    server.get(path, async (request, reply) => {
      // Stopping: not ready at once, without asking anything, so the platform routes elsewhere.
      const stopping = path === '/-/ready' ? options.notReady?.() : undefined;
      if (stopping !== undefined)
        return reply.code(503).send({ status: 'KO', ...identity, message: stopping });
      const dependencies = await runChecks(checks, timeoutMs);
      const statuses = Object.values(dependencies);
      // KO: something the service needs fails (503). DEGRADED: it serves, but needs a look (200).
      const failing = statuses.includes('KO');
      if (failing || statuses.includes('DEGRADED'))
        request.log.warn({ dependencies }, `${path} ${failing ? 'failing' : 'degraded'}`);
      return reply
        .code(failing ? 503 : 200)
        .send({ status: failing ? 'KO' : 'OK', ...identity, dependencies });
    });
  }
}
