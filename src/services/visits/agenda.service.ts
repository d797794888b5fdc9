import type { Clock } from '../../domain/clock.js';
import { BadUserInputError, UnauthenticatedError } from '../../domain/errors.js';
import type { TeleconsultationRules } from '../../domain/settings.js';
import { selectorsOf, type TeleconsultationStatus } from '../../domain/teleconsultation.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../shared/opaque-cursor.js';
import { RECORD_ID_SOURCE } from '../../shared/record-id.js';
import {
  type AgendaPosition,
  type StoredTeleconsultation,
  TELECONSULTATION_ID_PATTERN,
  type TeleconsultationStore,
} from '../../storage/ports.js';
import type { AccessControl } from '../access/access-control.js';
import type { ParticipantRoles } from '../participants/participant-roles.js';
import type { RequestScope } from '../request-scope.js';
import type { CallerViews, LinkOptions, TeleconsultationView } from './caller-views.js';
import type { BackgroundSource } from './teleconsultation.service.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Without `states`: everything but cancelled visits. */
const DEFAULT_STATES: ReadonlySet<TeleconsultationStatus> = new Set([
  'WAITING_FOR_PARTICIPANTS',
  'SCHEDULED',
  'LOCKED',
]);

export interface AgendaCommand extends LinkOptions {
  /** startDate >= from. */
  from?: Date | null;
  /** startDate < to. */
  to?: Date | null;
  /** Null or empty: every status but CANCELLED. */
  states?: readonly TeleconsultationStatus[] | null;
  first?: number | null;
  /** An `endCursor` of an earlier page. */
  after?: string | null;
}

export interface AgendaEdge {
  cursor: string;
  view: TeleconsultationView;
}

export interface AgendaPage {
  edges: AgendaEdge[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface TeleconsultationAgendaDeps {
  access: AccessControl;
  store: TeleconsultationStore;
  views: CallerViews;
  roles: ParticipantRoles;
  backgrounds: BackgroundSource;
  clock: Clock;
  rules: TeleconsultationRules;
}

/**
 * The caller's agenda: the teleconsultations that list them as a participant, by start date.
 * Pages are keyset pages on (startDate, id), so a cursor stays valid, and a walk neither skips
 * nor repeats a visit, while visits are added or changed between pages. A page's views may carry
 * links; the entry point that answers with them records the hand-outs (LINK_ISSUED).
 */
export class AgendaService {
  constructor(private readonly deps: TeleconsultationAgendaDeps) {}

  async list(scope: RequestScope, command: AgendaCommand): Promise<AgendaPage> {
    await this.deps.access.check(scope, 'myTeleconsultations');
    const userId = scope.caller.id;
    if (userId === null) {
      // Only a policy that lets anonymous callers through gets here: an agenda needs someone.
      throw new UnauthenticatedError('The agenda is the caller’s: the request must say who is calling.', {
        reason: 'NO_CALLER_ID',
      });
    }
    const first = command.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}.`, {
        reason: 'PAGE_SIZE_OUT_OF_RANGE',
        field: ['first'],
      });
    }
    if (command.from && command.to && command.to.getTime() <= command.from.getTime()) {
      throw new BadUserInputError('to must be after from.', { reason: 'INVALID_DATE_RANGE', field: ['to'] });
    }
    const after = command.after == null ? undefined : decodeCursor(command.after);
    const states = command.states?.length ? new Set(command.states) : DEFAULT_STATES;
    const now = this.deps.clock.now();

    const records = await this.deps.store.listForParticipant({
      userId,
      ...(command.from ? { startsAtOrAfter: command.from } : {}),
      ...(command.to ? { startsBefore: command.to } : {}),
      anyOf: selectorsOf(states, this.deps.rules.immutablePeriodMs, now),
      ...(after ? { after } : {}),
      // One more than asked: whether it comes back says if there is a next page.
      limit: first + 1,
    });
    const page = records.slice(0, first);
    const views = await this.viewsOf(scope, page, command);
    const edges = views.map((view) => ({ cursor: encodeCursor(view.record), view }));
    return {
      edges,
      hasNextPage: records.length > first,
      endCursor: edges.at(-1)?.cursor ?? null,
    };
  }

  /** The caller's view of each record; the company's background is read once for the page, if needed. */
  private async viewsOf(
    scope: RequestScope,
    records: readonly StoredTeleconsultation[],
    options: LinkOptions,
  ): Promise<TeleconsultationView[]> {
    const callerId = scope.caller.id;
    const resolved = await Promise.all(
      records.map(async (record) =>
        record.participants.some((p) => p.role === null)
          ? { ...record, participants: await this.deps.roles.resolve(record.participants, scope) }
          : record,
      ),
    );
    const views = resolved.map((record) => this.deps.views.viewFor(record, callerId, options));
    if (!views.some((view) => this.deps.views.wantsBackground(view, options))) return views;
    const background = await this.deps.backgrounds.backgroundMode(scope.logger);
    if (background === 'blur') return views;
    return resolved.map((record) => this.deps.views.viewFor(record, callerId, options, background));
  }
}

const CURSOR_VERSION = 'v1';
const CURSOR_PATTERN = new RegExp(`^v1:(-?\\d{1,16}):(${RECORD_ID_SOURCE})$`);

/** Opaque to clients: base64url of the position, versioned so its shape can change. */
export function encodeCursor(position: AgendaPosition): string {
  return encodeOpaqueCursor(`${CURSOR_VERSION}:${position.startDate.getTime()}:${position.id}`);
}

export function decodeCursor(cursor: string): AgendaPosition {
  const invalid = () =>
    new BadUserInputError('after is not a cursor this agenda gave.', {
      reason: 'INVALID_CURSOR',
      field: ['after'],
    });
  const match = CURSOR_PATTERN.exec(decodeOpaqueCursor(cursor) ?? '');
  if (!match) throw invalid();
  const startDate = new Date(Number(match[1]));
  const id = match[2] as string;
  if (Number.isNaN(startDate.getTime()) || !TELECONSULTATION_ID_PATTERN.test(id)) throw invalid();
  return { startDate, id };
}
