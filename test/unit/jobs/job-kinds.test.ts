/**
 * The one list of job kinds (src/composition/job-kinds.ts): every kind is registered with the
 * runner createServices builds, with its retry policy, and the producers' jobs go through the
 * runner, so each job carries its kind's attempt bound.
 */
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import {
  jobKinds,
  NO_SHOW_CONCURRENCY,
  ROOM_DELETION_CONCURRENCY,
  ROOM_INTENT_CONCURRENCY,
} from '../../../src/composition/job-kinds.js';
import { createServices } from '../../../src/composition/services.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { TeleconsultationEvent } from '../../../src/domain/events.js';
import {
  NO_SHOW_RETRY_POLICY,
  ROOM_CLEANUP_RETRY_POLICY,
  WEBHOOK_RETRY_POLICY,
} from '../../../src/jobs/job-retry.js';
import { WEBHOOK_DELIVERY } from '../../../src/services/events/webhook.service.js';
import { ROOM_DELETION, ROOM_INTENT } from '../../../src/services/visits/room-cleanup.js';
import { ROOM_ENDING } from '../../../src/services/visits/room-ending.js';
import { NO_SHOW_MARKING } from '../../../src/services/visits/waiting-room.service.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { KaleyraVideo } from '../../../src/video/kaleyra/api.js';
import { testAdapters, testConfig } from '../../support/services.js';

const T0 = new Date('2030-04-01T08:00:00.000Z');
const logger = pino({ level: 'silent' });

function graph() {
  const storage = createMemoryStorage();
  const defaults = testConfig();
  const config = {
    ...defaults,
    webhooks: {
      ...defaults.webhooks,
      endpoints: [
        { id: 'endpoint-1', url: 'https://hooks.example/visits', events: '*' as const, secret: 's' },
      ],
    },
  };
  const adapters = testAdapters({
    store: storage.teleconsultations,
    userIdMap: storage.userIdMap,
    jobs: storage.jobs,
    events: storage.events,
    // No job runs in these tests: nothing calls Kaleyra.
    kaleyra: {} as KaleyraVideo,
    clock: new ManualClock(T0),
    rules: config.visits.rules,
    service: config.service,
  });
  return { storage, config, services: createServices(adapters, config) };
}

const event: TeleconsultationEvent = {
  id: 'e0000000000000000000001',
  type: 'CREATED',
  occurredAt: T0,
  actorId: null,
  changedFields: [],
  participantIds: [],
  snapshot: {
    status: 'SCHEDULED',
    startDate: new Date(T0.getTime() + 3_600_000),
    endDate: null,
    durationInSeconds: 1800,
    participantsNumber: 2,
    participantCount: 2,
  },
  teleconsultationId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  sequence: 1,
};

describe('the job kinds', () => {
  it('lists every kind once, each with its retry policy', () => {
    const { services, config } = graph();
    const kinds = jobKinds(services, config);
    expect(kinds.map((kind) => kind.kind)).toEqual([
      ROOM_DELETION,
      ROOM_INTENT,
      ROOM_ENDING,
      WEBHOOK_DELIVERY,
      NO_SHOW_MARKING,
    ]);
    expect(Object.fromEntries(kinds.map((kind) => [kind.kind, kind.retry]))).toEqual({
      [ROOM_DELETION]: ROOM_CLEANUP_RETRY_POLICY,
      [ROOM_INTENT]: ROOM_CLEANUP_RETRY_POLICY,
      [ROOM_ENDING]: ROOM_CLEANUP_RETRY_POLICY,
      [WEBHOOK_DELIVERY]: WEBHOOK_RETRY_POLICY,
      [NO_SHOW_MARKING]: NO_SHOW_RETRY_POLICY,
    });
    // A delivery attempt cannot outlive the endpoint's timeout by much.
    expect(kinds.find((kind) => kind.kind === WEBHOOK_DELIVERY)?.timeoutMs).toBe(
      config.webhooks.timeoutMs + 5000,
    );
  });

  it('gives every kind slots of its own, and deliveries a bound per endpoint', () => {
    const { services, config } = graph();
    const shares = Object.fromEntries(
      jobKinds(services, config).map(({ kind, concurrency, concurrencyPerKey }) => [
        kind,
        { concurrency, concurrencyPerKey },
      ]),
    );
    expect(shares).toEqual({
      [ROOM_DELETION]: { concurrency: ROOM_DELETION_CONCURRENCY, concurrencyPerKey: undefined },
      [ROOM_INTENT]: { concurrency: ROOM_INTENT_CONCURRENCY, concurrencyPerKey: undefined },
      [ROOM_ENDING]: { concurrency: ROOM_DELETION_CONCURRENCY, concurrencyPerKey: undefined },
      [WEBHOOK_DELIVERY]: {
        concurrency: config.webhooks.concurrency,
        concurrencyPerKey: config.webhooks.concurrencyPerEndpoint,
      },
      [NO_SHOW_MARKING]: { concurrency: NO_SHOW_CONCURRENCY, concurrencyPerKey: undefined },
    });
  });

  it('are all registered with the runner createServices builds', async () => {
    const { services, config } = graph();
    const later = new Date(T0.getTime() + 3_600_000);
    for (const kind of jobKinds(services, config)) {
      const { job } = await services.jobs.enqueue(kind.kind, {
        payload: {},
        dedupeKey: kind.kind,
        runAt: later,
      });
      expect(job.maxAttempts).toBe(kind.retry.maxAttempts);
    }
  });

  it("go in through the runner from every producer, with their kind's attempt bound", async () => {
    const { services, storage } = graph();

    const intent = await services.roomCleanup.intend('kaleyra', logger);
    const retirement = await services.roomCleanup.retire('kaleyra', 'room_1', 'replaced');
    await services.webhooks.accept([event]);

    expect(await storage.jobs.findById(intent.jobId)).toMatchObject({
      kind: ROOM_INTENT,
      maxAttempts: ROOM_CLEANUP_RETRY_POLICY.maxAttempts,
    });
    expect(await storage.jobs.findById(retirement.jobId)).toMatchObject({
      kind: ROOM_DELETION,
      maxAttempts: ROOM_CLEANUP_RETRY_POLICY.maxAttempts,
    });
    const deliveries = await storage.jobs.list({ kinds: [WEBHOOK_DELIVERY], first: 10 });
    expect(deliveries.jobs).toEqual([
      expect.objectContaining({
        dedupeKey: `${WEBHOOK_DELIVERY}:endpoint-1:${event.id}`,
        // Bounded per endpoint (WEBHOOK_CONCURRENCY_PER_ENDPOINT).
        concurrencyKey: 'endpoint-1',
        maxAttempts: WEBHOOK_RETRY_POLICY.maxAttempts,
      }),
    ]);
    // The delivery started at once (and failed: no transport here); let it end before the test does.
    await services.jobs.stop();
  });
});
