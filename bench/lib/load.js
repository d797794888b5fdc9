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
 * @property {number} requestsPerSecond successful answers per second over the run
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} total requests answered
 * @property {number} failed errors + timeouts + non-2xx + answers that were not the expected data
 * @property {number} durationS
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
  const stopOnSignal = () => instance.stop();
  process.once('SIGINT', stopOnSignal);
  try {
    const result = await instance;
    const ok = result['2xx'] - result.mismatches;
    return {
      requestsPerSecond: ok / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      total: result.requests.total,
      failed: result.errors + result.timeouts + result.non2xx + result.mismatches,
      durationS: result.duration,
    };
  } finally {
    process.off('SIGINT', stopOnSignal);
  }
}
