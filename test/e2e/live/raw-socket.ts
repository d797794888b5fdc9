/**
 * A WebSocket to the gateway's /graphql that speaks graphql-transport-ws by hand: the messages a
 * well-behaved client never sends (a subscribe before connection_init, a second init, a reused
 * id, a server's message type), and the upgrade's outcome when it is refused.
 */
import WebSocket from 'ws';

export const PROTOCOL = 'graphql-transport-ws';

export interface RawSocketOptions {
  /** The subprotocols offered; none at all with `[]`. */
  protocols?: string[];
  /** Headers of the upgrade request (the platform's gateway sets the identity ones). */
  headers?: Record<string, string>;
  /** The client's own address (any of 127.0.0.0/8 on Linux): another client address for the gateway. */
  localAddress?: string;
}

export interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface RawSocket {
  socket: WebSocket;
  /** Every message the server sent, parsed. */
  received: Message[];
  send(message: Message | string): void;
  /** The first message of `type` (already received or still to come). */
  next(type: string, timeoutMs?: number): Promise<Message>;
  /** How the server closed the socket. */
  closed: Promise<{ code: number; reason: string }>;
  /** Whether the socket is still open. */
  readonly open: boolean;
}

/** The upgrade's outcome: the socket once open, or the status and body of the refusal. */
export type Opened =
  | { status: 101; raw: RawSocket }
  | { status: number; body: string; headers: Record<string, string | string[] | undefined> };

export function openRaw(httpUrl: string, options: RawSocketOptions = {}): Promise<Opened> {
  const url = `${httpUrl.replace(/^http/, 'ws')}/graphql`;
  const socket = new WebSocket(url, options.protocols ?? [PROTOCOL], {
    headers: options.headers ?? {},
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const received: Message[] = [];
  const waiting: Array<() => void> = [];
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as Message);
    for (const wake of waiting.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const raw: RawSocket = {
    socket,
    received,
    closed,
    get open() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find((message) => message.type === type);
        if (found) return found;
        if (socket.readyState !== WebSocket.OPEN) throw new Error(`closed before a ${type} message`);
        if (Date.now() > deadline) throw new Error(`no ${type} message within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ status: 101, raw }));
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
      );
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(String(error))) reject(error);
    });
  });
}

/** Opens a socket that must be let through. */
export async function openAdmitted(httpUrl: string, options: RawSocketOptions = {}): Promise<RawSocket> {
  const opened = await openRaw(httpUrl, options);
  if (!('raw' in opened)) throw new Error(`upgrade refused: ${opened.status} ${opened.body}`);
  return opened.raw;
}

/** Opens a socket and has it acknowledged with the identity of `headers` (in the upgrade request). */
export async function openAcknowledged(httpUrl: string, options: RawSocketOptions = {}): Promise<RawSocket> {
  const raw = await openAdmitted(httpUrl, options);
  raw.send({ type: 'connection_init' });
  await raw.next('connection_ack');
  return raw;
}
