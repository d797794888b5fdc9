/**
 * The platform's user-group permission expressions (`groups.doctor || isBackoffice`), parsed by
 * our own small recursive-descent parser into an AST that is evaluated over a fixed set of facts
 * about the caller and the target. Nothing here ever reaches `eval`, `Function` or a JavaScript
 * sandbox: an expression can only combine the names below.
 *
 *   expression := or
 *   or         := and ( '||' and )*
 *   and        := unary ( '&&' unary )*
 *   unary      := '!' unary | primary
 *   primary    := '(' or ')' | 'true' | 'false' | FACT | 'groups.' NAME
 *               | 'clientType' ( '==' | '!=' ) STRING
 *   FACT       := isAuthenticated | isBackoffice | inPlusGroups | inBasicGroups
 *               | isParticipant | isPlusParticipant
 *   NAME       := [A-Za-z0-9_-]+          STRING := '…' or "…" (no escapes)
 */

export const POLICY_FACTS = [
  'isAuthenticated',
  'isBackoffice',
  'inPlusGroups',
  'inBasicGroups',
  'isParticipant',
  'isPlusParticipant',
] as const;

export type PolicyFact = (typeof POLICY_FACTS)[number];

export type PolicyNode =
  | { kind: 'literal'; value: boolean }
  | { kind: 'fact'; name: PolicyFact }
  | { kind: 'group'; name: string }
  | { kind: 'clientType'; equals: boolean; value: string }
  | { kind: 'not'; operand: PolicyNode }
  | { kind: 'and' | 'or'; left: PolicyNode; right: PolicyNode };

/** A parsed expression: its AST and what evaluating it needs to know. */
export interface PolicyExpression {
  /** As written in the configuration (never sent to a client). */
  source: string;
  ast: PolicyNode;
  /** It reads the caller's groups (`groups.x`, `inPlusGroups`, `inBasicGroups`). */
  needsGroups: boolean;
  /** It reads the target (`isParticipant`, `isPlusParticipant`). */
  needsTarget: boolean;
}

/** What an expression is evaluated over. */
export interface PolicyFacts {
  isAuthenticated: boolean;
  isBackoffice: boolean;
  clientType: string | null;
  /** The caller's groups; only read when the expression `needsGroups`. */
  groups: ReadonlySet<string>;
  inPlusGroups: boolean;
  inBasicGroups: boolean;
  isParticipant: boolean;
  isPlusParticipant: boolean;
}

export class PolicySyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based position in the expression. */
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
    this.name = 'PolicySyntaxError';
  }
}

/** Longer expressions or deeper nesting are configuration mistakes, not policies. */
const MAX_LENGTH = 2000;
const MAX_DEPTH = 32;

type Token =
  | { type: 'op'; value: '(' | ')' | '!' | '&&' | '||' | '==' | '!='; at: number }
  | { type: 'word'; value: string; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'end'; at: number };

const WORD = /[A-Za-z0-9_.-]/;
const GROUP_NAME = /^[A-Za-z0-9_-]+$/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=') {
      tokens.push({ type: 'op', value: two, at: i + 1 });
      i += 2;
      continue;
    }
    if (char === '(' || char === ')' || char === '!') {
      tokens.push({ type: 'op', value: char, at: i + 1 });
      i++;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = source.indexOf(char, i + 1);
      if (end === -1) throw new PolicySyntaxError('unterminated string', i + 1);
      tokens.push({ type: 'string', value: source.slice(i + 1, end), at: i + 1 });
      i = end + 1;
      continue;
    }
    if (WORD.test(char)) {
      const start = i;
      while (i < source.length && WORD.test(source[i] as string)) i++;
      tokens.push({ type: 'word', value: source.slice(start, i), at: start + 1 });
      continue;
    }
    if (char === '&' || char === '|' || char === '=') {
      throw new PolicySyntaxError(`"${char}" must be doubled ("${char}${char}")`, i + 1);
    }
    throw new PolicySyntaxError(`unexpected character ${JSON.stringify(char)}`, i + 1);
  }
  tokens.push({ type: 'end', at: source.length + 1 });
  return tokens;
}

function describe(token: Token): string {
  if (token.type === 'end') return 'the end of the expression';
  if (token.type === 'string') return `the string '${token.value}'`;
  return `"${token.value}"`;
}

/** Parses an expression; throws PolicySyntaxError naming what is wrong and where. */
export function parsePolicy(source: string): PolicyExpression {
  if (source.length > MAX_LENGTH) throw new PolicySyntaxError(`longer than ${MAX_LENGTH} characters`, 1);
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token => tokens[position] as Token;
  const next = (): Token => tokens[position++] as Token;
  const isOp = (token: Token, value: string) => token.type === 'op' && token.value === value;

  const or = (depth: number): PolicyNode => {
    let left = and(depth);
    while (isOp(peek(), '||')) {
      next();
      left = { kind: 'or', left, right: and(depth) };
    }
    return left;
  };
  const and = (depth: number): PolicyNode => {
    let left = unary(depth);
    while (isOp(peek(), '&&')) {
      next();
      left = { kind: 'and', left, right: unary(depth) };
    }
    return left;
  };
  const unary = (depth: number): PolicyNode => {
    if (depth > MAX_DEPTH) throw new PolicySyntaxError(`nested deeper than ${MAX_DEPTH} levels`, peek().at);
    if (isOp(peek(), '!')) {
      next();
      return { kind: 'not', operand: unary(depth + 1) };
    }
    return primary(depth);
  };
  const primary = (depth: number): PolicyNode => {
    const token = next();
    if (isOp(token, '(')) {
      const inner = or(depth + 1);
      const close = next();
      if (!isOp(close, ')'))
        throw new PolicySyntaxError(`expected ")" but found ${describe(close)}`, close.at);
      return inner;
    }
    if (token.type !== 'word') {
      throw new PolicySyntaxError(`expected a name, "!" or "(" but found ${describe(token)}`, token.at);
    }
    const word = token.value;
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if ((POLICY_FACTS as readonly string[]).includes(word)) return { kind: 'fact', name: word as PolicyFact };
    if (word.startsWith('groups.')) {
      const name = word.slice('groups.'.length);
      if (!GROUP_NAME.test(name)) {
        throw new PolicySyntaxError(`"${word}": a group name is letters, digits, "_" and "-"`, token.at);
      }
      return { kind: 'group', name };
    }
    if (word === 'clientType') {
      const operator = next();
      if (!isOp(operator, '==') && !isOp(operator, '!=')) {
        throw new PolicySyntaxError(
          `expected "==" or "!=" after clientType but found ${describe(operator)}`,
          operator.at,
        );
      }
      const value = next();
      if (value.type !== 'string') {
        throw new PolicySyntaxError(
          `expected a quoted string after clientType ${operator.type === 'op' ? operator.value : ''} but found ${describe(value)}`,
          value.at,
        );
      }
      return { kind: 'clientType', equals: isOp(operator, '=='), value: value.value };
    }
    throw new PolicySyntaxError(
      `unknown name "${word}"; the names are true, false, ${POLICY_FACTS.join(', ')}, clientType and groups.<name>`,
      token.at,
    );
  };

  if (peek().type === 'end') throw new PolicySyntaxError('empty expression', 1);
  const ast = or(0);
  const rest = peek();
  if (rest.type !== 'end') throw new PolicySyntaxError(`unexpected ${describe(rest)}`, rest.at);
  return { source, ast, needsGroups: reads(ast, needsGroups), needsTarget: reads(ast, needsTarget) };
}

function needsGroups(node: PolicyNode): boolean {
  return (
    node.kind === 'group' ||
    (node.kind === 'fact' && (node.name === 'inPlusGroups' || node.name === 'inBasicGroups'))
  );
}

function needsTarget(node: PolicyNode): boolean {
  return node.kind === 'fact' && (node.name === 'isParticipant' || node.name === 'isPlusParticipant');
}

function reads(node: PolicyNode, test: (node: PolicyNode) => boolean): boolean {
  if (test(node)) return true;
  if (node.kind === 'not') return reads(node.operand, test);
  if (node.kind === 'and' || node.kind === 'or') return reads(node.left, test) || reads(node.right, test);
  return false;
}

/** Evaluates with the usual short-circuits. */
export function evaluatePolicy(node: PolicyNode, facts: PolicyFacts): boolean {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'fact':
      return facts[node.name];
    case 'group':
      return facts.groups.has(node.name);
    case 'clientType':
      return (facts.clientType === node.value) === node.equals;
    case 'not':
      return !evaluatePolicy(node.operand, facts);
    case 'and':
      return evaluatePolicy(node.left, facts) && evaluatePolicy(node.right, facts);
    case 'or':
      return evaluatePolicy(node.left, facts) || evaluatePolicy(node.right, facts);
  }
}
