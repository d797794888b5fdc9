import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type {
  VirtualBackground as Background,
  CompanySettingsService,
  CompanySettings as Settings,
} from '../../services/settings/company-settings.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { fromArgument } from '../errors.js';
import { CompanySettings, CompanySettingsInput, VirtualBackground } from '../types/company-settings.type.js';

/** Thin: the company's settings and virtual backgrounds, through their service. */
@Resolver(() => CompanySettings)
export class CompanySettingsResolver {
  constructor(private readonly settings: CompanySettingsService) {}

  @Query(() => CompanySettings, {
    description: "The company's settings on Kaleyra (read at most once a minute).",
  })
  async companySettings(@Ctx() context: GatewayContext): Promise<CompanySettings> {
    return toCompanySettings(await this.settings.read(scopeOf(context)));
  }

  @Query(() => [VirtualBackground], { description: 'The virtual backgrounds uploaded to Kaleyra.' })
  async virtualBackgrounds(@Ctx() context: GatewayContext): Promise<VirtualBackground[]> {
    return (await this.settings.backgrounds(scopeOf(context))).map(toVirtualBackground);
  }

  @Mutation(() => CompanySettings, {
    description:
      "Changes the company's default language, background and end-of-call redirect. Uploads are REST-only.",
  })
  async updateCompanySettings(
    @Arg('input', () => CompanySettingsInput) input: CompanySettingsInput,
    @Ctx() context: GatewayContext,
  ): Promise<CompanySettings> {
    return toCompanySettings(
      await fromArgument(['input'], () => this.settings.update(scopeOf(context), input)),
    );
  }

  @Mutation(() => Boolean, {
    description: 'Deletes an uploaded virtual background: true when one was deleted.',
  })
  async deleteVirtualBackground(
    @Arg('alias', () => String) alias: string,
    @Ctx() context: GatewayContext,
  ): Promise<boolean> {
    return this.settings.deleteBackground(scopeOf(context), { alias });
  }
}

function toVirtualBackground(background: Background): VirtualBackground {
  return { alias: background.alias, url: background.url, createdAt: background.creationDate };
}

function toCompanySettings(settings: Settings): CompanySettings {
  return {
    name: settings.name,
    defaultLanguage: settings.defaultLanguage,
    defaultBackground: settings.defaultBackground ? toVirtualBackground(settings.defaultBackground) : null,
    endCallRedirectUrl: settings.endCallRedirectUrl,
    endCallRedirectTimeoutMs: settings.endCallRedirectTimeoutMs,
    userDetailsProviderUrl: settings.userDetailsProviderUrl,
  };
}
