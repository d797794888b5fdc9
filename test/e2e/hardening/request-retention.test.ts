import { Agent, request as httpRequest } from 'node:http';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import {
  doctor,
  identityHeaders,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';

/**
 * A request's objects (its body, headers, reply, logger, GraphQL context) must die young: nothing
 * may keep them past their answer. On Node 20 a WeakMap entry whose value reaches its own key is
 * kept through every young-generation collection (V8 clears it only in a full one), so a
 * per-request closure over the request stored in a WeakMap keyed by that request promoted every
 * request to the old generation: 2–3× the scavenge cost per request and more full collections
 * (docs/performance.md, #28 row 7). Young collections are forced here after every request; the
 * old generation must not grow with the number of requests.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major'; execution?: 'sync' }) => void;

function oldSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;
}

describe("a request's objects die young", () => {
  let gateway: TestGateway;
  let visitId: string;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    // At warn: the test gateway keeps every line it writes, which would grow the heap by itself.
    gateway = await startTestGateway({ env: { LOG_LEVEL: 'warn' } });
    const created = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor(), patient()],
      },
    });
    visitId = created.createTeleconsultation.id;
  });

  afterAll(async () => {
    agent.destroy();
    await gateway?.close();
  });

  /**
   * One read over HTTP (GraphQL), its answer read whole; nothing of it kept here. node:http, not
   * fetch: undici registers every response body with a FinalizationRegistry, whose targets young
   * collections keep too — the client's own objects would be promoted.
   */
  function read(): Promise<void> {
    const body = JSON.stringify({
      query:
        'query Read($id: ID!) { teleconsultation(id: $id) { id status participants { userId fullName } } }',
      // 16 KB of client text in every body: a request kept alive shows in the old generation.
      variables: { id: visitId, padding: 'x'.repeat(16 * 1024) },
    });
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/graphql`, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          ...identityHeaders(gateway.config, { caller: 'patient-1' }),
        },
      });
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          if (text.includes(`"id":"${visitId}"`)) resolve();
          else reject(new Error(`unexpected answer ${text}`));
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  it('keeps the old generation flat over 400 GraphQL reads, each followed by young collections', async () => {
    for (let n = 0; n < 100; n++) await read(); // caches, pools, compiled code
    gc({ type: 'major', execution: 'sync' });
    const before = oldSpaceBytes();
    const reads = 400;
    for (let n = 1; n <= reads; n++) {
      await read();
      if (n % 20 !== 0) continue;
      // The server's side of the last exchange ends after the client has the answer (its
      // completed line, its metrics): a moment for it before collecting.
      await new Promise((resolve) => setTimeout(resolve, 5));
      // Twice: what survives two young collections is promoted. Every 20 reads, not after each:
      // each collection leaves a little of its own (the metrics' GC observer's entries).
      gc({ type: 'minor', execution: 'sync' });
      gc({ type: 'minor', execution: 'sync' });
    }
    const grownPerRead = (oldSpaceBytes() - before) / reads;
    // A request kept alive is its 16 KB body and more, promoted on every read; what the forced
    // collections, pools and caches promote on their own is ~3 KB per read.
    expect(grownPerRead).toBeLessThan(8 * 1024);
  });
});
