/**
 * LiveKit's RoomService over our one upstream client (src/shared/upstream-client.ts): deadlines,
 * bounded retries, one log line and one metrics event per call, got's errors never passed on. Each
 * call carries a server token minted for it with only the grant its method needs.
 */
import type { Response, RetryOptions } from 'got';
import type pino from 'pino';
import type { z } from 'zod';
import { type Clock, systemClock } from '../../domain/clock.js';
import { createUpstreamClient, type UpstreamCallEvent } from '../../shared/upstream-client.js';
import { safeRetryOptions } from '../../shared/upstream-retry.js';
import { VideoProviderError } from '../port.js';
import { LivekitNotFoundError, LivekitRejectedError, LivekitUnavailableError } from './errors.js';
import { type SigningKey, signServerToken } from './tokens.js';
import {
  grantFor,
  type RoomServiceMethod,
  roomServicePath,
  type WireCreateRoomRequest,
  type WireDeleteRoomRequest,
  type WireListRoomsRequest,
  type WireRemoveParticipantRequest,
  type WireRoom,
  type WireUpdateRoomMetadataRequest,
  wireEmptySchema,
  wireListRoomsResponseSchema,
  wireRoomSchema,
  wireTwirpErrorSchema,
} from './wire.js';

export interface LivekitRoom {
  /** LiveKit's id of this incarnation of the room. */
  sid: string;
  /** The room's name: ours, unique, what every call and token names. */
  name: string;
  emptyTimeoutSeconds: number;
  departureTimeoutSeconds: number;
  maxParticipants: number;
  creationTime: Date;
  metadata: string;
  numParticipants: number;
}

export interface CreateLivekitRoomInput {
  name: string;
  emptyTimeoutSeconds?: number;
  departureTimeoutSeconds?: number;
  maxParticipants?: number;
  metadata?: string;
}

/**
 * The RoomService methods the gateway uses. Each takes, last, the logger of the request it is made
 * for (its `reqId` on the call's lines); without it, the client's own.
 */
export interface LivekitRoomService {
  /** Creates the room, or answers the existing one of that name (LiveKit's create-or-get). */
  createRoom(input: CreateLivekitRoomInput, logger?: pino.Logger): Promise<LivekitRoom>;
  /** Disconnects everyone and removes the room. LivekitNotFoundError when there is no such room. */
  deleteRoom(name: string, logger?: pino.Logger): Promise<void>;
  /** Every room, or those named. LiveKit does not page this listing. */
  listRooms(names?: string[], logger?: pino.Logger): Promise<LivekitRoom[]>;
  updateRoomMetadata(name: string, metadata: string, logger?: pino.Logger): Promise<LivekitRoom>;
  /** LivekitNotFoundError when the participant is not in the room. */
  removeParticipant(room: string, identity: string, logger?: pino.Logger): Promise<void>;
}

export interface LivekitClientOptions extends SigningKey {
  /** LIVEKIT_URL: http(s) base of the server API. */
  url: string;
  /** Per attempt, whole request. */
  timeoutMs: number;
  /** Retries of a failed call (every method we use is safe to repeat). */
  retryLimit: number;
  logger: pino.Logger;
  observe?: (event: UpstreamCallEvent) => void;
  /** The server tokens' time claims; default the system clock. */
  clock?: Clock;
}

/** LiveKit's error messages are echoed in ours; keep them to a readable length. */
const MAX_UPSTREAM_MESSAGE_LENGTH = 300;

interface Call<T> {
  method: RoomServiceMethod;
  /** The room a per-room grant names. */
  room?: string;
  json: unknown;
  logger: pino.Logger | undefined;
  read: (response: Response<unknown>) => { value: T } | undefined;
}

export function createLivekitClient(options: LivekitClientOptions): LivekitRoomService {
  const call = livekitCaller(options);
  return {
    createRoom: (input, logger) =>
      call({
        logger,
        method: 'CreateRoom',
        json: toWireCreateRoom(input),
        // LiveKit answers the existing room for a name it knows, and we choose the name: a repeat
        // cannot make a second room.
        read: (response) => ok(response, wireRoomSchema, fromWireRoom),
      }),
    deleteRoom: (name, logger) =>
      call<void>({
        logger,
        method: 'DeleteRoom',
        json: { room: name } satisfies WireDeleteRoomRequest,
        read: gone,
      }),
    listRooms: (names, logger) =>
      call({
        logger,
        method: 'ListRooms',
        json: (names === undefined ? {} : { names }) satisfies WireListRoomsRequest,
        read: (response) => ok(response, wireListRoomsResponseSchema, (rooms) => rooms.map(fromWireRoom)),
      }),
    updateRoomMetadata: (name, metadata, logger) =>
      call({
        logger,
        method: 'UpdateRoomMetadata',
        room: name,
        json: { room: name, metadata } satisfies WireUpdateRoomMetadataRequest,
        read: (response) => ok(response, wireRoomSchema, fromWireRoom),
      }),
    removeParticipant: (room, identity, logger) =>
      call<void>({
        logger,
        method: 'RemoveParticipant',
        room,
        json: { room, identity } satisfies WireRemoveParticipantRequest,
        read: gone,
      }),
  };
}

function livekitCaller(options: LivekitClientOptions): <T>(spec: Call<T>) => Promise<T> {
  const clock = options.clock ?? systemClock;
  const key: SigningKey = { apiKey: options.apiKey, apiSecret: options.apiSecret };
  const upstream = createUpstreamClient(
    {
      name: 'livekit',
      baseUrl: options.url,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
      ...(options.observe ? { observe: options.observe } : {}),
    },
    (error) => {
      const kind = error instanceof VideoProviderError ? kindOf(error) : 'unavailable';
      return { kind, level: kind === 'not_found' ? 'info' : 'warn' };
    },
  );

  return <T>(spec: Call<T>): Promise<T> => {
    const token = signServerToken(key, grantFor(spec.method, spec.room), clock.now());
    // LiveKit's text could in theory echo what it was sent; neither the secret nor the token travels on.
    const redact = (text: string): string =>
      [options.apiSecret, token]
        .reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text)
        .slice(0, MAX_UPSTREAM_MESSAGE_LENGTH);
    return upstream.call<T>({
      operation: spec.method,
      method: 'POST',
      path: roomServicePath(spec.method),
      json: spec.json,
      headers: { authorization: `Bearer ${token}` },
      retry: retryOptions(options.retryLimit),
      logger: spec.logger,
      ...(spec.room === undefined ? {} : { logContext: { room: spec.room } }),
      interpret: (response) =>
        spec.read(response) ?? {
          error: errorFromResponse(spec.method, response.statusCode, response.body, redact),
        },
      failed: ({ timedOut, code }) =>
        new LivekitUnavailableError(
          `LiveKit ${spec.method} ${timedOut ? `timed out after ${options.timeoutMs} ms` : `failed (${code})`}`,
          spec.method,
        ),
    });
  };
}

function toWireCreateRoom(input: CreateLivekitRoomInput): WireCreateRoomRequest {
  return {
    name: input.name,
    ...(input.emptyTimeoutSeconds === undefined ? {} : { emptyTimeout: input.emptyTimeoutSeconds }),
    ...(input.departureTimeoutSeconds === undefined
      ? {}
      : { departureTimeout: input.departureTimeoutSeconds }),
    ...(input.maxParticipants === undefined ? {} : { maxParticipants: input.maxParticipants }),
    ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
  };
}

function fromWireRoom(wire: WireRoom): LivekitRoom {
  return {
    sid: wire.sid,
    name: wire.name,
    emptyTimeoutSeconds: wire.emptyTimeout,
    departureTimeoutSeconds: wire.departureTimeout,
    maxParticipants: wire.maxParticipants,
    creationTime: new Date(wire.creationTime * 1000),
    metadata: wire.metadata,
    numParticipants: wire.numParticipants,
  };
}

/** A 2xx parsed with the contract's schema, or undefined (then the generic mapping decides). */
function ok<S extends z.ZodType, T>(
  response: Response<unknown>,
  schema: S,
  map: (wire: z.output<S>) => T,
): { value: T } | undefined {
  if (response.statusCode < 200 || response.statusCode > 299) return undefined;
  const parsed = schema.safeParse(response.body ?? {});
  return parsed.success ? { value: map(parsed.data) } : undefined;
}

/** A removal's answer: done, or undefined for the generic mapping. */
function gone(response: Response<unknown>): { value: undefined } | undefined {
  if (response.statusCode >= 200 && response.statusCode <= 299) {
    return wireEmptySchema.safeParse(response.body ?? {}).success ? { value: undefined } : undefined;
  }
  // A not_found after a retry most likely means an earlier attempt did it: the goal is met.
  if (response.statusCode === 404 && response.retryCount > 0) return { value: undefined };
  return undefined;
}

/** A final answer the call did not take as its result, as a typed error echoing Twirp's code and message. */
function errorFromResponse(
  method: RoomServiceMethod,
  status: number,
  body: unknown,
  redact: (text: string) => string,
): VideoProviderError {
  const parsed = wireTwirpErrorSchema.safeParse(body);
  const code = parsed.success ? redact(parsed.data.code) : undefined;
  const message = parsed.success && parsed.data.msg !== undefined ? redact(parsed.data.msg) : undefined;
  const detail = [code, message].filter((part) => part !== undefined).join(': ');
  const suffix = detail === '' ? '' : ` - ${detail}`;
  if (status === 404 && (code === undefined || code === 'not_found')) {
    return new LivekitNotFoundError(`LiveKit ${method}: not found (404)${suffix}`, method);
  }
  if (status === 429 || status >= 500) {
    return new LivekitUnavailableError(`LiveKit ${method} unavailable (${status})${suffix}`, method);
  }
  if (status >= 400) {
    return new LivekitRejectedError(`LiveKit rejected ${method} (${status})${suffix}`, method, status, code);
  }
  return new LivekitUnavailableError(`LiveKit ${method}: unexpected response (${status})`, method);
}

/** Twirp calls are POSTs; got retries no POST unless told. Every method we use is safe to repeat. */
function retryOptions(retryLimit: number): Partial<RetryOptions> {
  return safeRetryOptions('POST', retryLimit);
}

function kindOf(error: VideoProviderError): 'not_found' | 'rejected' | 'unavailable' {
  if (error instanceof LivekitNotFoundError) return 'not_found';
  if (error instanceof LivekitRejectedError) return 'rejected';
  return 'unavailable';
}
