import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { LEGACY_VIDEO_PROVIDER } from '../../domain/video-provider.js';
import type { JobQueue } from '../../jobs/job-kind.js';
import { JobFailure } from '../../jobs/job-retry.js';
import type { JobRecord } from '../../jobs/port.js';
import type { TeleconsultationStore } from '../../storage/ports.js';
import { VideoNotFoundError, type VideoProvider, type VideoProviders } from '../../video/port.js';

/** Job kinds of this module (registered with their handlers in src/composition/job-kinds.ts). */
export const ROOM_DELETION = 'room-deletion';
export const ROOM_INTENT = 'room-intent';

/** What a room's marker (Kaleyra: its description) carries: our operation id, nothing about the visit. */
const MARKER_PREFIX = 'tg-op:';

/** The outcome of a deletion that found an active record pointing to its room. */
const KEPT = 'kept: a record points to it';

/** The provider's clock and ours may disagree: rooms are listed from this long before the intent. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** A listing longer than this many pages is cut (and logged): 10,000 rooms. */
const MAX_LISTING_PAGES = 100;
const LISTING_PAGE_SIZE = 100;

/** A room being created: its intent job, and the marker the room carries. */
export interface RoomIntent {
  jobId: string;
  /** The provider the room is created on: the intent lists its rooms. */
  provider: string;
  marker: string;
  /** Rooms created after this instant may be the intent's (ISO 8601; clock skew allowed for). */
  createdAfter: string;
}

/** A room scheduled for deletion, until the write that retires it is known to have happened. */
export interface RoomRetirement {
  jobId: string;
  roomId: string;
}

/**
 * A job's provider: its payload's `provider`, else Kaleyra (jobs written before providers existed).
 */
function providerNameOf(job: JobRecord): string {
  return typeof job.payload.provider === 'string' ? job.payload.provider : LEGACY_VIDEO_PROVIDER;
}

export interface RoomCleanupEvent {
  /** orphan: a room found by an intent's sweep that no record points to (then deleted). */
  kind: 'orphan';
  roomId: string;
}

export interface RoomCleanupDeps {
  /** Where the clean-up's jobs go (the job runner: it applies their retry policy). */
  jobs: JobQueue;
  store: TeleconsultationStore;
  /** Each job's room is deleted on the provider that hosts it (`payload.provider`). */
  video: VideoProviders;
  clock: Clock;
  logger: Logger;
  /** CLEANUP_INTERVAL_MS: how long an intent waits before it looks, and between its two looks. */
  cleanupIntervalMs: number;
  /**
   * How long a change may still be storing its record after it scheduled work (REQUEST_TIMEOUT_MS
   * bounds it): work that depends on that write waits at least this long, twice.
   */
  requestTimeoutMs: number;
  observe?: (event: RoomCleanupEvent) => void;
}

/**
 * Video rooms no record points to (on whichever provider hosts them), deleted by the system, eventually, whatever fails on the way.
 * Everything goes through durable jobs (one replica runs each) written *before* the step they
 * guard, so a crash at any point leaves a job that finishes the work:
 *
 * - before a room is created, an intent job carries an opaque operation id that also goes in the
 *   room's description; when the creation fails or times out the intent stays, and later lists
 *   the rooms Kaleyra created since, deleting those with its marker that no active record uses;
 * - a room a change stops pointing to (replaced, cancelled) gets a deletion job before the write,
 *   due only after the write could still land, and expedited once it has;
 * - a room created for a write that failed gets a deletion job at once.
 *
 * A room is deleted on Kaleyra in one place only, `deleteUnlessInUse`, which asks the store
 * right before whether an active record points to the room: no path (a deletion job, an intent's
 * sweep, whatever decided it) can delete a room a visit uses. A 404 from Kaleyra counts as done.
 */
export class RoomCleanup {
  constructor(private readonly deps: RoomCleanupDeps) {}

  /** Before a room is created on `provider`: a durable intent, and the marker the room must carry. */
  async intend(provider: string, logger: Logger): Promise<RoomIntent> {
    const operationId = randomBytes(12).toString('hex');
    const marker = `${MARKER_PREFIX}${operationId}`;
    const now = this.deps.clock.now();
    const createdAfter = new Date(now.getTime() - CLOCK_SKEW_MS).toISOString();
    const { job } = await this.deps.jobs.enqueue(ROOM_INTENT, {
      payload: { marker, createdAfter, provider },
      dedupeKey: `${ROOM_INTENT}:${operationId}`,
      runAt: new Date(now.getTime() + this.settleDelayMs()),
    });
    logger.debug({ jobId: job.id }, 'room intent recorded');
    return { jobId: job.id, provider, marker, createdAfter };
  }

  /**
   * The creation failed or timed out: no record can point to a room whose id we never got, so the
   * sweep need not wait for any write. A fresh intent for the same marker, due now, takes over:
   * its looks are timed from the failure (however long the creation took), the first right away.
   * The first intent is closed only once the fresh one is stored; should that fail, the first one
   * keeps whatever looks it has left (none, when the creation outlasted them all).
   */
  async creationFailed(intent: RoomIntent, logger: Logger): Promise<void> {
    await this.quietly(logger, 'room intent could not be renewed; it looks when due', async () => {
      // Started only once the first intent is closed: a worker must not run that one instead.
      await this.deps.jobs.enqueue(
        ROOM_INTENT,
        {
          payload: { marker: intent.marker, createdAfter: intent.createdAfter, provider: intent.provider },
          dedupeKey: `${ROOM_INTENT}:${intent.marker}:after-failure`,
          runAt: this.deps.clock.now(),
        },
        { kick: false },
      );
      await this.deps.jobs.dismiss(intent.jobId, 'creation failed: a fresh intent looks from now');
      this.deps.jobs.kick();
    });
  }

  /** The intent's room is accounted for (a record points to it, or its deletion is scheduled). */
  async settle(intent: RoomIntent, logger: Logger): Promise<void> {
    await this.quietly(logger, 'room intent could not be closed; it will look for the room itself', () =>
      this.deps.jobs.dismiss(intent.jobId, 'room accounted for'),
    );
  }

  /**
   * Schedules the deletion of a room the write about to happen stops pointing to. Due only once
   * that write could no longer be in flight; `confirm` makes it due at once, `abandon` drops it.
   */
  async retire(provider: string, roomId: string, why: string): Promise<RoomRetirement> {
    const now = this.deps.clock.now();
    const jobId = await this.enqueueDeletion(
      provider,
      roomId,
      why,
      new Date(now.getTime() + this.settleDelayMs()),
    );
    return { jobId, roomId };
  }

  /** The write happened: delete the room now. */
  async confirm(retirement: RoomRetirement, logger: Logger): Promise<void> {
    await this.quietly(logger, 'room deletion could not be expedited; it runs when due', () =>
      this.deps.jobs.expedite(retirement.jobId),
    );
  }

  /** The write did not happen: the record still points to the room; keep it. */
  async abandon(retirement: RoomRetirement, logger: Logger): Promise<void> {
    await this.quietly(logger, 'room deletion could not be dropped; it will find the room in use', () =>
      this.deps.jobs.dismiss(retirement.jobId, 'the change was not stored'),
    );
  }

  /**
   * A room created for a write that did not happen. `maybeWritten`: the write failed in a way that
   * may still have stored it (a store error), so the deletion waits until that would show.
   */
  async discard(
    provider: string,
    roomId: string,
    intent: RoomIntent | null,
    why: string,
    logger: Logger,
    maybeWritten: boolean,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const runAt = maybeWritten ? new Date(now.getTime() + this.settleDelayMs()) : now;
    try {
      await this.enqueueDeletion(provider, roomId, why, runAt);
      logger.info({ roomId, why }, `${provider} room scheduled for deletion`);
    } catch (error) {
      // The intent stays open: its sweep finds the room by its marker.
      logger.error(
        { roomId, why, err: error },
        'room deletion could not be scheduled; its intent will sweep it',
      );
      return;
    }
    if (intent) await this.settle(intent, logger);
  }

  private async enqueueDeletion(provider: string, roomId: string, why: string, runAt: Date): Promise<string> {
    const { job } = await this.deps.jobs.enqueue(ROOM_DELETION, {
      payload: { roomId, why, provider },
      // One job per decision: a room may be retired by a change that is then not stored, and
      // again by the next one.
      dedupeKey: `${ROOM_DELETION}:${roomId}:${randomBytes(6).toString('hex')}`,
      runAt,
    });
    return job.id;
  }

  /** The ROOM_DELETION job: unless an active record points to the room, delete it (404: done). */
  async runDeletion(job: JobRecord): Promise<{ outcome: string }> {
    return this.deleteUnlessInUse(this.providerOf(job), String(job.payload.roomId));
  }

  /**
   * The ROOM_INTENT job: the rooms its provider created since the intent that carry its marker, deleted
   * unless a record points to them. Finding none, it looks once more an interval later (Kaleyra
   * may still be working on a request that timed out on our side).
   */
  async runIntent(job: JobRecord): Promise<{ outcome: string }> {
    const marker = String(job.payload.marker);
    const createdAfter = new Date(String(job.payload.createdAfter));
    const provider = this.providerOf(job);
    let cursor: string | null = null;
    let found = 0;
    let deleted = 0;
    for (let page = 0; page < MAX_LISTING_PAGES; page++) {
      const listing = await provider.listRooms({ createdAfter, limit: LISTING_PAGE_SIZE, cursor });
      for (const room of listing.rooms) {
        if (room.marker !== marker) continue;
        found += 1;
        // A marker is no proof the room is unused: an intent whose closing failed after its
        // record was stored still finds the room that record points to.
        const { outcome } = await this.deleteUnlessInUse(provider, room.roomId);
        if (outcome === KEPT) continue;
        deleted += 1;
        // Counted once: another intent for the same marker may have deleted it a moment ago.
        if (outcome !== 'deleted') continue;
        this.deps.logger.warn(
          { roomId: room.roomId, provider: provider.name, jobId: job.id },
          `orphan ${provider.name} room found and deleted`,
        );
        this.deps.observe?.({ kind: 'orphan', roomId: room.roomId });
      }
      cursor = listing.nextCursor;
      if (cursor === null) break;
      if (page === MAX_LISTING_PAGES - 1)
        this.deps.logger.warn({ jobId: job.id }, 'room listing cut after its page limit');
    }
    // Kaleyra may finish a creation we gave up on well after our timeout: a look right away (a
    // failed creation), one an interval after the intent, and a last one once the longest wait
    // and an interval have passed. Decided by the time since the intent, not by attempts: a look
    // whose listing failed (Kaleyra is often down just then) must not use up a later one.
    if (found === 0) {
      const elapsed = this.deps.clock.now().getTime() - job.createdAt.getTime();
      const interval = this.deps.cleanupIntervalMs;
      const horizon = this.settleDelayMs() + interval;
      const next = elapsed < interval ? interval : elapsed < horizon ? horizon : null;
      if (next !== null) {
        throw new JobFailure('no room carries the marker yet; looking again', {
          outcome: 'nothing yet',
          retryAfterMs: next - elapsed,
        });
      }
    }
    return { outcome: found === 0 ? 'no room was created' : `${deleted} of ${found} deleted` };
  }

  /**
   * The only call that deletes a room on a provider, after asking the store whether an active
   * record points to it; every path goes through here.
   */
  private async deleteUnlessInUse(provider: VideoProvider, roomId: string): Promise<{ outcome: string }> {
    if (await this.deps.store.isRoomInUse(roomId)) return { outcome: KEPT };
    try {
      await provider.deleteRoom(roomId);
      return { outcome: 'deleted' };
    } catch (error) {
      if (error instanceof VideoNotFoundError) return { outcome: 'already gone' };
      throw new JobFailure(`${provider.name} did not delete the room`, {
        outcome: outcomeOf(error),
        cause: error,
      });
    }
  }

  /** The provider of a job's room; a job whose provider is not configured here waits for it (retried). */
  private providerOf(job: JobRecord): VideoProvider {
    const name = providerNameOf(job);
    const provider = this.deps.video.named(name);
    if (!provider) {
      throw new JobFailure(`the video provider ${name} is not configured`, {
        outcome: 'provider not configured',
      });
    }
    return provider;
  }

  /** Work that depends on a write waits this long: the write cannot still be in flight by then. */
  private settleDelayMs(): number {
    return Math.max(this.deps.cleanupIntervalMs, 2 * this.deps.requestTimeoutMs);
  }

  private async quietly(logger: Logger, message: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      logger.warn({ err: error }, message);
    }
  }
}

/** A short, secret-free outcome for the job record: the error's name (its HTTP status, if any). */
function outcomeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number')
    return `HTTP ${error.status}`;
  return error instanceof Error ? error.name : 'error';
}
