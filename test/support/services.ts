import type { Clock } from '../../src/domain/clock.js';
import type { ServiceConfig, TeleconsultationRules } from '../../src/domain/settings.js';
import type { UserDirectory } from '../../src/identity/ports.js';
import type { KaleyraVideo } from '../../src/kaleyra/port.js';
import { AccessControl } from '../../src/services/access-control.js';
import { CalendarEvents } from '../../src/services/calendar-events.js';
import { CallerViews } from '../../src/services/caller-views.js';
import { KaleyraUsers } from '../../src/services/kaleyra-users.js';
import { ParticipantPreparation } from '../../src/services/participant-preparation.js';
import { ParticipantProfiles } from '../../src/services/participant-profiles.js';
import { ParticipantRoles } from '../../src/services/participant-roles.js';
import { TeleconsultationService } from '../../src/services/teleconsultation.service.js';
import { TeleconsultationRooms } from '../../src/services/teleconsultation-rooms.js';
import type { TeleconsultationStore, UserIdMapStore } from '../../src/storage/ports.js';

export interface ServiceUnderTest {
  store: TeleconsultationStore;
  userIdMap: UserIdMapStore;
  kaleyra: KaleyraVideo;
  clock: Clock;
  rules: TeleconsultationRules;
  service: ServiceConfig;
  directory?: UserDirectory | null;
}

/** The teleconsultation service wired as src/app.ts wires it, over the given adapters. */
export function teleconsultationServiceFor(deps: ServiceUnderTest): TeleconsultationService {
  const directory = deps.directory ?? null;
  const { privileges } = deps.service;
  const roles = new ParticipantRoles(privileges, directory);
  return new TeleconsultationService({
    access: new AccessControl({ policies: deps.service.authorization, privileges, directory, roles }),
    // No company background: links blur, as when Kaleyra's settings cannot be read.
    backgrounds: { backgroundMode: async () => 'blur' },
    calendar: new CalendarEvents(deps.clock, deps.service.calendar),
    store: deps.store,
    kaleyra: deps.kaleyra,
    rooms: new TeleconsultationRooms({ kaleyra: deps.kaleyra, roles, privileges, rules: deps.rules }),
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
}
