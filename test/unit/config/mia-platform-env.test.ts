/**
 * The variables a Mia-Platform 2.1.0 deployment of the original sets (docs/migration.md): each is
 * understood, accepted without effect, or refused with a one-line reason; unknown ones are ignored.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import type { Config } from '../../../src/config/types.js';

const REQUIRED = { BANDYER_API_SECRET_KEY: 'secret-key', BANDYER_BASE_URL: 'https://sandbox.kaleyra.test' };
const MINIMAL = { ...REQUIRED, STORE: 'memory' };

function load(env: Record<string, string | undefined>): Config {
  return loadConfig({ ...MINIMAL, ...env });
}

function issuesOf(env: Record<string, string | undefined>): ConfigError['issues'] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('HTTP_PORT, with PORT as its alias', () => {
  it('listens on HTTP_PORT, on PORT when only that is set, on 3000 when neither is', () => {
    expect(load({ HTTP_PORT: '3000' }).http.port).toBe(3000);
    expect(load({ HTTP_PORT: '8080' }).http.port).toBe(8080);
    expect(load({ PORT: '8081' }).http.port).toBe(8081);
    expect(load({ HTTP_PORT: '0' }).http.port).toBe(0);
    expect(load({}).http.port).toBe(3000);
  });

  it('accepts both when they name the same port', () => {
    expect(load({ HTTP_PORT: '8080', PORT: '8080' }).http.port).toBe(8080);
  });

  it('refuses two different ports, naming both, in one line', () => {
    expect(issuesOf({ ...MINIMAL, HTTP_PORT: '3000', PORT: '8080' })).toEqual([
      {
        path: 'HTTP_PORT, PORT',
        message: 'two different ports (HTTP_PORT=3000, PORT=8080): set one of them, or both to the same port',
      },
    ]);
  });

  it('reports a malformed HTTP_PORT alone, not also as a conflict', () => {
    expect(issuesOf({ ...MINIMAL, HTTP_PORT: '3000x', PORT: '8080' })).toEqual([
      { path: 'HTTP_PORT', message: 'expected a whole number from 0 to 65535 (digits only), got "3000x"' },
    ]);
    expect(issuesOf({ ...MINIMAL, HTTP_PORT: '70000' }).map((issue) => issue.path)).toEqual(['HTTP_PORT']);
  });
});

describe('LOG_LEVEL', () => {
  it("accepts trace, the 2.1.0 deployment's value", () => {
    expect(load({ LOG_LEVEL: 'trace' }).runtime.logLevel).toBe('trace');
  });

  it('refuses a level pino does not have', () => {
    expect(issuesOf({ ...MINIMAL, LOG_LEVEL: 'verbose' })).toEqual([
      {
        path: 'LOG_LEVEL',
        message: 'expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
      },
    ]);
  });
});

describe('TRUSTED_PROXIES', () => {
  it("takes the 2.1.0 deployment's private ranges as a list", () => {
    expect(load({ TRUSTED_PROXIES: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16' }).http.trustedProxies).toEqual([
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
    ]);
  });

  it('takes single addresses and IPv6, trimmed, each once, empty items dropped', () => {
    expect(load({ TRUSTED_PROXIES: ' 127.0.0.1 ,, ::1, fd00::/8, 127.0.0.1' }).http.trustedProxies).toEqual([
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
  });

  it('trusts no proxy when unset', () => {
    expect(load({}).http.trustedProxies).toEqual([]);
  });

  it('refuses what is not an address or a range, naming every culprit', () => {
    const [issue, ...others] = issuesOf({
      ...MINIMAL,
      TRUSTED_PROXIES: '10.0.0.0/8,proxy.internal,10.0.0.0/33,300.1.1.1,::1/129,1.2.3.4/8/9,10.0.0.0/',
    });
    expect(others).toEqual([]);
    expect(issue).toEqual({
      path: 'TRUSTED_PROXIES',
      message:
        'expected comma-separated IP addresses or CIDR ranges (10.0.0.0/8); not one: "proxy.internal", "10.0.0.0/33", "300.1.1.1", "::1/129", "1.2.3.4/8/9", "10.0.0.0/"',
    });
  });
});

describe('USER_PROPERTIES_HEADER_KEY', () => {
  it('is miauserproperties by default, and one of the identity headers', () => {
    expect(load({}).identity.headerNames).toContain('miauserproperties');
  });

  it('names another header, lower-cased', () => {
    const { headerNames } = load({ USER_PROPERTIES_HEADER_KEY: 'X-User-Properties' }).identity;
    expect(headerNames).toContain('x-user-properties');
    expect(headerNames).not.toContain('miauserproperties');
  });

  it('refuses what cannot be a header name', () => {
    expect(issuesOf({ ...MINIMAL, USER_PROPERTIES_HEADER_KEY: 'user properties' })).toEqual([
      { path: 'USER_PROPERTIES_HEADER_KEY', message: 'expected an HTTP header name, got "user properties"' },
    ]);
  });
});

describe('variables accepted without effect', () => {
  it('starts with MICROSERVICE_GATEWAY_SERVICE_NAME, CRUD_SERVICE_URL and CRUD_SERVICE as 2.1.0 sets them', () => {
    const without = load({});
    const withThem = load({
      MICROSERVICE_GATEWAY_SERVICE_NAME: 'microservice-gateway',
      CRUD_SERVICE_URL: 'http://crud-service',
      CRUD_SERVICE: 'crud-service',
    });
    expect(withThem).toEqual(without);
  });

  it('ignores variables it does not know', () => {
    expect(load({ BANDYER_APP_ID: 'app', SOMETHING_ELSE: 'x' })).toEqual(load({}));
  });
});

describe('CRUD_SERVICE_URL and CRUD_SERVICE without MONGODB_URL', () => {
  const CRUD_LINE = {
    path: 'MONGODB_URL',
    message:
      'required: this service stores in MongoDB directly, not through the CRUD Service (CRUD_SERVICE_URL, CRUD_SERVICE); point MONGODB_URL at the database behind that CRUD Service (docs/migration.md)',
  };

  it('refuse to start with one line naming MONGODB_URL and the migration guide', () => {
    expect(
      issuesOf({ ...REQUIRED, CRUD_SERVICE_URL: 'http://crud-service', CRUD_SERVICE: 'crud-service' }),
    ).toEqual([CRUD_LINE]);
    expect(issuesOf({ ...REQUIRED, CRUD_SERVICE: 'crud-service' })).toEqual([CRUD_LINE]);
    expect(issuesOf({ ...REQUIRED, CRUD_SERVICE_URL: 'http://crud-service', STORE: 'mongodb' })).toEqual([
      CRUD_LINE,
    ]);
  });

  it('never echo the CRUD Service URL (a URL may carry credentials)', () => {
    const [issue] = issuesOf({ ...REQUIRED, CRUD_SERVICE_URL: 'http://user:pa55word@crud-service' });
    expect(JSON.stringify(issue)).not.toContain('pa55word');
  });

  it('start with MONGODB_URL, or with STORE=memory', () => {
    const crud = { CRUD_SERVICE_URL: 'http://crud-service', CRUD_SERVICE: 'crud-service' };
    expect(loadConfig({ ...REQUIRED, ...crud, MONGODB_URL: 'mongodb://db:27017/app' }).store.backend).toEqual(
      {
        kind: 'mongodb',
        url: 'mongodb://db:27017/app',
      },
    );
    expect(loadConfig({ ...REQUIRED, ...crud, STORE: 'memory' }).store.backend).toEqual({ kind: 'memory' });
  });

  it('leave the message without them unchanged', () => {
    expect(issuesOf(REQUIRED).map((issue) => issue.path)).toEqual(['MONGODB_URL, STORE']);
  });
});

describe('collection names', () => {
  it("accept the 2.1.0 item's placeholders as they are", () => {
    const { collections } = load({
      TELECONSULTATIONS_CRUD_NAME: '{{CHANGE-INSERT_VALUE}}',
      USER_ID_MAP_CRUD_NAME: '{{CHANGE-INSERT_VALUE}}',
    }).store;
    expect(collections).toMatchObject({
      teleconsultations: '{{CHANGE-INSERT_VALUE}}',
      userIdMap: '{{CHANGE-INSERT_VALUE}}',
    });
  });

  it('refuse a CRUD Service endpoint path, which would open an empty collection beside the real one', () => {
    expect(
      issuesOf({
        ...MINIMAL,
        TELECONSULTATIONS_CRUD_NAME: '/bk-ts-teleconsultations',
        USER_ID_MAP_CRUD_NAME: '/bk-ts-userid-maps',
      }),
    ).toEqual([
      {
        path: 'TELECONSULTATIONS_CRUD_NAME',
        message:
          '"/bk-ts-teleconsultations" is a CRUD Service endpoint path, not a collection: set the MongoDB collection behind that endpoint (see docs/migration.md)',
      },
      {
        path: 'USER_ID_MAP_CRUD_NAME',
        message:
          '"/bk-ts-userid-maps" is a CRUD Service endpoint path, not a collection: set the MongoDB collection behind that endpoint (see docs/migration.md)',
      },
    ]);
  });
});

describe('CUSTOM_ID_USERS_API_ENDPOINT', () => {
  it('stops the start with a clear reason when set, whatever its value', () => {
    for (const value of ['http://user-manager-service-proxy/users/', 'x']) {
      expect(issuesOf({ ...MINIMAL, CUSTOM_ID_USERS_API_ENDPOINT: value })).toEqual([
        {
          path: 'CUSTOM_ID_USERS_API_ENDPOINT',
          message:
            "its meaning (the original's custom user ids) is not public, and running without it would map users wrongly: unset it (the caller's id can be read with userIdPathInRequest; see docs/migration.md)",
        },
      ]);
    }
  });

  it('is fine unset or empty (an orchestrator may render an unset variable as VAR=)', () => {
    expect(load({ CUSTOM_ID_USERS_API_ENDPOINT: '' })).toEqual(load({}));
  });
});

describe('WAIT_BEFORE_SERVER_CLOSE_SEC', () => {
  it('is 10 s by default, and 0 means no wait', () => {
    expect(load({}).runtime.waitBeforeCloseMs).toBe(10_000);
    expect(load({ WAIT_BEFORE_SERVER_CLOSE_SEC: '0' }).runtime.waitBeforeCloseMs).toBe(0);
    expect(load({ WAIT_BEFORE_SERVER_CLOSE_SEC: '25' }).runtime.waitBeforeCloseMs).toBe(25_000);
  });

  it('refuses what is not a whole number of seconds up to ten minutes', () => {
    for (const value of ['1.5', '-1', '10s', '601']) {
      expect(
        issuesOf({ ...MINIMAL, WAIT_BEFORE_SERVER_CLOSE_SEC: value }).map((issue) => issue.path),
      ).toEqual(['WAIT_BEFORE_SERVER_CLOSE_SEC']);
    }
  });
});

describe('every problem at once', () => {
  it('reports the new variables beside the others, one line each, in one pass', () => {
    const issues = issuesOf({
      BANDYER_BASE_URL: 'https://sandbox.kaleyra.test',
      HTTP_PORT: '3000',
      PORT: '3001',
      TRUSTED_PROXIES: 'everyone',
      CUSTOM_ID_USERS_API_ENDPOINT: 'http://users/',
      CRUD_SERVICE_URL: 'http://crud-service',
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'BANDYER_API_SECRET_KEY',
      'CUSTOM_ID_USERS_API_ENDPOINT',
      'TRUSTED_PROXIES',
      'HTTP_PORT, PORT',
      'MONGODB_URL',
    ]);
  });
});
