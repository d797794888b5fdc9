/**
 * Load generation with autocannon, in the runner's process (the servers run in their own).
 * Requests are built once up front and cycled, so the load generator spends no time per request
 * on building bodies and both sides of a comparison get exactly the same treatment.
 */
import autocannon from 'autocannon';
import { CALLER_HEADER, READ_QUERY } from './read-query.js';

/**
 * One prebuilt request per id the server handed out, each as that record's participant.
 * @param {Array<{ id: string, caller: string }>} reads
 */
export function readRequests(reads) {
  return reads.map(({ id, caller }) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: caller },
    body: JSON.stringify({ operationName: 'ReadTeleconsultation', query: READ_QUERY, variables: { id } }),
  }));
}

/**
 * @typedef {object} LoadResult
 * @property {number} requestsPerSecond successful answers per second of the load's window
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} total requests answered
 * @property {number} failed errors + timeouts + non-2xx + answers that were not the expected data
 * @property {number} durationS the load's window: from autocannon's start (its connections opening) to its finish
 */

/**
 * @param {{ url: string, requests: ReturnType<typeof readRequests>, durationS: number, connections: number, answerPrefix: string, overallRate?: number }} run
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ url, requests, durationS, connections, answerPrefix, overallRate }) {
  const instance = autocannon({
    url: `${url}/graphql`,
    connections,
    pipelining: 1,
    // A fixed request rate (polling clients), instead of as fast as the server answers.
    ...(overallRate ? { overallRate } : {}),
    duration: durationS,
    timeout: 10,
    requests,
    verifyBody: (body) => typeof body === 'string' && body.startsWith(answerPrefix),
  });
  // The window the load ran in: from autocannon's `start` to its finish. Its own `duration` also
  // counts building every connection's copy of the requests, before the first one is sent
  // (~0.2 s for 1,000 requests on 10 connections), which would charge a server handed more ids
  // (the 100,000-record store) for the load generator's set-up.
  let startedAt = Date.now();
  instance.once('start', () => {
    startedAt = Date.now();
  });
  const stopOnSignal = () => instance.stop();
  process.once('SIGINT', stopOnSignal);
  try {
    const result = await instance;
    const ok = result['2xx'] - result.mismatches;
    const durationS = (new Date(result.finish).getTime() - startedAt) / 1000;
    return {
      requestsPerSecond: ok / durationS,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      total: result.requests.total,
      failed: result.errors + result.timeouts + result.non2xx + result.mismatches,
      durationS,
    };
  } finally {
    process.off('SIGINT', stopOnSignal);
  }
}
