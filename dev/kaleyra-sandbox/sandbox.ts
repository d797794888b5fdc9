import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { z } from 'zod';
import { type Clock, systemClock } from '../../src/domain/clock.js';
import {
  API_KEY_HEADER,
  type KaleyraOperation,
  kaleyraRoutes,
  MAX_VIRTUAL_BACKGROUND_BYTES,
  VIRTUAL_BACKGROUND_FILE_FIELD,
  type WireErrorBody,
} from '../../src/video/kaleyra/wire.js';
import { MAX_BODY_BYTES, readBody } from '../sandbox-support/read-body.js';
import { FaultSchedule, type SandboxFault, sandboxFaultSchema } from './faults.js';
import { type ReceivedMultipart, readMultipart, summarizeMultipart } from './multipart-upload.js';
import {
  type AddSessionRequest,
  type SandboxSession,
  SandboxSessions,
  type SandboxStreamReply,
} from './sessions.js';
import {
  roomNotFound,
  type SandboxCompany,
  SandboxKaleyraState,
  type SandboxReply,
  type SandboxRoom,
  type SandboxUser,
  type SandboxVirtualBackground,
} from './state.js';

export type { SandboxFault } from './faults.js';
export type { AddSessionRequest, SandboxSession } from './sessions.js';
export type {
  SandboxCompany,
  SandboxRoom,
  SandboxRoomParticipant,
  SandboxUser,
  SandboxVirtualBackground,
} from './state.js';

/** Prefix of the sandbox's own routes; the production client never calls it. */
export const SANDBOX_CONTROL_PREFIX = '/__sandbox/';

/** A Kaleyra request as the sandbox received it. Never the API key itself. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /**
   * Parsed JSON; the raw text when it was not JSON; undefined when empty. A multipart body is
   * summarised as `{ multipart: { files: [{ field, fileName, declaredType, size, detectedType }], fields } }`:
   * names, sizes and types, never the bytes; `aborted: true` when the client went away before it ended.
   */
  body: unknown;
  receivedAt: Date;
  apiKeyValid: boolean;
  /**
   * The W3C trace context headers the request carried (the gateway's tracing, docs/operations.md#tracing);
   * absent when it carried none. No other header is kept: the API key never is.
   */
  traceparent?: string;
  tracestate?: string;
}

export interface KaleyraSandboxOptions {
  /** The key clients must send in the `apikey` header. */
  apiKey: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Host of the join links; default `sandbox.video.kaleyra.local`. */
  linkHost?: string;
  /** Room creation dates and credential expiries; default the system clock. */
  clock?: Clock;
}

export interface KaleyraSandbox {
  /** Use as BANDYER_BASE_URL; no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
  injectFault(fault: SandboxFault): void;
  clearFaults(): void;
  /** Adds uploaded files to a room; returns the new total. Throws for an unknown room. */
  addUploads(roomId: string, count: number): number;
  /**
   * Adds a session to a room, as the control route does (`POST /__sandbox/rooms/:room_id/sessions`,
   * same body): with a transcription of any size, or one still processing or failed. Throws for an
   * unknown room or an invalid request.
   */
  addSession(roomId: string, request?: AddSessionRequest): SandboxSession;
  /** Every room's sessions (snapshots). */
  sessions(): SandboxSession[];
  /** Kaleyra requests received (control routes excluded), oldest first. */
  requests(): SandboxRequest[];
  clearRequests(): void;
  /** Snapshots; changing them changes nothing in the sandbox. */
  rooms(): SandboxRoom[];
  users(): SandboxUser[];
  company(): SandboxCompany;
  /** Uploaded virtual backgrounds, oldest first, without their bytes. */
  backgrounds(): SandboxVirtualBackground[];
}

const MULTIPART_CONTENT_TYPE = /^multipart\//i;

const uploadsRequestSchema = z.object({ count: z.number().int().positive() });

interface RouteMatch {
  operation: KaleyraOperation;
  params: Record<string, string>;
}

/** Matches a path against the contract's templates; `methodAllowed` false means 405. */
function matchRoute(method: string, path: string): { match: RouteMatch; methodAllowed: boolean } | undefined {
  const actual = path.replace(/^\/+/, '').split('/');
  let pathOnly: RouteMatch | undefined;
  for (const [operation, route] of Object.entries(kaleyraRoutes) as Array<
    [KaleyraOperation, (typeof kaleyraRoutes)[KaleyraOperation]]
  >) {
    const expected = route.template.split('/');
    if (expected.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const same = expected.every((segment, index) => {
      const value = actual[index] ?? '';
      if (!segment.startsWith(':')) return segment === value;
      if (value === '') return false;
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
        return true;
      } catch {
        return false;
      }
    });
    if (!same) continue;
    if (route.method === method) return { match: { operation, params }, methodAllowed: true };
    pathOnly ??= { operation, params };
  }
  return pathOnly === undefined ? undefined : { match: pathOnly, methodAllowed: false };
}

function errorReply(status: number, error: string, message: string): SandboxReply {
  return { status, body: { error, message } satisfies WireErrorBody };
}

function send(
  res: ServerResponse,
  reply: SandboxReply | SandboxStreamReply,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
    if ('contentType' in reply) reply.body.destroy();
    return;
  }
  if ('contentType' in reply) {
    res.writeHead(reply.status, {
      ...headers,
      'content-type': reply.contentType,
      ...(reply.contentLength === null ? {} : { 'content-length': String(reply.contentLength) }),
    });
    // Written as the client reads: a client that stops reading (or goes away) stops the generator.
    pipeline(reply.body, res, () => undefined);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res
    .writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'not_json'; raw: string }
  | { kind: 'multipart'; multipart: ReceivedMultipart };

function parseJsonBody(raw: string): ParsedBody {
  if (raw === '') return { kind: 'json', value: undefined };
  try {
    return { kind: 'json', value: JSON.parse(raw) };
  } catch {
    return { kind: 'not_json', raw };
  }
}

/** What the request log keeps of a body. */
function loggedBody(body: ParsedBody): unknown {
  if (body.kind === 'json') return body.value;
  if (body.kind === 'not_json') return body.raw;
  return summarizeMultipart(body.multipart);
}

/**
 * Starts a local Kaleyra Video: the contract in wire.ts with in-memory state and Kaleyra's
 * documented validation, plus fault injection, uploads and a request log under /__sandbox/.
 */
export async function startKaleyraSandbox(options: KaleyraSandboxOptions): Promise<KaleyraSandbox> {
  const state = new SandboxKaleyraState(
    options.clock ?? systemClock,
    options.linkHost ?? 'sandbox.video.kaleyra.local',
  );
  const faults = new FaultSchedule();
  const sessions = new SandboxSessions(options.clock ?? systemClock);
  let received: SandboxRequest[] = [];
  /** Injected delays still running; close() ends them so no timer outlives the server. */
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

  const addUploads = (roomId: string, count: number): number => {
    const total = state.addUploads(roomId, count);
    if (total === undefined) throw new Error(`Sandbox has no room ${roomId}`);
    return total;
  };

  function handleKaleyra(
    method: string,
    path: string,
    query: URLSearchParams,
    received: Exclude<ParsedBody, { kind: 'not_json' }>,
  ): SandboxReply | SandboxStreamReply {
    const found = matchRoute(method, path);
    if (found === undefined) return errorReply(404, 'not_found', `No route ${method} ${path}`);
    if (!found.methodAllowed)
      return errorReply(405, 'method_not_allowed', `${method} not allowed on ${path}`);
    const { operation, params } = found.match;
    if (operation === 'uploadVirtualBackground') {
      return received.kind === 'multipart'
        ? state.uploadVirtualBackground(received.multipart)
        : errorReply(
            400,
            'invalid_content_type',
            `Expected multipart/form-data with one file in field ${VIRTUAL_BACKGROUND_FILE_FIELD}`,
          );
    }
    if (received.kind === 'multipart') return errorReply(400, 'invalid_content_type', 'Expected a JSON body');
    const body = received.value;
    const roomId = params.room_id ?? '';
    switch (operation) {
      case 'createUser':
        return state.createUser(body);
      case 'updateUserRole':
        return state.updateUserRole(params.user_id ?? '', body);
      case 'createRoom':
        return state.createRoom(body);
      case 'listRooms':
        return state.listRooms(query);
      case 'getRoom':
        return state.getRoom(roomId);
      case 'deleteRoom':
        return state.deleteRoom(roomId);
      case 'deleteRoomUploads':
        return state.deleteRoomUploads(roomId);
      case 'createCredentials':
        return state.createCredentials(body);
      case 'getCompany':
        return state.getCompany();
      case 'updateCompany':
        return state.updateCompany(body);
      case 'listVirtualBackgrounds':
        return state.listVirtualBackgrounds();
      case 'deleteVirtualBackground':
        return state.deleteVirtualBackground(params.alias ?? '');
      case 'listSessions':
        return state.hasRoom(roomId) ? sessions.list(roomId) : roomNotFound(roomId);
      case 'getTranscription':
        return state.hasRoom(roomId)
          ? sessions.transcription(roomId, params.session_id ?? '')
          : roomNotFound(roomId);
    }
  }

  function handleControl(method: string, path: string, body: ParsedBody): SandboxReply {
    const route = path.slice(SANDBOX_CONTROL_PREFIX.length).replace(/\/+$/, '');
    if (body.kind !== 'json') return errorReply(400, 'invalid_json', 'Body is not valid JSON');
    if (route === 'faults') {
      if (method === 'GET') return { status: 200, body: faults.list() };
      if (method === 'DELETE') {
        faults.clear();
        return { status: 204 };
      }
      if (method === 'POST') {
        const fault = sandboxFaultSchema.safeParse(body.value);
        if (!fault.success) return errorReply(400, 'invalid_fault', fault.error.message);
        faults.add(fault.data);
        return { status: 201, body: fault.data };
      }
    }
    if (route === 'requests') {
      if (method === 'GET') return { status: 200, body: received };
      if (method === 'DELETE') {
        received = [];
        return { status: 204 };
      }
    }
    if (route === 'state' && method === 'GET') {
      return {
        status: 200,
        body: {
          users: state.users(),
          rooms: state.rooms(),
          company: state.company(),
          backgrounds: state.backgrounds(),
          sessions: sessions.sessions(),
        },
      };
    }
    const uploads = /^rooms\/([^/]+)\/uploads$/.exec(route);
    if (uploads?.[1] !== undefined && method === 'POST') {
      const request = uploadsRequestSchema.safeParse(body.value);
      if (!request.success)
        return errorReply(400, 'invalid_uploads', 'Body must be { "count": <positive integer> }');
      const roomId = decodeURIComponent(uploads[1]);
      const total = state.addUploads(roomId, request.data.count);
      if (total === undefined) return errorReply(404, 'room_not_found', `Room ${roomId} does not exist`);
      return { status: 200, body: { room_id: roomId, total } };
    }
    const sessionsRoute = /^rooms\/([^/]+)\/sessions$/.exec(route);
    if (sessionsRoute?.[1] !== undefined && method === 'POST') {
      const roomId = decodeURIComponent(sessionsRoute[1]);
      if (!state.hasRoom(roomId)) return roomNotFound(roomId);
      return sessions.add(roomId, body.value ?? {});
    }
    return errorReply(404, 'not_found', `No sandbox control route ${method} ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const isControl = path.startsWith(SANDBOX_CONTROL_PREFIX);
    let body: ParsedBody;
    if (!isControl && MULTIPART_CONTENT_TYPE.test(req.headers['content-type'] ?? '')) {
      // Uploads stream through the multipart parser, bounded by the file limit, not the JSON cap.
      body = { kind: 'multipart', multipart: await readMultipart(req, MAX_VIRTUAL_BACKGROUND_BYTES) };
    } else {
      const raw = await readBody(req);
      if (raw === undefined) {
        send(res, errorReply(413, 'payload_too_large', `Body exceeds ${MAX_BODY_BYTES} bytes`));
        return;
      }
      body = parseJsonBody(raw);
    }

    if (isControl) {
      send(res, handleControl(method, path, body));
      return;
    }

    const apiKeyValid = req.headers[API_KEY_HEADER] === options.apiKey;
    received.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: loggedBody(body),
      receivedAt: new Date(),
      apiKeyValid,
      ...traceContextOf(req.headers),
    });
    // An upload the client abandoned is logged (it did arrive, in part), but nobody is left to answer.
    if (body.kind === 'multipart' && body.multipart.aborted) return;

    const fault = faults.take(method, path);
    if (fault?.delayMs !== undefined && fault.delayMs > 0) {
      const elapsed = await delay(fault.delayMs);
      if (!elapsed) {
        req.socket.destroy();
        return;
      }
    }
    if (fault?.afterHandling === true) {
      // The request takes effect (a room is made), then its answer is lost or replaced below.
      const answer = answerKaleyra(method, path, url.searchParams, body, apiKeyValid);
      if ('contentType' in answer) answer.body.destroy();
    }
    if (fault?.drop === true) {
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const injected = fault.body ?? { error: 'injected_fault', message: `Injected ${fault.status}` };
      send(res, { status: fault.status, body: injected }, headers);
      return;
    }

    // Handled even when the client gave up waiting, as Kaleyra would: the request did arrive.
    send(res, answerKaleyra(method, path, url.searchParams, body, apiKeyValid));
  }

  /** The API key, then a JSON (or multipart) body, then the route itself. */
  function answerKaleyra(
    method: string,
    path: string,
    query: URLSearchParams,
    body: ParsedBody,
    apiKeyValid: boolean,
  ): SandboxReply | SandboxStreamReply {
    if (!apiKeyValid) return errorReply(401, 'unauthorized', `Missing or invalid ${API_KEY_HEADER} header`);
    if (body.kind === 'not_json') return errorReply(400, 'invalid_json', 'Body is not valid JSON');
    return handleKaleyra(method, path, query, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      send(res, errorReply(500, 'sandbox_error', 'The sandbox failed to handle the request'));
    });
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
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '[::1]'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;

  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const cancel of [...pendingDelays]) cancel();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    addUploads,
    addSession: (roomId, request = {}) => {
      if (!state.hasRoom(roomId)) throw new Error(`Sandbox has no room ${roomId}`);
      const reply = sessions.add(roomId, request);
      if (reply.status !== 201) throw new Error(`Sandbox refused the session: ${JSON.stringify(reply.body)}`);
      const added = sessions
        .sessions()
        .find(
          (session) =>
            session.roomId === roomId &&
            session.sessionId === (reply.body as { session_id: string }).session_id,
        );
      if (added === undefined) throw new Error('the sandbox lost a session it just added');
      return added;
    },
    sessions: () => sessions.sessions(),
    requests: () => received.map((request) => ({ ...request })),
    clearRequests: () => {
      received = [];
    },
    rooms: () => state.rooms(),
    users: () => state.users(),
    company: () => state.company(),
    backgrounds: () => state.backgrounds(),
  };
}

/** The trace context headers of a request, for the request log (only those present). */
function traceContextOf(headers: IncomingHttpHeaders): Pick<SandboxRequest, 'traceparent' | 'tracestate'> {
  const { traceparent, tracestate } = headers;
  return {
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(typeof tracestate === 'string' ? { tracestate } : {}),
  };
}
