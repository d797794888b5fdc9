import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger(
    { logLevel: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  return {
    logger,
    text: () => lines.join(''),
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** An HTTP client's error: it holds the request's options, headers included (got's do). */
class ClientError extends Error {
  readonly code = 'ERR_NON_2XX';
  readonly options = { headers: { apikey: 'SECRET', accept: 'application/json' }, url: 'https://kaleyra' };
  readonly response = { body: 'Patient SECRET-NAME' };
}

describe('log redaction', () => {
  it.each([
    ['bare headers', { headers: { authorization: 'SECRET', cookie: 'SECRET', apikey: 'SECRET' } }],
    ['headers one level down', { forwarded: { headers: { cookie: 'SECRET', authorization: 'SECRET' } } }],
    ['an HTTP client error with its options', { err: { options: { headers: { apikey: 'SECRET' } } } }],
    ['a key named like the Kaleyra key', { apiKey: 'SECRET', kaleyra: { apikey: 'SECRET' } }],
    [
      'headers deeper down, in any case',
      { a: { b: { c: { Authorization: 'SECRET', 'Set-Cookie': 'SECRET' } } } },
    ],
    ['headers in a list', { attempts: [{ headers: { cookie: 'SECRET' } }] }],
  ])('censors secrets in %s', (_name, payload) => {
    const { logger, text } = capture();
    logger.info(payload, 'something happened');
    expect(text()).not.toContain('SECRET');
    expect(text()).toContain('[redacted]');
  });

  it('logs a request as its method, URL and address, and a reply as its status: never headers', () => {
    const { logger, text, parsed } = capture();
    const req = {
      method: 'POST',
      url: '/graphql',
      ip: '10.0.0.1',
      headers: { authorization: 'SECRET', cookie: 'SECRET', apikey: 'SECRET' },
    };
    logger.error({ req, res: { statusCode: 500, headers: { 'set-cookie': 'SECRET' } } }, 'request failed');
    expect(text()).not.toContain('SECRET');
    expect(parsed()[0]).toMatchObject({
      req: { method: 'POST', url: '/graphql', remoteAddress: '10.0.0.1' },
      res: { statusCode: 500 },
    });
  });

  it('logs an error as its type, message, stack and plain fields, never its options or response', () => {
    const { logger, text, parsed } = capture();
    const error = new ClientError('Kaleyra answered 500', { cause: new ClientError('first attempt') });
    logger.error({ err: error }, 'kaleyra failed');
    logger.error({ failure: error }, 'an error under another key');
    expect(text()).not.toContain('SECRET');
    const [underErr, underOther] = parsed();
    expect(underErr?.err).toMatchObject({
      type: 'Error',
      message: 'Kaleyra answered 500',
      code: 'ERR_NON_2XX',
      stack: expect.stringContaining('Kaleyra answered 500'),
      cause: { message: 'first attempt', code: 'ERR_NON_2XX' },
    });
    expect(underOther?.failure).toMatchObject({ message: 'Kaleyra answered 500', code: 'ERR_NON_2XX' });
  });

  it('leaves the logged objects as they were, and lines without secrets as they are', () => {
    const { logger, parsed } = capture();
    const headers = { cookie: 'SECRET', accept: 'text/html' };
    const line = { teleconsultationId: 'tc-1', http: { response: { statusCode: 200 } }, headers };
    logger.info(line, 'done');
    expect(headers.cookie).toBe('SECRET');
    expect(parsed()[0]).toMatchObject({
      teleconsultationId: 'tc-1',
      http: { response: { statusCode: 200 } },
      headers: { cookie: '[redacted]', accept: 'text/html' },
      msg: 'done',
    });
  });

  it('does not write objects nested deeper than any line of ours (a cycle, a whole object logged by mistake)', () => {
    const { logger, text } = capture();
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    const deep = { a: { b: { c: { d: { e: { f: { g: { password: 'SECRET' } } } } } } } };
    logger.info({ cyclic, deep }, 'odd values');
    expect(text()).not.toContain('SECRET');
    expect(text()).toContain('odd values');
  });
});
