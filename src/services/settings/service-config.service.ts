import type { ServiceConfig } from '../../domain/settings.js';
import type { VideoProviderInfo } from '../../domain/video-provider.js';
import type { AccessControl } from '../access/access-control.js';
import type { RequestScope } from '../request-scope.js';

/** The service config file's values, and the video provider new visits use. */
export type ServiceConfigView = ServiceConfig & { provider: VideoProviderInfo };

/** What the frontend renders a call with (the config file's privileges, theme, logo, …). */
export class ServiceConfigService {
  /** Fixed for the life of the process: one object, so readers may cache what they make of it. */
  private readonly view: ServiceConfigView;

  constructor(
    private readonly access: AccessControl,
    config: ServiceConfig,
    /** VIDEO_PROVIDER's name and what it offers. */
    provider: VideoProviderInfo,
  ) {
    this.view = { ...config, provider: { name: provider.name, capabilities: [...provider.capabilities] } };
  }

  async read(scope: RequestScope): Promise<ServiceConfigView> {
    await this.access.check(scope, 'serviceConfig');
    return this.view;
  }
}
