/**
 * A record is served by the provider that created its room (`provider`; none: Kaleyra). Another
 * provider than VIDEO_PROVIDER serves it only when its credentials are configured too; otherwise
 * the record stays readable and every change is refused (PROVIDER_NOT_CONFIGURED) before any
 * side effect.
 */
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { ANONYMOUS } from '../../../../src/domain/authorization/caller.js';
import { defaultPolicies } from '../../../../src/domain/authorization/operations.js';
import { ManualClock } from '../../../../src/domain/clock.js';
import { UpstreamUnavailableError } from '../../../../src/domain/errors.js';
import { NO_JOIN_WINDOWS } from '../../../../src/domain/join-window.js';
import type { Tools } from '../../../../src/domain/privileges.js';
import type { ServiceConfig, TeleconsultationRules } from '../../../../src/domain/settings.js';
import { DEFAULT_FHIR_SETTINGS } from '../../../../src/domain/settings.js';
import { DEFAULT_SCHEDULE_LIMITS } from '../../../../src/domain/teleconsultation.js';
import type { TeleconsultationData } from '../../../../src/domain/teleconsultation-record.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';
import { createMemoryStorage } from '../../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../../src/storage/ports.js';
import { videoProviders } from '../../../../src/video/create-video-provider.js';
import type { KaleyraVideo } from '../../../../src/video/kaleyra/api.js';
import type { VideoProvider } from '../../../../src/video/port.js';
import { ALL_CAPABILITIES, fakeVideoProvider } from '../../../support/fake-video-provider.js';
import { servicesFor } from '../../../support/services.js';

const T0 = new Date('2030-03-04T09:00:00.000Z');
const inMinutes = (m: number) => new Date(T0.getTime() + m * 60_000);
const tools: Tools = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};
const service: ServiceConfig = {
  privileges: { basic: { groups: ['customer'], tools }, plus: { groups: ['doctor'], tools } },
  groupsWithBackgroundList: [],
  userIdPathInRequest: [
    { from: 'object', extract: 'headers' },
    { from: 'object', extract: 'miauserid' },
  ],
  authorization: defaultPolicies(),
  // Links close with the visit: a token-signing provider is told when.
  join: { ...NO_JOIN_WINDOWS, closesAfterEndMs: 0 },
  calendar: { summary: 'Teleconsultation' },
  webhooks: [],
  fhir: DEFAULT_FHIR_SETTINGS,
};
const rules: TeleconsultationRules = {
  unlimited: false,
  live: true,
  immutablePeriodMs: 0,
  deleteUploads: true,
  ...DEFAULT_SCHEDULE_LIMITS,
  defaultRecording: 'none',
};
const logger = pino({ level: 'silent' });
const backOffice: RequestScope = { caller: { ...ANONYMOUS, isBackoffice: true }, headers: {}, logger };
const theDoctor: RequestScope = {
  caller: { ...ANONYMOUS, id: 'doc', groups: ['doctor'] },
  headers: {},
  logger,
};
const doctor = { userId: 'doc', fullName: 'Dr Doc', groups: ['doctor'] };
const patient = { userId: 'pat', fullName: 'Pat', groups: ['customer'] };

/** A visit whose room `roomId` lives on `provider`, from `start` minutes for 30 minutes. */
function visitOn(provider: string | undefined, roomId: string, start: number): TeleconsultationData {
  return {
    ...(provider ? { provider } : {}),
    startDate: inMinutes(start),
    endDate: inMinutes(start + 30),
    durationInSeconds: 1800,
    participantsNumber: 2,
    participants: [
      {
        userId: 'doc',
        videoUserId: 'x.doc',
        role: 'plus',
        accessLinkURL: `https://${provider}.test/${roomId}`,
        fullName: 'Dr Doc',
        groups: ['doctor'],
      },
      {
        userId: 'pat',
        videoUserId: 'x.pat',
        role: 'basic',
        accessLinkURL: `https://${provider}.test/${roomId}`,
        fullName: 'Pat',
        groups: ['customer'],
      },
    ],
    roomId,
    state: 'active',
    recording: 'none',
    calendarSequence: 0,
  };
}

function graph(configured: VideoProvider, others: VideoProvider[] = []) {
  const storage: Storage = createMemoryStorage();
  const clock = new ManualClock(T0);
  const services = servicesFor({
    store: storage.teleconsultations,
    userIdMap: storage.userIdMap,
    jobs: storage.jobs,
    kaleyra: {} as KaleyraVideo,
    video: videoProviders(configured, others),
    clock,
    rules,
    service,
  });
  return { storage, clock, services };
}

const notConfigured = { reason: 'PROVIDER_NOT_CONFIGURED' };

describe('a record whose provider is not configured here', () => {
  it('refuses every change before any side effect: no provider call, no write, no job', async () => {
    const kaleyra = fakeVideoProvider({ name: 'kaleyra', capabilities: ALL_CAPABILITIES });
    const { storage, services } = graph(kaleyra.provider);
    const stored = await storage.teleconsultations.insert(visitOn('livekit', 'lk_room', 60), T0);
    const { teleconsultations } = services;

    const changes = [
      () => teleconsultations.update(backOffice, { id: stored.id, durationInSeconds: 1200 }),
      () => teleconsultations.addParticipants(backOffice, { id: stored.id, participants: [] }),
      () => teleconsultations.update(backOffice, { id: stored.id, participants: [doctor, patient] }),
      () => teleconsultations.cancel(backOffice, { id: stored.id }),
      () => teleconsultations.deleteUploads(theDoctor, { id: stored.id }),
    ];
    for (const change of changes) {
      const refusal = await change().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(UpstreamUnavailableError);
      expect(refusal).toMatchObject(notConfigured);
    }

    expect(kaleyra.calls).toEqual([]);
    expect(await storage.teleconsultations.findById(stored.id)).toEqual(stored);
    const jobs = await storage.jobs.counts();
    expect(Object.values(jobs).every((count) => count === 0)).toBe(true);
  });

  it('stays readable, without a link nobody here can make', async () => {
    const kaleyra = fakeVideoProvider({ name: 'kaleyra', capabilities: ALL_CAPABILITIES });
    const { storage, services } = graph(kaleyra.provider);
    // Under way: locked, and the doctor's join window is open.
    const elsewhere = await storage.teleconsultations.insert(visitOn('livekit', 'lk_room', -5), T0);
    const here = await storage.teleconsultations.insert(visitOn('kaleyra', 'k_room', -5), T0);

    const view = await services.teleconsultations.peek(theDoctor, { id: elsewhere.id });
    expect(view.record.id).toBe(elsewhere.id);
    expect(view.accessLinkURL).toBeNull();
    expect(await services.teleconsultations.roomDetails(view.record)).toBeNull();

    // The same visit on the configured provider hands the link out, made by that provider.
    const served = await services.teleconsultations.peek(theDoctor, { id: here.id });
    expect(served.accessLinkURL).toBe(
      `https://kaleyra.test/k_room?as=x.doc&until=${inMinutes(25).toISOString()}`,
    );
    expect(kaleyra.calls).toEqual([]);
  });
});

describe('a record whose provider is configured beside VIDEO_PROVIDER', () => {
  it('is changed on its own provider: a cancelled visit’s room is deleted there, not on the configured one', async () => {
    const configured = fakeVideoProvider({ name: 'kaleyra', capabilities: ALL_CAPABILITIES });
    const other = fakeVideoProvider({ name: 'other' });
    const { storage, clock, services } = graph(configured.provider, [other.provider]);
    const { roomId } = await other.provider.createRoom({ participants: [], live: true });
    other.calls.length = 0;
    const stored = await storage.teleconsultations.insert(visitOn('other', roomId, 60), T0);

    await services.teleconsultations.cancel(backOffice, { id: stored.id });
    clock.advance(10 * 60_000);
    await services.jobs.runDue();

    expect(other.calls).toEqual([`deleteRoom ${roomId}`]);
    expect(configured.calls).toEqual([]);
  });

  it('gets its replacement room from its own provider', async () => {
    const configured = fakeVideoProvider({ name: 'kaleyra', capabilities: ALL_CAPABILITIES });
    const other = fakeVideoProvider({ name: 'other' });
    const { storage, services } = graph(configured.provider, [other.provider]);
    other.rooms.set('other_room_0', { participants: [], live: true });
    const stored = await storage.teleconsultations.insert(visitOn('other', 'other_room_0', 60), T0);

    const view = await services.teleconsultations.update(backOffice, {
      id: stored.id,
      durationInSeconds: 1200,
    });

    expect(view.record.provider).toBe('other');
    expect(view.record.roomId).toBe('other_room_1');
    // The replaced room goes too, on the provider that hosts it.
    expect(other.calls).toEqual(['createRoom other_room_1', 'deleteRoom other_room_0']);
    expect(configured.calls).toEqual([]);
  });
});

describe('a new visit', () => {
  it('is created on VIDEO_PROVIDER and stores its name', async () => {
    const configured = fakeVideoProvider({ name: 'fake' });
    const { storage, services } = graph(configured.provider);

    const view = await services.teleconsultations.create(backOffice, {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor, patient],
    });

    expect(view.record.provider).toBe('fake');
    expect((await storage.teleconsultations.findById(view.record.id))?.provider).toBe('fake');
    expect(configured.calls).toEqual(['createRoom fake_room_1']);
    // A provider without users of its own: identities are its own, and nothing is mapped.
    expect(view.record.participants.map((p) => p.videoUserId)).toEqual(['fake.doc', 'fake.pat']);
    expect(await storage.userIdMap.findMany(['doc', 'pat'])).toEqual(new Map());
  });
});
