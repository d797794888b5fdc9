/**
 * Process entry (`npm start`): validate the configuration, then start the app, then stop it
 * cleanly on SIGTERM (after WAIT_BEFORE_SERVER_CLOSE_SEC, not ready meanwhile) or SIGINT (at once). Every failure here is one readable message and exit code 1: a bad
 * configuration must never leave a half-started server or a stack trace for operators to parse.
 */

import type { App } from './app.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { Config } from './config/types.js';
import { limitHeapGrowth } from './observability/heap-growth.js';
import type { Tracing } from './observability/tracing.js';

// Before the heap grows: how far V8 lets it grow past what is live (observability/heap-growth.ts).
limitHeapGrowth();

/**
 * Writes to stderr, then exits once the write is flushed (stderr may be a pipe), or after a
 * moment regardless: an exit must never wait on a reader that is not reading.
 */
function exitWith(code: number, message: string): void {
  process.stderr.write(`${message}\n`, () => process.exit(code));
  setTimeout(() => process.exit(code), 200);
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function readConfig(): Config | undefined {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.issues.map((issue) => `  ${issue.path}: ${issue.message}`);
    exitWith(1, ['Invalid configuration:', ...lines].join('\n'));
    return undefined;
  }
}

/**
 * ENABLE_TRACING: the OpenTelemetry SDK starts before the app's modules are imported (the
 * instrumentations patch Fastify, GraphQL, HTTP and MongoDB as they load), as lc39 starts it
 * before it requires the service. Off: nothing of the SDK is even loaded.
 */
async function startTracing(config: Config): Promise<Tracing | undefined> {
  if (!config.tracing.enabled) return undefined;
  const { startTracing: start } = await import('./observability/tracing.js');
  return start(config.tracing);
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config === undefined) return;
  let tracing: Tracing | undefined;
  try {
    tracing = await startTracing(config);
  } catch (error) {
    exitWith(1, `Failed to start tracing: ${messageOf(error)}`);
    return;
  }
  // The last spans (the stop's own) are flushed before the process exits.
  const flushTracing = () => (tracing ? tracing.shutdown().catch(() => undefined) : Promise.resolve());

  // Handlers go in before the app exists so a signal during start-up still stops it cleanly.
  let app: App | undefined;
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      exitWith(1, `Received ${signal} again while stopping; exiting now.`);
      return;
    }
    stopping = true;
    // SIGTERM is the platform's: it keeps serving for WAIT_BEFORE_SERVER_CLOSE_SEC (not ready),
    // then closes. SIGINT is a person at a terminal: it closes at once.
    const waitMs = signal === 'SIGTERM' ? config.runtime.waitBeforeCloseMs : 0;
    // Whatever holds the stop (a request waiting on an upstream that never answers, a socket, a
    // timer), the process is gone SHUTDOWN_TIMEOUT_MS after closing began, saying what was open.
    setTimeout(() => {
      app?.logger.error(
        { openRequests: app.openRequests(), activeResources: process.getActiveResourcesInfo() },
        'shutdown deadline passed; exiting with work still open',
      );
      exitWith(
        1,
        `Stopping took longer than SHUTDOWN_TIMEOUT_MS (${config.runtime.shutdownTimeoutMs} ms); exiting now.`,
      );
    }, waitMs + config.runtime.shutdownTimeoutMs);
    void starting.then(
      () =>
        Promise.resolve(signal === 'SIGTERM' ? app?.terminate() : app?.stop()).then(
          () => flushTracing().then(() => process.exit(0)),
          (error: unknown) => exitWith(1, `Failed to stop: ${messageOf(error)}`),
        ),
      // A failed start is reported (exit 1) by main itself.
      () => undefined,
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  // Imported only now: a bad configuration must not load (or half-initialise) the whole app.
  const { createApp } = await import('./app.js');
  starting = (async () => {
    const created: App = await createApp(config);
    app = created;
    // The app logs where it listens, in its own structured format.
    await created.start();
  })();
  try {
    await starting;
  } catch (error) {
    exitWith(1, `Failed to start: ${messageOf(error)}`);
  }
}

main().catch((error: unknown) => exitWith(1, `Failed to start: ${messageOf(error)}`));
