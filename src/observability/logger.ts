import pino, { type DestinationStream, type Logger } from 'pino';
import { openRequestId } from './request-context.js';

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

/** Loggers that carry a reqId of their own (a request's child logger), remembered per logger. */
const ownsReqId = new WeakMap<object, boolean>();

/**
 * The open request's id on a line from a logger that does not carry one (the upstream clients'
 * process-wide loggers), so every line logged for a request has it.
 */
function requestIdOfLine(_line: object, _level: number, logger: Logger): object {
  const reqId = openRequestId();
  if (reqId === undefined) return {};
  let owns = ownsReqId.get(logger);
  if (owns === undefined) {
    owns = 'reqId' in logger.bindings();
    ownsReqId.set(logger, owns);
  }
  return owns ? {} : { reqId };
}

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
      mixin: requestIdOfLine,
    },
    destination,
  );
}
