/**
 * The benchmark's load window (bench/lib/load.js): throughput is counted over the time the load
 * ran, not over the load generator's set-up. autocannon's own `duration` starts before it builds
 * every connection's copy of the requests, which takes longer the more ids a server hands out: the
 * 100,000-record store (1,000 ids) was charged ~0.2 s per 4-s round that the 100-record one
 * (100 ids) was not, ~5 % of its throughput ratio.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
// @ts-expect-error: the benchmark's plain JavaScript, without declarations.
import { readRequests, runLoad } from '../../../bench/lib/load.js';

interface LoadResult {
  requestsPerSecond: number;
  total: number;
  failed: number;
  durationS: number;
}
const load = runLoad as (run: {
  url: string;
  requests: unknown[];
  durationS: number;
  connections: number;
  answerPrefix: string;
}) => Promise<LoadResult>;

const ANSWER = '{"data":{"teleconsultation":{"id":"x"}}}';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the benchmark load window', () => {
  it('leaves out the load generator building its requests, however many ids it cycles through', async () => {
    // Enough distinct requests that building them takes a clear part of a second.
    const reads = Array.from({ length: 6000 }, (_, n) => ({ id: `id-${n}`, caller: `user-${n}` }));
    const started = performance.now();
    const result = await load({
      url,
      requests: readRequests(reads),
      durationS: 1,
      connections: 10,
      answerPrefix: '{"data":',
    });
    const wallS = (performance.now() - started) / 1000;
    expect(result.failed).toBe(0);
    expect(result.total).toBeGreaterThan(0);
    // The set-up happened (the call took clearly longer than the load), and is not in the window.
    expect(wallS - result.durationS).toBeGreaterThan(0.3);
    // autocannon arms its 1-s timer just before it emits `start` (a few ms under a busy test run).
    expect(result.durationS).toBeGreaterThan(0.95);
    expect(result.durationS).toBeLessThan(1.2);
    expect(result.requestsPerSecond).toBeCloseTo(result.total / result.durationS, 6);
  });
});
