import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { Got, Request as GotRequest, Response } from 'got';
import type { Logger } from 'pino';

/**
 * The pieces of a streamed upstream call (upstream-client.ts, `stream`): opening the request up to
 * its status line, reading a refusal's small body, and the byte limit every passed-on body goes
 * through. A streamed answer is never held whole: its bytes flow to the consumer as they arrive,
 * counted, and the request is aborted the moment the count passes the limit.
 */

/** A refusal's body is read for its error code and message, never further than this. */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** Retries of a streamed call: only before its body starts, so a consumer never sees two bodies. */
export interface StreamRetry {
  /** Further attempts after the first (0: none). */
  limit: number;
  statusCodes: readonly number[];
  errorCodes: readonly string[];
  /** A longer `Retry-After` is honoured by not retrying (got's `maxRetryAfter`). */
  maxRetryAfterMs: number;
  /** The wait before retry `attempt` (1, 2, …) when the answer named none. */
  backoffMs(attempt: number): number;
}

/** The status and headers of an answer, and for a refusal (non-2xx) its small body. */
export interface UpstreamStreamAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Non-2xx only: at most ERROR_BODY_MAX_BYTES, parsed when it is JSON, else the text. */
  body: unknown;
}

export interface UpstreamStreamCall {
  operation: string;
  /** A GET, relative to the base URL, already encoded. */
  path: string;
  retry: StreamRetry;
  /** Extra fields for this call's log lines (ids only, never secrets). */
  logContext?: Record<string, unknown>;
  /** The logger of the request this call is made for (its `reqId`); absent: the client's own. */
  logger?: Logger | undefined;
  /** The largest body passed on, in bytes (decompressed). */
  maxBytes: number;
  /** The final answer (after retries): pass its body on, or the client's error to throw. */
  interpret(answer: UpstreamStreamAnswer): { accept: true } | { error: Error };
  /** The body is larger than `maxBytes`: as declared (`content-length`), or counted while reading (null). */
  tooLarge(declaredBytes: number | null): Error;
  /** No answer, or the body stopped coming: a timeout or a network failure (`code` is got's). */
  failed(failure: { timedOut: boolean; code: string }): Error;
}

export interface UpstreamStream {
  /**
   * The body as it arrives (decompressed), at most `maxBytes`: past it, the stream fails with
   * `tooLarge(null)` and the upstream request is aborted. Destroying it aborts the request too.
   */
  body: ByteLimit;
  /** The size the answer declared, when it declared one for the bytes we read (no content-encoding). */
  declaredBytes: number | null;
  contentType: string | null;
}

/** got's error code, and whether it was one of got's timeouts. Nothing else of got's error survives. */
export function failureOf(thrown: unknown): { timedOut: boolean; code: string } {
  const code = (thrown as { code?: unknown }).code;
  return {
    timedOut: (thrown as { name?: unknown }).name === 'TimeoutError',
    code: typeof code === 'string' ? code : 'ERR_UNKNOWN',
  };
}

/** A request whose status line and headers have arrived; its body has not been read. */
export interface OpenedRequest {
  request: GotRequest;
  response: Response;
  /** Where the request's later errors go (a body that breaks off); until set, they are kept. */
  onError(listener: (error: unknown) => void): void;
}

/**
 * Sends a GET and waits for the status line. Until the answer arrives, got's timeouts apply
 * (lookup, connect, send, response: each `timeoutMs`); once it has, the body's pace is the
 * consumer's, and ByteLimit watches for an upstream that stops sending.
 */
export function openRequest(http: Got, path: string, timeoutMs: number): Promise<OpenedRequest> {
  const request = http.stream(path, {
    timeout: {
      lookup: timeoutMs,
      connect: timeoutMs,
      secureConnect: timeoutMs,
      send: timeoutMs,
      response: timeoutMs,
    },
  });
  return new Promise((resolve, reject) => {
    let late: unknown;
    let listener: ((error: unknown) => void) | null = null;
    let answered = false;
    request.on('error', (error) => {
      if (!answered) reject(error);
      else if (listener) listener(error);
      else late ??= error;
    });
    request.once('response', (response: Response) => {
      answered = true;
      resolve({
        request,
        response,
        onError(next) {
          listener = next;
          if (late !== undefined) next(late);
        },
      });
    });
  });
}

/** A refusal's body, for its code and message: at most ERROR_BODY_MAX_BYTES, then the request is closed. */
export function readRefusal(opened: OpenedRequest, timeoutMs: number): Promise<unknown> {
  const { request } = opened;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      request.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(text === '' ? undefined : text);
      }
    };
    const timer = setTimeout(done, timeoutMs);
    opened.onError(done);
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ERROR_BODY_MAX_BYTES) {
        done();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', done);
  });
}

/** The body's declared size, when it is the size of what we read (no content-encoding to undo). */
export function declaredLength(headers: IncomingHttpHeaders): number | null {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return null;
  const raw = headers['content-length'];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
}

/** How long to wait before retrying this answer, or null when it is not retried. */
export function retryDelayOf(
  retry: StreamRetry,
  attempt: number,
  statusCode: number,
  headers: IncomingHttpHeaders,
): number | null {
  if (attempt >= retry.limit || !retry.statusCodes.includes(statusCode)) return null;
  const after = headers['retry-after'];
  if (after === undefined || !/^\d+$/.test(after)) return retry.backoffMs(attempt + 1);
  const afterMs = Number(after) * 1000;
  return afterMs > retry.maxRetryAfterMs ? null : afterMs;
}

export interface ByteLimitOptions {
  maxBytes: number;
  /** No upstream byte for this long, while the consumer waits for one: the body has stalled. */
  idleMs: number;
  tooLarge(): Error;
  stalled(): Error;
}

/**
 * Passes a body on, counting: past `maxBytes` it fails with `tooLarge()` (the bytes that crossed
 * the limit are not passed on). It holds no more than a stream's own buffers. A body that stops
 * coming fails with `stalled()` after `idleMs`, unless the consumer is the slow side (bytes wait
 * in this stream's buffer to be read): backpressure is not an upstream stall.
 */
export class ByteLimit extends Transform {
  private bytes = 0;
  private readonly idle: NodeJS.Timeout;

  constructor(private readonly options: ByteLimitOptions) {
    super();
    this.idle = setTimeout(() => this.checkIdle(), options.idleMs);
    this.idle.unref();
  }

  /** Bytes received so far (those past the limit included). */
  get received(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.idle.refresh();
    this.bytes += chunk.length;
    if (this.bytes > this.options.maxBytes) {
      done(this.options.tooLarge());
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.idle);
    done();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    clearTimeout(this.idle);
    done(error);
  }

  private checkIdle(): void {
    if (this.readableLength > 0) {
      this.idle.refresh();
      return;
    }
    this.destroy(this.options.stalled());
  }
}
