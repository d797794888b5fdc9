import { parse } from 'graphql';
import { operationCost } from '../../../src/graphql/limits/cost.js';
import { ROOM_DETAILS_COST } from '../../../src/graphql/resolvers/teleconsultation.resolver.js';
import { TRANSCRIPTION_COST } from '../../../src/graphql/resolvers/transcription.resolver.js';
import { buildGatewaySchema } from '../../../src/graphql/schema.js';

describe('field costs of the gateway schema', () => {
  it('weighs `details` (a Kaleyra call per selection) more than a stored field', async () => {
    const schema = await buildGatewaySchema();
    const cost = (query: string) => operationCost(schema, parse(query), undefined, { id: 'x' });
    const stored = cost('query($id: ID!) { teleconsultation(id: $id) { id status } }');
    const live = cost('query($id: ID!) { teleconsultation(id: $id) { id details { status } } }');
    expect(stored).toBe(3);
    // teleconsultation + id + details (ROOM_DETAILS_COST) + status
    expect(live).toBe(2 + ROOM_DETAILS_COST + 1);
    expect(ROOM_DETAILS_COST).toBeGreaterThan(1);
  });

  it('weighs `sessions` as a Kaleyra call, and a `transcription` so that one fits the default limit, not two', async () => {
    const schema = await buildGatewaySchema();
    const cost = (query: string) => operationCost(schema, parse(query), undefined, {});
    expect(cost('{ teleconsultation(id: "x") { sessions { id } } }')).toBe(1 + ROOM_DETAILS_COST + 1);
    const one = cost('{ transcription(teleconsultationId: "x", sessionId: "s") }');
    const two = cost(
      '{ a: transcription(teleconsultationId: "x", sessionId: "s") b: transcription(teleconsultationId: "x", sessionId: "t") }',
    );
    expect(one).toBe(TRANSCRIPTION_COST);
    // GRAPHQL_MAX_COST's default, 1000: GraphQL holds each transcription whole.
    expect(one).toBeLessThanOrEqual(1000);
    expect(two).toBeGreaterThan(1000);
  });
});
