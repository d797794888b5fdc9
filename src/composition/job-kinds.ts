/**
 * Every kind of background job, in one list: its name, the handler that runs it, its retry
 * policy (src/jobs/job-retry.ts) and its share of the replica. createServices registers them all
 * with the job runner, and producers enqueue through the runner, which applies the kind's policy.
 * A new kind is a handler on its service, a policy in job-retry.ts, and one entry here.
 *
 * Each kind has slots of its own (`concurrency`), so work that protects patients (deleting a
 * cancelled or replaced room, sweeping for orphan rooms) never waits behind deliveries to third
 * parties, however long those hang. Separate slots rather than priorities: a priority only picks
 * which due job starts next, while a slot held by a hung delivery stays held until it times out;
 * only slots of their own keep a deletion from waiting for one.
 */
import type { Config } from '../config/types.js';
import type { JobKind } from '../jobs/job-kind.js';
import { NO_SHOW_RETRY_POLICY, ROOM_CLEANUP_RETRY_POLICY, WEBHOOK_RETRY_POLICY } from '../jobs/job-retry.js';
import { WEBHOOK_DELIVERY, type WebhookService } from '../services/events/webhook.service.js';
import { ROOM_DELETION, ROOM_INTENT, type RoomCleanup } from '../services/visits/room-cleanup.js';
import { ROOM_ENDING, type RoomEnding } from '../services/visits/room-ending.js';
import { NO_SHOW_MARKING, type WaitingRoomService } from '../services/visits/waiting-room.service.js';

/** The services that run jobs. */
export interface JobHandlers {
  roomCleanup: RoomCleanup;
  roomEnding: RoomEnding;
  webhooks: WebhookService;
  waitingRoom: WaitingRoomService;
}

/**
 * Room deletions at once per replica: a burst of cancellations goes out in parallel, within what
 * Kaleyra takes from one client.
 */
export const ROOM_DELETION_CONCURRENCY = 4;
/** Intents mostly find nothing; each that looks lists rooms page by page. */
export const ROOM_INTENT_CONCURRENCY = 2;

/** No-show markings at once per replica: each is one read and one write. */
export const NO_SHOW_CONCURRENCY = 2;

export function jobKinds(
  { roomCleanup, roomEnding, webhooks, waitingRoom }: JobHandlers,
  config: Config,
): JobKind[] {
  return [
    {
      kind: ROOM_DELETION,
      handler: (job) => roomCleanup.runDeletion(job),
      retry: ROOM_CLEANUP_RETRY_POLICY,
      concurrency: ROOM_DELETION_CONCURRENCY,
    },
    {
      kind: ROOM_INTENT,
      handler: (job) => roomCleanup.runIntent(job),
      retry: ROOM_CLEANUP_RETRY_POLICY,
      concurrency: ROOM_INTENT_CONCURRENCY,
    },
    {
      // A room that closes with the last join window (LiveKit): deleted then, ending the call.
      kind: ROOM_ENDING,
      handler: (job) => roomEnding.run(job),
      retry: ROOM_CLEANUP_RETRY_POLICY,
      concurrency: ROOM_DELETION_CONCURRENCY,
    },
    {
      kind: WEBHOOK_DELIVERY,
      handler: (job, signal) => webhooks.deliver(job, signal),
      retry: WEBHOOK_RETRY_POLICY,
      // An attempt cannot outlive its request timeout by much.
      timeoutMs: config.webhooks.timeoutMs + 5000,
      concurrency: config.webhooks.concurrency,
      // Deliveries are keyed by endpoint: one that hangs holds only its share of the slots.
      concurrencyPerKey: config.webhooks.concurrencyPerEndpoint,
    },
    {
      kind: NO_SHOW_MARKING,
      handler: (job) => waitingRoom.runNoShows(job),
      retry: NO_SHOW_RETRY_POLICY,
      concurrency: NO_SHOW_CONCURRENCY,
    },
  ];
}
