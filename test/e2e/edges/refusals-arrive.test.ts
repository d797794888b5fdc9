/**
 * A refusal must reach the client. An answer sent while the body is still arriving used to close
 * the connection at once: the client's remaining writes then met a closed socket, and the reset
 * reached it before the answer it had not read yet (60 refused uploads of a 70-byte PNG: 42
 * answers, 18 EPIPE). Now a small body's remainder is read and dropped first, and the answer
 * comes on a connection that stays open; only a large body still streaming is cut short (the
 * 10 MB upload limit: company-settings.test.ts; a slow upload's 504: deadlines.test.ts).
 */
import { connect, type Socket } from 'node:net';
import { identityHeaders, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { PNG_1X1 } from '../../support/images.js';

const BOUNDARY = 'x-boundary-12';

function uploadBody(image: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="virtual_background"; filename="bg.png"\r\ncontent-type: image/png\r\n\r\n`,
    ),
    image,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Resolves once `predicate` holds, looking again on every turn of the event loop (no timer). */
async function eventually(predicate: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100_000; turn++) {
    if (predicate()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the condition never held');
}

/**
 * An upload whose body is still arriving when the gateway decides: the request line, the headers
 * and the first bytes of the body go out at once; `rest()` sends the remainder. The client reads
 * nothing before that (a client busy writing its body), so an answer it was sent is lost if the
 * connection is reset first.
 */
function slowUpload(gateway: TestGateway, headers: Record<string, string>) {
  const url = new URL(gateway.url);
  const body = uploadBody(PNG_1X1);
  const head = [
    'POST /settings/background-image HTTP/1.1',
    `Host: ${url.host}`,
    `content-type: multipart/form-data; boundary=${BOUNDARY}`,
    `content-length: ${body.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  const socket: Socket = connect(Number(url.port), url.hostname);
  socket.pause();
  socket.write(Buffer.concat([Buffer.from(head), body.subarray(0, 20)]));
  let received = '';
  let failure: string | null = null;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    failure = error.code ?? error.message;
  });
  const answered = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('data', () => {
      if (isWholeAnswer(received)) resolve();
    });
  });
  return {
    /** The remainder of the body; then read what came back. */
    async rest(): Promise<{
      status: number | null;
      connection: string | null;
      body: string;
      failure: string | null;
    }> {
      socket.write(body.subarray(20));
      socket.resume();
      await answered;
      const [head = '', text = ''] = received.split('\r\n\r\n');
      socket.destroy();
      return {
        status: /^HTTP\/1\.1 (\d{3})/.exec(head) ? Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]) : null,
        connection: /\r\nconnection: ([^\r]*)/i.exec(head)?.[1]?.toLowerCase() ?? null,
        body: text,
        failure,
      };
    },
  };
}

function isWholeAnswer(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? Number.NaN);
  return Number.isFinite(length) && Buffer.byteLength(text.slice(end + 4), 'latin1') >= length;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('refusals that arrive', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway();
  });
  afterEach(async () => gateway?.close());

  it('answers 60 unauthorized uploads of a 70-byte PNG with 60 401s, none lost in a reset', async () => {
    const customer = identityHeaders(gateway.config, { caller: 'pat-1', groups: 'customer' });
    const uploads = Array.from({ length: 60 }, () => slowUpload(gateway, customer));
    // Every upload refused by the policy while its body is still on its way.
    await eventually(() => count(gateway.logs(), 'authorization denied') === 60);
    const outcomes = await Promise.all(uploads.map((upload) => upload.rest()));

    expect(outcomes.map((outcome) => outcome.failure ?? outcome.status)).toEqual(
      Array.from({ length: 60 }, () => 401),
    );
    for (const outcome of outcomes) {
      expect(JSON.parse(outcome.body)).toMatchObject({ error: 'Unauthorized user', code: 'FORBIDDEN' });
      // The remainder was read, so the connection can carry the next request.
      expect(outcome.connection).not.toBe('close');
    }
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it('answers a large refused upload at once, without waiting for the rest, and announces the close', async () => {
    const url = new URL(gateway.url);
    const customer = identityHeaders(gateway.config, { caller: 'pat-1', groups: 'customer' });
    const declared = 8 * 1024 * 1024;
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          [
            'POST /settings/background-image HTTP/1.1',
            `Host: ${url.host}`,
            `content-type: multipart/form-data; boundary=${BOUNDARY}`,
            `content-length: ${declared}`,
            ...Object.entries(customer).map(([name, value]) => `${name}: ${value}`),
            '',
            '',
          ].join('\r\n'),
        );
        socket.write(uploadBody(PNG_1X1).subarray(0, 40));
      });
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (isWholeAnswer(received)) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });

  it('lets a client still writing a large refused body read its answer: the close lingers, no reset', async () => {
    const url = new URL(gateway.url);
    const customer = identityHeaders(gateway.config, { caller: 'pat-1', groups: 'customer' });
    const outcome = await new Promise<{ answer: string; error: string | null }>((resolve) => {
      let received = '';
      let error: string | null = null;
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          [
            'POST /settings/background-image HTTP/1.1',
            `Host: ${url.host}`,
            `content-type: multipart/form-data; boundary=${BOUNDARY}`,
            `content-length: ${8 * 1024 * 1024}`,
            ...Object.entries(customer).map(([name, value]) => `${name}: ${value}`),
            '',
            '',
          ].join('\r\n'),
        );
        socket.write(uploadBody(PNG_1X1).subarray(0, 40));
      });
      let writing = false;
      socket.on('data', async (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (writing || !isWholeAnswer(received)) return;
        // The answer is in; the client, busy with its body, writes on before it stops.
        writing = true;
        for (let sent = 0; sent < 512 * 1024 && !socket.destroyed; sent += 64 * 1024) {
          if (!socket.write(Buffer.alloc(64 * 1024, 7)))
            await new Promise((done) => socket.once('drain', done));
        }
        socket.end();
      });
      socket.on('error', (failure: NodeJS.ErrnoException) => {
        error = failure.code ?? failure.message;
      });
      socket.on('close', () => resolve({ answer: received, error }));
    });
    expect(outcome.error).toBeNull();
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('answers uploads refused before anything is read (another site) just as surely', async () => {
    const crossSite = { isbackoffice: 'true', origin: 'https://evil.example' };
    const uploads = Array.from({ length: 30 }, () => slowUpload(gateway, crossSite));
    await eventually(() => count(gateway.logs(), 'cross-site request refused') === 30);
    const outcomes = await Promise.all(uploads.map((upload) => upload.rest()));
    expect(outcomes.map((outcome) => outcome.failure ?? outcome.status)).toEqual(
      Array.from({ length: 30 }, () => 401),
    );
    for (const outcome of outcomes) expect(outcome.connection).not.toBe('close');
  });
});
