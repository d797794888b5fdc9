/**
 * The shape rules of issue #22, checked on every run: no function in src/ longer than 120 lines
 * (declarations, methods, accessors, arrows and function expressions alike, measured with the
 * TypeScript parser), no file in src/services/ or src/jobs/ longer than 400 lines.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  countLines,
  measureFunctions,
  measureTree,
  type ShapeRules,
  shapeViolations,
  type Tolerated,
} from '../../support/code-shape.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const RULES: ShapeRules = {
  maxFunctionLines: 120,
  maxFileLines: { under: ['src/services/', 'src/jobs/'], lines: 400 },
};

/**
 * Today's offenders, tolerated so the branch stays green while they are split; each may shrink,
 * none may grow past its length today. REMOVE THIS LIST once the branches of #22 are merged: from
 * then on, every function and file keeps the rules without exception.
 */
const TOLERATED_UNTIL_SPLIT: Tolerated = {
  functions: [
    // Split in parallel on #22 (composition root; REST routes as plugins).
    { file: 'src/app.ts', function: 'createApp', atMostLines: 271 },
    { file: 'src/http/rest/rest-api.ts', function: 'registerRestApi', atMostLines: 458 },
    // Also over 120, though not in the issue's own measurement: nobody is splitting them yet.
    { file: 'src/storage/memory/memory-jobs.ts', function: 'createMemoryJobStore', atMostLines: 226 },
    { file: 'src/kaleyra/client.ts', function: 'createKaleyraClient', atMostLines: 211 },
    { file: 'src/storage/memory/memory-storage.ts', function: 'createMemoryStorage', atMostLines: 206 },
    { file: 'src/storage/mongo/mongo-jobs.ts', function: 'createMongoJobStore', atMostLines: 185 },
    {
      file: 'src/identity/auth-service-directory.ts',
      function: 'createAuthServiceDirectory',
      atMostLines: 122,
    },
  ],
  files: [
    // Split in parallel on #22 (services by capability; the job engine).
    { file: 'src/services/visits/teleconsultation.service.ts', atMostLines: 541 },
    { file: 'src/jobs/job-runner.ts', atMostLines: 451 },
  ],
};

/** A function of exactly `lines` lines, in the form `wrap` gives it. */
function planted(
  lines: number,
  wrap: (body: string) => string = (body) => `function planted() {\n${body}}\n`,
) {
  const body = '  const step = 1;\n'.repeat(lines - 2);
  return wrap(body);
}

describe('the code base keeps its shape', () => {
  it('has no function in src/ over 120 lines and no file in src/services or src/jobs over 400', () => {
    const violations = shapeViolations(measureTree(ROOT, 'src'), RULES, TOLERATED_UNTIL_SPLIT);
    // Each line names the file, the function and its length: split it into named steps.
    expect(violations).toEqual([]);
  });
});

describe('measuring function length', () => {
  const violationsIn = (file: string, text: string) =>
    shapeViolations({ functions: measureFunctions(file, text), files: [] }, RULES);

  it('counts a function from its first token to its closing brace, both included', () => {
    expect(measureFunctions('src/a.ts', planted(120))).toEqual([
      { file: 'src/a.ts', name: 'planted', line: 1, lines: 120 },
    ]);
    expect(
      measureFunctions('src/a.ts', `// why\n${planted(3, (b) => `export async function f() {\n${b}}`)}`),
    ).toEqual([{ file: 'src/a.ts', name: 'f', line: 2, lines: 3 }]);
  });

  it('fails on a 121-line function declaration, naming the file, the function and its length', () => {
    expect(violationsIn('src/a.ts', planted(120))).toEqual([]);
    expect(violationsIn('src/a.ts', planted(121))).toEqual([
      'src/a.ts:1 function planted is 121 lines long; at most 120',
    ]);
  });

  it('fails on 121-line methods, accessors, arrows and function expressions too', () => {
    const text = [
      planted(121, (body) => `class Visits {\n  create() {\n${body}  }\n}\n`),
      planted(121, (body) => `class Clock {\n  get now() {\n${body}  }\n}\n`),
      planted(121, (body) => `export const wire = (value: number) => {\n${body}};\n`),
      planted(121, (body) => `register(function () {\n${body}});\n`),
      planted(121, (body) => `const routes = { list: async () => {\n${body}} };\n`),
    ].join('');
    expect(measureFunctions('src/b.ts', text).map(({ name, lines }) => [name, lines])).toEqual([
      ['Visits.create', 121],
      ['Clock.now', 121],
      ['wire', 121],
      ['<function at line 368>', 121],
      ['list', 121],
    ]);
    expect(violationsIn('src/b.ts', text)).toHaveLength(5);
  });

  it('names a nested function by the function around it, and measures each', () => {
    const text = planted(
      121,
      (body) => `export function outer() {\n  const inner = () => {\n${body}  };\n}\n`,
    );
    expect(measureFunctions('src/c.ts', text).map(({ name, lines }) => [name, lines])).toEqual([
      ['outer', 123],
      ['outer > inner', 121],
    ]);
  });
});

describe('measuring file length', () => {
  const file = (path: string, lines: number) => ({ path, text: 'export const line = 1;\n'.repeat(lines) });
  const violationsOf = ({ path, text }: { path: string; text: string }) =>
    shapeViolations({ functions: [], files: [{ file: path, lines: countLines(text) }] }, RULES);

  it('fails on a 401-line file in src/services or src/jobs, and not on one of 400', () => {
    expect(violationsOf(file('src/services/visits/big.service.ts', 400))).toEqual([]);
    expect(violationsOf(file('src/services/visits/big.service.ts', 401))).toEqual([
      'src/services/visits/big.service.ts is 401 lines long; at most 400',
    ]);
    expect(violationsOf(file('src/jobs/big-runner.ts', 401))).toHaveLength(1);
  });

  it('leaves long files elsewhere to the function rule', () => {
    expect(violationsOf(file('src/graphql/big.ts', 401))).toEqual([]);
  });

  it('counts lines as an editor numbers them', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
  });
});

describe('tolerating a known offender until it is split', () => {
  const tolerated: Tolerated = {
    functions: [{ file: 'src/app.ts', function: 'createApp', atMostLines: 130 }],
    files: [{ file: 'src/jobs/job-runner.ts', atMostLines: 410 }],
  };
  const check = (
    functions: { name: string; lines: number }[],
    files: { file: string; lines: number }[] = [],
  ) =>
    shapeViolations(
      { functions: functions.map((found) => ({ file: 'src/app.ts', line: 1, ...found })), files },
      RULES,
      tolerated,
    );

  it('allows it, and what is nested in it, up to its length today', () => {
    expect(
      check([
        { name: 'createApp', lines: 130 },
        { name: 'createApp > wire', lines: 125 },
      ]),
    ).toEqual([]);
    expect(check([], [{ file: 'src/jobs/job-runner.ts', lines: 410 }])).toEqual([]);
  });

  it('fails when it grows, and tolerates nothing else in its file', () => {
    expect(check([{ name: 'createApp', lines: 131 }])).toEqual([
      'src/app.ts:1 function createApp is 131 lines long; at most 120 (tolerated until split: 130)',
    ]);
    expect(check([{ name: 'createServices', lines: 121 }])).toHaveLength(1);
    expect(check([], [{ file: 'src/jobs/job-runner.ts', lines: 411 }])).toEqual([
      'src/jobs/job-runner.ts is 411 lines long; at most 400 (tolerated until split: 410)',
    ]);
  });
});
