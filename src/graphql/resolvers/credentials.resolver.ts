import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import type { CredentialsService } from '../../services/access/credentials.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { Credentials } from '../types/credentials.type.js';

/** Thin: the caller and the argument go to the service, the credentials come back. */
@Resolver(() => Credentials)
export class CredentialsResolver {
  constructor(private readonly credentials: CredentialsService) {}

  @Mutation(() => Credentials, {
    description:
      "SDK credentials for the caller; creates the caller's Kaleyra user on first use (needs AUTH_SERVICE, or a teleconsultation the caller took part in).",
  })
  async createCredentials(
    @Arg('expiresIn', () => Int, {
      nullable: true,
      defaultValue: 3600,
      description: 'Token lifetime in seconds, from 360 to 86400.',
    })
    expiresIn: number | null,
    @Ctx() context: GatewayContext,
  ): Promise<Credentials> {
    const credentials = await this.credentials.create(scopeOf(context), { expiresIn });
    return {
      accessToken: credentials.accessToken,
      expiresAt: credentials.expiresAt,
      kaleyraUserId: credentials.videoUserId,
    };
  }
}
