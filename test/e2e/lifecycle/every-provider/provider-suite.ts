/**
 * What every file of the per-provider lifecycle suite shares: a gateway on one provider (the
 * Kaleyra sandbox always runs beside it, so a LiveKit run can prove it never called Kaleyra), the
 * neutral view of the provider's sandbox, and the checks every scenario ends with.
 */
import {
  CreateTeleconsultationDocument,
  type CreateTeleconsultationInput,
  type CreateTeleconsultationMutation,
} from '../../../generated/graphql.js';
import {
  doctor,
  type GraphqlResponse,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
  type TestGatewayOptions,
} from '../../../support/gateway.js';
import { VIDEO_PROVIDERS, type VideoSandboxView, videoSandboxOf } from '../../../support/video-sandbox.js';

export { VIDEO_PROVIDERS };
export type Created = CreateTeleconsultationMutation['createTeleconsultation'];

export const MINUTE = 60_000;
export const IMMUTABLE_PERIOD_MS = 10 * MINUTE;
/** Doctors in PLUS, patients in BASIC; the room closes to everyone 15 minutes after the end. */
export const SERVICE_CONFIG = {
  environment: 'sandbox',
  privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
  joinClosesAfterEndMs: 15 * MINUTE,
};
/** The same without join windows: no room ends by itself, so after every job each active record's room is live. */
export const SERVICE_CONFIG_WITHOUT_END = {
  environment: 'sandbox',
  privileges: SERVICE_CONFIG.privileges,
};

export interface ProviderGateway {
  gateway: TestGateway;
  video: VideoSandboxView;
}

/** A gateway whose new visits live on `provider`, and the view of that provider's sandbox. */
export async function startProviderGateway(
  provider: (typeof VIDEO_PROVIDERS)[number],
  options: TestGatewayOptions = {},
): Promise<ProviderGateway> {
  const gateway = await startTestGateway({
    serviceConfigFile: SERVICE_CONFIG,
    ...options,
    provider,
    env: {
      IMMUTABLE_PERIOD_MS: String(IMMUTABLE_PERIOD_MS),
      // Rooms made for the visit's duration: a new duration needs a new room.
      UNLIMITED_TELECONSULTATION: 'false',
      ...options.env,
    },
  });
  return { gateway, video: videoSandboxOf(gateway) };
}

/** On any provider but Kaleyra, not one request may have reached the Kaleyra sandbox. */
export function expectKaleyraUntouchedUnlessKaleyra(gateway: TestGateway): void {
  if (gateway.config.video.provider !== 'kaleyra') expect(gateway.sandbox.requests()).toEqual([]);
}

export function errorOf(response: GraphqlResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions ?? {};
}

export const visitInput = (
  tag: string,
  extra: Partial<CreateTeleconsultationInput> = {},
): CreateTeleconsultationInput => ({
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
  ...extra,
});

export async function createVisit(
  gateway: TestGateway,
  tag: string,
  extra: Partial<CreateTeleconsultationInput> = {},
): Promise<Created> {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: visitInput(tag, extra),
  });
  return createTeleconsultation;
}

/** The participant's identity on the provider (public name `kaleyraUserId` for every provider). */
export function videoUserIdOf(visit: Pick<Created, 'participants'>, userId: string): string {
  const found = visit.participants.find((participant) => participant.userId === userId)?.kaleyraUserId;
  if (found === undefined || found === null) throw new Error(`no participant ${userId} with an identity`);
  return found;
}

/**
 * No orphan: after every job has run, the provider holds exactly the rooms of the active records
 * among `ids` (every room on the sandbox came from these visits), and the store holds only them.
 */
export async function expectNoOrphans(
  { gateway, video }: ProviderGateway,
  ids: readonly string[],
): Promise<void> {
  await gateway.drainJobs();
  const records = await Promise.all(ids.map((id) => gateway.app.storage.teleconsultations.findById(id)));
  const referenced = records.flatMap((r) => (r?.state === 'active' && r.roomId ? [r.roomId] : []));
  expect([...video.roomIds()].sort()).toEqual([...referenced].sort());
  expect(await gateway.app.storage.teleconsultations.count()).toBe(ids.length);
}
