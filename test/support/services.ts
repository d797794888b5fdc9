import pino from 'pino';
import type { Clock } from '../../src/domain/clock.js';
import type { ServiceConfig, TeleconsultationRules } from '../../src/domain/settings.js';
import type { UserDirectory } from '../../src/identity/ports.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import type { JobStore } from '../../src/jobs/port.js';
import type { KaleyraVideo } from '../../src/kaleyra/port.js';
import { AccessControl } from '../../src/services/access/access-control.js';
import { EventLog } from '../../src/services/events/event-log.js';
import { KaleyraUsers } from '../../src/services/participants/kaleyra-users.js';
import { ParticipantPreparation } from '../../src/services/participants/participant-preparation.js';
import { ParticipantProfiles } from '../../src/services/participants/participant-profiles.js';
import { ParticipantRoles } from '../../src/services/participants/participant-roles.js';
import { CalendarEvents } from '../../src/services/visits/calendar-events.js';
import { CallerViews } from '../../src/services/visits/caller-views.js';
import { RoomCleanup } from '../../src/services/visits/room-cleanup.js';
import { TeleconsultationService } from '../../src/services/visits/teleconsultation.service.js';
import { TeleconsultationRooms } from '../../src/services/visits/teleconsultation-rooms.js';
import { VisitFacts } from '../../src/services/visits/visit-facts.js';
import { createMemoryJobStore } from '../../src/storage/memory/memory-jobs.js';
import { createMemoryStorage } from '../../src/storage/memory/memory-storage.js';
import type { EventStore, TeleconsultationStore, UserIdMapStore } from '../../src/storage/ports.js';

export interface ServiceUnderTest {
  store: TeleconsultationStore;
  userIdMap: UserIdMapStore;
  /** Where room clean-up jobs go; a fresh in-memory job store when absent. */
  jobs?: JobStore;
  /** The event log; a fresh in-memory one when absent. */
  events?: EventStore;
  kaleyra: KaleyraVideo;
  clock: Clock;
  rules: TeleconsultationRules;
  service: ServiceConfig;
  directory?: UserDirectory | null;
}

const runners = new WeakMap<TeleconsultationService, JobRunner>();

/** The job runner of a service built here: run its room clean-up with `runDue()`. */
export function jobRunnerOf(service: TeleconsultationService): JobRunner {
  const runner = runners.get(service);
  if (!runner) throw new Error('not a service built by teleconsultationServiceFor');
  return runner;
}

/** The teleconsultation service wired as src/app.ts wires it, over the given adapters. */
export function teleconsultationServiceFor(deps: ServiceUnderTest): TeleconsultationService {
  const directory = deps.directory ?? null;
  const { privileges } = deps.service;
  const roles = new ParticipantRoles(privileges, directory);
  const logger = pino({ level: 'silent' });
  const jobs = deps.jobs ?? createMemoryJobStore();
  const runner = new JobRunner({ store: jobs, logger, clock: deps.clock });
  const cleanup = new RoomCleanup({
    jobs,
    runner,
    store: deps.store,
    kaleyra: deps.kaleyra,
    clock: deps.clock,
    logger,
    cleanupIntervalMs: 60_000,
    requestTimeoutMs: 15_000,
  });
  const eventLog = new EventLog({
    store: deps.store,
    events: deps.events ?? createMemoryStorage().events,
    clock: deps.clock,
    logger,
    immutablePeriodMs: deps.rules.immutablePeriodMs,
  });
  const service = new TeleconsultationService({
    events: eventLog,
    facts: new VisitFacts({ store: deps.store, events: eventLog, clock: deps.clock }),
    access: new AccessControl({ policies: deps.service.authorization, privileges, directory, roles }),
    // No company background: links blur, as when Kaleyra's settings cannot be read.
    backgrounds: { backgroundMode: async () => 'blur' },
    calendar: new CalendarEvents(deps.clock, deps.service.calendar),
    store: deps.store,
    kaleyra: deps.kaleyra,
    rooms: new TeleconsultationRooms({
      kaleyra: deps.kaleyra,
      cleanup,
      roles,
      privileges,
      rules: deps.rules,
    }),
    participants: new ParticipantPreparation(
      new ParticipantProfiles(directory),
      new KaleyraUsers(deps.userIdMap, deps.kaleyra),
      privileges,
    ),
    roles,
    views: new CallerViews(deps.clock, deps.rules, deps.service.groupsWithBackgroundList, deps.service.join),
    clock: deps.clock,
    rules: deps.rules,
  });
  runners.set(service, runner);
  return service;
}
