/**
 * The caller's agenda over HTTP: `myTeleconsultations` lists the visits naming the caller, in
 * [from, to), by startDate then id, as Relay pages with opaque keyset cursors. A walk through the
 * pages neither skips nor repeats while visits are added between pages; cancelled visits appear
 * only when asked for; nobody ever sees another user's visit.
 */

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import {
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  MyTeleconsultationsDocument,
  type MyTeleconsultationsQuery,
  type MyTeleconsultationsQueryVariables,
  UpdateTeleconsultationDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';

const MINUTE = 60_000;
const IMMUTABLE_PERIOD_MS = 10 * MINUTE;

type Page = MyTeleconsultationsQuery['myTeleconsultations'];

describe('myTeleconsultations', () => {
  let gateway: TestGateway;

  beforeEach(async () => {
    gateway = await startTestGateway({ env: { IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS) } });
  });
  afterEach(async () => gateway?.close());

  /** Schedules a visit `minutes` after T0 (as the back office) and returns its id. */
  const schedule = async (minutes: number, participants = [doctor('doc-a'), patient('pat-a')]) => {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: { startDate: inMinutes(minutes), durationInSeconds: 1800, participants },
    });
    return createTeleconsultation.id;
  };

  const agenda = async (caller: string, variables: MyTeleconsultationsQueryVariables = {}): Promise<Page> =>
    (await gateway.ok(MyTeleconsultationsDocument, variables, { caller })).myTeleconsultations;

  const ids = (page: Page) => page.edges.map((edge) => edge.node.id);

  /** Every id of the caller's agenda, page by page. */
  const walk = async (caller: string, first: number, between?: (pageIndex: number) => Promise<void>) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageIndex = 0; pageIndex < 50; pageIndex++) {
      const page: Page = await agenda(caller, { first, after });
      seen.push(...ids(page));
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor ?? null;
      await between?.(pageIndex);
    }
    throw new Error('the walk did not end');
  };

  it("lists only the caller's visits, by startDate then id, each as the caller's view", async () => {
    const late = await schedule(120);
    const early = await schedule(30);
    const tied = [await schedule(60), await schedule(60)].sort();
    const other = await schedule(45, [doctor('doc-b'), patient('pat-b')]);

    const page = await agenda('doc-a');
    expect(ids(page)).toEqual([early, ...tied, late]);
    expect(ids(await agenda('pat-a'))).toEqual([early, ...tied, late]);
    expect(ids(await agenda('doc-b'))).toEqual([other]);
    expect(ids(await agenda('pat-b'))).toEqual([other]);
    expect(ids(await agenda('somebody-else'))).toEqual([]);
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: page.edges[0]?.cursor,
      endCursor: page.edges.at(-1)?.cursor,
    });

    // Locked: each caller's node carries their own link, as `teleconsultation` would.
    gateway.clock.set(Date.parse(inMinutes(30)) - IMMUTABLE_PERIOD_MS);
    const doctorNode = (await agenda('doc-a', { first: 1 })).edges[0]?.node;
    const patientNode = (await agenda('pat-a', { first: 1 })).edges[0]?.node;
    expect(doctorNode).toMatchObject({ id: early, status: 'LOCKED', joinState: 'OPEN' });
    expect(patientNode).toMatchObject({ id: early, status: 'LOCKED', joinState: 'OPEN' });
    expect(doctorNode?.accessLinkURL).toMatch(/^https:\/\//);
    expect(patientNode?.accessLinkURL).toMatch(/^https:\/\//);
    expect(doctorNode?.accessLinkURL).not.toBe(patientNode?.accessLinkURL);
    // The next visit is not locked yet: no link.
    expect((await agenda('doc-a', { first: 2 })).edges[1]?.node).toMatchObject({
      status: 'SCHEDULED',
      joinState: 'NOT_YET',
      accessLinkURL: null,
    });
  });

  it('keeps startDate within [from, to): from is inclusive, to exclusive', async () => {
    const at30 = await schedule(30);
    const at60 = await schedule(60);
    const at90 = await schedule(90);

    expect(ids(await agenda('doc-a', { from: inMinutes(30), to: inMinutes(90) }))).toEqual([at30, at60]);
    expect(
      ids(await agenda('doc-a', { from: new Date(Date.parse(inMinutes(30)) + 1).toISOString() })),
    ).toEqual([at60, at90]);
    expect(ids(await agenda('doc-a', { to: new Date(Date.parse(inMinutes(60)) + 1).toISOString() }))).toEqual(
      [at30, at60],
    );
    expect(ids(await agenda('doc-a', { from: inMinutes(91) }))).toEqual([]);
  });

  it('walks every visit exactly once in pages, while visits are added and moved between pages', async () => {
    const scheduled: string[] = [];
    for (let index = 0; index < 12; index++) scheduled.push(await schedule(30 + index * 10));

    expect(await walk('doc-a', 5)).toEqual(scheduled);

    // Between pages: a visit before the cursor, one after it, and one moved from ahead to behind.
    const addedLater: string[] = [];
    const seen = await walk('doc-a', 4, async (pageIndex) => {
      if (pageIndex !== 0) return;
      await schedule(25); // before everything walked so far: not in this walk
      addedLater.push(await schedule(500)); // after the cursor: in this walk
      await gateway.ok(UpdateTeleconsultationDocument, {
        id: scheduled[10] as string,
        input: { startDate: inMinutes(26) },
      });
    });
    const expected = [...scheduled.filter((id) => id !== scheduled[10]), ...addedLater];
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('leaves cancelled visits out unless states asks for CANCELLED, and splits SCHEDULED from LOCKED by the clock', async () => {
    const soon = await schedule(30);
    const later = await schedule(120);
    const cancelled = await schedule(60);
    const waiting = (
      await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(90),
          durationInSeconds: 1800,
          participantsNumber: 3,
          participants: [doctor('doc-a'), patient('pat-a')],
        },
      })
    ).createTeleconsultation.id;
    await gateway.ok(DeleteTeleconsultationDocument, { id: cancelled });
    // From here, `soon` is inside its immutable period: LOCKED.
    gateway.clock.set(Date.parse(inMinutes(30)) - IMMUTABLE_PERIOD_MS);

    expect(ids(await agenda('doc-a'))).toEqual([soon, waiting, later]);
    expect(ids(await agenda('doc-a', { states: [] }))).toEqual([soon, waiting, later]);
    expect(ids(await agenda('doc-a', { states: ['CANCELLED'] }))).toEqual([cancelled]);
    expect(ids(await agenda('doc-a', { states: ['LOCKED'] }))).toEqual([soon]);
    expect(ids(await agenda('doc-a', { states: ['SCHEDULED'] }))).toEqual([later]);
    expect(ids(await agenda('doc-a', { states: ['WAITING_FOR_PARTICIPANTS'] }))).toEqual([waiting]);
    const all = await agenda('doc-a', {
      states: ['CANCELLED', 'LOCKED', 'SCHEDULED', 'WAITING_FOR_PARTICIPANTS'],
    });
    expect(all.edges.map((edge) => [edge.node.id, edge.node.status])).toEqual([
      [soon, 'LOCKED'],
      [cancelled, 'CANCELLED'],
      [waiting, 'WAITING_FOR_PARTICIPANTS'],
      [later, 'SCHEDULED'],
    ]);

    // One millisecond before `later` locks it is SCHEDULED; at the instant, LOCKED.
    gateway.clock.set(Date.parse(inMinutes(120)) - IMMUTABLE_PERIOD_MS - 1);
    expect(ids(await agenda('doc-a', { states: ['LOCKED'] }))).toEqual([soon]);
    gateway.clock.set(Date.parse(inMinutes(120)) - IMMUTABLE_PERIOD_MS);
    expect(ids(await agenda('doc-a', { states: ['LOCKED'] }))).toEqual([soon, later]);
  });

  it('refuses malformed and altered cursors, page sizes out of 1..100 and empty ranges with BAD_USER_INPUT', async () => {
    await schedule(30);
    await schedule(60);
    const cursor = (await agenda('doc-a', { first: 1 })).pageInfo.endCursor as string;
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    const refusal = async (variables: MyTeleconsultationsQueryVariables) => {
      const response = await gateway.request(MyTeleconsultationsDocument, variables, { caller: 'doc-a' });
      expect(response.data).toBeNull();
      return response.errors?.[0]?.extensions;
    };

    for (const after of [
      'not-a-cursor',
      '',
      `${cursor}=`,
      `${cursor}!`,
      Buffer.from(decoded.replace(/:[0-9a-f]{24}$/, ':zz')).toString('base64url'),
      Buffer.from(`v2${decoded.slice(2)}`).toString('base64url'),
      Buffer.from('{"startDate":0}').toString('base64url'),
      'x'.repeat(1000),
    ]) {
      expect(await refusal({ after })).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_CURSOR',
        field: ['after'],
      });
    }
    for (const first of [0, -1, 101]) {
      expect(await refusal({ first })).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'PAGE_SIZE_OUT_OF_RANGE',
      });
    }
    expect(await refusal({ from: inMinutes(60), to: inMinutes(60) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_DATE_RANGE',
    });
    // The boundaries themselves are accepted; null is the default page size.
    expect((await agenda('doc-a', { first: 100 })).edges).toHaveLength(2);
    expect((await agenda('doc-a', { first: null })).edges).toHaveLength(2);
  });

  it('is for authenticated callers only by default, and follows the myTeleconsultations policy', async () => {
    await schedule(30);
    const anonymous = await gateway.request(MyTeleconsultationsDocument, {}, { anonymous: true });
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    // The back office with no user id has no agenda of its own.
    const backOffice = await gateway.request(MyTeleconsultationsDocument, {});
    expect(backOffice.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });

    const restricted = await startTestGateway({
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        authorization: { myTeleconsultations: 'inPlusGroups' },
      },
    });
    try {
      const refused = await restricted.request(
        MyTeleconsultationsDocument,
        {},
        { caller: 'pat-a', groups: 'customer' },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'POLICY_DENIED',
        operation: 'myTeleconsultations',
      });
      const allowed = await restricted.request(
        MyTeleconsultationsDocument,
        {},
        { caller: 'doc-a', groups: 'doctor' },
      );
      expect(allowed.errors).toBeUndefined();
    } finally {
      await restricted.close();
    }
  });

  it("weighs a page's Kaleyra calls once per node in the query cost limit, and its plain fields once", async () => {
    const withDetails = parse(
      'query Heavy($first: Int) { myTeleconsultations(first: $first) { edges { node { id details { status } } } } }',
    ) as TypedDocumentNode<unknown, { first?: number }>;
    expect((await gateway.request(withDetails, { first: 5 }, { caller: 'doc-a' })).errors).toBeUndefined();
    // 100 nodes × details (10) is a hundred Kaleyra calls: over GRAPHQL_MAX_COST (1000).
    const big = await gateway.request(withDetails, { first: 100 }, { caller: 'doc-a' });
    expect(big.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 1000,
      actual: 1005,
    });
    const literal = parse(
      '{ myTeleconsultations(first: 100) { edges { node { id details { status } } } } }',
    ) as TypedDocumentNode<unknown, Record<string, never>>;
    expect((await gateway.request(literal, {}, { caller: 'doc-a' })).errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
    });
    // The same document with a small page again: a variable page size is not cached.
    expect((await gateway.request(withDetails, { first: 5 }, { caller: 'doc-a' })).errors).toBeUndefined();
    // A page of 100 nodes without upstream calls is one store query: accepted.
    const plain = await gateway.request(MyTeleconsultationsDocument, { first: 100 }, { caller: 'doc-a' });
    expect(plain.errors).toBeUndefined();
  });

  it('starts at T0 with nothing scheduled', async () => {
    expect(gateway.clock.now()).toEqual(T0);
    expect(await agenda('doc-a')).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });
});
