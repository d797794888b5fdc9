/**
 * Join windows per group, over HTTP: doctors open the room ten minutes early, patients five,
 * a caller in both groups gets the wider window, nobody before lockedFrom, and the room closes
 * some time after the end. accessLinkURL is non-null exactly while joinState is OPEN, on GraphQL
 * and on the REST GET alike.
 */

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { inMinutes, startTestGateway, type TestGateway } from '../../support/gateway.js';

const MINUTE = 60_000;

const SERVICE_CONFIG = {
  privileges: { basic: { groups: ['customer', 'nurse'] }, plus: { groups: ['doctor'] } },
  environment: 'sandbox',
  joinWindows: [
    { groups: ['doctor'], opensBeforeStartMs: 10 * MINUTE },
    { groups: ['customer'], opensBeforeStartMs: 5 * MINUTE },
    // Wider than the immutable period: clamped to lockedFrom.
    { groups: ['nurse'], opensBeforeStartMs: 20 * MINUTE },
  ],
  joinClosesAfterEndMs: 15 * MINUTE,
};

interface JoinView {
  teleconsultation: {
    canJoinFrom: string | null;
    canJoinUntil: string | null;
    joinState: string;
    accessLinkURL: string | null;
    lockedFrom: string;
  } | null;
}
const READ = parse(
  'query Join($id: ID!) { teleconsultation(id: $id) { canJoinFrom canJoinUntil joinState accessLinkURL lockedFrom } }',
) as TypedDocumentNode<JoinView, { id: string }>;

describe('join windows', () => {
  let gateway: TestGateway;
  let id: string;
  const start = Date.parse(inMinutes(60));
  const end = start + 30 * MINUTE;

  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { IMMUTABLE_PERIOD_MS: String(10 * MINUTE) },
      serviceConfigFile: SERVICE_CONFIG,
    });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: new Date(start).toISOString(),
        durationInSeconds: 1800,
        participants: [
          { userId: 'doc', fullName: 'Doc', groups: ['doctor'] },
          { userId: 'pat', fullName: 'Pat', groups: ['customer'] },
          // In both groups: the wider window.
          { userId: 'both', fullName: 'Both', groups: ['customer', 'doctor'] },
          { userId: 'nurse', fullName: 'Nurse', groups: ['nurse'] },
        ],
      },
    });
    id = createTeleconsultation.id;
  });
  afterAll(async () => gateway?.close());

  const view = async (caller: string, now: number) => {
    gateway.clock.set(now);
    const { teleconsultation } = await gateway.ok(READ, { id }, { caller });
    if (!teleconsultation) throw new Error('no view');
    return teleconsultation;
  };

  it.each([
    ['doc', 10],
    ['pat', 5],
    ['both', 10],
    ['nurse', 10],
  ])(
    '%s may join from %i minutes before the start: NOT_YET 1 ms before, OPEN at it',
    async (caller, minutesEarly) => {
      const from = start - minutesEarly * MINUTE;
      const before = await view(caller, from - 1);
      expect(before).toMatchObject({
        joinState: 'NOT_YET',
        accessLinkURL: null,
        canJoinFrom: new Date(from).toISOString(),
      });
      const at = await view(caller, from);
      expect(at.joinState).toBe('OPEN');
      expect(at.accessLinkURL).toEqual(expect.stringMatching(/^https:\/\//));
    },
  );

  it('never opens before lockedFrom, whatever the window', async () => {
    const nurse = await view('nurse', start - 20 * MINUTE);
    expect(nurse.canJoinFrom).toBe(nurse.lockedFrom);
    expect(nurse).toMatchObject({ joinState: 'NOT_YET', accessLinkURL: null });
  });

  it('closes joinClosesAfterEndMs after the end: OPEN 1 ms before, ENDED at it, no link any more', async () => {
    const until = end + 15 * MINUTE;
    const open = await view('pat', until - 1);
    expect(open).toMatchObject({ joinState: 'OPEN', canJoinUntil: new Date(until).toISOString() });
    expect(open.accessLinkURL).not.toBeNull();
    expect(await view('pat', until)).toMatchObject({ joinState: 'ENDED', accessLinkURL: null });
  });

  it('follows the same rule for accessLinkURL on the REST GET', async () => {
    gateway.clock.set(start - 5 * MINUTE - 1);
    const early = await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'pat' });
    expect((early.json as { accessLinkURL: unknown }).accessLinkURL).toBeNull();
    gateway.clock.set(start - 5 * MINUTE);
    const open = await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'pat' });
    expect((open.json as { accessLinkURL: unknown }).accessLinkURL).toEqual(
      expect.stringMatching(/^https:\/\//),
    );
    gateway.clock.set(end + 15 * MINUTE);
    const ended = await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'pat' });
    expect((ended.json as { accessLinkURL: unknown }).accessLinkURL).toBeNull();
  });
});

describe('join windows in the configuration', () => {
  it.each([
    [
      { joinWindows: [{ groups: ['doctor'], opensBeforeStartMs: -1 }] },
      /joinWindows\[0\]\.opensBeforeStartMs: expected a number of milliseconds of at least 0/,
    ],
    [
      { joinWindows: [{ groups: ['surgeon'], opensBeforeStartMs: 60000 }] },
      /joinWindows\[0\]\.groups\[0\]: unknown group "surgeon": it is in no privilege profile/,
    ],
    [
      { joinWindows: [{ groups: ['doctor'], opensBeforeStartMs: 86_400_001 }] },
      /joinWindows\[0\]\.opensBeforeStartMs: expected at most 86400000 ms/,
    ],
    [{ joinClosesAfterEndMs: -5 }, /joinClosesAfterEndMs: /],
  ])('refuses %j at start-up', async (extra, message) => {
    await expect(
      startTestGateway({
        serviceConfigFile: {
          privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
          environment: 'sandbox',
          ...extra,
        },
      }),
    ).rejects.toThrow(message);
  });

  it('never shows OPEN to a reader with no link (the back office, when a policy lets it read)', async () => {
    const DAY = 24 * 60 * MINUTE;
    const gateway = await startTestGateway({
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        authorization: { teleconsultation: 'isParticipant || isBackoffice' },
        // Two days: a close longer than a day is a valid choice.
        joinClosesAfterEndMs: 2 * DAY,
      },
    });
    try {
      const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [
            { userId: 'd', fullName: 'D', groups: ['doctor'] },
            { userId: 'p', fullName: 'P', groups: ['customer'] },
          ],
        },
      });
      gateway.clock.set(Date.parse(visit.lockedFrom));
      const asBackoffice = await gateway.ok(READ, { id: visit.id }, { headers: { isbackoffice: 'true' } });
      expect(asBackoffice.teleconsultation).toMatchObject({
        joinState: 'NOT_YET',
        canJoinFrom: null,
        accessLinkURL: null,
      });
      const asPatient = await gateway.ok(READ, { id: visit.id }, { caller: 'p' });
      expect(asPatient.teleconsultation?.joinState).toBe('OPEN');
      const closes = Date.parse(inMinutes(90)) + 2 * DAY;
      gateway.clock.set(closes);
      const after = await gateway.ok(READ, { id: visit.id }, { headers: { isbackoffice: 'true' } });
      expect(after.teleconsultation).toMatchObject({
        joinState: 'ENDED',
        canJoinUntil: new Date(closes).toISOString(),
      });
    } finally {
      await gateway.close();
    }
  });

  it('keeps today’s behaviour by default: links from lockedFrom, never closing', async () => {
    const gateway = await startTestGateway();
    try {
      const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [
            { userId: 'd', fullName: 'D', groups: ['doctor'] },
            { userId: 'p', fullName: 'P', groups: ['customer'] },
          ],
        },
      });
      gateway.clock.set(Date.parse(createTeleconsultation.lockedFrom));
      const { teleconsultation } = await gateway.ok(READ, { id: createTeleconsultation.id }, { caller: 'p' });
      expect(teleconsultation).toMatchObject({
        joinState: 'OPEN',
        canJoinUntil: null,
        canJoinFrom: createTeleconsultation.lockedFrom,
      });
      gateway.clock.set(Date.parse(inMinutes(60 * 24 * 30)));
      const later = await gateway.ok(READ, { id: createTeleconsultation.id }, { caller: 'p' });
      expect(later.teleconsultation?.joinState).toBe('OPEN');
    } finally {
      await gateway.close();
    }
  });
});
