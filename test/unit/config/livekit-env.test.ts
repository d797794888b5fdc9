/** LIVEKIT_*: parsed and refused at start like every variable; all or none unless LiveKit hosts the rooms. */
import { describe, expect, it } from '@jest/globals';
import { chooseLivekit, LIVEKIT_VARIABLES } from '../../../src/config/components/livekit.js';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

const MINIMAL = {
  BANDYER_API_SECRET_KEY: 'secret-key',
  BANDYER_BASE_URL: 'https://sandbox.kaleyra.test',
  STORE: 'memory',
};
const SECRET = 'x'.repeat(32);
const LIVEKIT = {
  LIVEKIT_URL: 'https://lk.example',
  LIVEKIT_WS_URL: 'wss://lk.example',
  LIVEKIT_API_KEY: 'APIkey',
  LIVEKIT_API_SECRET: SECRET,
  LIVEKIT_JOIN_URL: 'https://meet.example/custom?liveKitUrl={url}&token={token}',
};

function issuesOf(env: Record<string, string | undefined>): ConfigError['issues'] {
  try {
    loadConfig({ ...MINIMAL, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const issueFor = (env: Record<string, string | undefined>, path: string) =>
  issuesOf(env).find((issue) => issue.path === path)?.message;

describe('LiveKit variables', () => {
  it('are optional: without them there is no LiveKit section', () => {
    expect(loadConfig(MINIMAL).livekit).toBeUndefined();
  });

  it('become config.livekit when all are set, with defaults for the rest', () => {
    expect(loadConfig({ ...MINIMAL, ...LIVEKIT }).livekit).toEqual({
      url: 'https://lk.example',
      wsUrl: 'wss://lk.example',
      apiKey: 'APIkey',
      apiSecret: SECRET,
      joinUrlTemplate: 'https://meet.example/custom?liveKitUrl={url}&token={token}',
      timeoutMs: 5000,
      retryLimit: 2,
      unboundedTokenTtlMs: 6 * 3600 * 1000,
    });
  });

  it('read a ws(s) server address as http(s), without a trailing slash', () => {
    expect(loadConfig({ ...MINIMAL, ...LIVEKIT, LIVEKIT_URL: 'wss://lk.example:7880/' }).livekit?.url).toBe(
      'https://lk.example:7880',
    );
    expect(loadConfig({ ...MINIMAL, ...LIVEKIT, LIVEKIT_URL: 'ws://127.0.0.1:7880' }).livekit?.url).toBe(
      'http://127.0.0.1:7880',
    );
  });

  it('refuse a secret shorter than 32 bytes, without echoing it', () => {
    const short = 'short-secret-31-bytes-long-abcd';
    expect(Buffer.byteLength(short)).toBe(31);
    const message = issueFor({ ...LIVEKIT, LIVEKIT_API_SECRET: short }, 'LIVEKIT_API_SECRET');
    expect(message).toBe('too short: 31 bytes, at least 32 are required (LiveKit refuses shorter keys)');
    expect(JSON.stringify(issuesOf({ ...LIVEKIT, LIVEKIT_API_SECRET: short }))).not.toContain(short);
    // Bytes, not characters: 16 two-byte characters are 32 bytes.
    expect(
      loadConfig({ ...MINIMAL, ...LIVEKIT, LIVEKIT_API_SECRET: 'é'.repeat(16) }).livekit?.apiSecret,
    ).toBe('é'.repeat(16));
  });

  it('refuse a join URL without {token}, or one that is no https URL', () => {
    expect(
      issueFor({ ...LIVEKIT, LIVEKIT_JOIN_URL: 'https://meet.example/?url={url}' }, 'LIVEKIT_JOIN_URL'),
    ).toBe('expected a URL template containing {token}');
    expect(issueFor({ ...LIVEKIT, LIVEKIT_JOIN_URL: 'meet.example/{token}' }, 'LIVEKIT_JOIN_URL')).toBe(
      'expected an https:// URL template (join links are https)',
    );
    expect(
      issueFor({ ...LIVEKIT, LIVEKIT_JOIN_URL: 'http://meet.example/{token}' }, 'LIVEKIT_JOIN_URL'),
    ).toBe('expected an https:// URL template (join links are https)');
  });

  it('refuse a browser address that is not ws(s), and a server address that is no URL', () => {
    expect(issueFor({ ...LIVEKIT, LIVEKIT_WS_URL: 'https://lk.example' }, 'LIVEKIT_WS_URL')).toBe(
      'expected a ws:// or wss:// URL (the address browsers connect to)',
    );
    expect(issueFor({ ...LIVEKIT, LIVEKIT_URL: 'lk.example' }, 'LIVEKIT_URL')).toBe(
      'expected an http:// or https:// URL',
    );
    expect(issueFor({ ...LIVEKIT, LIVEKIT_API_KEY: '  ' }, 'LIVEKIT_API_KEY')).toBe(
      'expected a non-empty value',
    );
  });

  it('set in part, stop the start naming each missing one (and only the malformed one when one is malformed)', () => {
    const { LIVEKIT_JOIN_URL: _join, LIVEKIT_WS_URL: _ws, ...partial } = LIVEKIT;
    const issues = issuesOf(partial);
    expect(issues.map((issue) => issue.path)).toEqual(['LIVEKIT_WS_URL', 'LIVEKIT_JOIN_URL']);
    expect(issues[0]?.message).toMatch(
      /^required with the other LIVEKIT_\* variables \(set: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET\); set all of them/,
    );
    expect(issuesOf({ ...LIVEKIT, LIVEKIT_API_SECRET: 'short' }).map((issue) => issue.path)).toEqual([
      'LIVEKIT_API_SECRET',
    ]);
  });

  it('are all required where LiveKit hosts the rooms', () => {
    const values = Object.fromEntries(Object.keys(LIVEKIT_VARIABLES).map((name) => [name, undefined]));
    const chosen = chooseLivekit(
      {
        ...values,
        LIVEKIT_URL: 'https://lk.example',
        LIVEKIT_TIMEOUT_MS: 5000,
        LIVEKIT_RETRY_LIMIT: 2,
        LIVEKIT_TOKEN_TTL_MS: 60000,
      } as never,
      true,
      () => false,
    );
    expect(chosen).toEqual({
      issues: ['LIVEKIT_WS_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'LIVEKIT_JOIN_URL'].map((path) => ({
        path,
        message: expect.stringMatching(/^required with VIDEO_PROVIDER=livekit \(/),
      })),
    });
    expect(chooseLivekit({ ...values } as never, true, () => false)).toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: 'LIVEKIT_URL' })]),
    });
  });

  it('bound the timeout, the retries and the unbounded token lifetime', () => {
    expect(issueFor({ ...LIVEKIT, LIVEKIT_TIMEOUT_MS: '50' }, 'LIVEKIT_TIMEOUT_MS')).toMatch(
      /from 100 to 120000/,
    );
    expect(issueFor({ ...LIVEKIT, LIVEKIT_RETRY_LIMIT: '11' }, 'LIVEKIT_RETRY_LIMIT')).toMatch(
      /from 0 to 10/,
    );
    expect(issueFor({ ...LIVEKIT, LIVEKIT_TOKEN_TTL_MS: '1000' }, 'LIVEKIT_TOKEN_TTL_MS')).toMatch(
      /from 60000/,
    );
  });

  it('with VIDEO_PROVIDER=livekit: LiveKit is required and Kaleyra optional (null when unset)', () => {
    const { BANDYER_API_SECRET_KEY: _key, BANDYER_BASE_URL: _url, ...withoutKaleyra } = MINIMAL;
    const config = loadConfig({ ...withoutKaleyra, ...LIVEKIT, VIDEO_PROVIDER: 'livekit' });
    expect(config.video).toMatchObject({ provider: 'livekit', kaleyra: null });
    expect(config.livekit?.apiKey).toBe('APIkey');
    // Kaleyra's credentials too: records whose rooms are on Kaleyra stay served.
    expect(loadConfig({ ...MINIMAL, ...LIVEKIT, VIDEO_PROVIDER: 'livekit' }).video.kaleyra?.apiKey).toBe(
      'secret-key',
    );
    let issues: ConfigError['issues'] = [];
    try {
      loadConfig({ ...withoutKaleyra, VIDEO_PROVIDER: 'livekit' });
    } catch (error) {
      issues = (error as ConfigError).issues;
    }
    expect(issues.map((issue) => issue.path)).toEqual([
      'LIVEKIT_URL',
      'LIVEKIT_WS_URL',
      'LIVEKIT_API_KEY',
      'LIVEKIT_API_SECRET',
      'LIVEKIT_JOIN_URL',
    ]);
    expect(issues[0]?.message).toMatch(/^required with VIDEO_PROVIDER=livekit/);
  });

  it('with VIDEO_PROVIDER=kaleyra (the default), Kaleyra stays required', () => {
    const { BANDYER_API_SECRET_KEY: _key, ...withoutKey } = MINIMAL;
    expect(
      issuesOf({ ...withoutKey, ...LIVEKIT, BANDYER_API_SECRET_KEY: undefined }).map((i) => i.path),
    ).toEqual(['BANDYER_API_SECRET_KEY']);
  });
});
