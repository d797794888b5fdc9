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
  return { logger, text: () => lines.join('') };
}

describe('log redaction', () => {
  it.each([
    [
      'request headers',
      { req: { headers: { authorization: 'SECRET', cookie: 'SECRET', apikey: 'SECRET' } } },
    ],
    ['bare headers', { headers: { authorization: 'SECRET', cookie: 'SECRET', apikey: 'SECRET' } }],
    ['headers one level down', { forwarded: { headers: { cookie: 'SECRET', authorization: 'SECRET' } } }],
    ['an HTTP client error with its options', { err: { options: { headers: { apikey: 'SECRET' } } } }],
    ['a key named like the Kaleyra key', { apiKey: 'SECRET', kaleyra: { apikey: 'SECRET' } }],
  ])('censors secrets in %s', (_name, payload) => {
    const { logger, text } = capture();
    logger.info(payload, 'something happened');
    expect(text()).not.toContain('SECRET');
    expect(text()).toContain('[redacted]');
  });
});
