/**
 * Runs the examples of the documentation as written (CONTRIBUTING.md, "Examples that run"):
 *
 * - ```graphql: one operation, sent as GraphiQL would send it. Comments say what the reader types
 *   in GraphiQL's tabs (`# Headers: {…}`, `# Variables: {…}`; without headers, GraphiQL's default
 *   caller `doctor-1` in group `doctor`), `# Wait until: <in 20 minutes>` moves the gateway's
 *   clock there first, and `# → …` says what comes back.
 * - ```sh with curl: run by bash, as written, against the gateway (`localhost:3000` is its
 *   address); each curl's answer is checked against the `# →` comment above it or on its lines.
 * - ```json: must parse; one whose keys are all service-config properties is a complete
 *   configuration file, and a gateway must start with it.
 * - ```js: a module; `verify` (the webhook receiver) must accept our signature and refuse others.
 *
 * `# → 201 NOT_YET` reads: the HTTP status is 201 (without a status: any 2xx, and no GraphQL
 * error), and each UPPER_CASE word appears in the answer; a GraphQL error's code must be named.
 * Placeholders: `<id>` (the id the last create answered), `<room id>` (that visit's Kaleyra room),
 * `<alias>` (the last uploaded background), `<sandbox>` (the Kaleyra sandbox's address, which
 * `npm run demo` prints), `<in 10 minutes>` / `<60 minutes ago>` (dates from the moment the page's
 * run began, also with hours and days). Any other `<lowercase words>` is an error.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kind, parse } from 'graphql';
import { signatureHeader } from '../../../src/shared/webhook-signature.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { liveClient } from '../../support/live-client.js';
import type { CodeBlock } from '../../unit/docs/markdown.js';

/** GraphiQL's Headers tab as the gateway pre-fills it (src/http/graphiql.ts). */
export const GRAPHIQL_DEFAULT_HEADERS = { miauserid: 'doctor-1', miausergroups: 'doctor' };

/** A 1×1 PNG: the `clinic.png` the upload examples send. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const CONFIG_FILE_KEYS = new Set(
  Object.keys(
    (
      JSON.parse(
        readFileSync(new URL('../../../schema/service-config.schema.json', import.meta.url), 'utf8'),
      ) as { properties: Record<string, unknown> }
    ).properties,
  ),
);

export interface Expectation {
  status?: number;
  /** UPPER_CASE words the answer must contain. */
  words: string[];
}

/** `# → 201 NOT_YET, accessLinkURL null` → status 201, words [NOT_YET]. */
export function parseExpectation(text: string | undefined): Expectation {
  if (text === undefined) return { words: [] };
  const status = /^\s*([1-5]\d\d)\b/.exec(text)?.[1];
  const words = [...text.matchAll(/(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![\w-])/g)]
    .map((match) => match[0])
    .filter((word) => word.length >= 2);
  return { ...(status ? { status: Number(status) } : {}), words };
}

function arrowText(lines: string[]): string | undefined {
  for (const line of lines) {
    const at = line.indexOf('# →');
    if (at >= 0) return line.slice(at + 3);
  }
  return undefined;
}

/** One curl command of an sh block: where it starts and what its `# →` comment expects. */
export interface CurlCommand {
  line: number;
  expectation: Expectation;
}

/** The curl commands of an sh block, in order (continuations and heredoc bodies included). */
export function curlCommands(block: CodeBlock): CurlCommand[] {
  const lines = block.code.split('\n');
  const commands: CurlCommand[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*#/.test(line)) {
      comments.push(line);
      continue;
    }
    if (line.trim() === '') {
      comments = [];
      continue;
    }
    const code = line.replace(/\s#\s.*$/, '');
    if (!/(^|[\s($])curl\s/.test(code)) continue;
    const start = i;
    const own: string[] = [line];
    let heredoc: string | undefined;
    while (true) {
      const current = lines[i] ?? '';
      heredoc ??= /<<-?\s*'?([A-Za-z_]+)'?/.exec(current.replace(/\s#\s.*$/, ''))?.[1];
      if (!current.trimEnd().endsWith('\\') || i + 1 >= lines.length) break;
      i++;
      own.push(lines[i] ?? '');
    }
    if (heredoc) {
      while (i + 1 < lines.length && (lines[i] ?? '').trim() !== heredoc) i++;
    }
    commands.push({
      line: block.line + start,
      expectation: parseExpectation(arrowText([...comments, ...own])),
    });
    comments = [];
  }
  return commands;
}

/** Shell code without its comments (whole-line, and ` # …` at the end of a line). */
function withoutComments(code: string): string {
  return code
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? '' : line.replace(/\s#\s.*$/, '')))
    .join('\n');
}

/** Commands an example block must not run on the machine that runs the tests. */
const NOT_IN_AN_EXAMPLE = /^\s*(?:npm|npx|docker|git|rm|sudo|cd)\b/m;

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The text an answer shows a reader: a JSON answer's values (strings decoded), else the raw text. */
function shownText(answer: string): string {
  const parsed = jsonOrUndefined(answer);
  if (parsed === undefined) return answer;
  const values: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
    else values.push(String(value));
  };
  walk(parsed);
  return values.join('\n');
}

function wordsMissing(words: string[], answer: string): string[] {
  const shown = shownText(answer);
  return words.filter((word) => !new RegExp(`(?<![A-Za-z0-9_])${word}(?![A-Za-z0-9_])`).test(shown));
}

type GraphqlAnswer = { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };

/** The examples of one page, run in order against one gateway (values flow from one to the next). */
export class ExampleRunner {
  private readonly values = new Map<string, string>();
  private curlCount = 0;

  private constructor(
    readonly gateway: TestGateway,
    readonly workdir: string,
    /** The moment the page's run began: what `<in 10 minutes>` counts from. */
    readonly t0: number,
  ) {}

  static async start(workdir: string): Promise<ExampleRunner> {
    const t0 = new Date();
    const gateway = await startTestGateway({ now: t0, env: { LOG_LEVEL: 'warn' } });
    mkdirSync(workdir, { recursive: true });
    writeFileSync(join(workdir, 'clinic.png'), TINY_PNG);
    const runner = new ExampleRunner(gateway, workdir, t0.getTime());
    runner.values.set('sandbox', gateway.sandbox.url);
    return runner;
  }

  async close(): Promise<void> {
    await this.gateway.close();
  }

  /** The block's text with its placeholders filled. */
  fill(code: string, where: string): string {
    return code.replace(/<([a-z0-9][a-z0-9 -]*)>/g, (whole, name: string) => {
      const relative = /^(?:in (\d+) (minute|hour|day)s?|(\d+) (minute|hour|day)s? ago)$/.exec(name);
      if (relative) {
        const ahead = relative[1] !== undefined;
        const amount = Number(ahead ? relative[1] : relative[3]);
        const unit = UNITS[(ahead ? relative[2] : relative[4]) ?? 'minute'] ?? 60_000;
        return new Date(this.t0 + (ahead ? 1 : -1) * amount * unit).toISOString();
      }
      const value = this.values.get(name);
      if (value === undefined) {
        throw new Error(
          `${where}: ${whole} is not known here (an earlier example of the page must create it; the placeholders are <id>, <room id>, <alias>, <sandbox>, <in N minutes>, <N minutes ago>)`,
        );
      }
      return value;
    });
  }

  async run(block: CodeBlock): Promise<void> {
    const where = `${block.file}:${block.line}`;
    if (block.code.includes('<room id>')) await this.rememberRoom();
    if (block.lang === 'graphql') return this.runGraphql(block, where);
    if (['sh', 'bash', 'shell'].includes(block.lang)) return this.runShell(block, where);
    if (block.lang === 'json') return this.runJson(block, where);
    if (['js', 'javascript', 'mjs'].includes(block.lang)) return this.runModule(block, where);
  }

  /** Whether `run` executes this block (the others are shown, not run): a curl outside comments. */
  static runs(block: CodeBlock): boolean {
    if (['graphql', 'json', 'js', 'javascript', 'mjs'].includes(block.lang)) return true;
    return (
      ['sh', 'bash', 'shell'].includes(block.lang) && /(^|[\s($])curl\s/m.test(withoutComments(block.code))
    );
  }

  /** `<room id>`: the Kaleyra room of the visit `<id>` names, as the store holds it (once it has one). */
  private async rememberRoom(): Promise<void> {
    const id = this.values.get('id');
    const record = id === undefined ? null : await this.gateway.app.storage.teleconsultations.findById(id);
    if (record?.roomId) this.values.set('room id', record.roomId);
  }

  private remember(answer: unknown): void {
    if (typeof answer !== 'object' || answer === null) return;
    const body = answer as {
      roomId?: unknown;
      data?: { createTeleconsultation?: { id?: unknown } };
      virtual_background?: { background_alias?: unknown };
    };
    const id = body.roomId ?? body.data?.createTeleconsultation?.id;
    if (typeof id === 'string') this.values.set('id', id);
    const alias = body.virtual_background?.background_alias;
    if (typeof alias === 'string') this.values.set('alias', alias);
  }

  private commentValue(code: string, key: string, where: string): unknown {
    const line = code.split('\n').find((text) => text.trimStart().startsWith(`# ${key}:`));
    if (line === undefined) return undefined;
    const raw = line.slice(line.indexOf(':') + 1).trim();
    const value = jsonOrUndefined(raw);
    if (value === undefined) throw new Error(`${where}: "# ${key}:" is not JSON: ${raw}`);
    return value;
  }

  private waitUntil(code: string, where: string): void {
    const line = code.split('\n').find((text) => text.trimStart().startsWith('# Wait until:'));
    if (line === undefined) return;
    const at = Date.parse(line.slice(line.indexOf(':') + 1).trim());
    if (Number.isNaN(at)) throw new Error(`${where}: "# Wait until:" wants a date placeholder`);
    if (at > this.gateway.clock.now().getTime()) this.gateway.clock.set(at);
  }

  private check(where: string, expectation: Expectation, status: number, text: string): void {
    // DOCS_EXAMPLES_SHOW=1 prints every answer: what a page's `# →` comments can be written from.
    if (process.env.DOCS_EXAMPLES_SHOW) process.stdout.write(`${where} → ${status}\n${text}\n\n`);
    const answer = jsonOrUndefined(text) as GraphqlAnswer | undefined;
    const problems: string[] = [];
    if (expectation.status !== undefined && status !== expectation.status) {
      problems.push(`status ${status}, the example says ${expectation.status}`);
    }
    if (expectation.status === undefined && (status < 200 || status > 299)) {
      problems.push(`status ${status}; an example that expects a failure says its status (# → 4xx …)`);
    }
    const code = answer?.errors?.[0]?.extensions?.code;
    if (answer?.errors?.length && !expectation.words.includes(String(code))) {
      problems.push(`a GraphQL error ${code ?? '(no code)'} the example does not name (# → ${code} …)`);
    }
    const missing = wordsMissing(expectation.words, text);
    if (missing.length > 0) problems.push(`the answer lacks ${missing.join(', ')}`);
    if (problems.length > 0) {
      throw new Error(`${where}: ${problems.join('; ')}\nanswer: ${text.slice(0, 1500)}`);
    }
  }

  private async runGraphql(block: CodeBlock, where: string): Promise<void> {
    const code = this.fill(block.code, where);
    const operations = parse(code).definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    if (operations.length !== 1)
      throw new Error(`${where}: one operation per block, found ${operations.length}`);
    const headers = (this.commentValue(code, 'Headers', where) ?? GRAPHIQL_DEFAULT_HEADERS) as Record<
      string,
      string
    >;
    const variables = this.commentValue(code, 'Variables', where) as Record<string, unknown> | undefined;
    this.waitUntil(code, where);
    const expectation = parseExpectation(arrowText(code.split('\n')));
    if (operations[0]?.kind === Kind.OPERATION_DEFINITION && operations[0].operation === 'subscription') {
      const client = liveClient(this.gateway.url, { headers });
      try {
        const stream = client.subscribe(code, variables);
        const [first] = await stream.waitFor(1, 5000);
        this.check(where, expectation, 200, JSON.stringify(first));
      } finally {
        await client.dispose();
      }
      return;
    }
    const response = await fetch(`${this.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: code, ...(variables ? { variables } : {}) }),
    });
    const text = await response.text();
    this.check(where, expectation, response.status, text);
    this.remember(jsonOrUndefined(text));
  }

  private async runShell(block: CodeBlock, where: string): Promise<void> {
    if (NOT_IN_AN_EXAMPLE.test(withoutComments(block.code))) {
      throw new Error(
        `${where}: a block with curl runs as a whole; keep npm, docker, git, rm and cd in a block of their own`,
      );
    }
    const address = new URL(this.gateway.url).host;
    const script = this.fill(block.code, where).replaceAll('localhost:3000', address);
    const log = join(this.workdir, `curl-${++this.curlCount}`);
    mkdirSync(log);
    // Every curl of the block goes through this function: the same call, its status and body kept aside.
    const prelude = [
      'set -eo pipefail',
      'curl() {',
      '  local n; n=$(( $(cat "$CURL_LOG/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$CURL_LOG/count"',
      '  : > "$CURL_LOG/$n.body"',
      '  command curl -sS -o "$CURL_LOG/$n.body" -w "%{http_code}" "$@" > "$CURL_LOG/$n.status" || return',
      '  cat "$CURL_LOG/$n.body"',
      '}',
    ].join('\n');
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', `${prelude}\n${script}`], {
        cwd: this.workdir,
        env: {
          ...process.env,
          PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
          CURL_LOG: log,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    if (outcome.code !== 0)
      throw new Error(`${where}: the block failed (exit ${outcome.code}): ${outcome.stderr}`);
    const commands = curlCommands(block);
    const calls = readdirSync(log).filter((name) => name.endsWith('.status')).length;
    if (calls !== commands.length) {
      throw new Error(`${where}: ${commands.length} curl commands in the block, ${calls} ran`);
    }
    commands.forEach((command, index) => {
      const status = Number(readFileSync(join(log, `${index + 1}.status`), 'utf8'));
      const body = readFileSync(join(log, `${index + 1}.body`), 'utf8');
      this.check(`${block.file}:${command.line}`, command.expectation, status, body);
      this.remember(jsonOrUndefined(body));
    });
  }

  private async runJson(block: CodeBlock, where: string): Promise<void> {
    const value = jsonOrUndefined(block.code);
    if (value === undefined)
      throw new Error(`${where}: a json block that does not parse (use text for a shape)`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const keys = Object.keys(value).filter((key) => key !== '$schema');
    if (keys.length === 0 || !keys.every((key) => CONFIG_FILE_KEYS.has(key))) return;
    // A configuration file: the gateway must start with it (secrets it names get a value).
    const secrets = [...block.code.matchAll(/"secretEnv"\s*:\s*"([A-Z0-9_]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    const gateway = await startTestGateway({
      serviceConfigFile: value,
      env: { LOG_LEVEL: 'warn', ...Object.fromEntries(secrets.map((name) => [name, `secret-of-${name}`])) },
    }).catch((error: Error) => {
      throw new Error(`${where}: a gateway does not start with this configuration file: ${error.message}`);
    });
    await gateway.close();
  }

  private async runModule(block: CodeBlock, where: string): Promise<void> {
    const file = join(this.workdir, `example-${block.line}.mjs`);
    writeFileSync(file, block.code);
    const module = (await import(pathToFileURL(file).href)) as { verify?: unknown };
    if (typeof module.verify !== 'function') {
      throw new Error(
        `${where}: a js example is the webhook receiver's verify(); teach the runner any other`,
      );
    }
    const verify = module.verify as (secret: string, body: string, header: string) => boolean;
    const body = JSON.stringify({ id: 'evt-1', type: 'CANCELLED' });
    const now = Date.now() / 1000;
    const problems = [
      verify('s3cret', body, signatureHeader('s3cret', body, now)) ? '' : 'refuses a good signature',
      verify('s3cret', `${body} `, signatureHeader('s3cret', body, now)) ? 'accepts a changed body' : '',
      verify('other', body, signatureHeader('s3cret', body, now)) ? 'accepts another secret' : '',
      verify('s3cret', body, signatureHeader('s3cret', body, now - 3600)) ? 'accepts a replay' : '',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`${where}: verify ${problems.join(', ')}`);
  }
}
