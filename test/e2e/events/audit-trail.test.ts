/**
 * The event log and the audit trail over HTTP: every stored change appends its events in the same
 * conditional write (an event exists exactly when its change was stored), numbered 1..n per visit
 * with no gaps, ids only; `Teleconsultation.history` and `GET /teleconsultation/:id/history` read
 * them back, oldest first, for PLUS participants and the back office.
 */

import type { TeleconsultationEvent } from '../../../src/domain/events.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../src/storage/ports.js';
import {
  AddParticipantsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  DeleteTeleconsultationUploadsDocument,
  TeleconsultationDocument,
  TeleconsultationHistoryDocument,
  type TeleconsultationHistoryQuery,
  UpdateTeleconsultationDocument,
  VisitHistoryDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

const MINUTE = 60_000;
const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const PATIENT = { caller: 'pat-1', groups: 'customer' };

type HistoryEdges = NonNullable<TeleconsultationHistoryQuery['teleconsultation']>['history']['edges'];

async function historyOf(gateway: TestGateway, id: string, as = DOCTOR, first?: number, after?: string) {
  const { teleconsultation } = await gateway.ok(
    TeleconsultationHistoryDocument,
    { id, ...(first ? { first } : {}), ...(after ? { after } : {}) },
    as,
  );
  if (!teleconsultation) throw new Error('no visit');
  return teleconsultation.history;
}

/** A visit of doc-1 and pat-1 in an hour, scheduled by doc-1. */
async function scheduleAsDoctor(gateway: TestGateway) {
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
  return createTeleconsultation;
}

const summary = (edges: HistoryEdges) =>
  edges.map(({ node }) => [node.sequence, node.type, node.actorId, node.changedFields, node.participantIds]);

async function storedEvents(storage: Storage, id: string): Promise<TeleconsultationEvent[]> {
  return storage.events.list(id, 0, 1000);
}

describe('the audit trail', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(10 * MINUTE), TELECONSULTATION_DELETE_UPLOADS: 'true' },
    });
  });
  afterEach(async () => gateway?.close());

  it('records create → add → reschedule → replace → link → uploads → cancel exactly, 1..n, with actors', async () => {
    const { createTeleconsultation: created } = await gateway.ok(
      CreateTeleconsultationDocument,
      {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participantsNumber: 3,
          participants: [doctor('doc-1'), patient('pat-1')],
        },
      },
      DOCTOR,
    );
    const id = created.id;
    await gateway.ok(AddParticipantsDocument, { id, participants: [patient('pat-2')] }, DOCTOR);
    // The back office (no user id) reschedules: the system is the actor.
    await gateway.ok(UpdateTeleconsultationDocument, { id, input: { startDate: inMinutes(90) } });
    await gateway.ok(
      UpdateTeleconsultationDocument,
      { id, input: { participants: [doctor('doc-1'), patient('pat-1'), patient('pat-3')] } },
      DOCTOR,
    );
    // Locked: the patient is handed their link (once, however often they read).
    gateway.clock.set(Date.parse(inMinutes(90)) - 5 * MINUTE);
    await gateway.ok(TeleconsultationDocument, { id }, PATIENT);
    await gateway.ok(TeleconsultationDocument, { id }, PATIENT);
    const room = (await gateway.app.storage.teleconsultations.findById(id))?.roomId as string;
    gateway.sandbox.addUploads(room, 2);
    await gateway.ok(DeleteTeleconsultationUploadsDocument, { id }, PATIENT);
    await gateway.ok(DeleteTeleconsultationDocument, { id }, DOCTOR);

    const history = await historyOf(gateway, id);
    expect(summary(history.edges)).toEqual([
      [1, 'CREATED', 'doc-1', [], ['doc-1', 'pat-1']],
      [2, 'PARTICIPANTS_ADDED', 'doc-1', [], ['pat-2']],
      [3, 'ROOM_CREATED', 'doc-1', [], []],
      [4, 'UPDATED', null, ['startDate', 'endDate'], []],
      [5, 'UPDATED', 'doc-1', ['participants'], []],
      [6, 'ROOM_REPLACED', 'doc-1', [], []],
      [7, 'LINK_ISSUED', 'pat-1', [], ['pat-1']],
      [8, 'UPLOADS_DELETED', 'pat-1', [], []],
      [9, 'CANCELLED', 'doc-1', [], []],
    ]);
    expect(history.pageInfo).toMatchObject({ hasNextPage: false });
    // Published: the event log holds the same events, and no outbox is left.
    const stored = await storedEvents(gateway.app.storage, id);
    expect(stored.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stored.map((event) => event.id)).toEqual(history.edges.map(({ node }) => node.id));
    expect((await gateway.app.storage.teleconsultations.findById(id))?.outbox).toEqual([]);
    // The snapshot a webhook carries: the status and dates right after each event.
    expect(stored[3]?.snapshot).toMatchObject({ status: 'SCHEDULED', startDate: new Date(inMinutes(90)) });
    expect(stored[8]?.snapshot).toMatchObject({ status: 'CANCELLED', participantCount: 3 });
  });

  it('holds ids only: no name, no link, no group in any event', async () => {
    const { createTeleconsultation: created } = await gateway.ok(
      CreateTeleconsultationDocument,
      {
        input: {
          startDate: inMinutes(30),
          durationInSeconds: 1800,
          participants: [
            { userId: 'doc-1', fullName: 'Ada Rossi', groups: ['doctor'] },
            { userId: 'pat-1', fullName: 'Bruno Bianchi', groups: ['customer'], language: 'it' },
          ],
        },
      },
      DOCTOR,
    );
    gateway.clock.set(Date.parse(inMinutes(30)) - MINUTE);
    await gateway.ok(TeleconsultationDocument, { id: created.id }, PATIENT);
    await gateway.ok(DeleteTeleconsultationDocument, { id: created.id }, DOCTOR);
    const text = JSON.stringify(await storedEvents(gateway.app.storage, created.id));
    expect(text).toContain('LINK_ISSUED');
    for (const secret of [
      'Ada',
      'Rossi',
      'Bruno',
      'Bianchi',
      'https://',
      'sandbox',
      'customer',
      '"doctor"',
      'tg.',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('pages oldest first with opaque cursors, and refuses forged ones', async () => {
    const created = await scheduleAsDoctor(gateway);
    for (const minutes of [70, 80, 90]) {
      await gateway.ok(
        UpdateTeleconsultationDocument,
        { id: created.id, input: { startDate: inMinutes(minutes) } },
        DOCTOR,
      );
    }
    const first = await historyOf(gateway, created.id, DOCTOR, 2);
    expect(first.edges.map(({ node }) => node.sequence)).toEqual([1, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await historyOf(gateway, created.id, DOCTOR, 10, first.pageInfo.endCursor as string);
    expect(rest.edges.map(({ node }) => node.sequence)).toEqual([3, 4, 5]);
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges.at(-1)?.cursor });

    const forged = await gateway.request(
      TeleconsultationHistoryDocument,
      { id: created.id, after: 'bm9wZQ' },
      DOCTOR,
    );
    expect(forged.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURSOR',
    });
    const tooMany = await gateway.request(
      TeleconsultationHistoryDocument,
      { id: created.id, first: 101 },
      DOCTOR,
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ reason: 'PAGE_SIZE_OUT_OF_RANGE' });
  });

  it('is served on GET /teleconsultation/:id/history with the same rule: PLUS participants and the back office', async () => {
    const created = await scheduleAsDoctor(gateway);
    const asDoctor = await gateway.rest('GET', `/teleconsultation/${created.id}/history`, DOCTOR);
    expect(asDoctor.status).toBe(200);
    expect(asDoctor.json).toMatchObject({
      events: [
        { sequence: 1, type: 'CREATED', actorId: 'doc-1' },
        { sequence: 2, type: 'ROOM_CREATED', actorId: 'doc-1' },
      ],
      hasNextPage: false,
    });
    const paged = await gateway.rest('GET', `/teleconsultation/${created.id}/history?first=1`, DOCTOR);
    expect(paged.json).toMatchObject({ events: [{ sequence: 1 }], hasNextPage: true });
    expect((await gateway.rest('GET', `/teleconsultation/${created.id}/history`)).status).toBe(200);
    const asPatient = await gateway.rest('GET', `/teleconsultation/${created.id}/history`, PATIENT);
    expect(asPatient.status).toBe(401);
    expect(asPatient.json).toMatchObject({ code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
  });
  it("records LINK_ISSUED when a mutation's answer hands the caller their link", async () => {
    // Created inside the immutable period: the creating doctor's answer carries their link.
    const { createTeleconsultation: created } = await gateway.ok(
      CreateTeleconsultationDocument,
      {
        input: {
          startDate: inMinutes(5),
          durationInSeconds: 1800,
          participantsNumber: 3,
          participants: [doctor('doc-1'), patient('pat-1')],
        },
      },
      DOCTOR,
    );
    expect(created.status).toBe('WAITING_FOR_PARTICIPANTS');
    // Completing it creates the room; the answer is the doctor's view, with their link.
    const { addParticipants: completed } = await gateway.ok(
      AddParticipantsDocument,
      { id: created.id, participants: [patient('pat-2')] },
      DOCTOR,
    );
    expect(completed.accessLinkURL).toEqual(expect.stringMatching(/^https:/));
    // Read through the root query, which hands out no link itself.
    const { teleconsultationHistory: history } = await gateway.ok(VisitHistoryDocument, { id: created.id });
    expect(summary(history.edges)).toEqual([
      [1, 'CREATED', 'doc-1', [], ['doc-1', 'pat-1']],
      [2, 'PARTICIPANTS_ADDED', 'doc-1', [], ['pat-2']],
      [3, 'ROOM_CREATED', 'doc-1', [], []],
      [4, 'LINK_ISSUED', 'doc-1', [], ['doc-1']],
    ]);
    // Read again: handed out before, so no second event.
    await gateway.ok(TeleconsultationDocument, { id: created.id }, DOCTOR);
    const again = await gateway.ok(VisitHistoryDocument, { id: created.id });
    expect(again.teleconsultationHistory.edges).toHaveLength(4);
  });

  it('records no LINK_ISSUED for a REST create (its answer carries no link), and one at the GET that hands it', async () => {
    const created = await gateway.rest('POST', '/teleconsultation', {
      ...DOCTOR,
      body: {
        participants: { number: 2, data: [doctor('doc-1'), patient('pat-1')] },
        start_date: inMinutes(5),
        duration_in_seconds: 1800,
      },
    });
    expect(created.status).toBe(201);
    const id = (created.json as { roomId: string }).roomId;
    const types = async () =>
      (await gateway.ok(VisitHistoryDocument, { id })).teleconsultationHistory.edges.map(
        ({ node }) => node.type,
      );
    expect(await types()).toEqual(['CREATED', 'ROOM_CREATED']);
    const read = await gateway.rest('GET', `/teleconsultation/${id}`, DOCTOR);
    expect((read.json as { accessLinkURL: string | null }).accessLinkURL).toMatch(/^https:/);
    expect(await types()).toEqual(['CREATED', 'ROOM_CREATED', 'LINK_ISSUED']);
  });

  it('stores nothing and records no event for an update that changes nothing', async () => {
    const created = await scheduleAsDoctor(gateway);
    const before = await gateway.app.storage.teleconsultations.findById(created.id);
    const { updateTeleconsultation: same } = await gateway.ok(
      UpdateTeleconsultationDocument,
      { id: created.id, input: { participantsNumber: 2, startDate: inMinutes(60) } },
      DOCTOR,
    );
    expect(same.roomId).toBe(created.roomId);
    expect((await gateway.app.storage.teleconsultations.findById(created.id))?.version).toBe(before?.version);
    const { teleconsultationHistory } = await gateway.ok(VisitHistoryDocument, { id: created.id });
    expect(teleconsultationHistory.edges.map(({ node }) => node.type)).toEqual(['CREATED', 'ROOM_CREATED']);
  });

  it('is served by the teleconsultationHistory query on the same rule, to the back office too', async () => {
    const created = await scheduleAsDoctor(gateway);
    // The harness's default caller is the back office, who is no participant of the visit.
    const asBackoffice = await gateway.ok(VisitHistoryDocument, { id: created.id });
    expect(
      asBackoffice.teleconsultationHistory.edges.map(({ node }) => [node.sequence, node.type, node.actorId]),
    ).toEqual([
      [1, 'CREATED', 'doc-1'],
      [2, 'ROOM_CREATED', 'doc-1'],
    ]);
    const first = await gateway.ok(VisitHistoryDocument, { id: created.id, first: 1 }, DOCTOR);
    expect(first.teleconsultationHistory.pageInfo.hasNextPage).toBe(true);
    const second = await gateway.ok(
      VisitHistoryDocument,
      { id: created.id, first: 1, after: first.teleconsultationHistory.pageInfo.endCursor },
      DOCTOR,
    );
    expect(second.teleconsultationHistory.edges.map(({ node }) => node.sequence)).toEqual([2]);
    const asPatient = await gateway.request(VisitHistoryDocument, { id: created.id }, PATIENT);
    expect(asPatient.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'POLICY_DENIED',
      operation: 'teleconsultationHistory',
    });
    const unknown = await gateway.request(VisitHistoryDocument, { id: '0'.repeat(24) });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('events and store failures', () => {
  /** A memory store whose next event append or next conditional update throws. */
  function flakyStorage() {
    const storage = createMemoryStorage();
    const failNext = { append: false, update: false };
    const flaky: Storage = {
      ...storage,
      teleconsultations: {
        ...storage.teleconsultations,
        update: async (...args) => {
          if (failNext.update) {
            failNext.update = false;
            throw new Error('update failed (injected)');
          }
          return storage.teleconsultations.update(...args);
        },
      },
      events: {
        ...storage.events,
        append: async (events) => {
          if (failNext.append) {
            failNext.append = false;
            throw new Error('event append failed (injected)');
          }
          return storage.events.append(events);
        },
      },
    };
    return { storage: flaky, failNext };
  }

  it('keeps the events of a stored change when publishing them crashes, and publishes them on the sweep', async () => {
    const { storage, failNext } = flakyStorage();
    const gateway = await startTestGateway({ overrides: { storage } });
    try {
      const created = await scheduleAsDoctor(gateway);
      failNext.append = true;
      await gateway.ok(
        UpdateTeleconsultationDocument,
        { id: created.id, input: { startDate: inMinutes(70) } },
        DOCTOR,
      );

      // The change is stored with its event, which waits in the record's outbox.
      const record = await storage.teleconsultations.findById(created.id);
      expect(record?.outbox.map((event) => [event.sequence, event.type])).toEqual([[3, 'UPDATED']]);
      expect((await storedEvents(storage, created.id)).map((event) => event.sequence)).toEqual([1, 2]);
      // The audit trail shows it already.
      const history = await historyOf(gateway, created.id);
      expect(history.edges.map(({ node }) => node.type)).toEqual(['CREATED', 'ROOM_CREATED', 'UPDATED']);

      gateway.clock.advance(10_000);
      expect(await gateway.app.events.sweep()).toBe(1);
      expect((await storedEvents(storage, created.id)).map((event) => event.sequence)).toEqual([1, 2, 3]);
      expect((await storage.teleconsultations.findById(created.id))?.outbox).toEqual([]);
      // Sweeping again changes nothing.
      expect(await gateway.app.events.sweep()).toBe(0);
      expect(await storedEvents(storage, created.id)).toHaveLength(3);
    } finally {
      await gateway.close();
    }
  });

  it('appends no event for a change that was not stored', async () => {
    const { storage, failNext } = flakyStorage();
    const gateway = await startTestGateway({ overrides: { storage } });
    try {
      const created = await scheduleAsDoctor(gateway);
      failNext.update = true;
      const failed = await gateway.request(
        UpdateTeleconsultationDocument,
        { id: created.id, input: { startDate: inMinutes(70) } },
        DOCTOR,
      );
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
      gateway.clock.advance(10_000);
      await gateway.app.events.sweep();
      const history = await historyOf(gateway, created.id);
      expect(history.edges.map(({ node }) => [node.sequence, node.type])).toEqual([
        [1, 'CREATED'],
        [2, 'ROOM_CREATED'],
      ]);
      // The next stored change takes the next number: no gap.
      await gateway.ok(
        UpdateTeleconsultationDocument,
        { id: created.id, input: { startDate: inMinutes(80) } },
        DOCTOR,
      );
      const after = await historyOf(gateway, created.id);
      expect(after.edges.map(({ node }) => node.sequence)).toEqual([1, 2, 3]);
    } finally {
      await gateway.close();
    }
  });
});
