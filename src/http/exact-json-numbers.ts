import type { FastifyInstance } from 'fastify';

export const INEXACT_NUMBER_CODE = 'FST_ERR_CTP_INEXACT_NUMBER';

/** A number JSON.parse may have changed: an integer-valued number beyond 2^53 − 1. */
class InexactNumberError extends Error {
  readonly statusCode = 400;
  readonly code = INEXACT_NUMBER_CODE;
  constructor() {
    super(
      'The body holds a number beyond 2^53 − 1, which JSON cannot carry exactly (9007199254740993 reads as …992): send ids as strings.',
    );
    this.name = 'InexactNumberError';
  }
}

/**
 * Whether a parsed JSON value holds an integer-valued number outside the safe range. However it
 * was written (`9007199254740993`, `9007199254740993.0`, `9.007199254740993e15`), such a number
 * may not be the one the client meant. Iterative: a deeply nested body cannot exhaust the stack.
 */
export function holdsUnsafeInteger(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'number') {
      if (Number.isInteger(next) && !Number.isSafeInteger(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const key in next) pending.push((next as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/**
 * JSON bodies read by this instance (the GraphQL endpoint's) refuse numbers JSON.parse may have
 * rounded: a user id `9007199254740993` given as a number in variables would otherwise become
 * participant `9007199254740992`. Fastify's own parser (and its prototype-poisoning checks)
 * parses; the check walks what it parsed, a few nodes for a usual request.
 */
export function exactJsonNumbers(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    json(request, typeof body === 'string' ? body : body.toString('utf8'), (error, parsed) => {
      if (error) {
        done(error, undefined);
        return;
      }
      if (holdsUnsafeInteger(parsed)) {
        done(new InexactNumberError(), undefined);
        return;
      }
      done(null, parsed);
    });
  });
}
