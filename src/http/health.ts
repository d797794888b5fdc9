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

/** Mia-Platform style probes: liveness, readiness, and a deeper check-up. */
export function registerHealthRoutes(
  server: FastifyInstance,
  options: {
    name: string;
    version: string;
    ready: HealthCheck[];
    checkUp: HealthCheck[];
    timeoutMs?: number;
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
      const dependencies = await runChecks(checks, timeoutMs);
      const statuses = Object.values(dependencies);
      // KO: something the service needs fails (503). DEGRADED: it serves, but needs a look (200).
      const status: CheckStatus = statuses.includes('KO')
        ? 'KO'
        : statuses.includes('DEGRADED')
          ? 'DEGRADED'
          : 'OK';
      if (status !== 'OK')
        request.log.warn({ dependencies }, `${path} ${status === 'KO' ? 'failing' : 'degraded'}`);
      return reply.code(status === 'KO' ? 503 : 200).send({ status, ...identity, dependencies });
    });
  }
}
