import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { BadUserInputError, type FieldPath } from '../../domain/errors.js';
import { linkLanguage } from '../../domain/teleconsultation.js';
import { pathSegmentProblem } from '../../shared/path-segment.js';
import {
  type CompanySettings,
  type CompanySettingsChanges,
  type LinkLanguage,
  VideoNotFoundError,
  type VideoProvider,
  type VirtualBackground,
  type VirtualBackgroundFile,
} from '../../video/port.js';
import type { AccessControl } from '../access/access-control.js';
import type { RequestScope } from '../request-scope.js';
import { requireCapability, upstreamErrorFrom } from '../upstream-errors.js';
import type { BackgroundMode } from '../visits/caller-views.js';

export type { CompanySettings, VirtualBackground, VirtualBackgroundFile } from '../../video/port.js';

export interface CompanySettingsCommand {
  defaultLanguage?: string | null;
  /** An uploaded background's alias; null removes the default background. */
  defaultBackgroundAlias?: string | null;
  endCallRedirectUrl?: string | null;
  endCallRedirectTimeoutMs?: number | null;
}

/** An image the entry point read and judged by its structure (a PNG or a JPEG), with no name. */
export interface UploadedImage {
  contentType: 'image/png' | 'image/jpeg';
  data: Buffer;
}

/** An upload: `read` gives the image, called only once the caller is allowed. */
export interface UploadBackgroundCommand {
  read: () => Promise<UploadedImage>;
}

export interface DeleteBackgroundCommand {
  alias: string;
}

export interface CompanySettingsServiceDeps {
  access: AccessControl;
  /** VIDEO_PROVIDER: the company's settings are the configured provider's. */
  video: VideoProvider;
  clock: Clock;
  /** COMPANY_SETTINGS_TTL_MS */
  ttlMs: number;
  logger: Logger;
}

/**
 * The company's settings on the video provider (COMPANY_SETTINGS, VIRTUAL_BACKGROUNDS; the original's 1.6-2.1 settings on Kaleyra): read, changed, and the
 * virtual backgrounds uploaded, listed and deleted, each behind its own policy key.
 *
 * Join links need to know whether the company has a default background (`image`) or not
 * (`blur`) on every read of a visit: the settings are read from Kaleyra at most once per
 * COMPANY_SETTINGS_TTL_MS per process, refreshed after our own changes, and a Kaleyra failure
 * while refreshing keeps the last known value: a read must not fail because the settings
 * endpoint is down.
 */
export class CompanySettingsService {
  /** The last known settings; `readAt` null: known to be out of date (refresh on the next use). */
  private cached: { settings: CompanySettings; readAt: number | null } | null = null;
  private refreshing: Promise<CompanySettings> | null = null;
  /** Raised whenever the cache takes a value: a refresh that began before must not overwrite it. */
  private generation = 0;
  /** When the last refresh failed (null: it did not): Kaleyra is not asked again for a moment. */
  private failedAt: number | null = null;

  constructor(private readonly deps: CompanySettingsServiceDeps) {}

  async read(scope: RequestScope): Promise<CompanySettings> {
    await this.deps.access.check(scope, 'companySettings');
    requireCapability(this.deps.video, 'COMPANY_SETTINGS');
    return this.current(Number.POSITIVE_INFINITY, scope.logger);
  }

  async backgrounds(scope: RequestScope): Promise<VirtualBackground[]> {
    await this.deps.access.check(scope, 'virtualBackgrounds');
    const backgrounds = requireCapability(this.deps.video, 'VIRTUAL_BACKGROUNDS');
    try {
      return await backgrounds.listVirtualBackgrounds(scope.logger);
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
  }

  async update(scope: RequestScope, command: CompanySettingsCommand): Promise<CompanySettings> {
    await this.deps.access.check(scope, 'updateCompanySettings');
    const company = requireCapability(this.deps.video, 'COMPANY_SETTINGS');
    const changes = await this.changesFrom(command, scope.logger);
    let settings: CompanySettings;
    // From here the client waits for Kaleyra's answer: a timeout must not say "nothing changed".
    scope.deadline?.beginCommit();
    try {
      settings = await company.updateCompany(changes, scope.logger);
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
  async upload(scope: RequestScope, { read }: UploadBackgroundCommand): Promise<VirtualBackground> {
    await this.deps.access.check(scope, 'uploadVirtualBackground');
    const backgrounds = requireCapability(this.deps.video, 'VIRTUAL_BACKGROUNDS');
    const file = backgroundFile(await read());
    scope.deadline?.beginCommit();
    try {
      const background = await backgrounds.uploadVirtualBackground(file, scope.logger);
      scope.logger.info({ alias: background.alias, bytes: file.data.length }, 'virtual background uploaded');
      return background;
    } catch (error) {
      throw upstreamErrorFrom(error);
    }
  }

  /** True when an image was deleted; false when no background has this alias (deleting is idempotent). */
  async deleteBackground(scope: RequestScope, { alias }: DeleteBackgroundCommand): Promise<boolean> {
    await this.deps.access.check(scope, 'deleteVirtualBackground');
    const backgrounds = requireCapability(this.deps.video, 'VIRTUAL_BACKGROUNDS');
    assertBackgroundAlias(alias, ['alias']);
    scope.deadline?.beginCommit();
    try {
      await backgrounds.deleteVirtualBackground(alias, scope.logger);
    } catch (error) {
      if (error instanceof VideoNotFoundError) return false;
      throw upstreamErrorFrom(error);
    }
    // It may have been the default background: the next use asks Kaleyra, and meanwhile (or if
    // Kaleyra fails) the last known settings stand, without the deleted image.
    if (this.cached) {
      const { settings } = this.cached;
      this.cached = {
        settings:
          settings.defaultBackground?.alias === alias ? { ...settings, defaultBackground: null } : settings,
        readAt: null,
      };
    }
    // A read in flight began before the deletion: what it brings back must not stand for a TTL.
    this.generation += 1;
    scope.logger.info({ alias }, 'virtual background deleted');
    return true;
  }

  /**
   * For join links: `image` when the company has a default background, `blur` otherwise. Never
   * throws: with nothing known and Kaleyra failing, a link blurs the background.
   */
  async backgroundMode(logger: Logger): Promise<BackgroundMode> {
    // A provider without company settings has no default background to show.
    if (!this.deps.video.companySettings) return 'blur';
    try {
      return (await this.current(LINK_REFRESH_WAIT_MS, logger)).defaultBackground ? 'image' : 'blur';
    } catch (error) {
      logger.warn({ err: error }, 'company settings unavailable; links blur the background');
      return 'blur';
    }
  }

  /**
   * The settings, from Kaleyra at most once per TTL. Out of date: refreshed before answering,
   * waiting at most `waitMs` for Kaleyra (the settings query waits; a join link waits a moment,
   * then uses the last known value); a failed refresh keeps the last known value.
   */
  private async current(waitMs: number, logger: Logger): Promise<CompanySettings> {
    const now = this.deps.clock.now().getTime();
    const cached = this.cached;
    if (cached && cached.readAt !== null && now - cached.readAt < this.deps.ttlMs) return cached.settings;
    // Kaleyra just failed: answer the last known value at once rather than wait on it again.
    if (cached && this.failedAt !== null && now - this.failedAt < REFRESH_BACKOFF_MS) return cached.settings;
    const refresh = this.refresh(logger);
    if (!cached) return refresh;
    refresh.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await (Number.isFinite(waitMs)
        ? Promise.race([
            refresh,
            new Promise<CompanySettings>((resolve) => {
              timer = setTimeout(() => resolve(this.cached?.settings ?? cached.settings), waitMs);
            }),
          ])
        : refresh);
    } catch {
      return this.cached?.settings ?? cached.settings;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One read at a time: a request arriving while one is in flight shares it (and its log lines). */
  private refresh(logger: Logger): Promise<CompanySettings> {
    if (this.refreshing) return this.refreshing;
    const startedAt = this.generation;
    this.refreshing = requireCapability(this.deps.video, 'COMPANY_SETTINGS')
      .getCompany(logger)
      .then(
        (settings) => {
          this.failedAt = null;
          if (this.generation !== startedAt) {
            // Our own update landed while this read was in flight: it is newer.
            if (this.cached) return this.cached.settings;
            // A deletion did: what was read may still name the deleted image; not kept (the
            // next use reads again, and with Kaleyra failing links blur rather than show it).
            return settings;
          }
          this.remember(settings);
          return settings;
        },
        (error: unknown) => {
          this.failedAt = this.deps.clock.now().getTime();
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
    this.generation += 1;
  }

  /** Checked here, before any call: a clear error instead of Kaleyra's 400. */
  private async changesFrom(
    command: CompanySettingsCommand,
    logger: Logger,
  ): Promise<CompanySettingsChanges> {
    const changes: CompanySettingsChanges = {};
    if (command.defaultLanguage != null) {
      changes.defaultLanguage = linkLanguage(command.defaultLanguage, ['defaultLanguage']) as LinkLanguage;
    }
    if (command.defaultBackgroundAlias !== undefined) {
      if (command.defaultBackgroundAlias !== null) {
        assertBackgroundAlias(command.defaultBackgroundAlias, ['defaultBackgroundAlias']);
        await this.assertBackgroundExists(command.defaultBackgroundAlias, ['defaultBackgroundAlias'], logger);
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

  private async assertBackgroundExists(alias: string, field: FieldPath, logger: Logger): Promise<void> {
    let backgrounds: VirtualBackground[];
    const part = requireCapability(this.deps.video, 'VIRTUAL_BACKGROUNDS');
    try {
      backgrounds = await part.listVirtualBackgrounds(logger);
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

/** How long a join link waits for out-of-date settings before using the last known ones. */
const LINK_REFRESH_WAIT_MS = 1000;
/** After a failed refresh, the last known settings are answered at once for this long. */
const REFRESH_BACKOFF_MS = 5000;

/** A redirect after the call ends: ten minutes is more than anyone waits on a blank page. */
const MAX_REDIRECT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The file Kaleyra gets: named by us, never by the client (whose `evil.html` would travel on to
 * wherever Kaleyra keeps or serves it), after the content (`background-<digest>.png`), with the
 * extension of the type the content was judged to be.
 */
function backgroundFile(image: UploadedImage): VirtualBackgroundFile {
  const digest = createHash('sha256').update(image.data).digest('base64url').slice(0, 16);
  const extension = image.contentType === 'image/png' ? 'png' : 'jpg';
  return { fileName: `background-${digest}.${extension}`, contentType: image.contentType, data: image.data };
}

/**
 * An alias names one image in Kaleyra's paths (`DELETE …/virtual_backgrounds/:alias`): one that
 * is empty, a dot segment or not well-formed text could name another route (`..` is
 * `DELETE v2/company/`), so it is refused before anything is sent.
 */
function assertBackgroundAlias(alias: string, field: FieldPath): void {
  const problem = pathSegmentProblem(alias);
  if (problem === null) return;
  throw new BadUserInputError(`The virtual background alias ${problem}: it cannot name one image.`, {
    reason: 'INVALID_BACKGROUND_ALIAS',
    field,
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
