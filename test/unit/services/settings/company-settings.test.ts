/**
 * The company settings cache, against a Kaleyra whose answers the test releases one by one:
 * at most one read per TTL, the last known value kept through failures (a deletion included),
 * a read in flight never overwriting a newer value, and join links waiting a moment for a refresh.
 */
import { jest } from '@jest/globals';
import pino from 'pino';
import { ManualClock } from '../../../../src/domain/clock.js';
import type { AccessControl } from '../../../../src/services/access/access-control.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';
import { CompanySettingsService } from '../../../../src/services/settings/company-settings.service.js';
import type {
  CompanySettings,
  CompanySettingsChanges,
  KaleyraVideo,
} from '../../../../src/video/kaleyra/api.js';
import { kaleyraProvider } from '../../../../src/video/kaleyra/provider.js';

const TTL = 60_000;
const logger = pino({ level: 'silent' });
const scope = {
  caller: { id: 'admin', groups: [], isBackoffice: true, clientType: null, problem: null },
  headers: {},
  logger,
} as unknown as RequestScope;
const allow = { check: async () => undefined } as unknown as AccessControl;

const settings = (overrides: Partial<CompanySettings> = {}): CompanySettings => ({
  name: 'Clinic',
  defaultLanguage: 'en',
  defaultBackground: null,
  endCallRedirectUrl: null,
  userDetailsProviderUrl: null,
  endCallRedirectTimeoutMs: null,
  ...overrides,
});
const BACKGROUND = { alias: 'bg_1', url: 'https://cdn.example/bg_1.png', creationDate: new Date(0) };

/** A Kaleyra whose company reads wait until the test settles them. */
function fakeKaleyra(initial: CompanySettings) {
  let company = initial;
  const reads: Array<{ resolve: (value: CompanySettings) => void; reject: (error: Error) => void }> = [];
  let immediate = true;
  const kaleyra = {
    getCompany: () =>
      immediate
        ? Promise.resolve(company)
        : new Promise<CompanySettings>((resolve, reject) => reads.push({ resolve, reject })),
    updateCompany: async (changes: CompanySettingsChanges) => {
      company = {
        ...company,
        ...(changes.defaultLanguage ? { defaultLanguage: changes.defaultLanguage } : {}),
      };
      return company;
    },
    deleteVirtualBackground: async () => {
      company = { ...company, defaultBackground: null };
    },
  };
  return {
    kaleyra: kaleyra as unknown as KaleyraVideo,
    set: (next: CompanySettings) => {
      company = next;
    },
    /** From now on reads wait for `answer` / `fail`. */
    hold: () => {
      immediate = false;
    },
    release: () => {
      immediate = true;
    },
    pending: () => reads.length,
    answer: (value: CompanySettings) => reads.shift()?.resolve(value),
    fail: () => reads.shift()?.reject(new Error('Kaleyra down')),
    reads: () => reads,
  };
}

function service(kaleyra: KaleyraVideo, clock: ManualClock, ttlMs = TTL) {
  return new CompanySettingsService({ access: allow, video: kaleyraProvider(kaleyra), clock, ttlMs, logger });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the company settings cache', () => {
  it('does not let a read that began before our own update overwrite it', async () => {
    const clock = new ManualClock(0);
    const fake = fakeKaleyra(settings({ defaultLanguage: 'en' }));
    const company = service(fake.kaleyra, clock);
    await company.read(scope);
    clock.advance(TTL);
    fake.hold();
    const inFlight = company.read(scope); // refresh in flight, holding the old 'en'
    await flush();
    await company.update(scope, { defaultLanguage: 'it' });
    fake.answer(settings({ defaultLanguage: 'en' }));
    expect((await inFlight).defaultLanguage).toBe('it');
    expect((await company.read(scope)).defaultLanguage).toBe('it');
  });

  it('keeps the last known settings, without the deleted image, when Kaleyra fails after a deletion', async () => {
    const clock = new ManualClock(0);
    const fake = fakeKaleyra(settings({ defaultBackground: BACKGROUND }));
    const company = service(fake.kaleyra, clock);
    expect((await company.read(scope)).defaultBackground?.alias).toBe('bg_1');
    expect(await company.deleteBackground(scope, { alias: 'bg_1' })).toBe(true);
    fake.hold();
    const read = company.read(scope);
    await flush();
    expect(fake.pending()).toBe(1); // out of date after the deletion: asked again
    fake.fail();
    expect(await read).toMatchObject({ name: 'Clinic', defaultBackground: null });
    fake.release();
    expect(await company.backgroundMode(logger)).toBe('blur');
  });

  it('gives a join link the value read after the TTL, not the expired one', async () => {
    const clock = new ManualClock(0);
    const fake = fakeKaleyra(settings());
    const company = service(fake.kaleyra, clock);
    expect(await company.backgroundMode(logger)).toBe('blur');
    fake.set(settings({ defaultBackground: BACKGROUND })); // changed by another replica
    clock.advance(TTL - 1);
    expect(await company.backgroundMode(logger)).toBe('blur');
    clock.advance(1);
    expect(await company.backgroundMode(logger)).toBe('image');
  });

  it('answers a join link with the last known value when the refresh is slow', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const clock = new ManualClock(0);
      const fake = fakeKaleyra(settings({ defaultBackground: BACKGROUND }));
      const company = service(fake.kaleyra, clock);
      expect(await company.backgroundMode(logger)).toBe('image');
      clock.advance(TTL);
      fake.hold();
      const mode = company.backgroundMode(logger);
      await flush();
      jest.advanceTimersByTime(1000);
      expect(await mode).toBe('image');
      fake.answer(settings());
      await flush();
      expect(await company.backgroundMode(logger)).toBe('blur');
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads Kaleyra on every use with COMPANY_SETTINGS_TTL_MS=0, sharing one read among concurrent uses', async () => {
    const clock = new ManualClock(0);
    const fake = fakeKaleyra(settings());
    const getCompany = jest.spyOn(fake.kaleyra, 'getCompany');
    const company = service(fake.kaleyra, clock, 0);
    await Promise.all([company.read(scope), company.read(scope), company.read(scope)]);
    expect(getCompany).toHaveBeenCalledTimes(1);
    await company.read(scope);
    expect(getCompany).toHaveBeenCalledTimes(2);
  });

  it('does not keep a default background deleted while the very first read was in flight', async () => {
    const clock = new ManualClock(0);
    const fake = fakeKaleyra(settings({ defaultBackground: BACKGROUND }));
    const company = service(fake.kaleyra, clock);
    fake.hold();
    const first = company.read(scope); // nothing cached yet; the read brings the old default
    await flush();
    expect(await company.deleteBackground(scope, { alias: 'bg_1' })).toBe(true);
    fake.answer(settings({ defaultBackground: BACKGROUND }));
    await first;
    // Not kept: with Kaleyra down now, a link blurs rather than show the deleted image.
    const next = company.backgroundMode(logger);
    await flush();
    fake.fail();
    expect(await next).toBe('blur');
    fake.release();
    clock.advance(5_000);
    // Kaleyra back: the next use reads again, and finds no default any more.
    expect(await company.backgroundMode(logger)).toBe('blur');
  });

  it('after a failed refresh, answers the last known value at once for a moment instead of waiting again', async () => {
    const clock = new ManualClock(0);
    const fake = fakeKaleyra(settings({ defaultBackground: BACKGROUND }));
    const getCompany = jest.spyOn(fake.kaleyra, 'getCompany');
    const company = service(fake.kaleyra, clock);
    await company.read(scope);
    clock.advance(TTL);
    fake.hold();
    const failing = company.read(scope);
    await flush();
    fake.fail();
    expect((await failing).defaultBackground?.alias).toBe('bg_1');
    expect(getCompany).toHaveBeenCalledTimes(2);
    // Within the back-off: no new read, no wait.
    clock.advance(4_999);
    expect(await company.backgroundMode(logger)).toBe('image');
    expect(getCompany).toHaveBeenCalledTimes(2);
    fake.release();
    clock.advance(1);
    expect((await company.read(scope)).name).toBe('Clinic');
    expect(getCompany).toHaveBeenCalledTimes(3);
  });
});
