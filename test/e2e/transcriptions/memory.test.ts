/**
 * A transcription is never held whole: 60 MB against the default 50 MB limit is refused with the
 * process's memory flat (whether Kaleyra declares the size or the gateway has to count), and 40 MB
 * within the limit streams through REST without being buffered. Measured in this process, which
 * holds the gateway, the Kaleyra sandbox (it generates the document as it is read) and the client
 * (it counts what arrives and keeps nothing): memory retained mid-transfer, after a forced garbage
 * collection, against the same measure before. A gateway that buffered would hold tens of MB there.
 * docs/performance.md reports these numbers.
 */

import { request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import {
  doctor,
  identityHeaders,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';

const MB = 1024 * 1024;
/** What may stay allocated mid-transfer: stream and socket buffers, never the document. */
const RETAINED_LIMIT = 8 * MB;
const DOCTOR = { caller: 'doc-1', groups: 'doctor' };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory the process holds once garbage is collected: JavaScript heap plus Buffers. */
function retained(): { heap: number; buffers: number; total: number; rss: number } {
  gc();
  gc();
  const usage = process.memoryUsage();
  return {
    heap: usage.heapUsed,
    buffers: usage.arrayBuffers,
    total: usage.heapUsed + usage.arrayBuffers,
    rss: usage.rss,
  };
}

interface Transfer {
  status: number;
  bytes: number;
  complete: boolean;
  /** Retained memory measured once `measureAt` bytes had arrived (the reader paused meanwhile). */
  midway: ReturnType<typeof retained> | null;
}

/** Reads a REST answer, counting; at `measureAt` bytes it pauses and measures what the process holds. */
function transfer(gateway: TestGateway, path: string, measureAt: number): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      new URL(path, gateway.url),
      { headers: identityHeaders(gateway.config, DOCTOR) },
      (response) => {
        let bytes = 0;
        let midway: Transfer['midway'] = null;
        let settled = false;
        const settle = (complete: boolean) => {
          if (settled) return;
          settled = true;
          resolve({ status: response.statusCode ?? 0, bytes, complete, midway });
        };
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (midway === null && bytes >= measureAt) {
            // Pausing fills every buffer between Kaleyra and here: the worst moment to be measured.
            response.pause();
            setTimeout(() => {
              midway = retained();
              response.resume();
            }, 200);
          }
        });
        response.on('end', () => settle(response.complete));
        response.on('close', () => settle(response.complete));
        response.on('error', () => settle(false));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function visitWithRoom(gateway: TestGateway): Promise<string> {
  const { createTeleconsultation } = await gateway.ok(
    CreateTeleconsultationDocument,
    {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient('pat-1')],
      },
    },
    DOCTOR,
  );
  if (!createTeleconsultation.roomId) throw new Error('the visit has no room');
  return createTeleconsultation.roomId;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

describe('a transcription is never held whole (TRANSCRIPTION_MAX_FILE_SIZE at its default, 50 MB)', () => {
  let gateway: TestGateway;
  let roomId: string;
  const report: string[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { LOG_LEVEL: 'warn' } });
    roomId = await visitWithRoom(gateway);
    gateway.sandbox.addSession(roomId, { session_id: 'declared-60', transcription: { size_bytes: 60 * MB } });
    gateway.sandbox.addSession(roomId, {
      session_id: 'undeclared-60',
      transcription: { size_bytes: 60 * MB, content_length: 'omitted' },
    });
    gateway.sandbox.addSession(roomId, { session_id: 'within-40', transcription: { size_bytes: 40 * MB } });
    // Warm up the path once (code, pools, sockets), so the first measurement is not the outlier.
    gateway.sandbox.addSession(roomId, { session_id: 'warm-up', transcription: { size_bytes: MB } });
    await transfer(gateway, `/transcription/${roomId}/warm-up`, 2 * MB);
  });

  afterAll(async () => {
    await gateway?.close();
    if (process.env.TRANSCRIPTION_MEMORY_REPORT) process.stdout.write(`${report.join('\n')}\n`);
  });

  it('refuses 60 MB declared by Kaleyra with 413 before reading it, memory flat', async () => {
    const before = retained();
    const outcome = await transfer(gateway, `/transcription/${roomId}/declared-60`, Number.POSITIVE_INFINITY);
    const after = retained();

    expect(outcome.status).toBe(413);
    expect(after.total - before.total).toBeLessThan(RETAINED_LIMIT);
    report.push(
      `60 MB declared: 413, retained growth ${mb(after.total - before.total)}, rss ${mb(before.rss)} → ${mb(after.rss)}`,
    );
  });

  it('cuts off 60 MB sent without a length at 50 MB, memory flat while it streams and after', async () => {
    const before = retained();
    const outcome = await transfer(gateway, `/transcription/${roomId}/undeclared-60`, 40 * MB);
    const after = retained();

    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(false);
    expect(outcome.bytes).toBeGreaterThan(40 * MB);
    expect(outcome.bytes).toBeLessThanOrEqual(50 * MB);
    expect(outcome.midway?.total).toBeDefined();
    expect((outcome.midway?.total ?? Number.POSITIVE_INFINITY) - before.total).toBeLessThan(RETAINED_LIMIT);
    expect(after.total - before.total).toBeLessThan(RETAINED_LIMIT);
    report.push(
      `60 MB undeclared: cut at ${mb(outcome.bytes)}, retained growth at 40 MB ${mb((outcome.midway?.total ?? 0) - before.total)}, after ${mb(after.total - before.total)}, rss ${mb(before.rss)} → ${mb(outcome.midway?.rss ?? 0)} → ${mb(after.rss)}`,
    );
  });

  it('streams 40 MB within the limit through, whole, without buffering it', async () => {
    const before = retained();
    const outcome = await transfer(gateway, `/transcription/${roomId}/within-40`, 30 * MB);
    const after = retained();

    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(true);
    expect(outcome.bytes).toBe(40 * MB);
    expect((outcome.midway?.total ?? Number.POSITIVE_INFINITY) - before.total).toBeLessThan(RETAINED_LIMIT);
    expect(after.total - before.total).toBeLessThan(RETAINED_LIMIT);
    report.push(
      `40 MB within: 200 complete, retained growth at 30 MB ${mb((outcome.midway?.total ?? 0) - before.total)}, after ${mb(after.total - before.total)}, rss ${mb(before.rss)} → ${mb(outcome.midway?.rss ?? 0)} → ${mb(after.rss)}`,
    );
  });
});
