import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type ContainerType } from 'type-graphql';
import { CredentialsResolver } from './resolvers/credentials.resolver.js';
import { ParticipantResolver } from './resolvers/participant.resolver.js';
import { ServiceConfigResolver } from './resolvers/service-config.resolver.js';
import { TeleconsultationResolver } from './resolvers/teleconsultation.resolver.js';

export const RESOLVERS = [
  TeleconsultationResolver,
  ServiceConfigResolver,
  CredentialsResolver,
  ParticipantResolver,
] as const;

/** Resolver instances built by the composition root (no global container). */
/** A resolver class: what type-graphql hands the container. */
export type ResolverClass = abstract new (...args: never[]) => unknown;
export type ResolverInstances = Map<ResolverClass, object>;

export async function buildGatewaySchema(resolvers: ResolverInstances = new Map()): Promise<GraphQLSchema> {
  const container: ContainerType = {
    get(resolverClass: ResolverClass) {
      const instance = resolvers.get(resolverClass);
      if (!instance) throw new Error(`No instance of ${resolverClass.name} was provided`);
      return instance;
    },
  };
  return buildSchema({ resolvers: [...RESOLVERS], container, validate: false });
}
