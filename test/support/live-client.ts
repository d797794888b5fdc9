import type { ExecutionResult } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** graphql-ws opens `new webSocketImpl(url, protocol)`: a subclass puts headers on the upgrade request. */
function webSocketWithHeaders(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}

export interface LiveClientOptions {
  /** Headers of the upgrade request (what the platform's gateway sets). */
  headers?: Record<string, string>;
  /** The connection_init payload. */
  connectionParams?: Record<string, unknown>;
}

/** One subscription's messages as they arrive, and how it ended. */
export interface Stream {
  results: ExecutionResult[];
  /** Resolves when the stream completes or fails. */
  ended: Promise<{ error?: unknown }>;
  /** Waits until `count` results arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ExecutionResult[]>;
  unsubscribe(): void;
}

export interface LiveClient {
  client: Client;
  subscribe(query: string, variables?: Record<string, unknown>): Stream;
  /** Close events the client saw (code, reason). */
  closes: Array<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

export function liveClient(httpUrl: string, options: LiveClientOptions = {}): LiveClient {
  const closes: Array<{ code: number; reason: string }> = [];
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: webSocketWithHeaders(options.headers ?? {}),
    ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
    retryAttempts: 0,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  return {
    client,
    closes,
    subscribe(query, variables) {
      const results: ExecutionResult[] = [];
      const waiters: Array<() => void> = [];
      let finish: (outcome: { error?: unknown }) => void = () => {};
      const ended = new Promise<{ error?: unknown }>((resolve) => {
        finish = resolve;
      });
      const wake = () => {
        for (const waiter of waiters.splice(0)) waiter();
      };
      const unsubscribe = client.subscribe(
        { query, ...(variables ? { variables } : {}) },
        {
          next: (result) => {
            results.push(result as ExecutionResult);
            wake();
          },
          error: (error) => {
            finish({ error });
            wake();
          },
          complete: () => {
            finish({});
            wake();
          },
        },
      );
      let done = false;
      void ended.then(() => {
        done = true;
      });
      return {
        results,
        ended,
        unsubscribe,
        async waitFor(count, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          while (results.length < count) {
            if (done) throw new Error(`the stream ended after ${results.length} of ${count} results`);
            if (Date.now() > deadline) throw new Error(`only ${results.length} of ${count} results arrived`);
            await new Promise<void>((resolve) => {
              waiters.push(resolve);
              setTimeout(resolve, 50);
            });
          }
          return results.slice(0, count);
        },
      };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
