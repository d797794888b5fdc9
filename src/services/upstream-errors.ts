import { CapabilityUnavailableError, UpstreamUnavailableError } from '../domain/errors.js';
import { providerOf, type TeleconsultationData } from '../domain/teleconsultation-record.js';
import type { VideoCapability } from '../domain/video-provider.js';
import {
  CAPABILITY_PARTS,
  type VideoCapabilityParts,
  type VideoProvider,
  VideoProviderError,
  type VideoProviders,
  VideoRejectedError,
} from '../video/port.js';

/**
 * Every video provider failure a use case cannot recover from reaches the client as
 * UPSTREAM_UNAVAILABLE; the reason says whether the provider was unreachable or refused the
 * request. The reasons keep the original's values (`KALEYRA_*`) whichever provider failed. The
 * provider's own message is not passed on: it may name internal ids; it is logged instead.
 */
export function upstreamErrorFrom(error: unknown): unknown {
  if (!(error instanceof VideoProviderError)) return error;
  if (error instanceof VideoRejectedError) {
    return new UpstreamUnavailableError(
      `${error.upstream} refused the request.`,
      { reason: 'KALEYRA_REJECTED' },
      { cause: error },
    );
  }
  return new UpstreamUnavailableError(
    `${error.upstream} is unavailable; nothing was changed.`,
    {
      reason: 'KALEYRA_UNAVAILABLE',
    },
    { cause: error },
  );
}

/**
 * The provider that hosts a record's room (records without `provider` are Kaleyra's). Another
 * provider than VIDEO_PROVIDER serves it only when its credentials are configured too; otherwise
 * the change is refused (PROVIDER_NOT_CONFIGURED) before any side effect.
 */
export function providerOfRecord(
  video: VideoProviders,
  record: Pick<TeleconsultationData, 'provider'>,
): VideoProvider {
  const name = providerOf(record);
  const provider = video.named(name);
  if (!provider) {
    throw new UpstreamUnavailableError(
      `This visit's room lives on the video provider "${name}", whose credentials are not configured here: it can be read, not changed.`,
      { reason: 'PROVIDER_NOT_CONFIGURED' },
    );
  }
  return provider;
}

/**
 * The part of the port that offers `capability`, or PROVIDER_CAPABILITY_UNAVAILABLE (NOT_IMPLEMENTED,
 * REST 501) when the provider lacks it. Called before any side effect of the operation.
 */
export function requireCapability<C extends VideoCapability>(
  provider: VideoProvider,
  capability: C,
): VideoCapabilityParts[C] {
  const part = provider[CAPABILITY_PARTS[capability]] as VideoCapabilityParts[C] | undefined;
  if (part === undefined) {
    throw new CapabilityUnavailableError(
      `The video provider "${provider.name}" does not offer ${capability}.`,
      { reason: 'PROVIDER_CAPABILITY_UNAVAILABLE' },
    );
  }
  return part;
}
