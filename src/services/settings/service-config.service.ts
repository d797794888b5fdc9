import type { ServiceConfig } from '../../domain/settings.js';
import type { AccessControl } from '../access/access-control.js';
import type { RequestScope } from '../request-scope.js';

/** What the frontend renders a call with (the config file's privileges, theme, logo, …). */
export class ServiceConfigService {
  constructor(
    private readonly access: AccessControl,
    private readonly config: ServiceConfig,
  ) {}

  async read(scope: RequestScope): Promise<ServiceConfig> {
    await this.access.check(scope, 'serviceConfig');
    return this.config;
  }
}
