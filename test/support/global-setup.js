// Some tests start the real entry point (node dist/main.js), so the production build must be
// current. Type errors do not stop emission here: `npm run typecheck` reports them.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

export default function globalSetup() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // Clean first, as `npm run build` does: a file left from an older layout must not linger.
  rmSync(new URL('../../dist', import.meta.url), { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
  } catch {
    // emitted anyway; typecheck is a separate step
  }
}
