/**
 * Turns the environment (and the service config file it points to) into a validated `Config`,
 * or a `ConfigError` listing every problem, one per line, each named by the variable or by the
 * file and property path at fault.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebhookEndpoint } from '../domain/settings.js';
import { SERVICE_CONFIG_PATH_VARIABLE } from './components/runtime.js';
import { environmentSections, parseEnvironment } from './env.js';
import {
  DEFAULT_SERVICE_CONFIG_FILE,
  parseServiceConfig,
  type ServiceConfigIssue,
} from './service-config.js';
import type { Config, ServiceConfig } from './types.js';

export interface ConfigIssue {
  /** What precedes the colon: `PORT`, or `TELECONSULTATION_SERVICE_CONFIG_PATH (/etc/x.json) privileges.plus.groups`. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface LoadConfigOptions {
  /** Reads the service config file; tests inject one. Default: the file system, UTF-8. */
  readFile?: (path: string) => string;
}

const CONFIG_PATH_VARIABLE = SERVICE_CONFIG_PATH_VARIABLE;

export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const environment = parseEnvironment(env);
  const issues: ConfigIssue[] = environment.ok ? [] : [...environment.issues];

  // The file is checked even when variables are wrong, so one restart shows every problem.
  // Its default userIdPathInRequest needs USERID_HEADER_KEY; when that is invalid, the error is
  // reported anyway, so any placeholder will do.
  const userIdHeaderKey = environment.ok ? environment.settings.values.USERID_HEADER_KEY : 'miauserid';
  const configPath = env[CONFIG_PATH_VARIABLE] === '' ? undefined : env[CONFIG_PATH_VARIABLE];
  const service = loadServiceConfig(configPath, userIdHeaderKey, readFile);
  if (!service.ok) issues.push(...service.issues);

  const webhooks = service.ok
    ? resolveWebhooks(
        service.config.webhooks,
        env,
        environment.ok ? environment.settings.values.WEBHOOKS_ALLOW_HTTP : false,
        configPath,
      )
    : { endpoints: [], issues: [] };
  issues.push(...webhooks.issues);

  if (!environment.ok || !service.ok || webhooks.issues.length > 0) throw new ConfigError(issues);
  const fromFile = { userIdPath: service.config.userIdPathInRequest, webhookEndpoints: webhooks.endpoints };
  return { ...environmentSections(environment.settings, fromFile), service: service.config };
}

/**
 * Each webhook's secret, from the variable its `secretEnv` names: a missing or empty one is a
 * configuration error naming the variable (never a value). Only https endpoints unless
 * WEBHOOKS_ALLOW_HTTP=true.
 */
function resolveWebhooks(
  subscriptions: ServiceConfig['webhooks'],
  env: Record<string, string | undefined>,
  allowHttp: boolean,
  configPath: string | undefined,
): { endpoints: WebhookEndpoint[]; issues: ConfigIssue[] } {
  const source = `${CONFIG_PATH_VARIABLE} (${configPath ?? 'default'})`;
  const issues: ConfigIssue[] = [];
  const endpoints: WebhookEndpoint[] = [];
  const seen = new Set<string>();
  subscriptions.forEach((subscription, index) => {
    const path = `${source} webhooks[${index}]`;
    const secret = env[subscription.secretEnv];
    if (secret === undefined || secret === '') {
      issues.push({
        path: `${path}.secretEnv`,
        message: `the variable ${subscription.secretEnv} is not set`,
      });
    }
    if (!allowHttp && !subscription.url.startsWith('https://')) {
      issues.push({
        path: `${path}.url`,
        message: 'expected an https:// URL (or set WEBHOOKS_ALLOW_HTTP=true)',
      });
    }
    const id = createHash('sha256').update(subscription.url).digest('hex').slice(0, 16);
    if (seen.has(id)) issues.push({ path: `${path}.url`, message: 'this URL is listed twice' });
    seen.add(id);
    if (secret) endpoints.push({ id, url: subscription.url, events: subscription.events, secret });
  });
  return { endpoints, issues };
}

function loadServiceConfig(
  path: string | undefined,
  userIdHeaderKey: string,
  readFile: (path: string) => string,
): { ok: true; config: ServiceConfig } | { ok: false; issues: ConfigIssue[] } {
  if (path === undefined) {
    const parsed = parseServiceConfig(DEFAULT_SERVICE_CONFIG_FILE, userIdHeaderKey);
    // The default is a constant checked by the unit tests; failing here is a bug, not bad input.
    if (!parsed.ok)
      throw new Error(`default service configuration is invalid: ${JSON.stringify(parsed.issues)}`);
    return parsed;
  }

  const source = `${CONFIG_PATH_VARIABLE} (${path})`;
  const fail = (message: string) => ({ ok: false as const, issues: [{ path: source, message }] });

  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return fail(`cannot read the file: ${describeReadError(error)}`);
  }

  let json: unknown;
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }

  const parsed = parseServiceConfig(json, userIdHeaderKey);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    issues: parsed.issues.map((issue: ServiceConfigIssue) => ({
      path: issue.path === '' ? source : `${source} ${issue.path}`,
      message: issue.message,
    })),
  };
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'it is a directory (EISDIR)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
