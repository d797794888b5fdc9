/**
 * Measures the shape rules of the code base with the TypeScript parser: how long each function is
 * (declarations, methods, accessors, constructors, arrows and function expressions alike) and how
 * long each file is. A function's length counts its lines from its first token (`export`, a
 * decorator) to its closing brace, both included, nested functions included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export interface FunctionLength {
  /** Path relative to the root, with forward slashes. */
  file: string;
  /** `createApp`, `TeleconsultationService.create`, `registerRestApi > handler`, `<arrow at line 12>`. */
  name: string;
  line: number;
  lines: number;
}

export interface FileLength {
  file: string;
  lines: number;
}

function propertyName(name: ts.PropertyName | ts.BindingName | undefined, sourceFile: ts.SourceFile) {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(sourceFile);
}

/** The name a reader would search for: its own, its variable's, its property's, or where it is. */
function functionName(node: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile, line: number): string {
  const own = node.name ? propertyName(node.name, sourceFile) : undefined;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (own !== undefined) return own;
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  ) {
    const named = propertyName(parent.name, sourceFile);
    if (named !== undefined) return named;
  }
  if (ts.isExportAssignment(parent)) return 'default';
  return `<${ts.isArrowFunction(node) ? 'arrow' : 'function'} at line ${line}>`;
}

function isMeasured(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node)) &&
    node.body !== undefined
  );
}

/** Every function with a body in one source text, named with the classes and functions around it. */
export function measureFunctions(file: string, text: string): FunctionLength[] {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: FunctionLength[] = [];
  const lineOf = (position: number) => sourceFile.getLineAndCharacterOfPosition(position).line + 1;
  // `scope` names what encloses a node: `Class` for its members, `outer` for nested functions.
  const visit = (node: ts.Node, scope: string): void => {
    let inner = scope;
    if (ts.isClassLike(node)) {
      const name = node.name?.text ?? `<class at line ${lineOf(node.getStart(sourceFile))}>`;
      inner = scope === '' ? name : `${scope} > ${name}`;
    } else if (isMeasured(node)) {
      const line = lineOf(node.getStart(sourceFile));
      const own = functionName(node, sourceFile, line);
      const separator = ts.isClassLike(node.parent) ? '.' : ' > ';
      inner = scope === '' ? own : `${scope}${separator}${own}`;
      found.push({ file, name: inner, line, lines: lineOf(node.getEnd()) - line + 1 });
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(sourceFile, '');
  return found;
}

/** Lines in a text, as an editor numbers them (a final newline does not start another line). */
export function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The TypeScript files under `directory`, as paths relative to `root` with forward slashes. */
export function typescriptFilesUnder(root: string, directory: string): string[] {
  const walk = (path: string): string[] =>
    readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return walk(child);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [child] : [];
    });
  return walk(join(root, directory))
    .map((path) => relative(root, path).split(sep).join('/'))
    .sort();
}

export function measureTree(
  root: string,
  directory: string,
): { functions: FunctionLength[]; files: FileLength[] } {
  const functions: FunctionLength[] = [];
  const files: FileLength[] = [];
  for (const file of typescriptFilesUnder(root, directory)) {
    const text = readFileSync(join(root, file), 'utf8');
    files.push({ file, lines: countLines(text) });
    functions.push(...measureFunctions(file, text));
  }
  return { functions, files };
}

export interface ShapeRules {
  maxFunctionLines: number;
  /** Folders (relative, with a trailing slash) whose files must stay short, and how short. */
  maxFileLines: { under: readonly string[]; lines: number };
}

/** One sentence per broken rule, naming the file, the function and its length. */
export function shapeViolations(
  measured: { functions: readonly FunctionLength[]; files: readonly FileLength[] },
  rules: ShapeRules,
): string[] {
  const functions = measured.functions.flatMap((found) =>
    found.lines <= rules.maxFunctionLines
      ? []
      : [
          `${found.file}:${found.line} function ${found.name} is ${found.lines} lines long; at most ${rules.maxFunctionLines}`,
        ],
  );
  const files = measured.files.flatMap((found) =>
    !rules.maxFileLines.under.some((folder) => found.file.startsWith(folder)) ||
    found.lines <= rules.maxFileLines.lines
      ? []
      : [`${found.file} is ${found.lines} lines long; at most ${rules.maxFileLines.lines}`],
  );
  return [...functions, ...files];
}
