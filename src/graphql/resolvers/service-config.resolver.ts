import { Query, Resolver } from 'type-graphql';
import type { ServiceConfig as LoadedServiceConfig } from '../../domain/settings.js';
import { ServiceConfig } from '../types/service-config.type.js';

@Resolver(() => ServiceConfig)
export class ServiceConfigResolver {
  private readonly view: ServiceConfig;

  constructor(config: LoadedServiceConfig) {
    // The configuration is fixed for the life of the process: map it once.
    this.view = {
      privileges: {
        basic: { groups: [...config.privileges.basic.groups], tools: { ...config.privileges.basic.tools } },
        plus: { groups: [...config.privileges.plus.groups], tools: { ...config.privileges.plus.tools } },
      },
      theme: config.theme ? { light: config.theme.light ?? null, dark: config.theme.dark ?? null } : null,
      companyLogo: config.companyLogo ? { url: config.companyLogo.url ?? null } : null,
      groupsWithBackgroundList: [...config.groupsWithBackgroundList],
      environment: config.environment ?? null,
      mode: config.mode ?? null,
    };
  }

  @Query(() => ServiceConfig, {
    description: 'What the frontend needs to render a call: privileges, theme, logo, background groups.',
  })
  serviceConfig(): ServiceConfig {
    return this.view;
  }
}
