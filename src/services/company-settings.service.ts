import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { BadUserInputError, type FieldPath } from '../domain/errors.js';
import { linkLanguage } from '../domain/teleconsultation.js';
import {
  type CompanySettings,
  type CompanySettingsChanges,
  KaleyraNotFoundError,
  type KaleyraVideo,
  type LinkLanguage,
  type VirtualBackground,
  type VirtualBackgroundFile,
} from '../kaleyra/port.js';
import type { AccessControl } from './access-control.js';
import type { BackgroundMode } from './caller-views.js';
import type { RequestScope } from './request-scope.js';
import { upstreamErrorFrom } from './upstream-errors.js';

export type { CompanySettings, VirtualBackground, VirtualBackgroundFile } from '../kaleyra/port.js';

export interface CompanySettingsCommand {
  defaultLanguage?: string | null;
  /** An uploaded background's alias; null removes the default background. */
  defaultBackgroundAlias?: string | null;
  endCallRedirectUrl?: string | null;
  endCallRedirectTimeoutMs?: number | null;
}

export interface CompanySettingsServiceDeps {
  access: AccessControl;
  kaleyra: KaleyraVideo;
  clock: Clock;
  /** COMPANY_SETTINGS_TTL_MS */
  ttlMs: number;
  logger: Logger;
}

/**
 * The company's settings on Kaleyra (the original's 1.6-2.1 settings): read, changed, and the
 * virtual backgrounds uploaded, listed and deleted, each behind its own policy key.
 *
 * Join links need to know whether the company has a default background (`image`) or not
 * (`blur`) on every read of a visit: the settings are read from Kaleyra at most once per
 * COMPANY_SETTINGS_TTL_MS per process, refreshed after our own changes, and a Kaleyra failure
 * while refreshing keeps the last known value: a read must not fail because the settings
 * endpoint is down.
 */
export class CompanySettingsService {
  private cached: { settings: CompanySettings; readAt: number } | null = null;
  private refreshing: Promise<CompanySettings> | null = null;

  constructor(private readonly deps: CompanySettingsServiceDeps) {}

  async read(scope: RequestScope): Promise<CompanySettings> {
    await this.deps.access.check(scope, 'companySettings');
    return this.current(true);
  }

  async backgrounds(scope: RequestScope): Promise<VirtualBackground[]> {
    await this.deps.access.check(scope, 'virtualBackgrounds');
    try {
      return await this.deps.kaleyra.listVirtualBackgrounds();
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
  }

  async update(scope: RequestScope, command: CompanySettingsCommand): Promise<CompanySettings> {
    await this.deps.access.check(scope, 'updateCompanySettings');
    const changes = await this.changesFrom(command);
    let settings: CompanySettings;
    try {
      settings = await this.deps.kaleyra.updateCompany(changes);
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
    this.remember(settings);
    scope.logger.info({ changed: Object.keys(changes) }, 'company settings changed');
    return settings;
  }

  /**
   * Uploads the image `read` gives: the caller is decided first, then the image is read and
   * checked (a refusal sends nothing to Kaleyra), then sent.
   */
  async upload(scope: RequestScope, read: () => Promise<VirtualBackgroundFile>): Promise<VirtualBackground> {
    await this.deps.access.check(scope, 'uploadVirtualBackground');
    const file = await read();
    try {
      const background = await this.deps.kaleyra.uploadVirtualBackground(file);
      scope.logger.info({ alias: background.alias, bytes: file.data.length }, 'virtual background uploaded');
      return background;
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
  }

  /** True when an image was deleted; false when no background has this alias (deleting is idempotent). */
  async deleteBackground(scope: RequestScope, alias: string): Promise<boolean> {
    await this.deps.access.check(scope, 'deleteVirtualBackground');
    try {
      await this.deps.kaleyra.deleteVirtualBackground(alias);
    } catch (error) {
      if (error instanceof KaleyraNotFoundError) return false;
      throw upstreamErrorFrom(error);
    }
    // It may have been the default background: the next read asks Kaleyra.
    this.cached = null;
    scope.logger.info({ alias }, 'virtual background deleted');
    return true;
  }

  /**
   * For join links: `image` when the company has a default background, `blur` otherwise. Never
   * throws: with nothing known and Kaleyra failing, a link blurs the background.
   */
  async backgroundMode(logger: Logger): Promise<BackgroundMode> {
    try {
      return (await this.current(false)).defaultBackground ? 'image' : 'blur';
    } catch (error) {
      logger.warn({ err: error }, 'company settings unavailable; links blur the background');
      return 'blur';
    }
  }

  /**
   * The settings, from Kaleyra at most once per TTL. `wait`: a stale value is refreshed before
   * answering (the settings query); otherwise it is answered at once and refreshed behind (links).
   * A failed refresh keeps the last known value.
   */
  private async current(wait: boolean): Promise<CompanySettings> {
    const now = this.deps.clock.now().getTime();
    const cached = this.cached;
    if (cached && now - cached.readAt < this.deps.ttlMs) return cached.settings;
    const refresh = this.refresh();
    if (!cached) return refresh;
    if (!wait) {
      refresh.catch(() => undefined);
      return cached.settings;
    }
    try {
      return await refresh;
    } catch {
      return cached.settings;
    }
  }

  private refresh(): Promise<CompanySettings> {
    this.refreshing ??= this.deps.kaleyra
      .getCompany()
      .then(
        (settings) => {
          this.remember(settings);
          return settings;
        },
        (error: unknown) => {
          this.deps.logger.warn({ err: error }, 'company settings could not be read from Kaleyra');
          throw upstreamErrorFrom(error);
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private remember(settings: CompanySettings): void {
    this.cached = { settings, readAt: this.deps.clock.now().getTime() };
  }

  /** Checked here, before any call: a clear error instead of Kaleyra's 400. */
  private async changesFrom(command: CompanySettingsCommand): Promise<CompanySettingsChanges> {
    const changes: CompanySettingsChanges = {};
    if (command.defaultLanguage != null) {
      changes.defaultLanguage = linkLanguage(command.defaultLanguage, ['defaultLanguage']) as LinkLanguage;
    }
    if (command.defaultBackgroundAlias !== undefined) {
      if (command.defaultBackgroundAlias !== null) {
        await this.assertBackgroundExists(command.defaultBackgroundAlias, ['defaultBackgroundAlias']);
      }
      changes.backgroundAlias = command.defaultBackgroundAlias;
    }
    if (command.endCallRedirectUrl !== undefined) {
      if (command.endCallRedirectUrl !== null && !isHttpUrl(command.endCallRedirectUrl)) {
        throw new BadUserInputError('endCallRedirectUrl must be an http(s) URL.', {
          reason: 'INVALID_COMPANY_SETTING',
          field: ['endCallRedirectUrl'],
        });
      }
      changes.endCallRedirectUrl = command.endCallRedirectUrl;
    }
    if (command.endCallRedirectTimeoutMs !== undefined) {
      const timeout = command.endCallRedirectTimeoutMs;
      if (
        timeout !== null &&
        (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_REDIRECT_TIMEOUT_MS)
      ) {
        throw new BadUserInputError(
          `endCallRedirectTimeoutMs must be from 0 to ${MAX_REDIRECT_TIMEOUT_MS}.`,
          {
            reason: 'INVALID_COMPANY_SETTING',
            field: ['endCallRedirectTimeoutMs'],
          },
        );
      }
      changes.endCallRedirectTimeoutMs = timeout;
    }
    return changes;
  }

  private async assertBackgroundExists(alias: string, field: FieldPath): Promise<void> {
    let backgrounds: VirtualBackground[];
    try {
      backgrounds = await this.deps.kaleyra.listVirtualBackgrounds();
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
    if (!backgrounds.some((background) => background.alias === alias)) {
      throw new BadUserInputError(`No virtual background has the alias ${JSON.stringify(alias)}.`, {
        reason: 'UNKNOWN_BACKGROUND',
        field,
      });
    }
  }
}

/** A redirect after the call ends: ten minutes is more than anyone waits on a blank page. */
const MAX_REDIRECT_TIMEOUT_MS = 10 * 60 * 1000;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
