import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  ByteLimit,
  declaredLength,
  retryDelayOf,
  type StreamRetry,
} from '../../../src/shared/upstream-stream.js';

class TooLarge extends Error {}
class Stalled extends Error {}

function limit(maxBytes: number, idleMs = 1000): ByteLimit {
  return new ByteLimit({ maxBytes, idleMs, tooLarge: () => new TooLarge(), stalled: () => new Stalled() });
}

function failure(stream: ByteLimit): Promise<Error | null> {
  return new Promise((resolve) => {
    stream.once('error', resolve);
    stream.once('end', () => resolve(null));
  });
}

describe('ByteLimit: the limit', () => {
  it('passes on a body of exactly the limit', async () => {
    const body = limit(10);
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.end(Buffer.alloc(10, 'a'));
    expect(await failure(body)).toBeNull();
    expect(Buffer.concat(chunks).length).toBe(10);
  });

  it('fails once the count passes the limit, without passing the crossing chunk on', async () => {
    const body = limit(10);
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.write(Buffer.alloc(6, 'a'));
    body.write(Buffer.alloc(5, 'b'));
    expect(await failure(body)).toBeInstanceOf(TooLarge);
    expect(Buffer.concat(chunks).toString()).toBe('aaaaaa');
    expect(body.received).toBe(11);
  });
});

describe('ByteLimit: a body that stops coming', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('fails as stalled when no byte arrives for the idle time while its reader waits', async () => {
    const body = limit(1000, 1000);
    body.resume();
    const failed = failure(body);
    body.write(Buffer.from('abc'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.readableLength).toBe(0);
    jest.advanceTimersByTime(999);
    expect(body.destroyed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await failed).toBeInstanceOf(Stalled);
  });

  it('restarts the idle time with every chunk', () => {
    const body = limit(1000, 1000);
    body.resume();
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(900);
      body.write(Buffer.from('a'));
    }
    expect(body.destroyed).toBe(false);
    body.destroy();
  });

  it('does not blame the upstream when its reader is the slow side (bytes wait to be read)', () => {
    const body = limit(10_000_000, 1000);
    const errors: Error[] = [];
    body.on('error', (error) => errors.push(error));
    // A reader that takes nothing: bytes pile up in the stream's buffer.
    const reader = new Writable({ highWaterMark: 1, write: () => undefined });
    body.pipe(reader);
    body.write(Buffer.alloc(64 * 1024));
    body.write(Buffer.alloc(64 * 1024));
    jest.advanceTimersByTime(10_000);
    expect(body.destroyed).toBe(false);
    expect(errors).toEqual([]);
    expect(body.readableLength).toBeGreaterThan(0);
    body.destroy();
  });

  it('stops watching once the body has ended', () => {
    const body = limit(1000, 1000);
    body.resume();
    body.end(Buffer.from('done'));
    jest.advanceTimersByTime(5000);
    expect(body.errored).toBeNull();
  });
});

describe('declaredLength', () => {
  it('is the content-length of an unencoded body', () => {
    expect(declaredLength({ 'content-length': '5000' })).toBe(5000);
    expect(declaredLength({ 'content-length': '5000', 'content-encoding': 'identity' })).toBe(5000);
  });

  it('is unknown for a compressed body (the limit counts what it decompresses to) or no length', () => {
    expect(declaredLength({ 'content-length': '5000', 'content-encoding': 'gzip' })).toBeNull();
    expect(declaredLength({})).toBeNull();
    expect(declaredLength({ 'content-length': '5e3' })).toBeNull();
  });
});

describe('retryDelayOf', () => {
  const retry: StreamRetry = {
    limit: 2,
    statusCodes: [503],
    errorCodes: [],
    maxRetryAfterMs: 5000,
    backoffMs: (attempt) => attempt * 100,
  };

  it('backs off for a retryable status until the limit', () => {
    expect(retryDelayOf(retry, 0, 503, {})).toBe(100);
    expect(retryDelayOf(retry, 1, 503, {})).toBe(200);
    expect(retryDelayOf(retry, 2, 503, {})).toBeNull();
    expect(retryDelayOf(retry, 0, 500, {})).toBeNull();
  });

  it('waits for Retry-After, and does not retry when it asks for longer than the cap', () => {
    expect(retryDelayOf(retry, 0, 503, { 'retry-after': '2' })).toBe(2000);
    expect(retryDelayOf(retry, 0, 503, { 'retry-after': '6' })).toBeNull();
  });
});
