/**
 * The live waiting room over graphql-ws at /graphql: the caller's view at once, after every
 * stored change, at the instant the link opens (injected clock, no write), once more on
 * cancellation and then complete; the read's policy and error codes; across app instances on
 * one store; the limits of a connection and a process; identity from the upgrade request.
 */

import WebSocket from 'ws';
import { ManualClock } from '../../../src/domain/clock.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import {
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';
import { type LiveClient, liveClient } from '../../support/live-client.js';

const MINUTE = 60_000;
const IMMUTABLE_PERIOD_MS = 10 * MINUTE;
const TICK_MS = 20;
const PATIENT = { miauserid: 'pat-1', miausergroups: 'customer' };
const DOCTOR = { miauserid: 'doc-1', miausergroups: 'doctor' };

const SUBSCRIPTION = `subscription Live($id: ID!) {
  teleconsultationChanged(id: $id) { id status startDate locked joinState canJoinFrom accessLinkURL }
}`;

interface Pushed {
  id: string;
  status: string;
  startDate: string;
  locked: boolean;
  joinState: string;
  canJoinFrom: string | null;
  accessLinkURL: string | null;
}
const pushed = (result: { data?: unknown } | undefined) =>
  (result?.data as { teleconsultationChanged: Pushed } | undefined)?.teleconsultationChanged;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function schedule(gateway: TestGateway, minutes = 60) {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(minutes),
      durationInSeconds: 1800,
      participants: [doctor('doc-1'), patient('pat-1')],
    },
  });
  return createTeleconsultation;
}

describe('teleconsultationChanged', () => {
  let gateway: TestGateway;
  const clients: LiveClient[] = [];
  const connect = (headers: Record<string, string> = PATIENT, connectionParams?: Record<string, unknown>) => {
    const client = liveClient(gateway.url, { headers, ...(connectionParams ? { connectionParams } : {}) });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS) },
      overrides: { liveTickMs: TICK_MS },
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await gateway?.close();
  });

  it('sends the view at once, and the link at the instant of the lock, without any write', async () => {
    const visit = await schedule(gateway);
    const stream = connect().subscribe(SUBSCRIPTION, { id: visit.id });
    const [first] = await stream.waitFor(1);
    expect(pushed(first)).toMatchObject({
      id: visit.id,
      status: 'SCHEDULED',
      joinState: 'NOT_YET',
      accessLinkURL: null,
    });
    const lockedFrom = Date.parse(inMinutes(60)) - IMMUTABLE_PERIOD_MS;
    expect(pushed(first)?.canJoinFrom).toBe(new Date(lockedFrom).toISOString());

    // One millisecond before: nothing new.
    gateway.clock.set(lockedFrom - 1);
    await sleep(TICK_MS * 5);
    expect(stream.results).toHaveLength(1);

    const versionBefore = (await gateway.app.storage.teleconsultations.findById(visit.id))?.version;
    gateway.clock.set(lockedFrom);
    const [, opened] = await stream.waitFor(2, 1000);
    expect(pushed(opened)).toMatchObject({ status: 'LOCKED', locked: true, joinState: 'OPEN' });
    expect(pushed(opened)?.accessLinkURL).toMatch(/^https:\/\//);
    // No change was stored to get there; right after the push, the link handed out is recorded
    // (LINK_ISSUED), which changes nothing the subscriber sees: nothing more is pushed.
    const recorded = async () => (await gateway.app.storage.teleconsultations.findById(visit.id))?.version;
    for (let wait = 0; (await recorded()) === versionBefore && wait < 50; wait++) await sleep(10);
    const after = await gateway.app.storage.teleconsultations.findById(visit.id);
    expect(after?.startDate).toEqual(new Date(inMinutes(60)));
    expect(after?.version).toBe((versionBefore ?? 0) + 1);
    expect(after?.participants.find((p) => p.userId === 'pat-1')?.linkIssuedAt).toEqual(new Date(lockedFrom));
    await sleep(TICK_MS * 5);
    expect(stream.results).toHaveLength(2);
  });

  it('pushes a reschedule made by a mutation, and a cancellation, then completes', async () => {
    const visit = await schedule(gateway);
    const stream = connect().subscribe(SUBSCRIPTION, { id: visit.id });
    await stream.waitFor(1);
    await gateway.ok(UpdateTeleconsultationDocument, { id: visit.id, input: { startDate: inMinutes(90) } });
    const [, moved] = await stream.waitFor(2);
    expect(pushed(moved)).toMatchObject({
      startDate: inMinutes(90),
      canJoinFrom: new Date(Date.parse(inMinutes(90)) - IMMUTABLE_PERIOD_MS).toISOString(),
    });

    await gateway.ok(DeleteTeleconsultationDocument, { id: visit.id });
    const [, , cancelled] = await stream.waitFor(3);
    expect(pushed(cancelled)).toMatchObject({
      status: 'CANCELLED',
      joinState: 'CANCELLED',
      accessLinkURL: null,
    });
    expect(await stream.ended).toEqual({});
    expect(stream.results).toHaveLength(3);
  });

  it('refuses a caller the read policy refuses, with the query’s codes, and sends nothing else', async () => {
    const visit = await schedule(gateway);
    const stranger = connect({ miauserid: 'someone-else', miausergroups: 'customer' }).subscribe(
      SUBSCRIPTION,
      { id: visit.id },
    );
    const [refusal] = await stranger.waitFor(1);
    expect(refusal?.data ?? null).toBeNull();
    expect(refusal?.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'POLICY_DENIED',
      operation: 'teleconsultation',
    });
    expect(await stranger.ended).toEqual({});

    // A socket that names no caller is refused before any subscription (4403).
    const anonymous = connect({}).subscribe(SUBSCRIPTION, { id: visit.id });
    expect((await anonymous.ended).error).toMatchObject({ code: 4403, reason: 'Forbidden' });
    expect(anonymous.results).toEqual([]);
  });

  it('ends the stream with FORBIDDEN when the caller stops being a participant', async () => {
    const visit = await schedule(gateway);
    const stream = connect().subscribe(SUBSCRIPTION, { id: visit.id });
    await stream.waitFor(1);
    await gateway.ok(UpdateTeleconsultationDocument, {
      id: visit.id,
      input: { participants: [doctor('doc-1'), patient('pat-2')] },
    });
    const [, removed] = await stream.waitFor(2);
    expect(removed?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await stream.ended).toEqual({});
  });

  it('holds at most SUBSCRIPTIONS_PER_CONNECTION subscriptions on one connection', async () => {
    const visit = await schedule(gateway);
    const client = connect(DOCTOR);
    const streams = Array.from({ length: 10 }, () => client.subscribe(SUBSCRIPTION, { id: visit.id }));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    const eleventh = client.subscribe(SUBSCRIPTION, { id: visit.id });
    const outcome = await eleventh.ended;
    expect(outcome.error).toEqual([
      expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 10 } }),
    ]);
    // The others are untouched.
    await gateway.ok(UpdateTeleconsultationDocument, { id: visit.id, input: { startDate: inMinutes(80) } });
    await Promise.all(streams.map((stream) => stream.waitFor(2)));
  });

  it('applies the query limits to subscriptions, and serves nothing but subscriptions', async () => {
    const visit = await schedule(gateway);
    const client = connect(DOCTOR);
    const aliases = client.subscribe(
      `subscription { teleconsultationChanged(id: "${visit.id}") { ${Array.from({ length: 20 }, (_, i) => `a${i}: id`).join(' ')} } }`,
    );
    expect((await aliases.ended).error).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOO_MANY_ALIASES' }) }),
    ]);
    const query = client.subscribe('{ serviceConfig { environment } }');
    expect((await query.ended).error).toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } }),
    ]);
    const invalid = client.subscribe('subscription { nope }');
    expect((await invalid.ended).error).toEqual([
      expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
  });

  it('takes identity from connection_init with DEV_MODE=true (GraphiQL cannot set headers)', async () => {
    const visit = await schedule(gateway);
    const stream = connect({}, PATIENT).subscribe(SUBSCRIPTION, { id: visit.id });
    const [first] = await stream.waitFor(1);
    expect(pushed(first)).toMatchObject({ id: visit.id });
  });
});

describe('subscription limits and lifecycle', () => {
  it('refuses the subscription over SUBSCRIPTIONS_PER_PROCESS, across connections', async () => {
    const gateway = await startTestGateway({
      env: { SUBSCRIPTIONS_PER_PROCESS: '2' },
      overrides: { liveTickMs: TICK_MS },
    });
    const clients = [
      liveClient(gateway.url, { headers: DOCTOR }),
      liveClient(gateway.url, { headers: DOCTOR }),
    ];
    try {
      const visit = await schedule(gateway);
      const a = clients[0]?.subscribe(SUBSCRIPTION, { id: visit.id });
      const b = clients[1]?.subscribe(SUBSCRIPTION, { id: visit.id });
      await a?.waitFor(1);
      await b?.waitFor(1);
      const third = clients[1]?.subscribe(SUBSCRIPTION, { id: visit.id });
      expect((await third?.ended)?.error).toEqual([
        expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2 } }),
      ]);
      // Ending one frees its place.
      a?.unsubscribe();
      await sleep(50);
      const again = clients[0]?.subscribe(SUBSCRIPTION, { id: visit.id });
      await again?.waitFor(1);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
      await gateway.close();
    }
  });

  it('refuses subscriptions deeper or costlier than GRAPHQL_MAX_DEPTH and GRAPHQL_MAX_COST allow', async () => {
    const gateway = await startTestGateway({ env: { GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COST: '12' } });
    const client = liveClient(gateway.url, { headers: DOCTOR });
    try {
      // Scheduled through REST: the GraphQL create itself is deeper than these limits.
      const created = await gateway.rest('POST', '/teleconsultation', {
        body: {
          start_date: inMinutes(60),
          duration_in_seconds: 1800,
          participants: {
            number: 2,
            data: [
              { userId: 'doc-1', groups: ['doctor'], fullName: 'Doc' },
              { userId: 'pat-1', groups: ['customer'], fullName: 'Pat' },
            ],
          },
        },
      });
      const visit = { id: (created.json as { roomId: string }).roomId };
      const deep = client.subscribe(
        `subscription { teleconsultationChanged(id: "${visit.id}") { participants { tools { chat } } } }`,
      );
      expect((await deep.ended).error).toEqual([
        expect.objectContaining({ extensions: { code: 'QUERY_TOO_DEEP', limit: 3, actual: 4 } }),
      ]);
      const costly = client.subscribe(
        `subscription { teleconsultationChanged(id: "${visit.id}") { id details { status } } }`,
      );
      expect((await costly.ended).error).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 12 }),
        }),
      ]);
      const fine = client.subscribe(`subscription { teleconsultationChanged(id: "${visit.id}") { id } }`);
      await fine.waitFor(1);
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });

  it('closes a connection that never sends connection_init, and closes sockets with 1001 on shutdown', async () => {
    const gateway = await startTestGateway({ env: { SUBSCRIPTION_INIT_TIMEOUT_MS: '200' } });
    const silent = new WebSocket(`${gateway.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const silentClose = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    expect(await silentClose).toBe(4408);

    const client = liveClient(gateway.url, { headers: DOCTOR });
    const visit = await schedule(gateway);
    const stream = client.subscribe(SUBSCRIPTION, { id: visit.id });
    await stream.waitFor(1);
    await gateway.close();
    await stream.ended;
    expect(client.closes.map((close) => close.code)).toContain(1001);
    await client.dispose();
  });

  it('ignores identity in connection_init by default: only the upgrade request’s headers count', async () => {
    const gateway = await startTestGateway({ env: { DEV_MODE: 'false' } });
    const client = liveClient(gateway.url, { connectionParams: PATIENT });
    try {
      const visit = await schedule(gateway);
      const stream = client.subscribe(SUBSCRIPTION, { id: visit.id });
      // The socket names no caller: refused at connection_init (4403), nothing sent.
      expect((await stream.ended).error).toMatchObject({ code: 4403, reason: 'Forbidden' });
      expect(stream.results).toEqual([]);
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });
});

describe('the origin of a browser page opening the socket', () => {
  /** The upgrade's outcome: 101 (opened) or the status of the refusal, with its body. */
  function upgrade(url: string, origin?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: PATIENT,
        ...(origin ? { origin } : {}),
      });
      socket.on('open', () => {
        socket.close();
        resolve({ status: 101, body: '' });
      });
      socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      socket.on('error', (error) => {
        if (!/Unexpected server response/.test(String(error))) reject(error);
      });
    });
  }

  it("refuses another site's page before the upgrade, and lets its own host, listed origins and non-browsers in", async () => {
    const gateway = await startTestGateway({
      env: { SUBSCRIPTIONS_ALLOWED_ORIGINS: 'https://clinic.example, https://frontend.example:8443' },
    });
    try {
      const refused = await upgrade(gateway.url, 'https://evil.example');
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).errors[0].extensions).toEqual({
        code: 'FORBIDDEN',
        reason: 'ORIGIN_NOT_ALLOWED',
      });
      expect((await upgrade(gateway.url, 'null')).status).toBe(403);
      expect((await upgrade(gateway.url, 'https://frontend.example')).status).toBe(403);
      // The gateway's own page (GraphiQL), a listed origin, and a client that sends no Origin.
      expect((await upgrade(gateway.url, gateway.url)).status).toBe(101);
      expect((await upgrade(gateway.url, 'https://clinic.example')).status).toBe(101);
      expect((await upgrade(gateway.url, 'https://frontend.example:8443')).status).toBe(101);
      expect((await upgrade(gateway.url)).status).toBe(101);
    } finally {
      await gateway.close();
    }
  });

  it('allows any origin with *', async () => {
    const gateway = await startTestGateway({ env: { SUBSCRIPTIONS_ALLOWED_ORIGINS: '*' } });
    try {
      expect((await upgrade(gateway.url, 'https://elsewhere.example')).status).toBe(101);
    } finally {
      await gateway.close();
    }
  });
});

describe('a change stored while the first view is read', () => {
  it('is pushed right after the first view (the listener is in place before the read)', async () => {
    const storage = createMemoryStorage();
    // The next read of a visit takes its snapshot, then waits until released.
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
    const gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS) },
      overrides: { storage: held, liveTickMs: TICK_MS },
    });
    const client = liveClient(gateway.url, { headers: PATIENT });
    try {
      const visit = await schedule(gateway);
      let release = () => {};
      const reached = new Promise<void>((resolve) => {
        hold = { reached: resolve, release: new Promise<void>((done) => (release = done)) };
      });
      const stream = client.subscribe(SUBSCRIPTION, { id: visit.id });
      await reached;
      // The subscription's read holds the old visit; the move is stored meanwhile.
      await gateway.ok(UpdateTeleconsultationDocument, { id: visit.id, input: { startDate: inMinutes(90) } });
      release();
      const [first, moved] = await stream.waitFor(2, 2000);
      expect(pushed(first)?.startDate).toBe(inMinutes(60));
      expect(pushed(moved)?.startDate).toBe(inMinutes(90));
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });
});

describe('across app instances on one store', () => {
  it('delivers a change stored by one instance to a subscriber of the other', async () => {
    const clock = new ManualClock(T0);
    const storage = createMemoryStorage();
    const first = await startTestGateway({ clock, overrides: { storage, liveTickMs: TICK_MS } });
    const second = await startTestGateway({
      clock,
      sandbox: first.sandbox,
      overrides: { storage, liveTickMs: TICK_MS },
    });
    const client = liveClient(first.url, { headers: PATIENT });
    try {
      const visit = await schedule(second);
      const stream = client.subscribe(SUBSCRIPTION, { id: visit.id });
      await stream.waitFor(1);
      await second.ok(UpdateTeleconsultationDocument, { id: visit.id, input: { startDate: inMinutes(75) } });
      const [, moved] = await stream.waitFor(2);
      expect(pushed(moved)?.startDate).toBe(inMinutes(75));
      await second.ok(DeleteTeleconsultationDocument, { id: visit.id });
      await stream.waitFor(3);
      expect(await stream.ended).toEqual({});
    } finally {
      await client.dispose();
      await second.close();
      await first.close();
    }
  });
});
