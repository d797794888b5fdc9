import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema, type ContainerType } from 'type-graphql';
import { AgendaResolver } from './resolvers/agenda.resolver.js';
import { CompanySettingsResolver } from './resolvers/company-settings.resolver.js';
import { CredentialsResolver } from './resolvers/credentials.resolver.js';
import { LiveResolver, NO_PUBSUB } from './resolvers/live.resolver.js';
import { ParticipantResolver } from './resolvers/participant.resolver.js';
import { ServiceConfigResolver } from './resolvers/service-config.resolver.js';
import { TeleconsultationResolver } from './resolvers/teleconsultation.resolver.js';
import { TranscriptionResolver } from './resolvers/transcription.resolver.js';
import { AttendanceResolver, WaitingRoomResolver } from './resolvers/waiting-room.resolver.js';
import { WebhookResolver } from './resolvers/webhook.resolver.js';
import { ErrorReasonEnum } from './types/error-reason.type.js';
import { type PolicyDecision, refuseIllFormedArguments } from './well-formed-arguments.js';

/** The one list of resolvers: the schema is built from it and the composition root fills it. */
const RESOLVERS = {
  teleconsultation: TeleconsultationResolver,
  serviceConfig: ServiceConfigResolver,
  credentials: CredentialsResolver,
  participant: ParticipantResolver,
  companySettings: CompanySettingsResolver,
  agenda: AgendaResolver,
  webhooks: WebhookResolver,
  live: LiveResolver,
  transcriptions: TranscriptionResolver,
  waitingRoom: WaitingRoomResolver,
  attendance: AttendanceResolver,
} as const;

/** An instance of every resolver: a resolver the composition root forgets fails to compile. */
export type GatewayResolvers = { [K in keyof typeof RESOLVERS]: InstanceType<(typeof RESOLVERS)[K]> };

type ResolverClass = (typeof RESOLVERS)[keyof typeof RESOLVERS];

/**
 * The executable schema over the given instances (no global container). Without instances it is
 * good for printing only (schema:emit): resolving a field then fails loudly. With `policies`,
 * every argument is checked for text that cannot travel (well-formed-arguments.ts).
 */
export async function buildGatewaySchema(
  resolvers?: GatewayResolvers,
  policies?: PolicyDecision,
): Promise<GraphQLSchema> {
  const byClass = new Map<ResolverClass, object>(
    resolvers
      ? (Object.keys(RESOLVERS) as Array<keyof typeof RESOLVERS>).map((key) => [
          RESOLVERS[key],
          resolvers[key],
        ])
      : [],
  );
  const container: ContainerType = {
    get(resolverClass: ResolverClass) {
      const instance = byClass.get(resolverClass);
      if (!instance) throw new Error(`No instance of ${resolverClass.name} was provided`);
      return instance;
    },
  };
  const classes = Object.values(RESOLVERS);
  const schema = await buildSchema({
    resolvers: [classes[0] as ResolverClass, ...classes.slice(1)],
    container,
    validate: false,
    pubSub: NO_PUBSUB,
  });
  const config = schema.toConfig();
  const gateway = new GraphQLSchema({ ...config, types: [...config.types, ErrorReasonEnum] });
  if (policies) refuseIllFormedArguments(gateway, policies);
  return gateway;
}
