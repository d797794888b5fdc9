import { describe, expect, it } from '@jest/globals';
import { buildSchema, type DocumentNode } from 'graphql';
import { parseSubscription } from '../../../src/http/graphql-ws.js';
import type { GraphqlLimits } from '../../../src/shared/request-limits.js';

/**
 * A server's subscriptions share one document per text: parsed and validated once, so the compiled
 * code of its events (keyed by document) is found again for every subscription. Refused texts are
 * not remembered, nor long ones; the memory starts over past its bound.
 */
const schema = buildSchema(`
  type Query { ping: String }
  type Visit { id: ID! title: String }
  type Subscription { changed(id: ID!): Visit }
`);
const limits: GraphqlLimits = {
  maxDepth: 10,
  maxCost: 1000,
  maxAliases: 10,
  maxTokens: 100_000,
  bodyLimitBytes: 1_000_000,
  requestTimeoutMs: 1000,
};
const options = { schema, limits };
const TEXT = 'subscription Live($id: ID!) { changed(id: $id) { id title } }';

function documentOf(result: ReturnType<typeof parseSubscription>): DocumentNode {
  if (!('document' in result)) throw new Error(`refused: ${result.map((error) => error.message).join('; ')}`);
  return result.document;
}

describe('subscription documents', () => {
  it('are parsed and validated once per text, and shared', () => {
    const documents = new Map<string, DocumentNode>();
    const first = documentOf(parseSubscription(TEXT, options, documents));
    const second = documentOf(parseSubscription(TEXT, options, documents));
    expect(second).toBe(first);
    const other = documentOf(parseSubscription(`${TEXT} `, options, documents));
    expect(other).not.toBe(first);
  });

  it('are not remembered when refused, and refused again', () => {
    const documents = new Map<string, DocumentNode>();
    const invalid = 'subscription { changed(id: "v1") { nope } }';
    for (let n = 0; n < 2; n++) {
      const result = parseSubscription(invalid, options, documents);
      if ('document' in result) throw new Error('an invalid document was accepted');
      expect(result[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect(documents.size).toBe(0);
  });

  it('are not remembered past 4,096 characters of text, and the memory starts over past 256', () => {
    const documents = new Map<string, DocumentNode>();
    const long = `${TEXT}\n#${'x'.repeat(4096)}`;
    documentOf(parseSubscription(long, options, documents));
    expect(documents.size).toBe(0);
    for (let n = 0; n < 256; n++) documentOf(parseSubscription(`${TEXT} #${n}`, options, documents));
    expect(documents.size).toBe(256);
    documentOf(parseSubscription(TEXT, options, documents));
    expect(documents.size).toBe(1);
  });
});
