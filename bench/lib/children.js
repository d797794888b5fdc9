/**
 * Server processes for the benchmark: forked with an IPC channel, each reports its URL when
 * ready. Every child is tracked so that a failure, Ctrl+C or an exception ends them all.
 */
import { fork } from 'node:child_process';
import { openSync as openSyncForStdout, readFileSync } from 'node:fs';

const STDERR_KEPT_BYTES = 16 * 1024;

/** @type {Set<ServerProcess>} */
const running = new Set();

export class ServerProcess {
  /**
   * @param {string} name what the reports call it
   * @param {string} script absolute path of the server module
   * @param {Record<string, unknown>} options passed as JSON in argv[2]
   * @param {{ execArgv?: string[], readyTimeoutMs?: number }} [launch]
   */
  constructor(name, script, options, launch = {}) {
    this.name = name;
    this.stderr = '';
    this.exited = false;
    /** @type {Map<number, (message: any) => void>} */
    this.pending = new Map();
    this.nextId = 1;
    this.child = fork(script, [JSON.stringify(options)], {
      stdio: [
        'ignore',
        // BENCH_CHILD_STDOUT=<prefix>: each server's stdout to <prefix>-<name> (V8's tracing
        // flags, `--trace-gc-nvp` through BENCH_GATEWAY_NODE_FLAGS, write there).
        process.env.BENCH_CHILD_STDOUT
          ? openSyncForStdout(`${process.env.BENCH_CHILD_STDOUT}-${name}`, 'w')
          : 'ignore',
        'pipe',
        'ipc',
      ],
      execArgv: launch.execArgv ?? [],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    running.add(this);
    this.child.stderr?.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT_BYTES);
    });
    this.child.on('message', (message) => {
      const waiter = this.pending.get(message?.id);
      if (waiter) {
        this.pending.delete(message.id);
        waiter(message);
      }
    });
    this.exitedPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        running.delete(this);
        resolve({ code, signal });
      });
    });
    this.readyTimeoutMs = launch.readyTimeoutMs ?? 60_000;
  }

  /**
   * Waits for the child's `ready` message.
   * @returns {Promise<{ url: string, reads: Array<{ id: string, caller: string }>, records: number, seedMs?: number, answerPrefix: string }>}
   */
  ready() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(this.failure(`not ready within ${this.readyTimeoutMs} ms`)),
        this.readyTimeoutMs,
      );
      const onMessage = (message) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message);
      };
      this.child.on('message', onMessage);
      this.exitedPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(this.failure(`exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
  }

  /**
   * Asks the child something over IPC (`stats`, `reset-peak`) and waits for the answer.
   * @param {string} type
   * @param {Record<string, unknown>} [details] more of the message (a profile's path)
   * @returns {Promise<any>}
   */
  ask(type, timeoutMs = 5000, details = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(this.failure(`no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.child.send({ ...details, type, id });
    });
  }

  /** Linux: the kernel's high-water mark of the child's resident set (VmHWM), in bytes. */
  kernelPeakRssBytes() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? null : Number(kb) * 1024;
    } catch {
      return null;
    }
  }

  /** Asks the child to stop; kills it when it has not exited within `graceMs`. */
  async stop(graceMs = 6000) {
    if (this.exited) return;
    if (this.child.connected) this.child.send({ type: 'stop' });
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, graceMs);
    await this.exitedPromise;
    clearTimeout(timer);
  }

  /** @param {string} what */
  failure(what) {
    const tail = this.stderr.trim();
    return new Error(`${this.name} ${what}${tail ? `\n--- ${this.name} stderr ---\n${tail}` : ''}`);
  }
}

/** Stops every child still running (used in `finally` and on signals). */
export async function stopAll() {
  await Promise.all([...running].map((server) => server.stop()));
}

/** Last resort on process exit: no await possible, so kill outright. */
export function killAll() {
  for (const server of running) {
    if (!server.exited) server.child.kill('SIGKILL');
  }
}
