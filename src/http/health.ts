import type { FastifyInstance } from 'fastify';

export interface HealthCheck {
  name: string;
  /** Resolves when the dependency answers. */
  check: () => Promise<void>;
}

/** Runs checks concurrently, each bounded, and reports which failed (never why: no internals). */
async function runChecks(checks: HealthCheck[], timeoutMs: number): Promise<Record<string, 'OK' | 'KO'>> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'OK'] as const;
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
      const ok = Object.values(dependencies).every((s) => s === 'OK');
      if (!ok) request.log.warn({ dependencies }, `${path} failing`);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'OK' : 'KO', ...identity, dependencies });
    });
  }
}
