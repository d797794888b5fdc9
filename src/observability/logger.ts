import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Secrets never reach a log line: request headers that carry credentials and anything named like
 * the Kaleyra key are censored wherever they appear in a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.apikey',
  'req.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers.apikey',
  'apikey',
  'apiKey',
  '*.apikey',
  '*.apiKey',
  'authorization',
  'cookie',
  // One level down too (`forwarded.headers`, `request.headers`, an error's `options.headers`).
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers.apikey',
  '*.headers["set-cookie"]',
  '*.options.headers',
];

/**
 * Lines in Mia-Platform's `mia-json` shape (docs/operations.md#logs): numeric `level`, `time` in
 * epoch milliseconds, `msg`; a request's lines carry its `reqId` (set by the HTTP server).
 */
export function createLogger(config: { logLevel: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'teleconsultation-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.epochTime,
    },
    destination,
  );
}
