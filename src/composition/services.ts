/**
 * The service graph: every use case, the event log, the job runner and live updates, built once
 * over the adapters. The app, the tests, the demo and the bench all build it here: nobody wires
 * it by hand a second time.
 */
import type { Config } from '../config/types.js';
import { MAX_PARTICIPANTS } from '../domain/teleconsultation.js';
import { DEFAULT_WAITING_ROOM_SETTINGS } from '../domain/waiting-room.js';
import { JobRunner } from '../jobs/job-runner.js';
import { AccessControl } from '../services/access/access-control.js';
import { CredentialsService } from '../services/access/credentials.service.js';
import { EventLog } from '../services/events/event-log.js';
import { WebhookService } from '../services/events/webhook.service.js';
import { LiveService } from '../services/live/live.service.js';
import { ParticipantNamesService } from '../services/participants/participant-names.service.js';
import { ParticipantPreparation } from '../services/participants/participant-preparation.js';
import { ParticipantProfiles } from '../services/participants/participant-profiles.js';
import { ParticipantRoles } from '../services/participants/participant-roles.js';
import { VideoUsers } from '../services/participants/video-users.js';
import { CompanySettingsService } from '../services/settings/company-settings.service.js';
import { ServiceConfigService } from '../services/settings/service-config.service.js';
import { AgendaService } from '../services/visits/agenda.service.js';
import { CalendarEvents } from '../services/visits/calendar-events.js';
import { CallerViews } from '../services/visits/caller-views.js';
import { RoomCleanup } from '../services/visits/room-cleanup.js';
import { RoomEnding } from '../services/visits/room-ending.js';
import { TeleconsultationService } from '../services/visits/teleconsultation.service.js';
import { TeleconsultationRooms } from '../services/visits/teleconsultation-rooms.js';
import { TranscriptionService } from '../services/visits/transcription.service.js';
import { VisitFacts } from '../services/visits/visit-facts.js';
import { VisitReadsService } from '../services/visits/visit-reads.service.js';
import { WaitingRoomService } from '../services/visits/waiting-room.service.js';
import { WakeUps } from '../shared/wake-ups.js';
import { capabilitiesOf } from '../video/port.js';
import type { Adapters } from './adapters.js';
import { jobKinds } from './job-kinds.js';

export interface Services {
  /** This replica's background job runner, every kind of job-kinds.ts registered. */
  jobs: JobRunner;
  /** The event log: events are stored with their change, then published to the sinks. */
  events: EventLog;
  access: AccessControl;
  roles: ParticipantRoles;
  roomCleanup: RoomCleanup;
  /** The end of rooms that close with the last join window (LiveKit). */
  roomEnding: RoomEnding;
  companySettings: CompanySettingsService;
  webhooks: WebhookService;
  teleconsultations: TeleconsultationService;
  /** Check-in, admission, running late, no-shows. */
  waitingRoom: WaitingRoomService;
  agenda: AgendaService;
  /** Sessions and transcriptions of a visit's room. */
  transcriptions: TranscriptionService;
  live: LiveService;
  credentials: CredentialsService;
  names: ParticipantNamesService;
  /** Visits read as they stand (the FHIR facade). */
  visitReads: VisitReadsService;
  serviceConfig: ServiceConfigService;
}

export interface ServiceOptions {
  /**
   * How often live subscriptions look at a clock that may be moved by hand (a ManualClock);
   * the system clock's instants fire on time anyway. Default 1000 ms.
   */
  liveTickMs?: number;
}

/** Durable background work: every replica runs a runner over the one job store. */
function createJobRunner({ storage, logger, clock, metrics }: Adapters, config: Config): JobRunner {
  const jobs = new JobRunner({
    store: storage.jobs,
    logger: logger.child({ component: 'jobs' }),
    clock,
    sweepIntervalMs: config.jobs.cleanupIntervalMs,
    stopTimeoutMs: config.jobs.stopTimeoutMs,
    observe: (event) => metrics.observeJob(event),
  });
  metrics.trackJobStates(() => storage.jobs.counts());
  return jobs;
}

/** Who may do what: the policies, and the participants' privilege levels. */
function createAccess({ userDirectory, storage }: Adapters, config: Config) {
  const { privileges, authorization } = config.service;
  const roles = new ParticipantRoles(privileges, userDirectory);
  const access = new AccessControl({
    policies: authorization,
    records: storage.teleconsultations,
    privileges,
    directory: userDirectory,
    roles,
  });
  return { access, roles };
}

/** Scheduling and reading visits, the agenda, and the rooms behind them. */
function createVisitServices(
  adapters: Adapters,
  config: Config,
  shared: Pick<Services, 'access' | 'roles' | 'events' | 'companySettings' | 'roomCleanup' | 'roomEnding'> & {
    videoUsers: VideoUsers;
    jobs: JobRunner;
  },
): Pick<Services, 'teleconsultations' | 'agenda' | 'transcriptions' | 'waitingRoom'> {
  const { storage, video, userDirectory, clock } = adapters;
  const { access, roles, events, companySettings, roomCleanup, roomEnding, videoUsers, jobs } = shared;
  const { privileges } = config.service;
  const { rules } = config.visits;
  const settings = config.service.waitingRoom ?? DEFAULT_WAITING_ROOM_SETTINGS;
  const facts = new VisitFacts({ store: storage.teleconsultations, events, clock });
  const views = new CallerViews({
    clock,
    rules,
    groupsWithBackgroundList: config.service.groupsWithBackgroundList,
    join: config.service.join,
    video,
    privileges,
    waitingRoom: settings,
  });
  // Built after the visits' service, whose changes schedule its no-shows.
  let waitingRoom: WaitingRoomService | null = null;
  const teleconsultations = new TeleconsultationService({
    access,
    events,
    facts,
    backgrounds: companySettings,
    calendar: new CalendarEvents(clock, {
      ...config.service.calendar,
      frontendUrlTemplate: config.visits.frontendUrlTemplate,
    }),
    store: storage.teleconsultations,
    video,
    rooms: new TeleconsultationRooms({
      video,
      cleanup: roomCleanup,
      ending: roomEnding,
      roles,
      privileges,
      rules,
    }),
    participants: new ParticipantPreparation(new ParticipantProfiles(userDirectory), videoUsers, privileges),
    roles,
    views,
    clock,
    rules,
    afterStored: (scope, record) => waitingRoom?.scheduleNoShows(scope, record) ?? Promise.resolve(),
  });
  waitingRoom = new WaitingRoomService({
    access,
    store: storage.teleconsultations,
    events,
    views,
    clock,
    settings,
    privileges,
    jobs,
    viewOf: (scope, record) => teleconsultations.viewOf(scope, record, {}),
  });
  const agenda = new AgendaService({
    access,
    store: storage.teleconsultations,
    views,
    roles,
    backgrounds: companySettings,
    clock,
    rules,
  });
  const transcriptions = new TranscriptionService({
    access,
    store: storage.teleconsultations,
    video,
    facts,
    maxBytes: config.video.transcriptionMaxBytes,
  });
  return { teleconsultations, agenda, transcriptions, waitingRoom };
}

export function createServices(adapters: Adapters, config: Config, options: ServiceOptions = {}): Services {
  const { storage, video, userDirectory, clock, logger, metrics } = adapters;
  const jobs = createJobRunner(adapters, config);
  const events = new EventLog({
    store: storage.teleconsultations,
    events: storage.events,
    clock,
    logger: logger.child({ component: 'events' }),
    immutablePeriodMs: config.visits.rules.immutablePeriodMs,
  });
  const { access, roles } = createAccess(adapters, config);
  const roomCleanup = new RoomCleanup({
    jobs,
    store: storage.teleconsultations,
    video,
    clock,
    logger: logger.child({ component: 'room-cleanup' }),
    cleanupIntervalMs: config.jobs.cleanupIntervalMs,
    requestTimeoutMs: config.http.requestTimeoutMs,
    observe: (event) => metrics.observeOrphanRoom(event.provider),
  });
  const roomEnding = new RoomEnding({
    jobs,
    store: storage.teleconsultations,
    video,
    clock,
    join: config.service.join,
  });
  const companySettings = new CompanySettingsService({
    access,
    video: video.configured,
    clock,
    ttlMs: config.video.companySettingsTtlMs,
    logger: logger.child({ component: 'company-settings' }),
  });
  const webhooks = new WebhookService({
    endpoints: config.webhooks.endpoints,
    jobs,
    store: storage.jobs,
    transport: adapters.webhookTransport,
    access,
    clock,
    logger: logger.child({ component: 'webhooks' }),
    timeoutMs: config.webhooks.timeoutMs,
  });
  events.subscribe(webhooks);
  // As many concurrent user creations as a room can have participants: a 25-person visit costs
  // one round trip of user creations, not four (bench: fan-out).
  const videoUsers = new VideoUsers(storage.userIdMap, MAX_PARTICIPANTS);
  const { teleconsultations, agenda, transcriptions, waitingRoom } = createVisitServices(adapters, config, {
    access,
    roles,
    events,
    companySettings,
    roomCleanup,
    roomEnding,
    videoUsers,
    jobs,
  });
  const live = new LiveService({
    teleconsultations,
    events: storage.events,
    clock,
    wakeUps: new WakeUps(() => clock.now().getTime(), options.liveTickMs ?? 1000),
    logger: logger.child({ component: 'subscriptions' }),
  });
  const credentials = new CredentialsService({
    access,
    video,
    videoUsers,
    directory: userDirectory,
    privileges: config.service.privileges,
  });
  const names = new ParticipantNamesService(userDirectory);
  const visitReads = new VisitReadsService({
    access,
    store: storage.teleconsultations,
    roles,
    names,
    clock,
    immutablePeriodMs: config.visits.rules.immutablePeriodMs,
    join: config.service.join,
    withNames: config.service.fhir.participantNames,
  });
  for (const { kind, handler, ...options } of jobKinds(
    { roomCleanup, roomEnding, webhooks, waitingRoom },
    config,
  ))
    jobs.register(kind, handler, options);
  return {
    jobs,
    events,
    access,
    roles,
    roomCleanup,
    roomEnding,
    companySettings,
    webhooks,
    teleconsultations,
    waitingRoom,
    agenda,
    transcriptions,
    live,
    credentials,
    names,
    visitReads,
    serviceConfig: new ServiceConfigService(access, config.service, {
      name: video.configured.name,
      capabilities: capabilitiesOf(video.configured),
    }),
  };
}
