import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeBlock } from '../../unit/docs/markdown.js';
import { curlCommands, ExampleRunner, parseExpectation } from './example-runner.js';

/** The examples test is only worth something if a broken example fails it: each case is one. */
function block(lang: string, code: string, line = 10): CodeBlock {
  return { file: 'seeded.md', line, lang, code };
}

const SCHEDULE = `# Variables: {"start": "<in 10 minutes>"}
mutation Schedule($start: DateTime!) {
  createTeleconsultation(input: {
    startDate: $start, durationInSeconds: 1800
    participants: [
      { userId: "doctor-1", fullName: "Dr Rossi", groups: ["doctor"] }
      { userId: "patient-1", fullName: "Ada Bianchi", groups: ["customer"] }
    ]
  }) { id status }
}
# → SCHEDULED`;

describe('reading an example', () => {
  it('reads the expected status and the words in capitals of a # → comment', () => {
    expect(parseExpectation(' 201 {"roomId": "…"} then NOT_YET, not accessLinkURL')).toEqual({
      status: 201,
      words: ['NOT_YET'],
    });
    expect(parseExpectation(' FORBIDDEN, reason POLICY_DENIED')).toEqual({
      words: ['FORBIDDEN', 'POLICY_DENIED'],
    });
    expect(parseExpectation(undefined)).toEqual({ words: [] });
  });

  it('finds each curl of a block with the # → comment above it or on its lines, heredocs included', () => {
    const code = [
      'START=$(node -p 1)',
      '# → 201',
      'curl -s localhost:3000/a -d @- <<EOF',
      '{"a": "curl b"}',
      'EOF',
      '',
      'curl -s localhost:3000/b \\',
      "  -H 'x: y'   # → 204",
      'curl -s localhost:3000/c',
    ].join('\n');
    expect(curlCommands(block('sh', code, 1))).toEqual([
      { line: 3, expectation: { status: 201, words: [] } },
      { line: 7, expectation: { status: 204, words: [] } },
      { line: 9, expectation: { words: [] } },
    ]);
  });

  it('runs graphql, json, js and curl blocks; shows the others', () => {
    expect(ExampleRunner.runs(block('sh', 'npm ci && npm run demo'))).toBe(false);
    expect(ExampleRunner.runs(block('sh', 'npm ci   # then curl the demo'))).toBe(false);
    expect(ExampleRunner.runs(block('text', 'curl -s localhost:3000'))).toBe(false);
    expect(ExampleRunner.runs(block('sh', 'curl -s localhost:3000/-/healthz'))).toBe(true);
    expect(ExampleRunner.runs(block('graphql', '{ serviceConfig { mode } }'))).toBe(true);
  });
});

describe('running an example', () => {
  let runner: ExampleRunner;
  const workdir = mkdtempSync(join(tmpdir(), 'tg-doc-runner-'));

  beforeAll(async () => {
    runner = await ExampleRunner.start(workdir);
  });

  afterAll(async () => {
    await runner?.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('passes a working example and remembers the id it created', async () => {
    await runner.run(block('graphql', SCHEDULE));
    expect(runner.fill('<id>', 'here')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('fails a REST example whose fixed date is now in the past (what went stale before)', async () => {
    const stale = `# → 201 {"roomId": "…"}
curl -s localhost:3000/teleconsultation -H 'content-type: application/json' -H 'isbackoffice: true' \\
  -d '{"participants": {"number": 2, "data": [{"userId": "d", "groups": ["doctor"], "fullName": "D"},
       {"userId": "p", "groups": ["customer"], "fullName": "P"}]}, "start_date": "2020-11-27T10:00:00Z", "duration_in_seconds": 1800}'`;
    await expect(runner.run(block('sh', stale))).rejects.toThrow(
      /seeded.md:11: status 400, the example says 201/,
    );
  });

  it('fails when the answer lacks what the example says', async () => {
    await expect(
      runner.run(
        block(
          'graphql',
          '# Variables: {"id": "<id>"}\nquery V($id: ID!) { teleconsultation(id: $id) { status } }\n# → CANCELLED',
        ),
      ),
    ).rejects.toThrow(/the answer lacks CANCELLED/);
  });

  it('fails on a GraphQL error the example does not name', async () => {
    await expect(
      runner.run(
        block(
          'graphql',
          '# Headers: {"miauserid": "someone-else"}\n# Variables: {"id": "<id>"}\nquery V($id: ID!) { teleconsultation(id: $id) { status } }',
        ),
      ),
    ).rejects.toThrow(/a GraphQL error FORBIDDEN the example does not name/);
  });

  it('fails on a field the schema does not have', async () => {
    await expect(runner.run(block('graphql', '{ serviceConfig { colour } }'))).rejects.toThrow(
      /GRAPHQL_VALIDATION_FAILED/,
    );
  });

  it('fails on a placeholder nobody filled', async () => {
    await expect(
      runner.run(block('graphql', '{ teleconsultation(id: "<room>") { status } }')),
    ).rejects.toThrow(/<room> is not known here/);
  });

  it('fails when a block runs more or fewer curls than it shows', async () => {
    await expect(
      runner.run(block('sh', 'for path in healthz ready; do curl -s localhost:3000/-/$path; done')),
    ).rejects.toThrow(/1 curl commands in the block, 2 ran/);
  });

  it('refuses to run a curl block that also installs, builds or deletes', async () => {
    await expect(runner.run(block('sh', 'npm ci\ncurl -s localhost:3000/-/healthz'))).rejects.toThrow(
      /keep npm, docker, git, rm and cd in a block of their own/,
    );
  });

  it('fails a shell block that fails', async () => {
    await expect(runner.run(block('sh', 'curl -s localhost:3000/-/healthz\nfalse'))).rejects.toThrow(
      /the block failed/,
    );
  });

  it('fails a configuration file the gateway refuses, and JSON that does not parse', async () => {
    await expect(
      runner.run(block('json', '{ "authorization": { "teleconsultation": "true" } }')),
    ).rejects.toThrow(/a gateway does not start with this configuration file: .*privileges: required/);
    await expect(runner.run(block('json', '{ "a": … }'))).rejects.toThrow(/does not parse/);
  });

  it('fails a webhook receiver that accepts what it must refuse', async () => {
    await expect(runner.run(block('js', 'export function verify() { return true; }'))).rejects.toThrow(
      /verify accepts a changed body, accepts another secret, accepts a replay/,
    );
  });
});
