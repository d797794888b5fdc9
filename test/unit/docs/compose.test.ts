import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standaloneSandboxOptions } from '../../../dev/kaleyra-sandbox/standalone.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { ROOT } from './markdown.js';

/**
 * compose.yaml cannot be run where this is built (no container engine), so what can be checked
 * without one is checked here: the three services agree with each other and with the code.
 */
const compose = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');

/** The lines of one service's block (the file's services are two-space keys under `services:`). */
function service(name: string): string {
  const start = compose.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`compose.yaml has no service ${name}`);
  const rest = compose.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}\S|\n\S/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

/** A service's `environment:` map (`KEY: value` lines; quotes dropped; commented lines skipped). */
function environment(name: string): Record<string, string> {
  const block = service(name);
  const from = block.indexOf('    environment:\n');
  if (from < 0) return {};
  const lines = block.slice(from).split('\n').slice(1);
  const env: Record<string, string> = {};
  for (const line of lines) {
    if (/^ {6}#/.test(line)) continue;
    const entry = /^ {6}([A-Z][A-Z0-9_]*): ?(.*)$/.exec(line);
    if (!entry) break;
    env[entry[1] ?? ''] = (entry[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

describe('compose.yaml', () => {
  const gateway = environment('gateway');
  const sandbox = environment('kaleyra-sandbox');

  it('gives the gateway a configuration it starts with', () => {
    expect(() => loadConfig(gateway)).not.toThrow();
  });

  it('points the gateway at the sandbox with the key the sandbox expects', () => {
    const options = standaloneSandboxOptions(sandbox);
    expect(gateway.BANDYER_BASE_URL).toBe(`http://kaleyra-sandbox:${options.port}`);
    expect(gateway.BANDYER_API_SECRET_KEY).toBe(options.apiKey);
    expect(options.host).toBe('0.0.0.0');
  });

  it('runs MongoDB as the replica set the gateway names, initiated with the name other containers use', () => {
    const mongo = service('mongo');
    expect(mongo).toContain('image: mongo:7');
    const replicaSet = /"--replSet", "(\w+)"/.exec(mongo)?.[1];
    expect(replicaSet).toBeDefined();
    expect(new URL(gateway.MONGODB_URL ?? '').searchParams.get('replicaSet')).toBe(replicaSet);
    expect(new URL(gateway.MONGODB_URL ?? '').host).toBe('mongo:27017');
    expect(mongo).toContain(
      `rs.initiate({ _id: '${replicaSet}', members: [{ _id: 0, host: 'mongo:27017' }] })`,
    );
    expect(mongo).toContain('quit(db.hello().isWritablePrimary ? 0 : 1)');
    expect(service('gateway')).toMatch(/mongo:\n\s+condition: service_healthy/);
  });

  it('builds the sandbox image so that it runs the compiled entry point', () => {
    expect(service('kaleyra-sandbox')).toContain('dockerfile: dev/kaleyra-sandbox/Dockerfile');
    const dockerfile = readFileSync(join(ROOT, 'dev/kaleyra-sandbox/Dockerfile'), 'utf8');
    const outDir = (
      JSON.parse(readFileSync(join(ROOT, 'tsconfig.dev.json'), 'utf8')) as {
        compilerOptions: { outDir: string };
      }
    ).compilerOptions.outDir;
    expect(dockerfile).toContain('RUN npm run build:dev');
    expect(dockerfile).toContain(`CMD ["node", "${outDir}/dev/kaleyra-sandbox/serve.js"]`);
  });

  it('publishes ports on loopback only: nothing in front of it checks who is calling', () => {
    const published = [...compose.matchAll(/^\s+- "([^"]+:\d+:\d+)"$/gm)].map((match) => match[1]);
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((mapping) => !mapping?.startsWith('127.0.0.1:'))).toEqual([]);
  });
});
