import { defaultPolicies, OPERATION_KEYS, OPERATIONS } from '../../../src/domain/authorization/operations.js';
import {
  evaluatePolicy,
  type PolicyFacts,
  PolicySyntaxError,
  parsePolicy,
} from '../../../src/domain/authorization/policy-expression.js';

const NOBODY: PolicyFacts = {
  isAuthenticated: false,
  isBackoffice: false,
  clientType: null,
  groups: new Set(),
  inPlusGroups: false,
  inBasicGroups: false,
  isParticipant: false,
  isPlusParticipant: false,
};

function allows(expression: string, facts: Partial<PolicyFacts> = {}): boolean {
  return evaluatePolicy(parsePolicy(expression).ast, { ...NOBODY, ...facts });
}

function syntaxError(expression: string): PolicySyntaxError {
  try {
    parsePolicy(expression);
  } catch (error) {
    if (error instanceof PolicySyntaxError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(expression)} parsed`);
}

describe('policy expressions: evaluation', () => {
  it('reads the literals and every fact by its name', () => {
    expect(allows('true')).toBe(true);
    expect(allows('false')).toBe(false);
    for (const fact of [
      'isAuthenticated',
      'isBackoffice',
      'inPlusGroups',
      'inBasicGroups',
      'isParticipant',
      'isPlusParticipant',
    ] as const) {
      expect(allows(fact)).toBe(false);
      expect(allows(fact, { [fact]: true })).toBe(true);
    }
  });

  it('reads groups.<name>, names with digits, "_" and "-", case-sensitively', () => {
    const groups = new Set(['doctor', 'back-office_2']);
    expect(allows('groups.doctor', { groups })).toBe(true);
    expect(allows('groups.back-office_2', { groups })).toBe(true);
    expect(allows('groups.Doctor', { groups })).toBe(false);
    expect(allows('groups.nurse', { groups })).toBe(false);
  });

  it('compares clientType with == and != against quoted strings (either quote)', () => {
    expect(allows("clientType == 'backoffice'", { clientType: 'backoffice' })).toBe(true);
    expect(allows('clientType == "backoffice"', { clientType: 'backoffice' })).toBe(true);
    expect(allows("clientType == 'backoffice'", { clientType: 'cms' })).toBe(false);
    expect(allows("clientType != 'cms'", { clientType: 'backoffice' })).toBe(true);
    expect(allows("clientType != 'cms'", { clientType: 'cms' })).toBe(false);
    // No client type at all is different from every named one.
    expect(allows("clientType == ''")).toBe(false);
    expect(allows("clientType != 'cms'")).toBe(true);
  });

  it('gives ! over && over || and honours parentheses', () => {
    // true || (false && false) = true; (true || false) && false = false
    expect(allows('isBackoffice || isParticipant && isAuthenticated', { isBackoffice: true })).toBe(true);
    expect(allows('(isBackoffice || isParticipant) && isAuthenticated', { isBackoffice: true })).toBe(false);
    expect(allows('!isBackoffice && isAuthenticated', { isAuthenticated: true })).toBe(true);
    expect(allows('!(isBackoffice || isAuthenticated)', { isAuthenticated: true })).toBe(false);
    expect(allows('!!isParticipant', { isParticipant: true })).toBe(true);
    expect(allows('((((true))))')).toBe(true);
  });

  it('says what an expression needs: the caller groups, the target', () => {
    expect(parsePolicy('groups.doctor || isBackoffice')).toMatchObject({
      needsGroups: true,
      needsTarget: false,
    });
    expect(parsePolicy('inBasicGroups')).toMatchObject({ needsGroups: true, needsTarget: false });
    expect(parsePolicy('!isPlusParticipant')).toMatchObject({ needsGroups: false, needsTarget: true });
    expect(parsePolicy("clientType == 'x' && true")).toMatchObject({
      needsGroups: false,
      needsTarget: false,
    });
  });
});

describe('policy expressions: syntax errors name what and where', () => {
  it.each([
    ['', /empty expression/, 1],
    ['   ', /empty expression/, 1],
    ['isBackoffice ||', /found the end of the expression/, 16],
    ['isBackoffice | isParticipant', /"\|" must be doubled/, 14],
    ['isBackoffice & isParticipant', /"&" must be doubled/, 14],
    ['(isBackoffice', /expected "\)"/, 14],
    ['isBackoffice)', /unexpected "\)"/, 13],
    ['isBackoffice isParticipant', /unexpected "isParticipant"/, 14],
    ["clientType = 'x'", /"=" must be doubled/, 12],
    ['clientType == backoffice', /quoted string/, 15],
    ["clientType 'x'", /expected "==" or "!="/, 12],
    ["clientType == 'x", /unterminated string/, 15],
    ['groups.', /group name/, 1],
    ['groups.doc.tor', /group name/, 1],
    ['isAdmin', /unknown name "isAdmin"/, 1],
    ['process.exit()', /unknown name "process.exit"/, 1],
    ['isBackoffice; true', /unexpected character ";"/, 13],
  ])('%j', (expression, message, column) => {
    const error = syntaxError(expression);
    expect(error.message).toMatch(message);
    expect(error.column).toBe(column);
  });

  it('refuses nesting deeper than a policy ever needs, instead of exhausting the stack', () => {
    expect(syntaxError(`${'('.repeat(100)}true${')'.repeat(100)}`).message).toMatch(/nested deeper/);
    expect(syntaxError(`${'!'.repeat(100)}true`).message).toMatch(/nested deeper/);
  });

  it('refuses an overlong expression', () => {
    expect(syntaxError(Array.from({ length: 400 }, () => 'true').join(' || ')).message).toMatch(
      /longer than/,
    );
  });
});

describe('the operation table', () => {
  it('gives every operation a default that parses', () => {
    const policies = defaultPolicies();
    expect(Object.keys(policies)).toEqual(OPERATION_KEYS);
    for (const key of OPERATION_KEYS) expect(policies[key].source).toBe(OPERATIONS[key].default);
  });

  it('says which operations act on one teleconsultation, and only their defaults read the target', () => {
    // The flag decides whether isParticipant / isPlusParticipant may appear (config validation).
    expect(OPERATION_KEYS.filter((key) => OPERATIONS[key].target)).toEqual([
      'teleconsultation',
      'teleconsultationHistory',
      'transcription',
      'addParticipants',
      'updateTeleconsultation',
      'deleteTeleconsultation',
      'deleteTeleconsultationUploads',
    ]);
    const policies = defaultPolicies();
    for (const key of OPERATION_KEYS) {
      if (!OPERATIONS[key].target) expect(policies[key].needsTarget).toBe(false);
    }
  });

  it('has the secure defaults of the authorization spec', () => {
    expect(Object.fromEntries(OPERATION_KEYS.map((key) => [key, OPERATIONS[key].default]))).toEqual({
      teleconsultation: 'isParticipant',
      teleconsultationHistory: 'isPlusParticipant || isBackoffice',
      transcription: 'isPlusParticipant || isBackoffice',
      webhookDeliveries: 'isBackoffice',
      myTeleconsultations: 'isAuthenticated',
      createTeleconsultation: 'inPlusGroups || isBackoffice',
      addParticipants: 'isPlusParticipant || isBackoffice',
      updateTeleconsultation: 'isPlusParticipant || isBackoffice',
      deleteTeleconsultation: 'isPlusParticipant || isBackoffice',
      deleteTeleconsultationUploads: 'isParticipant',
      createCredentials: 'isAuthenticated',
      serviceConfig: 'true',
      companySettings: 'isAuthenticated',
      virtualBackgrounds: 'isAuthenticated',
      updateCompanySettings: 'isBackoffice',
      uploadVirtualBackground: 'isBackoffice',
      deleteVirtualBackground: 'isBackoffice',
    });
  });
});
