import type { CredentialsService } from '../../../services/access/credentials.service.js';
import type { credentialsSchema, FromRestSchema } from '../schemas.js';

type SdkCredentials = Awaited<ReturnType<CredentialsService['create']>>;

export type RestCredentialsBody = FromRestSchema<typeof credentialsSchema>;

/** SDK credentials in the original's names: the Kaleyra user id is `bandyerUserId`. */
export function credentialsBody(credentials: SdkCredentials): RestCredentialsBody {
  return {
    accessToken: credentials.accessToken,
    expiresAt: credentials.expiresAt.toISOString(),
    bandyerUserId: credentials.videoUserId,
  };
}
