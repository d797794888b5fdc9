import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { canJoinUntil, type JoinRules } from '../../domain/join-window.js';
import { providerOf, scheduleOf } from '../../domain/teleconsultation-record.js';
import type { JobQueue } from '../../jobs/job-kind.js';
import { JobFailure } from '../../jobs/job-retry.js';
import type { JobRecord } from '../../jobs/port.js';
import type { StoredTeleconsultation, TeleconsultationStore } from '../../storage/ports.js';
import { VideoNotFoundError, type VideoProviders } from '../../video/port.js';

/** Job kind of this module (registered with its handler in src/composition/job-kinds.ts). */
export const ROOM_ENDING = 'room-ending';

export interface RoomEndingDeps {
  jobs: JobQueue;
  store: TeleconsultationStore;
  video: VideoProviders;
  clock: Clock;
  join: JoinRules;
}

/**
 * The end of a room whose provider's links gate only the first connection (LiveKit): when the
 * visit's last join window closes, a durable job deletes the room, which ends the call for
 * everyone still in it. Scheduled each time a record pointing to such a room is stored (one job
 * per room and closing instant); the job reads the record again when it runs, so a visit moved
 * later makes it wait, and a room the record no longer uses goes anyway (the clean-up's deletion
 * may already have done it: not found counts as done).
 */
export class RoomEnding {
  constructor(private readonly deps: RoomEndingDeps) {}

  /** After `record` is stored: its room's end, when its provider needs one and its window closes. */
  async schedule(record: StoredTeleconsultation, logger: Logger): Promise<void> {
    const provider = this.deps.video.named(providerOf(record));
    if (record.roomId === null || record.state !== 'active' || provider?.roomsEndWithJoinWindow !== true)
      return;
    const until = canJoinUntil(scheduleOf(record), this.deps.join);
    if (until === null) return;
    try {
      await this.deps.jobs.enqueue(ROOM_ENDING, {
        payload: { provider: provider.name, roomId: record.roomId },
        dedupeKey: `${ROOM_ENDING}:${record.roomId}:${until.toISOString()}`,
        runAt: until,
      });
    } catch (error) {
      // The change is stored; the room then ends by cancellation, replacement or the sweep.
      logger.error({ roomId: record.roomId, err: error }, 'the end of the room could not be scheduled');
    }
  }

  /** The ROOM_ENDING job: once the record's last join window has closed, delete its room. */
  async run(job: JobRecord): Promise<{ outcome: string }> {
    const roomId = String(job.payload.roomId);
    const record = await this.deps.store.findByRoomId(roomId);
    if (record !== null && record.state === 'active' && record.roomId === roomId) {
      const until = canJoinUntil(scheduleOf(record), this.deps.join);
      if (until === null) return { outcome: 'kept: the visit has no end any more' };
      const wait = until.getTime() - this.deps.clock.now().getTime();
      if (wait > 0) {
        throw new JobFailure('the join window closes later', { outcome: 'not yet', retryAfterMs: wait });
      }
    }
    const name = String(job.payload.provider);
    const provider = this.deps.video.named(name);
    if (!provider) {
      throw new JobFailure(`the video provider ${name} is not configured`, {
        outcome: 'provider not configured',
      });
    }
    try {
      await provider.deleteRoom(roomId);
      return { outcome: 'deleted: the last join window closed' };
    } catch (error) {
      if (error instanceof VideoNotFoundError) return { outcome: 'already gone' };
      throw new JobFailure(`${provider.name} did not delete the room`, { outcome: 'failed', cause: error });
    }
  }
}
