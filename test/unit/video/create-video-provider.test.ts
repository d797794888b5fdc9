import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { VIDEO_CAPABILITIES } from '../../../src/domain/video-provider.js';
import {
  createVideoProviders,
  VideoProviderConfigError,
  videoProviders,
} from '../../../src/video/create-video-provider.js';
import { capabilitiesOf } from '../../../src/video/port.js';
import { fakeVideoProvider } from '../../support/fake-video-provider.js';

const deps = { logger: pino({ level: 'silent' }), observe: () => () => {} };
const kaleyra = { baseUrl: 'https://kaleyra.test', apiKey: 'key', timeoutMs: 1000, retryLimit: 0 };

describe('createVideoProviders', () => {
  it('builds the provider VIDEO_PROVIDER names, with every Kaleyra capability', () => {
    const video = createVideoProviders({ provider: 'kaleyra', kaleyra }, deps);
    expect(video.configured.name).toBe('kaleyra');
    expect(video.named('kaleyra')).toBe(video.configured);
    expect(capabilitiesOf(video.configured)).toEqual(Object.keys(VIDEO_CAPABILITIES));
  });

  it('builds LiveKit for VIDEO_PROVIDER=livekit, with no optional capability, and Kaleyra beside it when configured', () => {
    const livekit = {
      url: 'http://127.0.0.1:7880',
      wsUrl: 'ws://127.0.0.1:7880',
      apiKey: 'k',
      apiSecret: 's'.repeat(32),
      joinUrlTemplate: 'https://meet.example/?t={token}',
      timeoutMs: 1000,
      retryLimit: 0,
      unboundedTokenTtlMs: 60_000,
    };
    const video = createVideoProviders({ provider: 'livekit', kaleyra, livekit }, deps);
    expect(video.configured.name).toBe('livekit');
    expect(capabilitiesOf(video.configured)).toEqual([]);
    expect(video.named('kaleyra')?.name).toBe('kaleyra');
    expect(
      createVideoProviders({ provider: 'livekit', kaleyra: null, livekit }, deps).named('kaleyra'),
    ).toBeNull();
    expect(() => createVideoProviders({ provider: 'livekit', kaleyra, livekit: null }, deps)).toThrow(
      VideoProviderConfigError,
    );
  });

  it('serves no provider whose connection is not configured', () => {
    const video = createVideoProviders({ provider: 'kaleyra', kaleyra }, deps);
    expect(video.named('livekit')).toBeNull();
    expect(video.named('')).toBeNull();
  });

  it('refuses a provider it does not know, naming the ones it does', () => {
    expect(() => createVideoProviders({ provider: 'twilio', kaleyra }, deps)).toThrow(
      new VideoProviderConfigError('VIDEO_PROVIDER: expected one of kaleyra, livekit, got "twilio".'),
    );
  });

  it('refuses VIDEO_PROVIDER when its own connection is missing', () => {
    expect(() => createVideoProviders({ provider: 'kaleyra', kaleyra: null }, deps)).toThrow(
      VideoProviderConfigError,
    );
  });

  it('lets an override stand for a provider by name (tests, the demo)', () => {
    const fake = fakeVideoProvider({ name: 'kaleyra' });
    const video = createVideoProviders({ provider: 'kaleyra', kaleyra: null }, deps, {
      kaleyra: fake.provider,
    });
    expect(video.configured).toBe(fake.provider);
  });
});

describe('capabilitiesOf', () => {
  it('lists exactly the parts a provider implements', () => {
    expect(capabilitiesOf(fakeVideoProvider().provider)).toEqual([]);
    expect(
      capabilitiesOf(fakeVideoProvider({ capabilities: ['TRANSCRIPTION', 'RECORDING'] }).provider),
    ).toEqual(['RECORDING', 'TRANSCRIPTION']);
  });

  it('keeps the configured provider first in a registry built from parts', () => {
    const one = fakeVideoProvider({ name: 'one' }).provider;
    const two = fakeVideoProvider({ name: 'two' }).provider;
    const video = videoProviders(one, [two]);
    expect(video.configured).toBe(one);
    expect(video.named('two')).toBe(two);
    expect(video.named('three')).toBeNull();
  });
});
