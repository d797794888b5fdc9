import type { FastifyInstance } from 'fastify';
import { parse as parseLossless } from 'lossless-json';

/** Integers of 16 digits or more may be past 2^53; shorter bodies take JSON.parse alone. */
const LONG_DIGITS = /\d{16}/;

/** A number JSON.parse would change: an integer past 2^53 (`9007199254740993` reads as …992). */
class InexactNumberError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_INEXACT_NUMBER';
  constructor(text: string) {
    super(
      `The number ${text.slice(0, 40)} cannot be read exactly (integers are exact up to 2^53): send ids as strings.`,
    );
    this.name = 'InexactNumberError';
  }
}

function refuseInexact(text: string): number {
  const value = Number(text);
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(value)) throw new InexactNumberError(text);
  return value;
}

/**
 * JSON bodies read by this instance (the GraphQL endpoint's) refuse integers JSON.parse would
 * round: a user id `9007199254740993` given as a number in variables would otherwise become
 * participant `9007199254740992`. The exact check runs only on bodies with a run of 16 digits;
 * every other body costs one regular-expression test over Fastify's own parser.
 */
export function exactJsonNumbers(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (LONG_DIGITS.test(text)) {
      try {
        parseLossless(text, null, refuseInexact);
      } catch (error) {
        // Malformed JSON is Fastify's parser's to report, in its own words.
        if (error instanceof InexactNumberError) {
          done(error, undefined);
          return;
        }
      }
    }
    json(request, text, done);
  });
}
