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
} from '../../support/code-shape.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const RULES: ShapeRules = {
  maxFunctionLines: 120,
  maxFileLines: { under: ['src/services/', 'src/jobs/'], lines: 400 },
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
    const violations = shapeViolations(measureTree(ROOT, 'src'), RULES);
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
