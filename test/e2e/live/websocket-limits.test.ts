/**
 * What one process and one client address may hold over WebSocket, counted at admission: a burst
 * of subscribes cannot pass SUBSCRIPTIONS_PER_PROCESS, every way a subscription ends gives its
 * place back once, upgrades over WEBSOCKET_MAX_CONNECTIONS (503) or its bound per address (429)
 * are refused before any socket exists, and sockets that never authenticate (4403, 4408) or hold
 * no subscription (1000 after WEBSOCKET_IDLE_TIMEOUT_MS) are closed: anonymous sockets are not held.
 */
import { connect } from 'node:net';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import { CreateTeleconsultationDocument, DeleteTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { openAcknowledged, openAdmitted, openRaw, type RawSocket } from './raw-socket.js';

const PATIENT = { miauserid: 'pat-1', miausergroups: 'customer' };
const STRANGER = { miauserid: 'stranger', miausergroups: 'customer' };
const SUBSCRIPTION = `subscription Live($id: ID!) { teleconsultationChanged(id: $id) { id status } }`;

async function schedule(gateway: TestGateway): Promise<string> {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor('doc-1'), patient('pat-1')],
    },
  });
  return createTeleconsultation.id;
}

let nextId = 0;
/** Sends `count` subscribes back to back (one synchronous loop), and returns their ids. */
function burst(raw: RawSocket, visitId: string, count: number): string[] {
  const ids = Array.from({ length: count }, () => `s${++nextId}`);
  for (const id of ids) {
    raw.send({ id, type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: visitId } } });
  }
  return ids;
}

/** How each subscription was answered first: served (a view), refused by a cap, or refused by the policy. */
async function outcomes(raw: RawSocket, ids: string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const id of ids) {
    for (let wait = 0; ; wait++) {
      const first = raw.received.find((message) => message.id === id);
      if (first) {
        const payload = first.payload as
          | { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }
          | Array<{ extensions?: { code?: string } }>;
        const errors = Array.isArray(payload) ? payload : payload.errors;
        result[id] = errors ? String(errors[0]?.extensions?.code) : 'SERVED';
        break;
      }
      if (wait > 250 || !raw.open) throw new Error(`no answer to ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return result;
}

const count = (answers: Record<string, string>, outcome: string) =>
  Object.values(answers).filter((answer) => answer === outcome).length;

/** Upgrades until one is let through: a closed socket leaves the count once its TCP connection is gone. */
async function admittedSoon(url: string, options: Parameters<typeof openRaw>[1] = {}): Promise<RawSocket> {
  for (let attempt = 0; ; attempt++) {
    const opened = await openRaw(url, options);
    if ('raw' in opened) return opened.raw;
    if (attempt > 100) throw new Error(`still refused: ${opened.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SUBSCRIPTIONS_PER_PROCESS, counted at admission', () => {
  let gateway: TestGateway;
  const sockets: RawSocket[] = [];
  const open = async (headers: Record<string, string> = PATIENT) => {
    const raw = await openAcknowledged(gateway.url, { headers });
    sockets.push(raw);
    return raw;
  };
  afterEach(async () => {
    for (const raw of sockets.splice(0)) raw.socket.terminate();
    await gateway?.close();
  });

  it('lets 3 of 10 subscribes sent back to back on one connection through, and none more on another', async () => {
    gateway = await startTestGateway({ env: { SUBSCRIPTIONS_PER_PROCESS: '3' } });
    const visit = await schedule(gateway);
    const raw = await open();
    const answers = await outcomes(raw, burst(raw, visit, 10));
    expect(count(answers, 'SERVED')).toBe(3);
    expect(count(answers, 'TOO_MANY_SUBSCRIPTIONS')).toBe(7);
    const refusal = raw.received.find((message) => message.type === 'error');
    expect(refusal?.payload).toEqual([
      {
        message: 'This server holds all the subscriptions it can; try again later.',
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 },
      },
    ]);
    const other = await open();
    expect(await outcomes(other, burst(other, visit, 2))).toEqual({
      [`s${nextId - 1}`]: 'TOO_MANY_SUBSCRIPTIONS',
      [`s${nextId}`]: 'TOO_MANY_SUBSCRIPTIONS',
    });
  });

  it('counts SUBSCRIPTIONS_PER_CONNECTION at admission too', async () => {
    gateway = await startTestGateway({ env: { SUBSCRIPTIONS_PER_CONNECTION: '2' } });
    const visit = await schedule(gateway);
    const raw = await open();
    const answers = await outcomes(raw, burst(raw, visit, 6));
    expect(count(answers, 'SERVED')).toBe(2);
    expect(count(answers, 'TOO_MANY_SUBSCRIPTIONS')).toBe(4);
  });

  it('gives a place back once, whichever way a subscription ends', async () => {
    gateway = await startTestGateway({ env: { SUBSCRIPTIONS_PER_PROCESS: '3' } });
    const visit = await schedule(gateway);
    const cancelled = await schedule(gateway);
    /**
     * Exactly `free` places are left: a fresh connection's burst gets that many served, never
     * more. Places come back asynchronously (a close, a completion), so it probes until then.
     */
    const expectFree = async (free: number) => {
      for (let attempt = 0; ; attempt++) {
        const probe = await open();
        const served = count(await outcomes(probe, burst(probe, visit, free + 2)), 'SERVED');
        probe.socket.terminate();
        expect(served).toBeLessThanOrEqual(free);
        if (served === free) return;
        if (attempt > 50) throw new Error(`${served} places free, expected ${free}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    const holder = await open();
    const ids = [...burst(holder, visit, 1), ...burst(holder, cancelled, 1), ...burst(holder, visit, 1)];
    const [completed] = ids;
    expect(Object.values(await outcomes(holder, ids))).toEqual(['SERVED', 'SERVED', 'SERVED']);
    await expectFree(0);

    // The client completes one.
    holder.send({ id: String(completed), type: 'complete' });
    await expectFree(1);
    // The stream ends by itself (the visit is cancelled: a last view, then complete).
    await gateway.ok(DeleteTeleconsultationDocument, { id: cancelled });
    await expectFree(2);
    // Refused by the read's policy: the subscribe was admitted, then answered with an error; it holds nothing.
    const stranger = await open(STRANGER);
    expect(await outcomes(stranger, burst(stranger, visit, 2))).toEqual({
      [`s${nextId - 1}`]: 'FORBIDDEN',
      [`s${nextId}`]: 'FORBIDDEN',
    });
    await expectFree(2);
    // The socket closes with its subscription still running.
    holder.socket.terminate();
    await expectFree(3);
  });

  it('gives the place back once when the socket closes during the first read', async () => {
    const storage = createMemoryStorage();
    let hold: { reached: () => void; release: Promise<void> } | null = null;
    const held: typeof storage = {
      ...storage,
      teleconsultations: {
        ...storage.teleconsultations,
        findById: async (id) => {
          const snapshot = await storage.teleconsultations.findById(id);
          const current = hold;
          hold = null;
          if (current) {
            current.reached();
            await current.release;
          }
          return snapshot;
        },
      },
    };
    gateway = await startTestGateway({
      env: { SUBSCRIPTIONS_PER_PROCESS: '2' },
      overrides: { storage: held },
    });
    const visit = await schedule(gateway);
    let release = () => {};
    const reached = new Promise<void>((resolve) => {
      hold = { reached: resolve, release: new Promise<void>((done) => (release = done)) };
    });
    const leaving = await open();
    burst(leaving, visit, 1);
    await reached;
    leaving.socket.terminate();
    await leaving.closed;
    // The read ends after the socket has gone: graphql-ws completes the subscription then.
    release();
    // Both places are free again, and no more (a place given back twice would let 3 through).
    for (let attempt = 0; ; attempt++) {
      const probe = await open();
      const served = count(await outcomes(probe, burst(probe, visit, 3)), 'SERVED');
      probe.socket.terminate();
      expect(served).toBeLessThanOrEqual(2);
      if (served === 2) break;
      if (attempt > 50) throw new Error('the place of the closed socket never came back');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});

describe('WebSocket connections, bounded before the upgrade', () => {
  let gateway: TestGateway;
  const sockets: RawSocket[] = [];
  afterEach(async () => {
    for (const raw of sockets.splice(0)) raw.socket.terminate();
    await gateway?.close();
  });

  it('answers 429 over WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS and 503 over WEBSOCKET_MAX_CONNECTIONS', async () => {
    gateway = await startTestGateway({
      env: { WEBSOCKET_MAX_CONNECTIONS: '5', WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: '3' },
    });
    for (let n = 0; n < 3; n++) sockets.push(await openAdmitted(gateway.url, { headers: PATIENT }));
    const overAddress = await openRaw(gateway.url, { headers: PATIENT });
    expect('body' in overAddress && overAddress.status).toBe(429);
    if (!('body' in overAddress)) return;
    expect(overAddress.headers['retry-after']).toBe('5');
    expect(JSON.parse(overAddress.body)).toEqual({
      errors: [
        {
          message:
            'This address holds 3 WebSocket connections, the most one address may; close one or try again later.',
          extensions: { code: 'TOO_MANY_CONNECTIONS', limit: 3 },
        },
      ],
    });

    // Another client address has its own bound, within the process's.
    const elsewhere = { headers: PATIENT, localAddress: '127.0.0.2' };
    for (let n = 0; n < 2; n++) sockets.push(await openAdmitted(gateway.url, elsewhere));
    const overProcess = await openRaw(gateway.url, elsewhere);
    expect('body' in overProcess && overProcess.status).toBe(503);
    if (!('body' in overProcess)) return;
    expect(JSON.parse(overProcess.body).errors[0].extensions).toEqual({
      code: 'TOO_MANY_CONNECTIONS',
      limit: 5,
    });

    // A socket that closes (here the server's refusal of no subprotocol, 4406) leaves the count.
    sockets[0]?.socket.terminate();
    const noProtocol = await admittedSoon(gateway.url, { protocols: [] });
    expect((await noProtocol.closed).code).toBe(4406);
    sockets.push(await admittedSoon(gateway.url, { headers: PATIENT }));
  });

  it('counts out a handshake that fails after the upgrade was let through', async () => {
    gateway = await startTestGateway({ env: { WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
    const { port } = new URL(gateway.url);
    for (let n = 0; n < 5; n++) {
      // A WebSocket version the server does not speak: ws answers 400 and drops the connection.
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            [
              'GET /graphql HTTP/1.1',
              `Host: 127.0.0.1:${port}`,
              'Connection: Upgrade',
              'Upgrade: websocket',
              'Sec-WebSocket-Version: 7',
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
              'Sec-WebSocket-Protocol: graphql-transport-ws',
              'miauserid: pat-1',
              '',
              '',
            ].join('\r\n'),
          );
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
    }
    for (let n = 0; n < 2; n++) sockets.push(await admittedSoon(gateway.url, { headers: PATIENT }));
  });

  it('holds no anonymous socket: beyond the address bound they are refused, the others closed at connection_init (4403)', async () => {
    // Time enough to open them all: none may leave by the init timeout before the count is taken.
    gateway = await startTestGateway({ env: { DEV_MODE: 'false', SUBSCRIPTION_INIT_TIMEOUT_MS: '60000' } });
    const perAddress = gateway.config.subscriptions.maxConnectionsPerAddress;
    expect(perAddress).toBe(200);
    const attempts = await Promise.all(Array.from({ length: perAddress + 50 }, () => openRaw(gateway.url)));
    const admitted = attempts.flatMap((opened) => ('raw' in opened ? [opened.raw] : []));
    sockets.push(...admitted);
    expect(admitted).toHaveLength(perAddress);
    expect(attempts.filter((opened) => opened.status === 429)).toHaveLength(50);

    // Each says hello with no identity, or with one in the payload (ignored without DEV_MODE).
    admitted.forEach((raw, n) => {
      raw.send({ type: 'connection_init', payload: n % 2 === 0 ? PATIENT : {} });
    });
    const closes = await Promise.all(admitted.map((raw) => raw.closed));
    expect(closes.filter((close) => close.code === 4403)).toHaveLength(perAddress);
    expect(admitted.every((raw) => raw.received.length === 0)).toBe(true);
    // All gone from the server, and their places free again.
    sockets.push(await admittedSoon(gateway.url, { headers: PATIENT }));
    await expectSockets(gateway, 1);
  });

  it('holds no silent socket past SUBSCRIPTION_INIT_TIMEOUT_MS (4408)', async () => {
    gateway = await startTestGateway({ env: { SUBSCRIPTION_INIT_TIMEOUT_MS: '300' } });
    const silent = await Promise.all(Array.from({ length: 50 }, () => openAdmitted(gateway.url)));
    sockets.push(...silent);
    const closes = await Promise.all(silent.map((raw) => raw.closed));
    expect(closes.filter((close) => close.code === 4408)).toHaveLength(50);
    await expectSockets(gateway, 0);
  });
});

/** The server holds `count` sockets (a close reaches it a moment after the client saw it). */
async function expectSockets(gateway: TestGateway, count: number): Promise<void> {
  const clients = gateway.app.server.websocketServer.clients;
  for (let wait = 0; clients.size !== count && wait < 100; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(clients.size).toBe(count);
}

describe('WEBSOCKET_IDLE_TIMEOUT_MS', () => {
  const IDLE_MS = 1000;
  let gateway: TestGateway;
  const sockets: RawSocket[] = [];
  afterEach(async () => {
    for (const raw of sockets.splice(0)) raw.socket.terminate();
    await gateway?.close();
  });

  it('closes a socket that holds no subscription (1000), never one that holds one', async () => {
    gateway = await startTestGateway({ env: { WEBSOCKET_IDLE_TIMEOUT_MS: String(IDLE_MS) } });
    const visit = await schedule(gateway);
    // Opened first, subscribed: it outlives the idle socket opened after it.
    const busy = await openAcknowledged(gateway.url, { headers: PATIENT });
    const [subscription] = burst(busy, visit, 1);
    await busy.next('next');
    const idle = await openAcknowledged(gateway.url, { headers: PATIENT });
    const idleSince = Date.now();
    // Refused subscribes hold nothing, so they keep nobody awake.
    const refused = await openAcknowledged(gateway.url, { headers: STRANGER });
    burst(refused, visit, 1);
    sockets.push(busy, idle, refused);

    expect(await idle.closed).toEqual({ code: 1000, reason: 'Idle: no subscription' });
    expect(Date.now() - idleSince).toBeGreaterThanOrEqual(IDLE_MS - 20);
    expect(await refused.closed).toEqual({ code: 1000, reason: 'Idle: no subscription' });
    expect(busy.open).toBe(true);

    // Once its last subscription ends, the busy socket is idle too.
    busy.send({ id: String(subscription), type: 'complete' });
    const endedAt = Date.now();
    expect(await busy.closed).toEqual({ code: 1000, reason: 'Idle: no subscription' });
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(IDLE_MS - 20);
  });
});
