import { describe, expect, it } from '@jest/globals';
import { ENVIRONMENT_VARIABLES } from '../../../src/config/env.js';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { DEFAULT_SERVICE_CONFIG_FILE } from '../../../src/config/service-config.js';
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

function issueFor(env: Record<string, string | undefined>, path: string): string | undefined {
  return issuesOf({ ...MINIMAL, ...env }).find((issue) => issue.path === path)?.message;
}

describe('environment defaults', () => {
  it('applies every documented default when only the required variables and a store are set', () => {
    const config = loadConfig(MINIMAL);
    const { service, ...fromEnvironment } = config;
    expect(fromEnvironment).toEqual({
      runtime: {
        nodeEnv: 'production',
        devMode: false,
        logLevel: 'info',
        waitBeforeCloseMs: 10_000,
        shutdownTimeoutMs: 10000,
      },
      http: {
        host: '0.0.0.0',
        port: 3000,
        trustedProxies: [],
        bodyLimitBytes: 102400,
        requestTimeoutMs: 15000,
        restApiEnabled: true,
      },
      graphql: {
        maxDepth: 10,
        maxCost: 1000,
        maxAliases: 15,
        maxTokens: 1000,
        ide: false,
        introspection: false,
      },
      subscriptions: {
        enabled: true,
        perConnection: 10,
        perProcess: 20000,
        maxConnections: 20000,
        maxConnectionsPerAddress: 200,
        initTimeoutMs: 3000,
        idleTimeoutMs: 30000,
        keepAliveMs: 12000,
        allowedOrigins: [],
        identityFromConnectionParams: false,
      },
      tracing: {
        enabled: false,
        serviceName: 'teleconsultation-gateway',
        exporter: 'otlp',
        otlpTracesUrl: 'http://localhost:4318/v1/traces',
        protocol: 'http/protobuf',
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
        resourceAttributes: {},
      },
      identity: {
        userIdHeader: 'miauserid',
        caller: {
          userIdPath: service.userIdPathInRequest,
          groups: 'miausergroups',
          backoffice: 'isbackoffice',
          clientType: 'client-type',
        },
        headerNames: ['miauserid', 'miausergroups', 'isbackoffice', 'client-type', 'miauserproperties'],
        authService: null,
      },
      video: {
        provider: 'kaleyra',
        kaleyra: {
          baseUrl: 'https://sandbox.kaleyra.test',
          apiKey: 'secret-key',
          timeoutMs: 5000,
          retryLimit: 2,
        },
        companySettingsTtlMs: 60000,
        transcriptionMaxBytes: 50 * 1024 * 1024,
      },
      store: {
        backend: { kind: 'memory' },
        collections: {
          teleconsultations: 'teleconsultations',
          userIdMap: 'userIdMap',
          jobs: 'teleconsultation_jobs',
          events: 'teleconsultation_events',
        },
      },
      jobs: { cleanupIntervalMs: 60000, pollIntervalMs: 1000, stopTimeoutMs: 5000 },
      webhooks: {
        endpoints: [],
        timeoutMs: 5000,
        concurrency: 8,
        concurrencyPerEndpoint: 4,
        allowHttp: false,
      },
      visits: {
        rules: {
          unlimited: true,
          live: true,
          immutablePeriodMs: 0,
          deleteUploads: false,
          maxDurationSeconds: 86400,
          maxStartAheadMs: 366 * 86_400_000,
          defaultRecording: 'none',
        },
        frontendUrlTemplate: undefined,
      },
    });
    // The default userIdPathInRequest walks headers[USERID_HEADER_KEY].
    expect(service.userIdPathInRequest).toEqual([
      { from: 'object', extract: 'headers' },
      { from: 'object', extract: 'miauserid' },
    ]);
  });

  it('treats an empty value as unset, so the default applies', () => {
    const config = load({ PORT: '', LOG_LEVEL: '', UNLIMITED_TELECONSULTATION: '', AUTH_SERVICE: '' });
    expect(config.http.port).toBe(3000);
    expect(config.runtime.logLevel).toBe('info');
    expect(config.visits.rules.unlimited).toBe(true);
    expect(config.identity.authService).toBeNull();
  });

  it('keeps the GraphQL IDE and introspection off unless DEV_MODE=true or their own variable says so', () => {
    expect(load({}).graphql).toMatchObject({ ide: false, introspection: false });
    // NODE_ENV turns nothing on: development conveniences need the explicit switch.
    expect(load({ NODE_ENV: 'development' }).graphql).toMatchObject({ ide: false, introspection: false });
    expect(load({ NODE_ENV: 'test' }).graphql).toMatchObject({ ide: false, introspection: false });
    expect(load({ DEV_MODE: 'true' }).graphql).toMatchObject({ ide: true, introspection: true });
    expect(load({ GRAPHQL_IDE: 'true' }).graphql).toMatchObject({ ide: true, introspection: false });
    expect(load({ DEV_MODE: 'true', GRAPHQL_INTROSPECTION: 'false' }).graphql.introspection).toBe(false);
  });
});

describe('settings derived from several variables', () => {
  it('runs with production behaviour by default, whatever NODE_ENV says', () => {
    expect(load({}).runtime).toMatchObject({ nodeEnv: 'production', devMode: false });
    expect(load({ NODE_ENV: 'development' }).runtime.devMode).toBe(false);
    expect(load({ NODE_ENV: 'test' }).runtime.devMode).toBe(false);
    expect(load({ DEV_MODE: 'true' }).runtime.devMode).toBe(true);
    expect(issueFor({ DEV_MODE: 'yes' }, 'DEV_MODE')).toBe('expected true or false, got "yes"');
  });

  it('takes identity from connection_init only with DEV_MODE=true', () => {
    const fromParams = (env: Record<string, string>) => load(env).subscriptions.identityFromConnectionParams;
    expect(fromParams({})).toBe(false);
    // Before DEV_MODE existed, NODE_ENV unset (or development) meant yes: `npm start` allowed impersonation.
    expect(fromParams({ NODE_ENV: 'development' })).toBe(false);
    // Turning the IDE on does not bring it: the platform's gateway sets the upgrade's headers.
    expect(fromParams({ GRAPHQL_IDE: 'true' })).toBe(false);
    expect(fromParams({ DEV_MODE: 'true' })).toBe(true);
    expect(fromParams({ DEV_MODE: 'true', GRAPHQL_IDE: 'false' })).toBe(true);
  });

  it('sizes WEBSOCKET_MAX_CONNECTIONS to SUBSCRIPTIONS_PER_PROCESS unless it is set', () => {
    expect(load({ SUBSCRIPTIONS_PER_PROCESS: '300' }).subscriptions.maxConnections).toBe(300);
    expect(
      load({ SUBSCRIPTIONS_PER_PROCESS: '300', WEBSOCKET_MAX_CONNECTIONS: '50' }).subscriptions
        .maxConnections,
    ).toBe(50);
    expect(
      issueFor({ WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: '0' }, 'WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS'),
    ).toBe('expected a whole number from 1 to 1000000, got "0"');
    expect(issueFor({ WEBSOCKET_IDLE_TIMEOUT_MS: '10' }, 'WEBSOCKET_IDLE_TIMEOUT_MS')).toBe(
      'expected a whole number from 100 to 3600000, got "10"',
    );
  });

  it('lists every identity header, lower-cased, for connection_init', () => {
    expect(
      load({
        USERID_HEADER_KEY: 'X-User',
        GROUPS_HEADER_KEY: 'X-Groups',
        BACKOFFICE_HEADER_KEY: 'X-Office',
        CLIENTTYPE_HEADER_KEY: 'X-Client',
        USER_PROPERTIES_HEADER_KEY: 'X-Props',
      }).identity.headerNames,
    ).toEqual(['x-user', 'x-groups', 'x-office', 'x-client', 'x-props']);
  });

  it("reads the caller's id where the service file's userIdPathInRequest says", () => {
    const file = {
      ...DEFAULT_SERVICE_CONFIG_FILE,
      userIdPathInRequest: [
        { from: 'object', extract: 'headers' },
        { from: 'object', extract: 'x-platform-user' },
        { from: 'json', extract: 'id' },
      ],
    };
    const config = loadConfig(
      { ...MINIMAL, TELECONSULTATION_SERVICE_CONFIG_PATH: '/etc/service.json' },
      { readFile: () => JSON.stringify(file) },
    );
    expect(config.identity.caller.userIdPath).toEqual(file.userIdPathInRequest);
  });

  it('gives running jobs half of SHUTDOWN_TIMEOUT_MS to end on a stop', () => {
    expect(load({ SHUTDOWN_TIMEOUT_MS: '10001' }).jobs.stopTimeoutMs).toBe(5000);
  });

  it('bounds the deliveries to one endpoint by the deliveries in all', () => {
    const config = load({ WEBHOOK_CONCURRENCY: '2', WEBHOOK_CONCURRENCY_PER_ENDPOINT: '5' });
    expect(config.webhooks).toMatchObject({ concurrency: 2, concurrencyPerEndpoint: 2 });
  });
});

describe('environment variables are parsed into the config', () => {
  it('maps every variable to its Config field', () => {
    const config = load({
      TELECONSULTATIONS_CRUD_NAME: 'visits',
      USER_ID_MAP_CRUD_NAME: 'kaleyraUsers',
      AUTH_SERVICE: 'auth-service:8080',
      DEFAULT_CLIENT_TYPE: 'backoffice',
      UNLIMITED_TELECONSULTATION: 'false',
      LIVE_TELECONSULTATION: 'false',
      IMMUTABLE_PERIOD_MS: '600000',
      TELECONSULTATION_DELETE_UPLOADS: 'true',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '8080',
      LOG_LEVEL: 'silent',
      USERID_HEADER_KEY: 'X-User-Id',
      GROUPS_HEADER_KEY: 'X-User-Groups',
      BACKOFFICE_HEADER_KEY: 'X-Backoffice',
      CLIENTTYPE_HEADER_KEY: 'X-Client',
      ADDITIONAL_HEADERS_TO_PROXY: ' Cookie , X-Request-Id,,cookie ',
      VIDEO_PROVIDER: 'kaleyra',
      KALEYRA_TIMEOUT_MS: '1000',
      KALEYRA_RETRY_LIMIT: '0',
      AUTH_SERVICE_TIMEOUT_MS: '1500',
      AUTH_SERVICE_CACHE_TTL_MS: '0',
      GRAPHQL_MAX_DEPTH: '5',
      GRAPHQL_MAX_COST: '200',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_TOKENS: '400',
      BODY_LIMIT_BYTES: '2048',
      REQUEST_TIMEOUT_MS: '9000',
      MAX_DURATION_SECONDS: '7200',
      MAX_START_AHEAD_DAYS: '30',
      SHUTDOWN_TIMEOUT_MS: '2500',
      WAIT_BEFORE_SERVER_CLOSE_SEC: '3',
      TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7',
      USER_PROPERTIES_HEADER_KEY: 'X-User-Properties',
      REST_API_ENABLED: 'false',
      COMPANY_SETTINGS_TTL_MS: '5000',
      TRANSCRIPTION_MAX_FILE_SIZE: '512KB',
      DEFAULT_RECORDING_TYPE: 'automatic',
      JOBS_CRUD_NAME: 'background',
      CLEANUP_INTERVAL_MS: '30000',
      JOBS_POLL_INTERVAL_MS: '250',
      EVENTS_CRUD_NAME: 'audit',
      WEBHOOK_TIMEOUT_MS: '1500',
      WEBHOOK_CONCURRENCY: '6',
      WEBHOOK_CONCURRENCY_PER_ENDPOINT: '3',
      WEBHOOKS_ALLOW_HTTP: 'true',
      SUBSCRIPTIONS_ENABLED: 'false',
      SUBSCRIPTIONS_PER_CONNECTION: '3',
      SUBSCRIPTIONS_PER_PROCESS: '50',
      SUBSCRIPTION_INIT_TIMEOUT_MS: '500',
      SUBSCRIPTION_KEEPALIVE_MS: '2000',
      WEBSOCKET_MAX_CONNECTIONS: '40',
      WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS: '4',
      WEBSOCKET_IDLE_TIMEOUT_MS: '7000',
      DEV_MODE: 'true',
      SUBSCRIPTIONS_ALLOWED_ORIGINS: 'https://clinic.example, https://Frontend.example:8443/',
      ENABLE_TRACING: 'true',
      OTEL_SERVICE_NAME: 'visits-gateway',
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod, service.namespace=clinic%20visits',
      FRONTEND_TELECONSULTATION_URL: 'https://clinic.example/telecons-fe/teleconsultation/{id}',
      GRAPHQL_IDE: 'false',
      GRAPHQL_INTROSPECTION: 'false',
    });
    const { service, ...fromEnvironment } = config;
    expect(fromEnvironment).toEqual({
      runtime: {
        nodeEnv: 'test',
        devMode: true,
        logLevel: 'silent',
        waitBeforeCloseMs: 3000,
        shutdownTimeoutMs: 2500,
      },
      http: {
        host: '127.0.0.1',
        port: 8080,
        trustedProxies: ['10.0.0.0/8', '192.168.1.7'],
        bodyLimitBytes: 2048,
        requestTimeoutMs: 9000,
        restApiEnabled: false,
      },
      graphql: {
        maxDepth: 5,
        maxCost: 200,
        maxAliases: 3,
        maxTokens: 400,
        ide: false,
        introspection: false,
      },
      subscriptions: {
        enabled: false,
        perConnection: 3,
        perProcess: 50,
        maxConnections: 40,
        maxConnectionsPerAddress: 4,
        initTimeoutMs: 500,
        idleTimeoutMs: 7000,
        keepAliveMs: 2000,
        allowedOrigins: ['https://clinic.example', 'https://frontend.example:8443'],
        identityFromConnectionParams: true,
      },
      tracing: {
        enabled: true,
        serviceName: 'visits-gateway',
        exporter: 'console',
        otlpTracesUrl: 'https://collector.example:4318/v1/traces',
        protocol: 'http/json',
        sampler: 'parentbased_traceidratio',
        samplerRatio: 0.1,
        resourceAttributes: { 'deployment.environment': 'prod', 'service.namespace': 'clinic visits' },
      },
      identity: {
        userIdHeader: 'x-user-id',
        caller: {
          userIdPath: service.userIdPathInRequest,
          groups: 'x-user-groups',
          backoffice: 'x-backoffice',
          clientType: 'x-client',
        },
        headerNames: ['x-user-id', 'x-user-groups', 'x-backoffice', 'x-client', 'x-user-properties'],
        authService: {
          baseUrl: 'http://auth-service:8080',
          timeoutMs: 1500,
          cacheTtlMs: 0,
          headersToProxy: ['cookie', 'x-request-id'],
          defaultClientType: 'backoffice',
        },
      },
      video: {
        provider: 'kaleyra',
        kaleyra: {
          baseUrl: 'https://sandbox.kaleyra.test',
          apiKey: 'secret-key',
          timeoutMs: 1000,
          retryLimit: 0,
        },
        companySettingsTtlMs: 5000,
        transcriptionMaxBytes: 512 * 1024,
      },
      store: {
        backend: { kind: 'memory' },
        collections: {
          teleconsultations: 'visits',
          userIdMap: 'kaleyraUsers',
          jobs: 'background',
          events: 'audit',
        },
      },
      jobs: { cleanupIntervalMs: 30000, pollIntervalMs: 250, stopTimeoutMs: 1250 },
      webhooks: {
        endpoints: [],
        timeoutMs: 1500,
        concurrency: 6,
        concurrencyPerEndpoint: 3,
        allowHttp: true,
      },
      visits: {
        rules: {
          unlimited: false,
          live: false,
          immutablePeriodMs: 600000,
          deleteUploads: true,
          maxDurationSeconds: 7200,
          maxStartAheadMs: 30 * 86_400_000,
          defaultRecording: 'automatic',
        },
        frontendUrlTemplate: 'https://clinic.example/telecons-fe/teleconsultation/{id}',
      },
    });
    // USERID_HEADER_KEY, lower-cased, is where the default userIdPathInRequest looks.
    expect(service.userIdPathInRequest).toEqual([
      { from: 'object', extract: 'headers' },
      { from: 'object', extract: 'x-user-id' },
    ]);
  });

  it('accepts AUTH_SERVICE as a full URL and keeps it without a trailing slash', () => {
    expect(load({ AUTH_SERVICE: 'https://auth.example.com/' }).identity.authService?.baseUrl).toBe(
      'https://auth.example.com',
    );
    expect(load({ AUTH_SERVICE: 'auth-service' }).identity.authService?.baseUrl).toBe('http://auth-service');
  });

  it('rejects an AUTH_SERVICE that is neither a hostname nor an http(s) URL', () => {
    expect(issueFor({ AUTH_SERVICE: 'ftp://auth' }, 'AUTH_SERVICE')).toMatch(
      /hostname .* or an http\(s\) URL/,
    );
  });

  it('accepts PORT 0 (any free port) and 65535, and rejects 65536', () => {
    expect(load({ PORT: '0' }).http.port).toBe(0);
    expect(load({ PORT: '65535' }).http.port).toBe(65535);
    expect(issueFor({ PORT: '65536' }, 'PORT')).toBe('expected a whole number from 0 to 65535, got "65536"');
  });

  it('requires BANDYER_BASE_URL to be an http(s) URL', () => {
    expect(issueFor({ BANDYER_BASE_URL: 'sandbox.kaleyra.test' }, 'BANDYER_BASE_URL')).toBe(
      'expected an http:// or https:// URL',
    );
    expect(issueFor({ BANDYER_BASE_URL: 'ftp://kaleyra.test' }, 'BANDYER_BASE_URL')).toBe(
      'expected an http:// or https:// URL',
    );
  });

  it('rejects unknown NODE_ENV, LOG_LEVEL and STORE values, listing the allowed ones', () => {
    expect(issueFor({ NODE_ENV: 'staging' }, 'NODE_ENV')).toBe(
      'expected one of production, development, test, got "staging"',
    );
    expect(issueFor({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL')).toBe(
      'expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
    expect(issueFor({ STORE: 'redis' }, 'STORE')).toBe('expected one of memory, mongodb, got "redis"');
  });

  it('rejects header names that are not HTTP tokens', () => {
    expect(issueFor({ USERID_HEADER_KEY: 'user id' }, 'USERID_HEADER_KEY')).toBe(
      'expected an HTTP header name, got "user id"',
    );
    expect(
      issueFor({ ADDITIONAL_HEADERS_TO_PROXY: 'cookie,x forwarded' }, 'ADDITIONAL_HEADERS_TO_PROXY'),
    ).toMatch(/not a header name: "x forwarded"/);
  });

  it('rejects collection names MongoDB would refuse', () => {
    expect(issueFor({ TELECONSULTATIONS_CRUD_NAME: 'tele$' }, 'TELECONSULTATIONS_CRUD_NAME')).toMatch(
      /expected a collection name/,
    );
    expect(issueFor({ USER_ID_MAP_CRUD_NAME: 'system.users' }, 'USER_ID_MAP_CRUD_NAME')).toMatch(
      /expected a collection name/,
    );
  });
});

describe('booleans and integers are strict', () => {
  it.each(['yes', 'TRUE', '1', ' true'])('rejects the boolean %j', (value) => {
    expect(issueFor({ LIVE_TELECONSULTATION: value }, 'LIVE_TELECONSULTATION')).toBe(
      `expected true or false, got ${JSON.stringify(value)}`,
    );
  });

  it.each(['1.5', '-1', '10ms', '1e3', '0x10', ' 5'])('rejects the integer %j', (value) => {
    expect(issueFor({ IMMUTABLE_PERIOD_MS: value }, 'IMMUTABLE_PERIOD_MS')).toBe(
      `expected a whole number from 0 to 604800000 (digits only), got ${JSON.stringify(value)}`,
    );
  });

  it('rejects integers beyond what a number holds exactly', () => {
    expect(issueFor({ BODY_LIMIT_BYTES: '99999999999999999999' }, 'BODY_LIMIT_BYTES')).toMatch(
      /expected a whole number from 1024 to 104857600/,
    );
  });

  // Values that used to pass and then broke the service: every create answered 504 after
  // storing (0 ms), a timer overflowed, an immutable period near 2^53 made dates unanswerable.
  it.each([
    ['REQUEST_TIMEOUT_MS', '0', 'from 100 to 600000'],
    ['REQUEST_TIMEOUT_MS', '2147483648', 'from 100 to 600000'],
    ['IMMUTABLE_PERIOD_MS', '9007199254740991', 'from 0 to 604800000'],
    ['KALEYRA_TIMEOUT_MS', '0', 'from 100 to 120000'],
    ['KALEYRA_RETRY_LIMIT', '1000', 'from 0 to 10'],
    ['AUTH_SERVICE_TIMEOUT_MS', '99', 'from 100 to 60000'],
    ['AUTH_SERVICE_CACHE_TTL_MS', '86400000', 'from 0 to 3600000'],
    ['GRAPHQL_MAX_DEPTH', '0', 'from 2 to 100'],
    ['GRAPHQL_MAX_COST', '0', 'from 10 to 1000000'],
    ['GRAPHQL_MAX_TOKENS', '10', 'from 100 to 1000000'],
    ['BODY_LIMIT_BYTES', '10', 'from 1024 to 104857600'],
    ['MAX_DURATION_SECONDS', '60', 'from 300 to 604800'],
    ['MAX_START_AHEAD_DAYS', '0', 'from 1 to 3660'],
    ['WEBHOOK_CONCURRENCY', '0', 'from 1 to 100'],
    ['WEBHOOK_CONCURRENCY_PER_ENDPOINT', '101', 'from 1 to 100'],
  ])('refuses %s=%s at start-up, naming the range', (name, value, range) => {
    expect(issueFor({ [name]: value }, name)).toBe(
      `expected a whole number ${range}, got ${JSON.stringify(value)}`,
    );
  });
});

describe('VIDEO_PROVIDER', () => {
  it('defaults to kaleyra', () => {
    expect(load({}).video.provider).toBe('kaleyra');
  });

  it.each(['twilio', 'Kaleyra', 'livekit-cloud'])('refuses %j at start-up, naming the providers', (value) => {
    expect(issueFor({ VIDEO_PROVIDER: value }, 'VIDEO_PROVIDER')).toBe(
      `expected one of kaleyra, livekit, got ${JSON.stringify(value)}`,
    );
  });
});

describe('TRANSCRIPTION_MAX_FILE_SIZE', () => {
  const limitOf = (value: string) => load({ TRANSCRIPTION_MAX_FILE_SIZE: value }).video.transcriptionMaxBytes;

  it.each([
    ['50MB', 50 * 1024 ** 2],
    ['512KB', 512 * 1024],
    ['1GB', 1024 ** 3],
    ['100B', 100],
    ['50mb', 50 * 1024 ** 2],
    ['50 MB', 50 * 1024 ** 2],
    ['1.5MB', Math.floor(1.5 * 1024 ** 2)],
    ['1048576', 1048576],
    ['1', 1],
  ])('reads %j as %d bytes (units are powers of 1024)', (value, bytes) => {
    expect(limitOf(value)).toBe(bytes);
  });

  it('is 50 MB (52428800 bytes) when unset or empty', () => {
    expect(load({}).video.transcriptionMaxBytes).toBe(52428800);
    expect(limitOf('')).toBe(52428800);
  });

  it.each(['50M', '50 mib', 'MB', '-1MB', '1e3', '0x10', ' 50MB', '50MB ', '50  MB', '1,5MB', 'fifty'])(
    'refuses %j at start-up, saying what a size looks like',
    (value) => {
      expect(issueFor({ TRANSCRIPTION_MAX_FILE_SIZE: value }, 'TRANSCRIPTION_MAX_FILE_SIZE')).toBe(
        `expected a size such as 50MB, 512KB or 1GB (powers of 1024) or a number of bytes, got ${JSON.stringify(value)}`,
      );
    },
  );

  it.each([
    ['0', 0],
    ['0MB', 0],
    ['0.0001KB', 0],
    ['2GB', 2 * 1024 ** 3],
    ['1073741825', 1073741825],
  ])('refuses %j (%d bytes): outside 1 byte to 1GB', (value, bytes) => {
    expect(issueFor({ TRANSCRIPTION_MAX_FILE_SIZE: value }, 'TRANSCRIPTION_MAX_FILE_SIZE')).toBe(
      `expected a size from 1 to 1073741824 bytes, got ${JSON.stringify(value)} (${bytes} bytes)`,
    );
  });
});

describe('SUBSCRIPTIONS_ALLOWED_ORIGINS', () => {
  it.each([
    'https://clinic.example/path',
    'clinic.example',
    'ftp://clinic.example',
    'https://a.example,nope',
  ])('refuses %j, naming what an origin is', (value) => {
    expect(issueFor({ SUBSCRIPTIONS_ALLOWED_ORIGINS: value }, 'SUBSCRIPTIONS_ALLOWED_ORIGINS')).toMatch(
      /expected \* or origins such as https:\/\/clinic.example/,
    );
  });
});

describe('required variables', () => {
  it('names each missing required variable, and counts an empty one as missing', () => {
    const issues = issuesOf({ STORE: 'memory', BANDYER_API_SECRET_KEY: '' });
    expect(issues.map((issue) => issue.path)).toEqual(['BANDYER_API_SECRET_KEY', 'BANDYER_BASE_URL']);
    expect(issues[0]?.message).toMatch(/^required but not set/);
  });

  it('reports every problem at once, in one message, one per line', () => {
    let caught: unknown;
    try {
      loadConfig({ BANDYER_BASE_URL: 'nope', PORT: 'http', UNLIMITED_TELECONSULTATION: 'yes' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message.split('\n')).toEqual([
      expect.stringMatching(/^BANDYER_API_SECRET_KEY: required but not set/),
      'BANDYER_BASE_URL: expected an http:// or https:// URL',
      'UNLIMITED_TELECONSULTATION: expected true or false, got "yes"',
      'PORT: expected a whole number from 0 to 65535 (digits only), got "http"',
      expect.stringMatching(/^MONGODB_URL, STORE: no store chosen/),
    ]);
  });

  it('never repeats the secret key or URLs (which may carry credentials) in a message', () => {
    const issues = issuesOf({
      BANDYER_API_SECRET_KEY: 'very-secret',
      BANDYER_BASE_URL: 'kaleyra:pa55word@host',
      MONGODB_URL: 'postgres://user:pa55word@db',
    });
    const text = issues.map((issue) => issue.message).join('\n');
    expect(text).not.toContain('pa55word');
    expect(text).not.toContain('very-secret');
  });
});

describe('store choice', () => {
  it('uses MongoDB when MONGODB_URL is set', () => {
    expect(loadConfig({ ...REQUIRED, MONGODB_URL: 'mongodb://db:27017/telecons' }).store.backend).toEqual({
      kind: 'mongodb',
      url: 'mongodb://db:27017/telecons',
    });
    expect(
      loadConfig({ ...REQUIRED, STORE: 'mongodb', MONGODB_URL: 'mongodb+srv://cluster.example.net/x' }).store
        .backend,
    ).toEqual({
      kind: 'mongodb',
      url: 'mongodb+srv://cluster.example.net/x',
    });
  });

  it('uses memory with STORE=memory', () => {
    expect(loadConfig({ ...REQUIRED, STORE: 'memory' }).store.backend).toEqual({ kind: 'memory' });
  });

  it('refuses to guess when neither is set, and says how to choose', () => {
    const issues = issuesOf(REQUIRED);
    expect(issues).toEqual([
      {
        path: 'MONGODB_URL, STORE',
        message: expect.stringMatching(/set MONGODB_URL .* or STORE=memory/),
      },
    ]);
  });

  it('refuses STORE=memory together with MONGODB_URL, naming both', () => {
    expect(issuesOf({ ...REQUIRED, STORE: 'memory', MONGODB_URL: 'mongodb://db/x' })).toEqual([
      {
        path: 'STORE, MONGODB_URL',
        message: expect.stringMatching(/STORE=memory and MONGODB_URL are both set/),
      },
    ]);
  });

  it('requires MONGODB_URL with STORE=mongodb', () => {
    expect(issuesOf({ ...REQUIRED, STORE: 'mongodb' })).toEqual([
      { path: 'MONGODB_URL', message: 'required when STORE=mongodb (a mongodb:// connection string)' },
    ]);
  });

  it('rejects a MONGODB_URL that is not a MongoDB connection string, without also claiming no store was chosen', () => {
    expect(issuesOf({ ...REQUIRED, MONGODB_URL: 'http://db:27017' })).toEqual([
      { path: 'MONGODB_URL', message: 'expected a mongodb:// or mongodb+srv:// connection string' },
    ]);
  });
});

describe('ENVIRONMENT_VARIABLES (the documented table)', () => {
  it('documents the seed table and the gateway variables, nothing twice', () => {
    const names = ENVIRONMENT_VARIABLES.map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'BANDYER_API_SECRET_KEY',
        'BANDYER_BASE_URL',
        'TELECONSULTATION_SERVICE_CONFIG_PATH',
        'TELECONSULTATIONS_CRUD_NAME',
        'USER_ID_MAP_CRUD_NAME',
        'AUTH_SERVICE',
        'DEFAULT_CLIENT_TYPE',
        'UNLIMITED_TELECONSULTATION',
        'LIVE_TELECONSULTATION',
        'IMMUTABLE_PERIOD_MS',
        'TELECONSULTATION_DELETE_UPLOADS',
        'PORT',
        'LOG_LEVEL',
        'MONGODB_URL',
        'STORE',
        'USERID_HEADER_KEY',
        'ADDITIONAL_HEADERS_TO_PROXY',
      ]),
    );
    expect(
      ENVIRONMENT_VARIABLES.filter((variable) => variable.required).map((variable) => variable.name),
    ).toEqual(['BANDYER_API_SECRET_KEY', 'BANDYER_BASE_URL']);
    for (const variable of ENVIRONMENT_VARIABLES) expect(variable.description.length).toBeGreaterThan(10);
  });

  it('documents the defaults the code actually applies', () => {
    const documented = Object.fromEntries(
      ENVIRONMENT_VARIABLES.map((variable) => [variable.name, variable.default]),
    );
    const defaults = loadConfig(MINIMAL);
    // Setting each variable to its documented default must change nothing.
    const explicit = Object.fromEntries(
      Object.entries(documented).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && !entry[1].includes('('),
      ),
    );
    expect(Object.keys(explicit).length).toBeGreaterThanOrEqual(20);
    expect(loadConfig({ ...MINIMAL, ...explicit })).toEqual(defaults);
    expect(documented).toMatchObject({
      UNLIMITED_TELECONSULTATION: 'true',
      LIVE_TELECONSULTATION: 'true',
      IMMUTABLE_PERIOD_MS: '0',
      TELECONSULTATION_DELETE_UPLOADS: 'false',
      PORT: '3000',
      USERID_HEADER_KEY: 'miauserid',
      ADDITIONAL_HEADERS_TO_PROXY: 'x-forwarded-for,x-request-id,x-forwarded-host,cookie,client-type',
      GRAPHQL_IDE: 'the value of DEV_MODE (false)',
      WEBSOCKET_MAX_CONNECTIONS: 'the value of SUBSCRIPTIONS_PER_PROCESS (20000)',
      NODE_ENV: 'production',
      DEV_MODE: 'false',
    });
  });
});

describe('tracing (ENABLE_TRACING and the standard OTEL_* variables)', () => {
  it('is on only with ENABLE_TRACING=true and OTEL_SDK_DISABLED not true', () => {
    expect(load({}).tracing.enabled).toBe(false);
    expect(load({ ENABLE_TRACING: 'true' }).tracing.enabled).toBe(true);
    expect(load({ ENABLE_TRACING: 'true', OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
    expect(load({ ENABLE_TRACING: 'false', OTEL_SDK_DISABLED: 'false' }).tracing.enabled).toBe(false);
  });

  it('sends to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, which wins over the base endpoint', () => {
    const tracing = load({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces.example/custom/path',
    }).tracing;
    expect(tracing.otlpTracesUrl).toBe('http://traces.example/custom/path');
    expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/base//' }).tracing.otlpTracesUrl).toBe(
      'http://collector:4318/base/v1/traces',
    );
  });

  it('accepts both OTLP/HTTP encodings and refuses grpc, naming the allowed ones', () => {
    expect(load({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing.protocol).toBe('http/json');
    expect(issueFor({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL')).toBe(
      'expected one of http/protobuf, http/json, got "grpc"',
    );
  });

  it.each(['1.5', '-0.1', 'half', '0,1'])('refuses the sampler ratio %j', (ratio) => {
    expect(issueFor({ OTEL_TRACES_SAMPLER_ARG: ratio }, 'OTEL_TRACES_SAMPLER_ARG')).toMatch(
      /^expected a decimal from 0 to 1/,
    );
  });

  it('refuses an unknown sampler and a malformed resource attribute list', () => {
    expect(issueFor({ OTEL_TRACES_SAMPLER: 'ratio' }, 'OTEL_TRACES_SAMPLER')).toMatch(
      /^expected one of always_on/,
    );
    expect(issueFor({ OTEL_RESOURCE_ATTRIBUTES: 'a=1,broken' }, 'OTEL_RESOURCE_ATTRIBUTES')).toBe(
      'expected key=value pairs separated by commas (values percent-encoded), got "broken"',
    );
    expect(issueFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(
      'expected an http:// or https:// URL',
    );
  });
});
