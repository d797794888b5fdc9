import { Ctx, Query, Resolver } from 'type-graphql';
import type {
  ServiceConfigView as LoadedServiceConfig,
  ServiceConfigService,
} from '../../services/settings/service-config.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import type { VideoCapability } from '../types/enums.js';
import { ServiceConfig } from '../types/service-config.type.js';

@Resolver(() => ServiceConfig)
export class ServiceConfigResolver {
  /** The configuration is fixed for the life of the process: each is mapped once. */
  private readonly views = new WeakMap<LoadedServiceConfig, ServiceConfig>();

  constructor(private readonly settings: ServiceConfigService) {}

  @Query(() => ServiceConfig, {
    description:
      'What the frontend needs to render a call: privileges, theme, logo, background groups, and the video provider with its capabilities.',
  })
  async serviceConfig(@Ctx() context: GatewayContext): Promise<ServiceConfig> {
    const config = await this.settings.read(scopeOf(context));
    let view = this.views.get(config);
    if (!view) {
      view = toServiceConfig(config);
      this.views.set(config, view);
    }
    return view;
  }
}

function toServiceConfig(config: LoadedServiceConfig): ServiceConfig {
  return {
    privileges: {
      basic: { groups: [...config.privileges.basic.groups], tools: { ...config.privileges.basic.tools } },
      plus: { groups: [...config.privileges.plus.groups], tools: { ...config.privileges.plus.tools } },
    },
    theme: config.theme ? { light: config.theme.light ?? null, dark: config.theme.dark ?? null } : null,
    companyLogo: config.companyLogo ? { url: config.companyLogo.url ?? null } : null,
    groupsWithBackgroundList: [...config.groupsWithBackgroundList],
    environment: config.environment ?? null,
    mode: config.mode ?? null,
    provider: {
      name: config.provider.name,
      // The domain's names are the enum's values.
      capabilities: config.provider.capabilities.map((capability) => capability as VideoCapability),
    },
  };
}
