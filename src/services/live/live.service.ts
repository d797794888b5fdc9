import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import type { TeleconsultationEvent } from '../../domain/events.js';
import type { StoredParticipant } from '../../domain/teleconsultation-record.js';
import { inRootSpan, linkTo } from '../../shared/tracing.js';
import type { WakeUps } from '../../shared/wake-ups.js';
import type { EventStore } from '../../storage/ports.js';
import type { RequestScope } from '../request-scope.js';
import type { TeleconsultationView } from '../visits/caller-views.js';
import type {
  ReadTeleconsultationCommand,
  TeleconsultationService,
} from '../visits/teleconsultation.service.js';

export interface LiveTeleconsultationsDeps {
  teleconsultations: TeleconsultationService;
  events: EventStore;
  clock: Clock;
  wakeUps: WakeUps;
  logger: Logger;
}

/** What a subscriber is told: the caller's view, or the error that ends the stream. */
export type LiveUpdate = { view: TeleconsultationView } | { error: unknown };

/**
 * The live waiting room: a subscriber gets the caller's view at once, after every stored change
 * of the visit (the event log, watched across replicas: a change stream with MongoDB), and at the
 * instants the view changes by itself (lockedFrom, the caller's canJoinFrom and canJoinUntil), so
 * the link arrives at the instant without a write or a poll; once more when the visit is
 * cancelled, then the stream completes. Every view is the read's (same policy, same link rules),
 * and a view equal to the last one sent is not sent again. Whether a push hands the link out
 * depends on what the subscription selected: the entry point records it after the push.
 */
export class LiveService {
  /** Each is told of a change, with the trace context of the request that made it (when traced). */
  private readonly listeners = new Map<string, Set<(origin?: string) => void>>();
  private stopWatching: (() => Promise<void>) | null = null;

  constructor(private readonly deps: LiveTeleconsultationsDeps) {}

  /** Starts following the event log; rejects when the store cannot stream changes. */
  async start(): Promise<void> {
    this.stopWatching = await this.deps.events.watch((event, origin) => this.changed(event, origin));
  }

  async stop(): Promise<void> {
    this.deps.wakeUps.stop();
    await this.stopWatching?.();
    this.stopWatching = null;
  }

  /**
   * Opens a subscription: decides it (the read's policy) and takes its first view before
   * returning, so a refusal is the subscribe's error, as for the query.
   */
  async open(
    scope: RequestScope,
    command: ReadTeleconsultationCommand,
  ): Promise<AsyncIterableIterator<LiveUpdate>> {
    // Listening starts before the first read: a change stored while it is in flight (a read's
    // round trip to MongoDB) would otherwise wake nobody, and the subscriber keep a stale view.
    let changedMeanwhile = false;
    const early = () => {
      changedMeanwhile = true;
    };
    this.listen(command.id, early);
    let first: TeleconsultationView;
    try {
      first = await this.deps.teleconsultations.peek(scope, command);
    } finally {
      this.unlisten(command.id, early);
    }
    // No await from here to the listener `follow` adds: nothing can fall in between.
    return this.follow(scope, command, first, changedMeanwhile);
  }

  /**
   * Runs `callback` once the pushes due at this instant are all sent: when thousands of links open
   * at one instant, recording the hand-outs (one write each) waits for the last push instead of
   * making the later ones late.
   */
  afterPushes(callback: () => void): void {
    this.deps.wakeUps.later(callback);
  }

  private listen(id: string, notify: (origin?: string) => void): void {
    const listeners = this.listeners.get(id) ?? new Set();
    listeners.add(notify);
    this.listeners.set(id, listeners);
  }

  private unlisten(id: string, notify: (origin?: string) => void): void {
    const listeners = this.listeners.get(id);
    listeners?.delete(notify);
    if (listeners?.size === 0) this.listeners.delete(id);
  }

  private follow(
    scope: RequestScope,
    command: ReadTeleconsultationCommand,
    first: TeleconsultationView,
    changedMeanwhile: boolean,
  ): AsyncIterableIterator<LiveUpdate> {
    const id = first.record.id;
    let finished = false;
    let pending: TeleconsultationView | null = first;
    let lastKey = keyOf(first);
    let wake: (() => void) | null = null;
    // A change stored during the first read: read again right after sending the first view.
    let woken = changedMeanwhile;
    // The traced changes since the last read: the push they cause links to them.
    let origins: string[] = [];
    const notify = (origin?: string) => {
      if (origin !== undefined && !origins.includes(origin)) origins.push(origin);
      woken = true;
      wake?.();
    };
    let cancelWakeUp = this.scheduleWakeUp(first, notify);
    this.listen(id, notify);

    const finish = () => {
      if (finished) return;
      finished = true;
      cancelWakeUp();
      this.unlisten(id, notify);
      wake?.();
    };

    const next = async (): Promise<IteratorResult<LiveUpdate>> => {
      for (;;) {
        if (finished) return { done: true, value: undefined };
        if (pending) {
          const view = pending;
          pending = null;
          if (view.status === 'CANCELLED') finish();
          return { done: false, value: { view } };
        }
        if (!woken) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (finished) return { done: true, value: undefined };
        woken = false;
        const causes = origins;
        origins = [];
        let view: TeleconsultationView;
        try {
          view = await this.readForPush(scope, command, causes, lastKey);
        } catch (error) {
          // Removed from the visit, or the store failed: the stream ends with the read's error.
          finish();
          return { done: false, value: { error } };
        }
        cancelWakeUp();
        cancelWakeUp = this.scheduleWakeUp(view, notify);
        const key = keyOf(view);
        if (!sameKey(key, lastKey)) {
          lastKey = key;
          pending = view;
        }
      }
    };

    return {
      next,
      return: async () => {
        finish();
        return { done: true, value: undefined };
      },
      throw: async (error?: unknown) => {
        finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** The next instant the view changes by itself: the lock, the caller's window opening or closing. */
  private scheduleWakeUp(view: TeleconsultationView, notify: () => void): () => void {
    if (view.status === 'CANCELLED') return () => {};
    const now = this.deps.clock.now().getTime();
    const instants = [view.lockedFrom, view.canJoinFrom, view.canJoinUntil]
      .filter((instant): instant is Date => instant !== null)
      .map((instant) => instant.getTime())
      .filter((instant) => instant > now);
    if (instants.length === 0) return () => {};
    return this.deps.wakeUps.at(Math.min(...instants), notify);
  }

  /**
   * The read a change wakes a subscriber for. After a traced change it is a span of its own (the
   * subscriber waits for no request), linked to the requests whose changes caused it, saying
   * whether it pushed a new view.
   */
  private readForPush(
    scope: RequestScope,
    command: ReadTeleconsultationCommand,
    causes: readonly string[],
    lastKey: ViewKey,
  ): Promise<TeleconsultationView> {
    const read = () => this.deps.teleconsultations.peek(scope, command);
    if (causes.length === 0) return read();
    const links = causes.flatMap(linkTo);
    return inRootSpan('subscription push', { 'teleconsultation.id': command.id }, links, async (span) => {
      const view = await read();
      span.setAttribute('subscription.pushes', sameKey(keyOf(view), lastKey) ? 0 : 1);
      return view;
    });
  }

  private changed(event: TeleconsultationEvent, origin?: string): void {
    // Facts that change nothing a view shows wake nobody (a link handed out, uploads deleted, a
    // transcription read).
    if (
      event.type === 'LINK_ISSUED' ||
      event.type === 'UPLOADS_DELETED' ||
      event.type === 'TRANSCRIPTION_READ'
    )
      return;
    for (const notify of this.listeners.get(event.teleconsultationId) ?? []) notify(origin);
  }
}

/**
 * Each participant field, and whether a subscriber's key reads it: a field added to
 * StoredParticipant does not compile until it is listed here. `linkIssuedAt` is not read: a link
 * handed out being recorded changes nothing anyone sees. `attendance` is read only where the
 * caller may see it (keyOf).
 */
const PARTICIPANT_FIELDS_IN_KEY: Record<keyof StoredParticipant, boolean> = {
  userId: true,
  videoUserId: true,
  role: true,
  accessLinkURL: true,
  fullName: true,
  groups: true,
  language: true,
  attendance: true,
  linkIssuedAt: false,
};
const PLAIN_PARTICIPANT_FIELDS = (
  Object.keys(PARTICIPANT_FIELDS_IN_KEY) as (keyof StoredParticipant)[]
).filter((field) => PARTICIPANT_FIELDS_IN_KEY[field] && field !== 'attendance');

const timeOf = (date: Date | null): number | null => (date === null ? null : date.getTime());

/**
 * What a subscriber can see of a view, as a flat list of values compared one by one (sameKey): a
 * write that changes none of them (a link handed out being recorded) pushes nothing. Instants are
 * numbers, lists are spelled out after their length, and nothing is serialized: it runs once per
 * push, 10,000 times at one instant when that many links open together, and each subscriber keeps
 * its last key until the next push (a JSON string of the same values was 0.9-1.3 KB per subscriber,
 * all of it surviving into the old generation at that instant; #28).
 */
export type ViewKey = readonly unknown[];

export function keyOf(view: TeleconsultationView): ViewKey {
  const { record, schedule } = view;
  // A BASIC participant sees no one's attendance but their own: another patient's check-in must
  // not wake them (nothing they see changed, and the push itself would tell).
  const seesEveryone = view.caller === null || view.caller.role === 'plus';
  const callerId = view.caller?.userId;
  const key: unknown[] = [
    view.status,
    view.joinState,
    view.accessLinkURL,
    view.locked,
    timeOf(view.canJoinFrom),
    timeOf(view.canJoinUntil),
    schedule.startDate.getTime(),
    timeOf(schedule.endDate),
    schedule.durationInSeconds,
    record.participantsNumber,
    record.roomId,
    view.recording,
    view.admission,
    view.hostDelayMinutes,
    view.expectedStartDate.getTime(),
    record.participants.length,
  ];
  for (const participant of record.participants) {
    for (const field of PLAIN_PARTICIPANT_FIELDS) {
      const value = participant[field];
      if (Array.isArray(value)) key.push(value.length, ...value);
      else key.push(value);
    }
    const { attendance } = participant;
    // Rare (waiting rooms only) and nested: its JSON, as before.
    key.push(
      attendance !== undefined && (seesEveryone || participant.userId === callerId)
        ? JSON.stringify(attendance)
        : null,
    );
  }
  return key;
}

/** Whether two keys hold the same values, in order. */
export function sameKey(a: ViewKey, b: ViewKey): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (!Object.is(a[index], b[index])) return false;
  return true;
}
