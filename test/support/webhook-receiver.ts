import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (0: it never answered). */
  answered: number;
}

/** How the receiver treats the next requests, in order; then `default`. */
export type ReceiverBehaviour = { status: number; headers?: Record<string, string> } | { hangMs: number };

/**
 * A webhook endpoint for the tests: records every request (raw body included), answers 204 by
 * default or as told (a status, a hang longer than the gateway's timeout), and can stop listening
 * and start again on the same port (a refused connection).
 */
export interface WebhookReceiver {
  url: string;
  received(): ReceivedWebhook[];
  /** Queue behaviours for the next requests. */
  next(...behaviours: ReceiverBehaviour[]): void;
  /** The answer once the queue is empty. */
  setDefault(behaviour: ReceiverBehaviour): void;
  /** Stops listening: connections are refused until `listen()`. */
  stop(): Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: ReceiverBehaviour[] = [];
  let fallback: ReceiverBehaviour = { status: 204 };
  let port = 0;
  let server: Server;

  const open = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const entry: ReceivedWebhook = {
            headers: request.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            answered: 0,
          };
          received.push(entry);
          const behaviour = queue.shift() ?? fallback;
          if ('hangMs' in behaviour) {
            setTimeout(() => {
              if (!response.destroyed) response.writeHead(204).end();
            }, behaviour.hangMs).unref();
            return;
          }
          entry.answered = behaviour.status;
          response.writeHead(behaviour.status, behaviour.headers ?? {}).end();
        });
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  await open();
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received: () => [...received],
    next: (...behaviours) => queue.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    stop: shut,
    listen: open,
    close: shut,
  };
}
