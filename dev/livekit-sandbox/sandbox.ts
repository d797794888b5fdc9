import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { type Clock, systemClock } from '../../src/domain/clock.js';
import {
  grantFor,
  ROOM_SERVICE_METHODS,
  ROOM_SERVICE_PREFIX,
  type RoomServiceMethod,
  type VideoGrant,
} from '../../src/video/livekit/wire.js';
import { MAX_BODY_BYTES, readBody } from '../sandbox-support/read-body.js';
import { LivekitFaultSchedule, type LivekitSandboxFault, livekitFaultSchema } from './faults.js';
import {
  type SandboxLivekitRoom,
  SandboxLivekitState,
  type SandboxParticipant,
  type SandboxReply,
  twirpError,
} from './state.js';
import { grantCovers, verifyToken } from './tokens.js';

export type { LivekitSandboxFault } from './faults.js';
export type { SandboxLivekitRoom, SandboxParticipant } from './state.js';

/** Prefix of the sandbox's own routes; the production client never calls it. */
export const LIVEKIT_SANDBOX_CONTROL_PREFIX = '/__sandbox/';

/** A request to the server API as the sandbox received it. Never the token itself. */
export interface LivekitSandboxRequest {
  /** The Twirp method (`CreateRoom`), or the path when it names none. */
  method: string;
  httpMethod: string;
  path: string;
  /** Parsed JSON; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  receivedAt: Date;
  /** A valid token whose grant covers the method. */
  authorized: boolean;
  /** The verified token's grant; undefined without a valid token. */
  grant: VideoGrant | undefined;
}

export interface LivekitSandboxOptions {
  /** The key tokens must name as `iss` (LIVEKIT_API_KEY). */
  apiKey: string;
  /** The secret tokens must be signed with (LIVEKIT_API_SECRET). */
  apiSecret: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Room creation times and token validity; default the system clock. */
  clock?: Clock;
  /** Field names of its answers: protobuf JSON writers use either; default camelCase. */
  answerNames?: 'camelCase' | 'snake_case';
}

export interface LivekitSandbox {
  /** Use as LIVEKIT_URL; no trailing slash. */
  readonly url: string;
  /** Use as LIVEKIT_WS_URL (the sandbox has no media; the address only names it). */
  readonly wsUrl: string;
  close(): Promise<void>;
  /** `path` is `/twirp/livekit.RoomService/<Method>`, or `*` for every method. */
  injectFault(fault: LivekitSandboxFault): void;
  clearFaults(): void;
  requests(): LivekitSandboxRequest[];
  clearRequests(): void;
  /** Snapshots; changing them changes nothing in the sandbox. */
  rooms(): SandboxLivekitRoom[];
  /**
   * A participant connects with a join token, as a browser would (`POST /__sandbox/join`): the
   * token is verified (signature, issuer, nbf/exp at the sandbox's clock, roomJoin, an existing
   * room with space). Resolves with the participant, or rejects with the Twirp code and message.
   */
  join(token: string): Promise<SandboxParticipant>;
}

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

const joinRequestSchema = z.object({ token: z.string().min(1) });

function isMethod(name: string): name is RoomServiceMethod {
  return (ROOM_SERVICE_METHODS as readonly string[]).includes(name);
}

function send(res: ServerResponse, reply: SandboxReply, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  // Exactly `application/json`: LiveKit's SDK parses a Twirp error only with that content type.
  res
    .writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

type ParsedBody = { json: true; value: unknown } | { json: false; raw: string };

function parseBody(raw: string): ParsedBody {
  if (raw === '') return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(raw) };
  } catch {
    return { json: false, raw };
  }
}

function bearerOf(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Starts a local LiveKit server API: the five RoomService methods of wire.ts over Twirp, with
 * in-memory rooms, LiveKit's token checks, fault injection, a request log and simulated joins
 * under /__sandbox/.
 */
export async function startLivekitSandbox(options: LivekitSandboxOptions): Promise<LivekitSandbox> {
  const clock = options.clock ?? systemClock;
  const key = { apiKey: options.apiKey, apiSecret: options.apiSecret };
  const state = new SandboxLivekitState(clock, options.answerNames ?? 'camelCase');
  const faults = new LivekitFaultSchedule();
  let received: LivekitSandboxRequest[] = [];
  const pendingDelays = new Set<() => void>();

  const delay = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        pendingDelays.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        pendingDelays.delete(cancel);
        resolve(true);
      }, ms);
      pendingDelays.add(cancel);
    });

  async function join(token: string): Promise<SandboxReply> {
    const checked = await verifyToken(token, key, clock.now());
    if (!checked.ok) return twirpError('unauthenticated', checked.reason);
    const { identity, name, grant } = checked.token;
    return state.join({ identity: identity ?? '', name, grant });
  }

  function handleMethod(method: RoomServiceMethod, body: unknown): SandboxReply {
    switch (method) {
      case 'CreateRoom':
        return state.createRoom(body);
      case 'DeleteRoom':
        return state.deleteRoom(body);
      case 'ListRooms':
        return state.listRooms(body);
      case 'UpdateRoomMetadata':
        return state.updateRoomMetadata(body);
      case 'RemoveParticipant':
        return state.removeParticipant(body);
    }
  }

  async function handleControl(method: string, route: string, body: ParsedBody): Promise<SandboxReply> {
    if (!body.json) return twirpError('malformed', 'body is not valid JSON');
    if (route === 'faults') {
      if (method === 'GET') return { status: 200, body: faults.list() };
      if (method === 'DELETE') {
        faults.clear();
        return { status: 200, body: {} };
      }
      if (method === 'POST') {
        const fault = livekitFaultSchema.safeParse(body.value);
        if (!fault.success) return twirpError('invalid_argument', fault.error.message);
        faults.add(fault.data);
        return { status: 201, body: fault.data };
      }
    }
    if (route === 'requests') {
      if (method === 'GET') return { status: 200, body: received };
      if (method === 'DELETE') {
        received = [];
        return { status: 200, body: {} };
      }
    }
    if (route === 'state' && method === 'GET') return { status: 200, body: { rooms: state.rooms() } };
    if (route === 'join' && method === 'POST') {
      const request = joinRequestSchema.safeParse(body.value);
      if (!request.success) return twirpError('invalid_argument', 'body must be { "token": "<join token>" }');
      return join(request.data.token);
    }
    return twirpError('bad_route', `no sandbox control route ${method} /${route}`);
  }

  /** The grant the caller's token holds, and whether it covers the method. */
  async function authorize(
    req: IncomingMessage,
    method: RoomServiceMethod | undefined,
    body: ParsedBody,
  ): Promise<{ grant: VideoGrant | undefined; refusal: SandboxReply | undefined }> {
    const token = bearerOf(req);
    if (token === undefined) {
      return { grant: undefined, refusal: twirpError('unauthenticated', 'authorization header required') };
    }
    const checked = await verifyToken(token, key, clock.now());
    if (!checked.ok) return { grant: undefined, refusal: twirpError('unauthenticated', checked.reason) };
    const { grant } = checked.token;
    if (method === undefined) return { grant, refusal: undefined };
    const value = body.json ? body.value : undefined;
    const room =
      typeof value === 'object' && value !== null && typeof (value as { room?: unknown }).room === 'string'
        ? (value as { room: string }).room
        : undefined;
    const covered = grantCovers(grant, grantFor(method, room));
    return { grant, refusal: covered ? undefined : twirpError('permission_denied', 'permissions denied') };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const httpMethod = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
    const raw = await readBody(req);
    if (raw === undefined) {
      send(res, twirpError('malformed', `body exceeds ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const body = parseBody(raw);
    if (path.startsWith(LIVEKIT_SANDBOX_CONTROL_PREFIX)) {
      const route = path.slice(LIVEKIT_SANDBOX_CONTROL_PREFIX.length).replace(/\/+$/, '');
      send(res, await handleControl(httpMethod, route, body));
      return;
    }

    const name = path.startsWith(`/${ROOM_SERVICE_PREFIX}`) ? path.slice(ROOM_SERVICE_PREFIX.length + 1) : '';
    const method = isMethod(name) ? name : undefined;
    const { grant, refusal } = await authorize(req, method, body);
    received.push({
      method: method ?? path,
      httpMethod,
      path,
      body: body.json ? body.value : body.raw,
      receivedAt: clock.now(),
      authorized: method !== undefined && refusal === undefined,
      grant,
    });

    const fault = faults.take(path);
    if (fault?.delayMs !== undefined && fault.delayMs > 0) {
      if (!(await delay(fault.delayMs))) {
        req.socket.destroy();
        return;
      }
    }
    const answer =
      fault?.afterHandling === true ? handleRequest(req, httpMethod, path, method, body, refusal) : undefined;
    if (fault?.drop === true) {
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      send(
        res,
        { status: fault.status, body: fault.body ?? { code: 'internal', msg: `injected ${fault.status}` } },
        headers,
      );
      return;
    }
    send(res, answer ?? handleRequest(req, httpMethod, path, method, body, refusal));
  }

  /** Twirp's routing: POST, a known method, a JSON body; then the token, then the request itself. */
  function handleRequest(
    req: IncomingMessage,
    httpMethod: string,
    path: string,
    method: RoomServiceMethod | undefined,
    body: ParsedBody,
    refusal: SandboxReply | undefined,
  ): SandboxReply {
    if (httpMethod !== 'POST' || method === undefined) {
      return twirpError('bad_route', `no handler for ${httpMethod} ${path}`);
    }
    if (!JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '')) {
      return twirpError('bad_route', 'unexpected Content-Type (this sandbox speaks JSON only)');
    }
    if (refusal !== undefined) return refusal;
    if (!body.json) return twirpError('malformed', 'the json request could not be decoded');
    return handleMethod(method, body.value);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() =>
      send(res, twirpError('internal', 'the sandbox failed to handle the request')),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host =
    address.address === '0.0.0.0' || address.address === '::'
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;

  return {
    url: `http://${host}:${address.port}`,
    wsUrl: `ws://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const cancel of [...pendingDelays]) cancel();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    requests: () => received.map((request) => ({ ...request })),
    clearRequests: () => {
      received = [];
    },
    rooms: () => state.rooms(),
    join: async (token) => {
      const reply = await join(token);
      if (reply.status !== 200) {
        const { code, msg } = reply.body as { code: string; msg: string };
        throw Object.assign(new Error(`${code}: ${msg}`), { code });
      }
      const { room, identity } = reply.body as { room: string; identity: string };
      const participant = state.room(room)?.participants.find((present) => present.identity === identity);
      if (participant === undefined) throw new Error('the sandbox lost a participant it just admitted');
      return participant;
    },
  };
}
