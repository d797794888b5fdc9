import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../dev/kaleyra-sandbox/sandbox.js';
import { type LivekitSandbox, startLivekitSandbox } from '../../dev/livekit-sandbox/sandbox.js';
import type { App, AppOverrides } from '../../src/app.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  committedOpenApiResponseCheck,
  type OpenApiResponseCheck,
  openApiResponseCheck,
} from './openapi-responses.js';

/** A fixed, far-future "now" so every date in a test is explicit. */
export const T0 = new Date('2030-03-04T09:00:00.000Z');
export const TEST_API_KEY = 'test-kaleyra-key-5f2c9a7e1b';
export const TEST_LIVEKIT_KEY = 'APItestgateway';
export const TEST_LIVEKIT_SECRET = 'test-livekit-secret-7d1e4c9a2b6f8e3d5a0c';
/** The meeting page of the test gateway's LiveKit links. */
export const TEST_LIVEKIT_JOIN_URL = 'https://meet.test.example/custom?liveKitUrl={url}&token={token}';

export interface GraphqlResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: Array<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/**
 * Who calls. By default a request comes from the back office with no user id (what the
 * appointment manager is to the platform's gateway), which the default policies let schedule and
 * change visits but not read them; `caller` names a user instead, `anonymous` sends no identity.
 */
export interface RequestOptions {
  /** Sets the caller header (USERID_HEADER_KEY, `miauserid` by default); no back-office flag. */
  caller?: string;
  /** The caller's groups (GROUPS_HEADER_KEY), comma-separated. */
  groups?: string;
  /** No identity header at all. */
  anonymous?: boolean;
  headers?: Record<string, string>;
}

/** The identity headers for `options` (see RequestOptions). */
export function identityHeaders(config: Config, options: RequestOptions = {}): Record<string, string> {
  if (options.anonymous) return {};
  if (options.caller === undefined && options.groups === undefined) {
    return { [config.identity.caller.backoffice]: 'true' };
  }
  return {
    ...(options.caller !== undefined ? { [config.identity.userIdHeader]: options.caller } : {}),
    ...(options.groups !== undefined ? { [config.identity.caller.groups]: options.groups } : {}),
  };
}

/** An answer of the REST API, read without assuming its shape. */
export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: unknown;
}

export interface RestRequestOptions extends RequestOptions {
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

export interface TestGateway {
  url: string;
  app: App;
  config: Config;
  sandbox: KaleyraSandbox;
  /** With `provider: 'livekit'`: the LiveKit sandbox that hosts the rooms (sharing the clock). */
  livekit: LivekitSandbox | undefined;
  clock: ManualClock;
  /** Every log line the gateway wrote, as text. */
  logs(): string;
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<GraphqlResponse<TData>>;
  /** Like `request`, but fails the test on any GraphQL error and returns the data. */
  ok<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<TData>;
  /** Runs the background jobs that are due (room clean-up) until none is left. */
  runJobs(): Promise<void>;
  /**
   * Runs every background job to its end, moving the clock to each one's due time (deletions that
   * wait for a write to be known, retries, second sweeps), then puts the clock back.
   */
  drainJobs(): Promise<void>;
  /** A REST call (the original service's API), with the same identity defaults as `request`. */
  rest(method: string, path: string, options?: RestRequestOptions): Promise<RestResponse>;
  /**
   * Every REST answer so far that the OpenAPI document does not describe (an undeclared status,
   * content type or field, an invalid body), one line each; see openapi-responses.ts.
   */
  openApiViolations(): string[];
  /** Stops the gateway (and the sandbox it started); then throws if openApiViolations() has any. */
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Extra environment variables for loadConfig (the gateway's real configuration path). */
  env?: Record<string, string | undefined>;
  /** Service config file contents, used as TELECONSULTATION_SERVICE_CONFIG_PATH. */
  serviceConfigFile?: unknown;
  overrides?: Omit<AppOverrides, 'logger' | 'clock'>;
  now?: Date;
  /** The gateway's clock (a fresh ManualClock at `now` when absent); a sandbox started here shares it. */
  clock?: ManualClock;
  /** Reuse a running sandbox instead of starting one. */
  sandbox?: KaleyraSandbox;
  /**
   * `livekit`: VIDEO_PROVIDER=livekit on a LiveKit sandbox started here (the Kaleyra sandbox still
   * runs and stays configured, so a test can show it was never called).
   */
  provider?: 'kaleyra' | 'livekit';
  /**
   * The OpenAPI document every REST answer is checked against: the committed
   * schema/openapi.json when absent (a test of the check itself plants a drifted copy).
   */
  openApiDocument?: unknown;
  /**
   * A deployment's whole environment, used instead of the test defaults (no memory store, port or
   * sandbox address is added: give them); `env` still goes on top.
   */
  exactEnv?: Record<string, string | undefined>;
  /** Files the configuration may read, by path (a mounted config map). */
  files?: Record<string, string>;
}

/**
 * Starts the real gateway (Fastify + Apollo, real config loading) on an ephemeral loopback port,
 * against a real Kaleyra sandbox, with an in-memory store and a manual clock.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.clock ?? new ManualClock(options.now ?? T0);
  // One clock for both sides: rooms are listed by creation date when orphans are swept.
  const sandbox = options.sandbox ?? (await startKaleyraSandbox({ apiKey: TEST_API_KEY, clock }));
  const ownsSandbox = !options.sandbox;
  const livekit =
    options.provider === 'livekit'
      ? await startLivekitSandbox({ apiKey: TEST_LIVEKIT_KEY, apiSecret: TEST_LIVEKIT_SECRET, clock })
      : undefined;
  const configPath = '/test/service-config.json';
  let config: Config;
  try {
    const testDefaults = {
      NODE_ENV: 'test',
      // The suites were written against the development conveniences (the IDE, introspection,
      // schema hints, identity in connection_init): explicit here, since the default is
      // production behaviour. A test of the default passes DEV_MODE: 'false'.
      DEV_MODE: 'true',
      STORE: 'memory',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      BANDYER_BASE_URL: sandbox.url,
      BANDYER_API_SECRET_KEY: TEST_API_KEY,
      KALEYRA_TIMEOUT_MS: '1000',
      ...(options.serviceConfigFile ? { TELECONSULTATION_SERVICE_CONFIG_PATH: configPath } : {}),
      ...(livekit
        ? {
            VIDEO_PROVIDER: 'livekit',
            LIVEKIT_URL: livekit.url,
            LIVEKIT_WS_URL: livekit.wsUrl,
            LIVEKIT_API_KEY: TEST_LIVEKIT_KEY,
            LIVEKIT_API_SECRET: TEST_LIVEKIT_SECRET,
            LIVEKIT_JOIN_URL: TEST_LIVEKIT_JOIN_URL,
            LIVEKIT_TIMEOUT_MS: '1000',
          }
        : {}),
    };
    config = loadConfig(
      { ...(options.exactEnv ?? testDefaults), ...options.env },
      {
        readFile: (path) => {
          const file = options.files?.[path];
          if (file !== undefined) return file;
          if (path !== configPath) throw new Error(`unexpected config path ${path}`);
          return JSON.stringify(options.serviceConfigFile);
        },
      },
    );
  } catch (error) {
    // A configuration the test expects to be refused must not leave the sandbox running.
    if (ownsSandbox) await sandbox.close();
    await livekit?.close();
    throw error;
  }
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await createApp(config, {
    ...options.overrides,
    logger: createLogger(config.runtime, destination),
    clock,
  });
  const violations = recordOpenApiViolations(
    app,
    options.openApiDocument === undefined
      ? committedOpenApiResponseCheck()
      : openApiResponseCheck(options.openApiDocument),
  );
  const { url } = await app.start();

  const request = async <TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    requestOptions: RequestOptions = {},
  ): Promise<GraphqlResponse<TData>> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...identityHeaders(config, requestOptions),
        ...requestOptions.headers,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as Omit<GraphqlResponse<TData>, 'status'>;
    return { status: response.status, ...body };
  };

  const rest = async (
    method: string,
    path: string,
    options: RestRequestOptions = {},
  ): Promise<RestResponse> => {
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
        ...identityHeaders(config, options),
        ...options.headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };

  return {
    url,
    app,
    config,
    sandbox,
    livekit,
    clock,
    logs: () => lines.join(''),
    runJobs: () => app.jobs.runDue(),
    async drainJobs() {
      const resumeAt = clock.now();
      try {
        for (let round = 0; round < 1000; round++) {
          await app.jobs.runDue();
          const { jobs: pending } = await app.storage.jobs.list({ states: ['pending'], first: 500 });
          if (pending.length === 0) return;
          const next = Math.min(...pending.map((job) => job.runAt.getTime()));
          clock.set(Math.max(next, clock.now().getTime()));
        }
        throw new Error('background jobs did not drain in 1000 rounds');
      } finally {
        clock.set(resumeAt);
      }
    },
    request,
    rest,
    openApiViolations: () => [...violations],
    async ok(document, variables, requestOptions) {
      const response = await request(document, variables, requestOptions);
      if (response.errors?.length || !response.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
      }
      return response.data;
    },
    async close() {
      await app.stop();
      if (ownsSandbox) await sandbox.close();
      await livekit?.close();
      if (violations.length > 0) {
        throw new Error(
          `REST answers that schema/openapi.json does not describe (fix the route or the document):\n${violations.join('\n')}`,
        );
      }
    },
  };
}

/**
 * Checks every answer of a route the OpenAPI document describes, as the gateway sends it (after
 * serialisation), and keeps what does not match; close() fails the test with them.
 */
function recordOpenApiViolations(app: App, check: OpenApiResponseCheck): string[] {
  const violations: string[] = [];
  app.server.addHook('onSend', async (request, reply, payload) => {
    const found = check.violations({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      contentType: reply.getHeader('content-type')?.toString(),
      payload,
    });
    if (found && found.length > 0) {
      violations.push(`${request.method} ${request.url} → ${reply.statusCode}: ${found.join('; ')}`);
    }
    return payload;
  });
  return violations;
}

/** A participant input in the mode without an auth service. */
export function doctor(userId = 'doctor-1', extra: Record<string, unknown> = {}) {
  return { userId, fullName: `Doctor ${userId}`, groups: ['doctor'], ...extra };
}

export function patient(userId = 'patient-1', extra: Record<string, unknown> = {}) {
  return { userId, fullName: `Patient ${userId}`, groups: ['customer'], ...extra };
}

export function inMinutes(minutes: number, from: Date = T0): string {
  return new Date(from.getTime() + minutes * 60_000).toISOString();
}
