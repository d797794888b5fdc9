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
 * (docs/performance.md, #28 row 7). Apollo's `gateway` executor seam did the same to every
 * request: its per-request `status` getter and setter close over the request context, and an
 * object with per-call accessors keeps what they close over through young collections too (#28
 * rows 10–11: compiled queries moved to a plugin hook). Young collections are forced here after
 * batches of reads: the old generation must not grow with what the requests carried.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major'; execution?: 'sync' }) => void;

/** Client text each padded read carries (a variable the operation ignores). */
const PADDING_BYTES = 32 * 1024;

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
  function read(paddingBytes: number): Promise<void> {
    const body = JSON.stringify({
      query:
        'query Read($id: ID!) { teleconsultation(id: $id) { id status participants { userId fullName } } }',
      // Client text the operation ignores: a request kept alive keeps it too.
      variables: { id: visitId, padding: 'x'.repeat(paddingBytes) },
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

  /**
   * The old generation's growth over `reads` reads with `paddingBytes` of body each, young
   * collections forced at the end; null when a full collection ran meanwhile (it shrank).
   */
  async function promotedBy(reads: number, paddingBytes: number): Promise<number | null> {
    const before = oldSpaceBytes();
    for (let n = 0; n < reads; n++) await read(paddingBytes);
    // The server's side of the last exchange ends after the client has the answer (its
    // completed line, its metrics): a moment for it before collecting.
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Twice: what survives two young collections is promoted.
    gc({ type: 'minor', execution: 'sync' });
    gc({ type: 'minor', execution: 'sync' });
    const grown = oldSpaceBytes() - before;
    return grown < 0 ? null : grown;
  }

  it("promotes a request's body only by chance, never as a rule: reads with 32 KB bodies against reads without", async () => {
    for (let n = 0; n < 100; n++) await read(0); // caches, pools, compiled code
    gc({ type: 'major', execution: 'sync' });
    // Interleaved batches, so what the rest of the process promotes meanwhile (other suites'
    // timers, the forced collections' own bookkeeping) falls on both sides alike.
    const padded: number[] = [];
    const plain: number[] = [];
    const perBatch = 20;
    for (let batch = 0; batch < 20; batch++) {
      const withBody = await promotedBy(perBatch, PADDING_BYTES);
      const without = await promotedBy(perBatch, 0);
      if (withBody === null || without === null) continue;
      padded.push(withBody);
      plain.push(without);
    }
    expect(padded.length).toBeGreaterThanOrEqual(10);
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const extraPerRead = (sum(padded) - sum(plain)) / (padded.length * perBatch);
    // A request kept alive promotes its whole body (and more) on every read: 105% of it when a
    // WeakMap entry closed over its request. One that dies young promotes none of it alone, and
    // about a quarter of it late in a full test run, where other suites' servers, timers and the
    // test framework's promise bookkeeping hold some requests past a collection by chance.
    expect(extraPerRead).toBeLessThan(PADDING_BYTES / 2);
  });
});
