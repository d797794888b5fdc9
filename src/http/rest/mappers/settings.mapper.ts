import type { FieldPath } from '../../../domain/errors.js';
import type {
  CompanySettings,
  CompanySettingsCommand,
  VirtualBackground,
} from '../../../services/settings/company-settings.service.js';
import type {
  companyResponseSchema,
  FromRestSchema,
  RestSettingsBody,
  uploadedResponseSchema,
} from '../schemas.js';

/** The service's name of each settings body field, for error field paths. */
const SERVICE_NAMES = {
  background_alias: 'defaultBackgroundAlias',
  default_language: 'defaultLanguage',
  end_call_redirect_url: 'endCallRedirectUrl',
  end_call_redirect_timeout_ms: 'endCallRedirectTimeoutMs',
} as const satisfies Record<string, keyof CompanySettingsCommand>;

/** What to change, in the service's names; fields left out of the body stay left out. */
export function settingsCommand(body: RestSettingsBody): CompanySettingsCommand {
  return {
    ...(body.background_alias !== undefined ? { defaultBackgroundAlias: body.background_alias } : {}),
    ...(body.default_language !== undefined ? { defaultLanguage: body.default_language } : {}),
    ...(body.end_call_redirect_url !== undefined ? { endCallRedirectUrl: body.end_call_redirect_url } : {}),
    ...(body.end_call_redirect_timeout_ms !== undefined
      ? { endCallRedirectTimeoutMs: body.end_call_redirect_timeout_ms }
      : {}),
  };
}

/** The service names fields in its terms (defaultBackgroundAlias); the body in the original's. */
export function settingsFieldOf(field: FieldPath): FieldPath {
  const [first, ...rest] = field;
  const bodyName = Object.entries(SERVICE_NAMES).find(([, serviceName]) => serviceName === first)?.[0];
  return bodyName ? [bodyName, ...rest] : field;
}

export type RestCompanyBody = FromRestSchema<typeof companyResponseSchema>;
export type RestUploadedBody = FromRestSchema<typeof uploadedResponseSchema>;

export function companyBody(settings: CompanySettings): RestCompanyBody {
  return {
    company: {
      name: settings.name,
      default_language: settings.defaultLanguage,
      default_background: settings.defaultBackground
        ? {
            alias: settings.defaultBackground.alias,
            url: settings.defaultBackground.url,
            creation_date: settings.defaultBackground.creationDate.toISOString(),
          }
        : null,
      end_call_redirect_url: settings.endCallRedirectUrl,
      user_details_provider_url: settings.userDetailsProviderUrl,
      end_call_redirect_timeout_ms: settings.endCallRedirectTimeoutMs,
    },
  };
}

export function uploadedBody(background: VirtualBackground): RestUploadedBody {
  return {
    virtual_background: {
      background_alias: background.alias,
      url: background.url,
      creation_date: background.creationDate.toISOString(),
    },
  };
}
