import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A user as the stub answers it: an Auth0-style body, sent as is. */
export type StubUser = Record<string, unknown>;

export interface StubRequest {
  method: string;
  path: string;
  /** As received: lower-cased names. */
  headers: IncomingHttpHeaders;
}

/**
 * How the stub misbehaves, for every request until changed:
 * - `closed`: drops the connection without answering;
 * - `status`: answers that status with a JSON error body;
 * - `delayMs`: answers normally after this long (longer than the gateway's timeout = "slow");
 * - `body`: answers 200 with this body for every user.
 */
export type StubFault =
  | { kind: 'closed' }
  | { kind: 'status'; status: number }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'body'; body: unknown };

export interface AuthServiceStub {
  /** Base URL for AUTH_SERVICE (http://127.0.0.1:<port>). */
  readonly url: string;
  /** host:port, the bare form the original service's AUTH_SERVICE took. */
  readonly host: string;
  setUser(userId: string, user: StubUser): void;
  deleteUser(userId: string): void;
  setFault(fault: StubFault | null): void;
  /**
   * Holds every answer until `count` requests are in flight at once, then answers them all.
   * Proves lookups are concurrent: sequential requests would never reach the count.
   */
  holdUntilInFlight(count: number | null): void;
  /** Requests received, oldest first. */
  requests(): StubRequest[];
  /** GET /users/<id> requests received for this user id. */
  callsFor(userId: string): number;
  /** Most requests in flight at the same time since the last clear. */
  maxInFlight(): number;
  clearRequests(): void;
  close(): Promise<void>;
}

/** A real HTTP server on loopback standing in for AUTH_SERVICE. */
export async function startAuthServiceStub(users: Record<string, StubUser> = {}): Promise<AuthServiceStub> {
  const directory = new Map(Object.entries(users));
  const log: StubRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let fault: StubFault | null = null;
  let holdCount: number | null = null;
  let held: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const answer = (response: ServerResponse, path: string) => {
    inFlight -= 1;
    if (response.destroyed) return;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (fault?.kind === 'status') return send(fault.status, { error: 'stub failure' });
    if (fault?.kind === 'body') return send(200, fault.body);
    const match = /^\/users\/([^/]+)$/.exec(path);
    const user = match ? directory.get(decodeURIComponent(match[1] as string)) : undefined;
    if (!user) return send(404, { statusCode: 404, error: 'Not Found', message: 'user not found' });
    send(200, user);
  };

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    log.push({ method: request.method ?? 'GET', path, headers: { ...request.headers } });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (fault?.kind === 'closed') {
      inFlight -= 1;
      request.socket.destroy();
      return;
    }
    const reply = () => answer(response, path);
    if (fault?.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, fault.delayMs);
      timers.add(timer);
      return;
    }
    if (holdCount !== null) {
      held.push(reply);
      if (inFlight >= holdCount) {
        const release = held;
        held = [];
        for (const go of release) go();
      }
      return;
    }
    reply();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    setUser: (userId, user) => void directory.set(userId, user),
    deleteUser: (userId) => void directory.delete(userId),
    setFault: (next) => {
      fault = next;
    },
    holdUntilInFlight: (count) => {
      holdCount = count;
    },
    requests: () => log.map((r) => ({ ...r, headers: { ...r.headers } })),
    callsFor: (userId) =>
      log.filter((r) => r.method === 'GET' && r.path === `/users/${encodeURIComponent(userId)}`).length,
    maxInFlight: () => maxInFlight,
    clearRequests: () => {
      log.length = 0;
      maxInFlight = inFlight;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
