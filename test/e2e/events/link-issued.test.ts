/**
 * LINK_ISSUED says a participant was handed their join link: it is recorded exactly when the
 * link is in an answer (selected and non-null, and not taken out again by an error beside it),
 * once per participant, at the moment of the real hand-out, on every path that hands links: the
 * `teleconsultation` query, the agenda, a mutation's answer, a subscription's push and the REST
 * read. An answer that could have carried the link but did not records nothing.
 */

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { ManualClock } from '../../../src/domain/clock.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';
import { type LiveClient, liveClient } from '../../support/live-client.js';

const MINUTE = 60_000;
const IMMUTABLE_PERIOD_MS = 10 * MINUTE;
const TICK_MS = 20;
const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const PATIENT = { caller: 'pat-1', groups: 'customer' };

/** An operation written here, for selections the shared documents do not make. */
const operation = <TData = Record<string, unknown>>(source: string) =>
  parse(source) as TypedDocumentNode<TData, Record<string, unknown>>;

const CREATE = (selection: string) =>
  operation(`mutation Create($input: CreateTeleconsultationInput!) {
    createTeleconsultation(input: $input) { ${selection} }
  }`);
const READ = (selection: string) =>
  operation(`query Read($id: ID!) { teleconsultation(id: $id) { ${selection} } }`);
const AGENDA = (selection: string) =>
  operation(`query Agenda { myTeleconsultations { edges { node { ${selection} } } } }`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LINK_ISSUED', () => {
  let gateway: TestGateway;
  const clients: LiveClient[] = [];

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

  /** A visit of doc-1 and pat-1 starting `minutes` after T0, created selecting `selection`. */
  async function schedule(minutes = 60, selection = 'id'): Promise<string> {
    const created = await gateway.ok(
      CREATE(selection),
      {
        input: {
          startDate: inMinutes(minutes),
          durationInSeconds: 1800,
          participants: [doctor('doc-1'), patient('pat-1')],
        },
      },
      DOCTOR,
    );
    return (created.createTeleconsultation as { id: string }).id;
  }

  /** The LINK_ISSUED events of a visit: who, and when. */
  async function issued(id: string): Promise<Array<[string[], string]>> {
    const events = await gateway.app.storage.events.list(id, 0, 1000);
    return events
      .filter((event) => event.type === 'LINK_ISSUED')
      .map((event) => [[...event.participantIds], event.occurredAt.toISOString()]);
  }

  const lockedFrom = (minutes: number) => Date.parse(inMinutes(minutes)) - IMMUTABLE_PERIOD_MS;

  it('records nothing for a query that leaves accessLinkURL out, and the later read that selects it', async () => {
    const id = await schedule();
    gateway.clock.set(lockedFrom(60));
    const without = await gateway.ok(READ('id status joinState locked'), { id }, PATIENT);
    expect(without.teleconsultation).toMatchObject({ joinState: 'OPEN', locked: true });
    expect(await issued(id)).toEqual([]);

    gateway.clock.advance(MINUTE);
    const handed = await gateway.ok(READ('accessLinkURL'), { id }, PATIENT);
    expect((handed.teleconsultation as { accessLinkURL: string }).accessLinkURL).toMatch(/^https:/);
    const at = gateway.clock.now().toISOString();
    expect(await issued(id)).toEqual([[['pat-1'], at]]);

    // Once per participant: handed again, nothing more.
    gateway.clock.advance(MINUTE);
    await gateway.ok(READ('a: accessLinkURL b: accessLinkURL'), { id }, PATIENT);
    expect(await issued(id)).toEqual([[['pat-1'], at]]);
  });

  it('records nothing for a link selected but not answered (its visit nulled by an error beside it)', async () => {
    const id = await schedule();
    gateway.clock.set(lockedFrom(60));
    // The audit trail is for PLUS participants: the patient's history is refused, and the visit
    // that held the link is null in the answer.
    const refused = await gateway.request(
      READ('accessLinkURL history { edges { cursor } }'),
      { id },
      PATIENT,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.data).toEqual({ teleconsultation: null });
    expect(await issued(id)).toEqual([]);

    gateway.clock.advance(MINUTE);
    await gateway.ok(READ('accessLinkURL'), { id }, PATIENT);
    expect(await issued(id)).toEqual([[['pat-1'], gateway.clock.now().toISOString()]]);
  });

  it('records nothing for an agenda page that leaves the link out, and one per visit for the page that carries it', async () => {
    const first = await schedule(60);
    const second = await schedule(65);
    gateway.clock.set(lockedFrom(65));
    const withoutLinks = await gateway.ok(AGENDA('id joinState'), {}, PATIENT);
    expect(JSON.stringify(withoutLinks)).not.toContain('https:');
    expect([...(await issued(first)), ...(await issued(second))]).toEqual([]);

    gateway.clock.advance(MINUTE);
    const at = gateway.clock.now().toISOString();
    const withLinks = await gateway.ok(AGENDA('id accessLinkURL'), {}, PATIENT);
    expect(JSON.stringify(withLinks).match(/https:/g)).toHaveLength(2);
    expect(await issued(first)).toEqual([[['pat-1'], at]]);
    expect(await issued(second)).toEqual([[['pat-1'], at]]);
  });

  it("records nothing for a mutation's answer that leaves the link out, and at once for one that carries it", async () => {
    // Created inside the immutable period: the creating doctor's answer could carry their link.
    const quiet = await schedule(5, 'id joinState');
    expect(await issued(quiet)).toEqual([]);
    const loud = await schedule(6, 'id accessLinkURL');
    expect(await issued(loud)).toEqual([[['doc-1'], T0.toISOString()]]);

    gateway.clock.advance(MINUTE);
    await gateway.ok(READ('accessLinkURL'), { id: quiet }, DOCTOR);
    expect(await issued(quiet)).toEqual([[['doc-1'], gateway.clock.now().toISOString()]]);
  });

  it('records nothing for pushes that leave the link out, and the push that carries it', async () => {
    const id = await schedule();
    const connect = () => {
      const client = liveClient(gateway.url, { headers: { miauserid: 'pat-1', miausergroups: 'customer' } });
      clients.push(client);
      return client;
    };
    const quiet = connect().subscribe(
      'subscription Quiet($id: ID!) { teleconsultationChanged(id: $id) { joinState } }',
      { id },
    );
    await quiet.waitFor(1);
    gateway.clock.set(lockedFrom(60));
    const [, opened] = await quiet.waitFor(2);
    expect(opened?.data).toEqual({ teleconsultationChanged: { joinState: 'OPEN' } });
    // A hand-out is recorded right after its push: give it more than the time it takes.
    await sleep(TICK_MS * 10);
    expect(await issued(id)).toEqual([]);

    gateway.clock.advance(MINUTE);
    const at = gateway.clock.now().toISOString();
    const loud = connect().subscribe(
      'subscription Loud($id: ID!) { teleconsultationChanged(id: $id) { accessLinkURL } }',
      { id },
    );
    const [first] = await loud.waitFor(1);
    expect(JSON.stringify(first?.data)).toContain('https:');
    for (let wait = 0; (await issued(id)).length === 0 && wait < 100; wait++) await sleep(10);
    expect(await issued(id)).toEqual([[['pat-1'], at]]);
  });

  it('records the REST read, whose answer always carries the link', async () => {
    const id = await schedule();
    gateway.clock.set(lockedFrom(60));
    const read = await gateway.rest('GET', `/teleconsultation/${id}`, PATIENT);
    expect((read.json as { accessLinkURL: string }).accessLinkURL).toMatch(/^https:/);
    expect(await issued(id)).toEqual([[['pat-1'], gateway.clock.now().toISOString()]]);
  });
});

describe('LINK_ISSUED over REST, where the read names the participants', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;

  beforeEach(async () => {
    stub = await startAuthServiceStub({
      'doc-1': { name: 'Grace Hopper', groups: ['doctor'] },
      'pat-1': { name: 'Ada Lovelace', groups: ['customer'] },
    });
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url, IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS) },
    });
  });
  afterEach(async () => {
    await gateway?.close();
    await stub?.close();
  });

  it('records nothing when the read fails after its view (the names cannot be had), and the read that answers', async () => {
    const created = await gateway.ok(
      CREATE('id'),
      {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [{ userId: 'doc-1' }, { userId: 'pat-1' }],
        },
      },
      DOCTOR,
    );
    const id = (created.createTeleconsultation as { id: string }).id;
    const linkIssued = async () =>
      (await gateway.app.storage.events.list(id, 0, 1000))
        .filter((event) => event.type === 'LINK_ISSUED')
        .map((event) => event.occurredAt.toISOString());
    gateway.clock.set(Date.parse(inMinutes(60)) - IMMUTABLE_PERIOD_MS);

    stub.setFault({ kind: 'status', status: 503 });
    const failed = await gateway.rest('GET', `/teleconsultation/${id}`, PATIENT);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.text).not.toContain('https:');
    expect(await linkIssued()).toEqual([]);

    stub.setFault(null);
    gateway.clock.advance(MINUTE);
    const read = await gateway.rest('GET', `/teleconsultation/${id}`, PATIENT);
    expect((read.json as { accessLinkURL: string }).accessLinkURL).toMatch(/^https:/);
    expect(await linkIssued()).toEqual([gateway.clock.now().toISOString()]);
  });
});

describe('LINK_ISSUED per link', () => {
  it("records a participant's new link when the room was replaced after their first was handed out", async () => {
    // Two deployments over one store: the immutable period was shortened in between, so a visit
    // whose link was handed out is open to changes again, and a change replaces its room.
    const storage = createMemoryStorage();
    const clock = new ManualClock(T0);
    const before = await startTestGateway({
      clock,
      overrides: { storage },
      env: { IMMUTABLE_PERIOD_MS: '600000', UNLIMITED_TELECONSULTATION: 'false' },
    });
    const after = await startTestGateway({
      clock,
      sandbox: before.sandbox,
      overrides: { storage },
      env: { IMMUTABLE_PERIOD_MS: '300000', UNLIMITED_TELECONSULTATION: 'false' },
    });
    try {
      const created = await before.ok(
        CREATE('id'),
        {
          input: {
            startDate: inMinutes(60),
            durationInSeconds: 1800,
            participants: [doctor('doc-1'), patient('pat-1')],
          },
        },
        DOCTOR,
      );
      const id = (created.createTeleconsultation as { id: string }).id;
      const issued = async () =>
        (await storage.events.list(id, 0, 1000))
          .filter((event) => event.type === 'LINK_ISSUED')
          .map((event) => event.occurredAt.toISOString());

      clock.set(Date.parse(inMinutes(50)));
      const first = await before.ok(READ('accessLinkURL'), { id }, PATIENT);
      expect(await issued()).toEqual([inMinutes(50)]);

      clock.set(Date.parse(inMinutes(52)));
      await after.ok(
        operation(`mutation Longer($id: ID!) {
          updateTeleconsultation(id: $id, input: { durationInSeconds: 2400 }) { id }
        }`),
        { id },
      );
      clock.set(Date.parse(inMinutes(55)));
      const second = await after.ok(READ('accessLinkURL'), { id }, PATIENT);
      expect(second.teleconsultation).not.toEqual(first.teleconsultation);
      expect(await issued()).toEqual([inMinutes(50), inMinutes(55)]);
      // And once for that link too.
      await after.ok(READ('accessLinkURL'), { id }, PATIENT);
      expect(await issued()).toHaveLength(2);
    } finally {
      await after.close();
      await before.close();
    }
  });
});
