/**
 * Every kind of background job, in one list: its name, the handler that runs it, and its retry
 * policy (src/jobs/job-retry.ts). createServices registers them all with the job runner, and
 * producers enqueue through the runner, which applies the kind's policy. A new kind is a handler
 * on its service, a policy in job-retry.ts, and one entry here.
 */
import type { Config } from '../config/types.js';
import type { JobKind } from '../jobs/job-kind.js';
import { ROOM_CLEANUP_RETRY_POLICY, WEBHOOK_RETRY_POLICY } from '../jobs/job-retry.js';
import { WEBHOOK_DELIVERY, type WebhookService } from '../services/events/webhook.service.js';
import { ROOM_DELETION, ROOM_INTENT, type RoomCleanup } from '../services/visits/room-cleanup.js';

/** The services that run jobs. */
export interface JobHandlers {
  roomCleanup: RoomCleanup;
  webhooks: WebhookService;
}

export function jobKinds({ roomCleanup, webhooks }: JobHandlers, config: Config): JobKind[] {
  return [
    {
      kind: ROOM_DELETION,
      handler: (job) => roomCleanup.runDeletion(job),
      retry: ROOM_CLEANUP_RETRY_POLICY,
    },
    {
      kind: ROOM_INTENT,
      handler: (job) => roomCleanup.runIntent(job),
      retry: ROOM_CLEANUP_RETRY_POLICY,
    },
    {
      kind: WEBHOOK_DELIVERY,
      handler: (job, signal) => webhooks.deliver(job, signal),
      retry: WEBHOOK_RETRY_POLICY,
      // An attempt cannot outlive its request timeout by much.
      timeoutMs: config.webhooks.timeoutMs + 5000,
    },
  ];
}
