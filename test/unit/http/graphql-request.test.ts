import { HeaderMap } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import { exchangeOf, type GraphqlExchange } from '../../../src/graphql/plugins/request-log.js';
import { httpGraphqlRequest, searchOf } from '../../../src/http/graphql-route.js';

function fastifyRequest(url: string, extra: Partial<Record<string, unknown>> = {}): FastifyRequest {
  return { url, protocol: 'http', hostname: 'gateway.local', method: 'GET', headers: {}, ...extra } as never;
}

/** What @as-integrations/fastify handed Apollo, and what Apollo makes of it (URLSearchParams). */
const parsedByUrl = (url: string) => [...new URLSearchParams(new URL(url, 'http://gateway.local/').search)];

describe("Apollo's HTTP request from Fastify's", () => {
  it.each([
    '/graphql',
    '/graphql?',
    '/graphql?query=%7B%20serviceConfig%20%7B%20mode%20%7D%20%7D',
    '/graphql?query={serviceConfig{mode}}&operationName=A&variables=%7B%22a%22%3A1%7D',
    '/graphql?query=a+b&query=c',
    '/graphql?query="quoted"&x=<tag>&y=\'single\'',
    '/graphql?query=caf\u00e9&x=%E2%82%AC&y=%zz',
    '/graphql?a=1?b=2',
    '/graphql?query=a\tb',
    '/graphql?query=a b',
    '/graphql?query=a#fragment',
    '/graphql#x?query=a',
    '/graphql?query=trailing ',
    '/graphql?query=line\nbreak\r',
  ])('reads the query string of %j as a URL parser does', (url) => {
    expect([...new URLSearchParams(searchOf(fastifyRequest(url)))]).toEqual(parsedByUrl(url));
  });

  it('hands the query string as written when no URL parser would change it', () => {
    const url = '/graphql?query=%7B%20a%20%7D&operationName=A';
    expect(searchOf(fastifyRequest(url))).toBe(new URL(url, 'http://gateway.local/').search);
    expect(searchOf(fastifyRequest('/graphql'))).toBe('');
    expect(searchOf(fastifyRequest('/graphql?'))).toBe('');
  });

  it('carries the method, every non-empty header (repeats joined), the body and the exchange', () => {
    const exchange: GraphqlExchange = { operationName: null, errorCodes: null };
    const body = { query: '{ a }' };
    const http = httpGraphqlRequest(
      fastifyRequest('/graphql?x=1', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-many': ['a', 'b'], 'x-empty': '' },
      }),
      exchange,
    );
    expect(http.method).toBe('POST');
    expect(http.body).toBe(body);
    expect(http.search).toBe('?x=1');
    expect(http.headers).toBeInstanceOf(HeaderMap);
    expect([...http.headers]).toEqual([
      ['content-type', 'application/json'],
      ['x-many', 'a, b'],
    ]);
    expect(exchangeOf(http)).toBe(exchange);
  });
});
