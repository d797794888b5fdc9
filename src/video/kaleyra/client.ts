import type { Response, RetryOptions } from 'got';
import type pino from 'pino';
import type { z } from 'zod';
import {
  createUpstreamClient,
  type StreamRetry,
  type UpstreamCallEvent,
  type UpstreamStream,
  type UpstreamStreamAnswer,
} from '../../shared/upstream-client.js';
import {
  backoffMs,
  MAX_RETRY_AFTER_MS,
  RETRYABLE_ERROR_CODES,
  RETRYABLE_STATUSES,
  safeRetryOptions,
} from '../../shared/upstream-retry.js';
import {
  KaleyraError,
  KaleyraNotFoundError,
  KaleyraNotReadyError,
  KaleyraRejectedError,
  KaleyraTooLargeError,
  KaleyraUnavailableError,
  type KaleyraVideo,
} from './api.js';
import {
  API_KEY_HEADER,
  fromWireCompany,
  fromWireCreatedRoom,
  fromWireCredentials,
  fromWireRoom,
  fromWireRoomList,
  fromWireSession,
  fromWireVirtualBackground,
  KALEYRA_SESSION_ID_PATTERN,
  type KaleyraOperation,
  kaleyraRoutes,
  routePath,
  THROTTLED_STATUS,
  TRANSCRIPTION_MEDIA_TYPE,
  TRANSCRIPTION_NOT_READY_STATUS,
  toWireCreateRoomRequest,
  toWireListRoomsQuery,
  toWireUpdateCompanyRequest,
  toWireVirtualBackgroundForm,
  USER_ALREADY_EXISTS_STATUS,
  type WireCreateCredentialsRequest,
  type WireCreateUserRequest,
  type WireUpdateUserRoleRequest,
  wireCompanySchema,
  wireCreateRoomResponseSchema,
  wireCredentialsResponseSchema,
  wireDeleteUploadsResponseSchema,
  wireErrorBodySchema,
  wireRoomListSchema,
  wireRoomSchema,
  wireSessionListSchema,
  wireUserSchema,
  wireVirtualBackgroundListSchema,
  wireVirtualBackgroundSchema,
} from './wire.js';

export type KaleyraErrorKind = 'unavailable' | 'rejected' | 'not_found' | 'not_ready' | 'too_large';

export interface KaleyraClientOptions {
  /** BANDYER_BASE_URL */
  baseUrl: string;
  /** BANDYER_API_SECRET_KEY: sent as a header, never logged, never put in an error. */
  apiKey: string;
  /** Per attempt, whole request (connect to last byte). */
  timeoutMs: number;
  /** Retries of the calls that are safe to repeat; room creation and uploads never retry. */
  retryLimit: number;
  logger: pino.Logger;
  /** Called once per operation, after retries (the metrics hook). */
  observe?: (event: UpstreamCallEvent) => void;
}

/** Kaleyra's error messages are echoed in ours; keep them to a readable length. */
const MAX_UPSTREAM_MESSAGE_LENGTH = 300;

type RetryPolicy = 'never' | 'when-safe';

interface Call<T> {
  operation: KaleyraOperation;
  params?: Record<string, string>;
  /** Only names the route declares in wire.ts. */
  query?: Record<string, string | undefined>;
  json?: unknown;
  /** A multipart body (uploads); never with `json`. */
  form?: FormData;
  retry: RetryPolicy;
  /** The request's logger, when a request waits for this call (upstream-client.ts). */
  logger: pino.Logger | undefined;
  /** Maps a final response (after retries) to the result, or returns undefined for the generic mapping. */
  interpret: (response: Response<unknown>) => { value: T } | undefined;
}

/** A Kaleyra GET whose body is streamed (upstream-stream.ts). */
interface StreamedCall {
  operation: KaleyraOperation;
  params: Record<string, string>;
  maxBytes: number;
  /** The request's logger, when a request waits for this call (upstream-client.ts). */
  logger: pino.Logger | undefined;
  /** Maps the final answer to a verdict, or returns undefined for the generic mapping of a refusal. */
  interpret: (answer: UpstreamStreamAnswer) => { accept: true } | { error: Error } | undefined;
}

export function createKaleyraClient(options: KaleyraClientOptions): KaleyraVideo {
  const { call, stream } = kaleyraCaller(options);
  return {
    ...userOperations(call),
    ...roomOperations(call),
    ...companyOperations(call),
    ...sessionOperations(call, stream),
  };
}

type KaleyraCall = <T>(spec: Call<T>) => Promise<T>;
type KaleyraStream = (spec: StreamedCall) => Promise<UpstreamStream>;

/**
 * One Kaleyra operation over the shared upstream client: the route and its retry policy, and the
 * answer or failure mapped to the port's typed errors.
 */
function kaleyraCaller(options: KaleyraClientOptions): { call: KaleyraCall; stream: KaleyraStream } {
  const { apiKey } = options;
  const upstream = createUpstreamClient(
    {
      name: 'kaleyra',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      headers: { [API_KEY_HEADER]: apiKey },
      logger: options.logger,
      ...(options.observe ? { observe: options.observe } : {}),
    },
    (error) => {
      const kind = error instanceof KaleyraError ? kindOf(error) : 'unavailable';
      // A missing room (or a transcription not made yet) is an answer, not an incident; the
      // caller decides whether it matters.
      return { kind, level: kind === 'not_found' || kind === 'not_ready' ? 'info' : 'warn' };
    },
  );

  /** Kaleyra's own text could in theory echo the header back; never let it through. */
  const redact = (text: string): string =>
    (apiKey.length > 0 ? text.split(apiKey).join('[redacted]') : text).slice(0, MAX_UPSTREAM_MESSAGE_LENGTH);

  const failed =
    (operation: KaleyraOperation, retry: RetryPolicy) =>
    ({ timedOut, code }: { timedOut: boolean; code: string }) => {
      const whatHappened = timedOut ? `timed out after ${options.timeoutMs} ms` : `failed (${code})`;
      const uncertain = retry === 'never' ? '; it may or may not have taken effect' : '';
      return new KaleyraUnavailableError(`Kaleyra ${operation} ${whatHappened}${uncertain}`, operation);
    };

  function call<T>(spec: Call<T>): Promise<T> {
    const route = kaleyraRoutes[spec.operation];
    return upstream.call<T>({
      operation: spec.operation,
      method: route.method,
      path: routePath(route, spec.params, spec.query),
      json: spec.json,
      ...(spec.form !== undefined ? { body: spec.form } : {}),
      retry: retryOptions(route.method, spec.retry, options.retryLimit),
      logger: spec.logger,
      interpret: (response) =>
        spec.interpret(response) ?? {
          error: errorFromResponse(spec.operation, response.statusCode, response.body, redact),
        },
      failed: failed(spec.operation, spec.retry),
    });
  }

  // Streams are GETs: retried like any safe call, but only until a body starts to flow.
  function stream(spec: StreamedCall): Promise<UpstreamStream> {
    const { operation, maxBytes } = spec;
    return upstream.stream({
      operation,
      path: routePath(kaleyraRoutes[operation], spec.params),
      maxBytes,
      logger: spec.logger,
      retry: streamRetry(options.retryLimit),
      interpret: (answer) =>
        spec.interpret(answer) ?? {
          error: errorFromResponse(operation, answer.statusCode, answer.body, redact),
        },
      tooLarge: (declaredBytes) =>
        new KaleyraTooLargeError(
          declaredBytes === null
            ? `Kaleyra ${operation}: the answer passed ${maxBytes} bytes; the request was aborted`
            : `Kaleyra ${operation}: the answer declares ${declaredBytes} bytes, more than ${maxBytes}; not read`,
          operation,
          maxBytes,
          declaredBytes,
        ),
      failed: failed(operation, 'when-safe'),
    });
  }

  return { call, stream };
}

/** Kaleyra users and their SDK credentials. */
function userOperations(
  call: KaleyraCall,
): Pick<KaleyraVideo, 'createUser' | 'updateUserRole' | 'createCredentials'> {
  return {
    createUser: ({ kaleyraUserId, role }, logger) =>
      call<void>({
        logger,
        operation: 'createUser',
        json: { id: kaleyraUserId, role } satisfies WireCreateUserRequest,
        // Safe to repeat: we chose the id, so a repeat that lands twice answers 409.
        retry: 'when-safe',
        interpret: (response) =>
          (response.statusCode >= 200 && response.statusCode <= 299) ||
          response.statusCode === USER_ALREADY_EXISTS_STATUS
            ? { value: undefined }
            : undefined,
      }),

    updateUserRole: ({ kaleyraUserId, role }, logger) =>
      call<void>({
        logger,
        operation: 'updateUserRole',
        params: { user_id: kaleyraUserId },
        json: { role } satisfies WireUpdateUserRoleRequest,
        // Setting the same role twice is harmless.
        retry: 'when-safe',
        interpret: (response) => ok(response, wireUserSchema, () => undefined),
      }),

    createCredentials: ({ kaleyraUserId, expiresInSeconds }, logger) =>
      call({
        logger,
        operation: 'createCredentials',
        json: { user_id: kaleyraUserId, expires_in: expiresInSeconds } satisfies WireCreateCredentialsRequest,
        // Retried like a GET: a repeat only mints another short-lived token; one never delivered
        // to anybody grants nothing, and Kaleyra keeps no other state for it.
        retry: 'when-safe',
        interpret: (response) => ok(response, wireCredentialsResponseSchema, fromWireCredentials),
      }),
  };
}

/** Rooms and what they hold. */
function roomOperations(
  call: KaleyraCall,
): Pick<KaleyraVideo, 'createRoom' | 'getRoom' | 'deleteRoom' | 'deleteRoomUploads' | 'listRooms'> {
  return {
    createRoom: (input, logger) =>
      call({
        logger,
        operation: 'createRoom',
        json: toWireCreateRoomRequest(input),
        // A repeat could create a second room with other links; the caller decides what to do.
        retry: 'never',
        interpret: (response) => ok(response, wireCreateRoomResponseSchema, fromWireCreatedRoom),
      }),

    getRoom: (roomId, logger) =>
      call({
        logger,
        operation: 'getRoom',
        params: { room_id: roomId },
        retry: 'when-safe',
        interpret: (response) => ok(response, wireRoomSchema, fromWireRoom),
      }),

    deleteRoom: (roomId, logger) =>
      call<void>({
        logger,
        operation: 'deleteRoom',
        params: { room_id: roomId },
        retry: 'when-safe',
        interpret: deleted,
      }),

    deleteRoomUploads: (roomId, logger) =>
      call({
        logger,
        operation: 'deleteRoomUploads',
        params: { room_id: roomId },
        retry: 'when-safe',
        interpret: (response) => ok(response, wireDeleteUploadsResponseSchema, (wire) => wire),
      }),

    listRooms: (input, logger) =>
      call({
        logger,
        operation: 'listRooms',
        query: toWireListRoomsQuery(input),
        retry: 'when-safe',
        interpret: (response) => ok(response, wireRoomListSchema, fromWireRoomList),
      }),
  };
}

/** The company's settings and the virtual backgrounds they can point to. */
function companyOperations(
  call: KaleyraCall,
): Pick<
  KaleyraVideo,
  | 'getCompany'
  | 'updateCompany'
  | 'uploadVirtualBackground'
  | 'listVirtualBackgrounds'
  | 'deleteVirtualBackground'
> {
  return {
    getCompany: (logger) =>
      call({
        logger,
        operation: 'getCompany',
        retry: 'when-safe',
        interpret: (response) => ok(response, wireCompanySchema, fromWireCompany),
      }),

    updateCompany: (changes, logger) =>
      call({
        logger,
        operation: 'updateCompany',
        json: toWireUpdateCompanyRequest(changes),
        // It sets values: a repeat that lands twice leaves the same settings.
        retry: 'when-safe',
        interpret: (response) => ok(response, wireCompanySchema, fromWireCompany),
      }),

    uploadVirtualBackground: (file, logger) =>
      call({
        logger,
        operation: 'uploadVirtualBackground',
        form: toWireVirtualBackgroundForm(file),
        // A repeat could store the image twice under two aliases; the caller decides what to do.
        // (got could not repeat it anyway: it encodes a FormData body once, as a stream.)
        retry: 'never',
        interpret: (response) => ok(response, wireVirtualBackgroundSchema, fromWireVirtualBackground),
      }),

    listVirtualBackgrounds: (logger) =>
      call({
        logger,
        operation: 'listVirtualBackgrounds',
        retry: 'when-safe',
        interpret: (response) =>
          ok(response, wireVirtualBackgroundListSchema, (wire) => wire.map(fromWireVirtualBackground)),
      }),

    deleteVirtualBackground: (alias, logger) =>
      call<void>({
        logger,
        operation: 'deleteVirtualBackground',
        params: { alias },
        retry: 'when-safe',
        interpret: deleted,
      }),
  };
}

/** Sessions and their transcriptions. */
function sessionOperations(
  call: KaleyraCall,
  stream: KaleyraStream,
): Pick<KaleyraVideo, 'listSessions' | 'openTranscription'> {
  return {
    listSessions: (roomId, logger) =>
      call({
        logger,
        operation: 'listSessions',
        params: { room_id: roomId },
        retry: 'when-safe',
        interpret: (response) =>
          ok(response, wireSessionListSchema, (wire) => wire.sessions.map(fromWireSession)),
      }),

    openTranscription: async ({ roomId, sessionId, maxBytes }, logger) => {
      // An id Kaleyra never gives names no session; sent, it could name another path.
      if (!KALEYRA_SESSION_ID_PATTERN.test(sessionId)) {
        throw new KaleyraNotFoundError('Kaleyra getTranscription: not a session id', 'getTranscription');
      }
      const opened = await stream({
        logger,
        operation: 'getTranscription',
        params: { room_id: roomId, session_id: sessionId },
        maxBytes,
        interpret: transcriptionAnswer,
      });
      return { body: opened.body, declaredBytes: opened.declaredBytes };
    },
  };
}

/** A transcription is JSON; 409 means it is still being made. Undefined: the generic mapping. */
function transcriptionAnswer(answer: UpstreamStreamAnswer): { accept: true } | { error: Error } | undefined {
  const { statusCode } = answer;
  if (statusCode === TRANSCRIPTION_NOT_READY_STATUS) {
    return {
      error: new KaleyraNotReadyError(
        `Kaleyra getTranscription: not ready (${statusCode})`,
        'getTranscription',
      ),
    };
  }
  if (statusCode < 200 || statusCode > 299) return undefined;
  const mediaType = String(answer.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (mediaType === TRANSCRIPTION_MEDIA_TYPE) return { accept: true };
  return {
    error: new KaleyraUnavailableError(
      `Kaleyra getTranscription: unexpected response (${statusCode}, ${mediaType || 'no content-type'})`,
      'getTranscription',
    ),
  };
}

/** The retries of a streamed GET: those of any safe call, decided before its body is read. */
function streamRetry(retryLimit: number): StreamRetry {
  return {
    limit: retryLimit,
    statusCodes: RETRYABLE_STATUSES,
    errorCodes: RETRYABLE_ERROR_CODES,
    maxRetryAfterMs: MAX_RETRY_AFTER_MS,
    backoffMs,
  };
}

/** got's retry options for one route: none at all, or the bounded, backed-off retries of a safe call. */
function retryOptions(method: string, policy: RetryPolicy, retryLimit: number): Partial<RetryOptions> {
  return policy === 'never'
    ? { limit: 0 }
    : safeRetryOptions(method as RetryOptions['methods'][number], retryLimit);
}

/**
 * A final answer the operation did not take as its result, as the port's typed error. Kaleyra's
 * code and message are echoed, redacted and shortened.
 */
function errorFromResponse(
  operation: KaleyraOperation,
  status: number,
  body: unknown,
  redact: (text: string) => string,
): KaleyraError {
  const parsed = wireErrorBodySchema.safeParse(body);
  const code = parsed.success && parsed.data.error !== undefined ? redact(parsed.data.error) : undefined;
  const upstream =
    parsed.success && parsed.data.message !== undefined ? redact(parsed.data.message) : undefined;
  const detail = [code, upstream].filter((part) => part !== undefined).join(': ');
  const suffix = detail === '' ? '' : ` - ${detail}`;
  if (status === 404) {
    return new KaleyraNotFoundError(`Kaleyra ${operation}: not found (404)${suffix}`, operation);
  }
  if (status === THROTTLED_STATUS || status >= 500) {
    return new KaleyraUnavailableError(`Kaleyra ${operation} unavailable (${status})${suffix}`, operation);
  }
  if (status >= 400) {
    return new KaleyraRejectedError(
      `Kaleyra rejected ${operation} (${status})${suffix}`,
      operation,
      status,
      code,
    );
  }
  // A 2xx whose body breaks the contract, or a 1xx/3xx we do not follow.
  return new KaleyraUnavailableError(`Kaleyra ${operation}: unexpected response (${status})`, operation);
}

/** A 2xx parsed with the contract's schema, or undefined (then the generic mapping decides). */
function ok<S extends z.ZodType, T>(
  response: Response<unknown>,
  schema: S,
  map: (wire: z.infer<S>) => T,
): { value: T } | undefined {
  if (response.statusCode < 200 || response.statusCode > 299) return undefined;
  const parsed = schema.safeParse(response.body);
  return parsed.success ? { value: map(parsed.data) } : undefined;
}

/** A DELETE's answer: done, or undefined for the generic mapping. */
function deleted(response: Response<unknown>): { value: undefined } | undefined {
  if (response.statusCode >= 200 && response.statusCode <= 299) return { value: undefined };
  // A 404 after a retry most likely means an earlier attempt deleted it: the goal is met.
  if (response.statusCode === 404 && response.retryCount > 0) return { value: undefined };
  return undefined;
}

function kindOf(error: KaleyraError): KaleyraErrorKind {
  if (error instanceof KaleyraNotFoundError) return 'not_found';
  if (error instanceof KaleyraNotReadyError) return 'not_ready';
  if (error instanceof KaleyraTooLargeError) return 'too_large';
  if (error instanceof KaleyraRejectedError) return 'rejected';
  return 'unavailable';
}
