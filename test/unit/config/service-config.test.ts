import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { renderServiceConfigJsonSchema } from '../../../src/config/service-config.js';
import type { ServiceConfig } from '../../../src/config/types.js';
import { defaultPolicies, OPERATION_KEYS, OPERATIONS } from '../../../src/domain/authorization/operations.js';

const ENV = {
  BANDYER_API_SECRET_KEY: 'secret-key',
  BANDYER_BASE_URL: 'https://sandbox.kaleyra.test',
  STORE: 'memory',
  TELECONSULTATION_SERVICE_CONFIG_PATH: '/etc/telecons/config.json',
};
const PREFIX = 'TELECONSULTATION_SERVICE_CONFIG_PATH (/etc/telecons/config.json)';

const ALL_TOOLS_ON = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};

const DEFAULT_FHIR = {
  identifierSystem: 'urn:teleconsultation-gateway:teleconsultation',
  plus: { prefix: 'Practitioner/', type: 'Practitioner' },
  basic: { prefix: 'Patient/', type: 'Patient' },
  byGroup: [],
  participantNames: false,
};

const MINIMAL_FILE = {
  privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
  environment: 'sandbox',
};

function serviceFrom(file: unknown, env: Record<string, string> = {}): ServiceConfig {
  return loadConfig({ ...ENV, ...env }, { readFile: () => JSON.stringify(file) }).service;
}

function fileIssues(file: unknown): string[] {
  try {
    loadConfig(ENV, { readFile: () => JSON.stringify(file) });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the default service configuration (no TELECONSULTATION_SERVICE_CONFIG_PATH)', () => {
  it("is the seed's default configuration, mapped to the domain", () => {
    const { TELECONSULTATION_SERVICE_CONFIG_PATH: _path, ...env } = ENV;
    const readFile = (): string => {
      throw new Error('no file should be read');
    };
    expect(loadConfig(env, { readFile }).service).toEqual({
      authorization: defaultPolicies(),
      join: { windows: [], closesAfterEndMs: null },
      calendar: { summary: 'Teleconsultation' },
      fhir: DEFAULT_FHIR,
      webhooks: [],
      privileges: {
        basic: { groups: ['customer'], tools: ALL_TOOLS_ON },
        plus: { groups: ['doctor'], tools: ALL_TOOLS_ON },
      },
      theme: {
        light: { primaryColor: '#fff', accentColor: '#480ca8' },
        dark: { primaryColor: '#003049', accentColor: '#d62828' },
      },
      environment: 'sandbox',
      mode: 'window',
      companyLogo: { url: 'https://www.insert.url.it' },
      groupsWithBackgroundList: [],
      userIdPathInRequest: [
        { from: 'object', extract: 'headers' },
        { from: 'object', extract: 'miauserid' },
      ],
    });
  });

  it('applies an empty TELECONSULTATION_SERVICE_CONFIG_PATH as unset', () => {
    const service = loadConfig({ ...ENV, TELECONSULTATION_SERVICE_CONFIG_PATH: '' }).service;
    expect(service.privileges.plus.groups).toEqual(['doctor']);
  });
});

describe('mapping the file to the domain', () => {
  it('maps every property of a full file', () => {
    const service = serviceFrom({
      privileges: {
        basic: {
          groups: ['patient'],
          tools: {
            chat: true,
            screen_sharing: false,
            file_upload: false,
            whiteboard: false,
            snapshot: false,
            live_edit: false,
            live_pointer: false,
            present_to_everyone: false,
          },
        },
        plus: { groups: ['doctor', 'nurse'], tools: { chat: false } },
      },
      environment: 'production',
      mode: 'embed',
      theme: { dark: { primaryColor: '#00000080', accentColor: '#ABCDEF' } },
      companyLogo: { url: 'http://logo.example.com/logo.png' },
      groupsWithBackgroundList: ['doctor'],
      userIdPathInRequest: [
        { from: 'object', extract: 'headers' },
        { from: 'json', extract: 'miauserproperties' },
        { from: 'object', extract: 'ids' },
        { from: 'array', extract: 0 },
      ],
    });
    expect(service).toEqual({
      authorization: defaultPolicies(),
      join: { windows: [], closesAfterEndMs: null },
      calendar: { summary: 'Teleconsultation' },
      fhir: DEFAULT_FHIR,
      webhooks: [],
      privileges: {
        basic: {
          groups: ['patient'],
          tools: {
            chat: true,
            screenSharing: false,
            fileUpload: false,
            whiteboard: false,
            snapshot: false,
            liveEdit: false,
            livePointer: false,
            presentToEveryone: false,
          },
        },
        plus: { groups: ['doctor', 'nurse'], tools: { ...ALL_TOOLS_ON, chat: false } },
      },
      environment: 'production',
      mode: 'embed',
      theme: { dark: { primaryColor: '#00000080', accentColor: '#ABCDEF' } },
      companyLogo: { url: 'http://logo.example.com/logo.png' },
      groupsWithBackgroundList: ['doctor'],
      userIdPathInRequest: [
        { from: 'object', extract: 'headers' },
        { from: 'json', extract: 'miauserproperties' },
        { from: 'object', extract: 'ids' },
        { from: 'array', extract: 0 },
      ],
    });
  });

  it('enables every tool when tools is absent, and each tool left out of tools', () => {
    const service = serviceFrom({
      ...MINIMAL_FILE,
      privileges: {
        basic: { groups: ['customer'] },
        plus: { groups: ['doctor'], tools: { whiteboard: false } },
      },
    });
    expect(service.privileges.basic.tools).toEqual(ALL_TOOLS_ON);
    expect(service.privileges.plus.tools).toEqual({ ...ALL_TOOLS_ON, whiteboard: false });
  });

  it('fills the optional properties: no theme, mode or logo, no background groups, the header user id path', () => {
    const service = serviceFrom(MINIMAL_FILE, { USERID_HEADER_KEY: 'X-Platform-User' });
    expect(service).toEqual({
      authorization: defaultPolicies(),
      join: { windows: [], closesAfterEndMs: null },
      calendar: { summary: 'Teleconsultation' },
      fhir: DEFAULT_FHIR,
      webhooks: [],
      privileges: {
        basic: { groups: ['customer'], tools: ALL_TOOLS_ON },
        plus: { groups: ['doctor'], tools: ALL_TOOLS_ON },
      },
      environment: 'sandbox',
      groupsWithBackgroundList: [],
      userIdPathInRequest: [
        { from: 'object', extract: 'headers' },
        { from: 'object', extract: 'x-platform-user' },
      ],
    });
  });

  it('treats an empty companyLogo.url as no logo', () => {
    expect(serviceFrom({ ...MINIMAL_FILE, companyLogo: { url: '' } }).companyLogo).toBeUndefined();
  });

  it('ignores unknown properties outside tools, as the original did', () => {
    const service = serviceFrom({
      ...MINIMAL_FILE,
      futureOption: { anything: 1 },
      privileges: { basic: { groups: ['customer'], note: 'x' }, plus: { groups: ['doctor'] } },
    });
    expect(service).not.toHaveProperty('futureOption');
    expect(service.privileges.basic).toEqual({ groups: ['customer'], tools: ALL_TOOLS_ON });
  });

  it('reads the file at the given path', () => {
    const paths: string[] = [];
    loadConfig(ENV, {
      readFile: (path) => {
        paths.push(path);
        return JSON.stringify(MINIMAL_FILE);
      },
    });
    expect(paths).toEqual(['/etc/telecons/config.json']);
  });

  it('accepts a file saved with a byte-order mark', () => {
    const service = loadConfig(ENV, { readFile: () => `\uFEFF${JSON.stringify(MINIMAL_FILE)}` }).service;
    expect(service.environment).toBe('sandbox');
  });
});

describe('file errors name the file and the property path', () => {
  it('reports a wrong groups type at privileges.plus.groups', () => {
    expect(
      fileIssues({
        ...MINIMAL_FILE,
        privileges: { basic: { groups: ['customer'] }, plus: { groups: 'doctor' } },
      }),
    ).toEqual([`${PREFIX} privileges.plus.groups: expected an array of strings`]);
  });

  it('reports missing required properties', () => {
    expect(fileIssues({})).toEqual([
      `${PREFIX} privileges: required: an object with basic and plus`,
      `${PREFIX} environment: required: "sandbox" or "production"`,
    ]);
    expect(fileIssues({ ...MINIMAL_FILE, privileges: { basic: {}, plus: { groups: [] } } })).toEqual([
      `${PREFIX} privileges.basic.groups: required: an array of strings`,
    ]);
  });

  it('reports each bad item with its index', () => {
    expect(
      fileIssues({
        ...MINIMAL_FILE,
        privileges: { basic: { groups: ['customer', 7] }, plus: { groups: [] } },
      }),
    ).toEqual([`${PREFIX} privileges.basic.groups[1]: expected a group name (string)`]);
    expect(fileIssues({ ...MINIMAL_FILE, groupsWithBackgroundList: 'doctor' })).toEqual([
      `${PREFIX} groupsWithBackgroundList: expected an array of strings`,
    ]);
  });

  it('rejects a non-boolean tool and an unknown tool name', () => {
    expect(
      fileIssues({
        ...MINIMAL_FILE,
        privileges: {
          basic: { groups: [], tools: { chat: 'yes', screenSharing: false } },
          plus: { groups: ['doctor'] },
        },
      }),
    ).toEqual([
      `${PREFIX} privileges.basic.tools.chat: expected true or false`,
      `${PREFIX} privileges.basic.tools.screenSharing: unknown tool "screenSharing"; the tools are chat, screen_sharing, file_upload, whiteboard, snapshot, live_edit, live_pointer, present_to_everyone`,
    ]);
  });

  it('rejects an unknown environment', () => {
    expect(fileIssues({ ...MINIMAL_FILE, environment: 'staging' })).toEqual([
      `${PREFIX} environment: expected "sandbox" or "production"`,
    ]);
  });

  it('rejects colours that are not #rgb, #rrggbb or #rrggbbaa', () => {
    for (const good of ['#fff', '#480ca8', '#480CA8ff']) {
      expect(
        serviceFrom({ ...MINIMAL_FILE, theme: { light: { primaryColor: good, accentColor: good } } }).theme,
      ).toEqual({ light: { primaryColor: good, accentColor: good } });
    }
    expect(
      fileIssues({ ...MINIMAL_FILE, theme: { light: { primaryColor: 'red', accentColor: '#abcd' } } }),
    ).toEqual([
      `${PREFIX} theme.light.primaryColor: expected a hex colour (#rgb, #rrggbb or #rrggbbaa), got "red"`,
      `${PREFIX} theme.light.accentColor: expected a hex colour (#rgb, #rrggbb or #rrggbbaa), got "#abcd"`,
    ]);
  });

  it('rejects a logo URL that is not http(s)', () => {
    expect(fileIssues({ ...MINIMAL_FILE, companyLogo: { url: 'ftp://logo.example.com/a.png' } })).toEqual([
      `${PREFIX} companyLogo.url: expected an http(s) URL, or "" for none`,
    ]);
  });

  it('requires the user id path to start from the request object', () => {
    expect(fileIssues({ ...MINIMAL_FILE, userIdPathInRequest: [{ from: 'json', extract: 'x' }] })).toEqual([
      `${PREFIX} userIdPathInRequest[0].from: the first step must be from "object" (it reads the request)`,
    ]);
    expect(fileIssues({ ...MINIMAL_FILE, userIdPathInRequest: [] })).toEqual([
      `${PREFIX} userIdPathInRequest[0]: required: at least one step, the first from "object"`,
    ]);
  });

  it('rejects unknown step kinds and array steps without a non-negative integer index', () => {
    expect(
      fileIssues({
        ...MINIMAL_FILE,
        userIdPathInRequest: [
          { from: 'object', extract: 'headers' },
          { from: 'xml', extract: 'a' },
          { from: 'array', extract: -1 },
          { from: 'array', extract: '0' },
          { from: 'array', extract: 1.5 },
        ],
      }),
    ).toEqual([
      `${PREFIX} userIdPathInRequest[1].from: expected "from" to be "object", "json" or "array"`,
      `${PREFIX} userIdPathInRequest[2].extract: expected an array index (non-negative integer)`,
      `${PREFIX} userIdPathInRequest[3].extract: expected an array index (non-negative integer)`,
      `${PREFIX} userIdPathInRequest[4].extract: expected an array index (non-negative integer)`,
    ]);
  });

  it('rejects a file whose top level is not an object', () => {
    expect(fileIssues([])).toEqual([`${PREFIX}: expected a JSON object`]);
  });

  it('reports an unreadable file without a stack', () => {
    const readFile = (): string => {
      throw Object.assign(new Error("ENOENT: no such file or directory, open '/etc/telecons/config.json'"), {
        code: 'ENOENT',
      });
    };
    expect(() => loadConfig(ENV, { readFile })).toThrow(
      `${PREFIX}: cannot read the file: no such file (ENOENT)`,
    );
  });

  it('says permission denied when the file cannot be opened for reading', () => {
    const readFile = (): string => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(() => loadConfig(ENV, { readFile })).toThrow(
      `${PREFIX}: cannot read the file: permission denied (EACCES)`,
    );
  });

  it('reports invalid JSON with the parser message', () => {
    expect(() => loadConfig(ENV, { readFile: () => '{"privileges": ' })).toThrow(
      new RegExp(`^${PREFIX.replace(/[()/.]/g, '\\$&')}: not valid JSON: .+`),
    );
  });

  it('reports file problems together with variable problems', () => {
    let caught: unknown;
    try {
      loadConfig({ ...ENV, PORT: 'x' }, { readFile: () => '{}' });
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'PORT',
      `${PREFIX} privileges`,
      `${PREFIX} environment`,
    ]);
  });
});

describe('schema/service-config.schema.json', () => {
  it('is what the zod schema generates (run npm run config-schema:emit after changing it)', () => {
    const committed = readFileSync(
      new URL('../../../schema/service-config.schema.json', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(renderServiceConfigJsonSchema());
  });

  it('describes every property of the seed format, with snake_case tool names', () => {
    const schema = JSON.parse(renderServiceConfigJsonSchema());
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'admission',
        'authorization',
        'calendar',
        'checkInOpensBeforeMs',
        'noShowAfterMs',
        'companyLogo',
        'environment',
        'fhir',
        'groupsWithBackgroundList',
        'joinClosesAfterEndMs',
        'joinWindows',
        'mode',
        'privileges',
        'theme',
        'userIdPathInRequest',
        'webhooks',
      ].sort(),
    );
    expect(schema.required).toEqual(['privileges', 'environment']);
    expect(Object.keys(schema.properties.privileges.properties.plus.properties.tools.properties)).toEqual([
      'chat',
      'screen_sharing',
      'file_upload',
      'whiteboard',
      'snapshot',
      'live_edit',
      'live_pointer',
      'present_to_everyone',
    ]);
    // Every operation of the authorization table, each a string with its default in the description.
    const authorization = schema.properties.authorization;
    expect(authorization.additionalProperties).toBe(false);
    expect(Object.keys(authorization.properties)).toEqual(OPERATION_KEYS);
    expect(authorization.properties.updateTeleconsultation).toMatchObject({ type: 'string' });
    expect(authorization.properties.updateTeleconsultation.description).toContain(
      'isPlusParticipant || isBackoffice',
    );
  });
});

describe('authorization: operation → expression, parsed at start-up', () => {
  it('keeps the secure default of every operation the file leaves out', () => {
    const service = serviceFrom({
      ...MINIMAL_FILE,
      authorization: { updateTeleconsultation: 'isBackoffice' },
    });
    expect(service.authorization.updateTeleconsultation.source).toBe('isBackoffice');
    expect(service.authorization.deleteTeleconsultation.source).toBe('isPlusParticipant || isBackoffice');
    expect(service.authorization.teleconsultation.source).toBe('isParticipant');
  });

  it('parses each expression once, into what the decision evaluates', () => {
    const service = serviceFrom({
      ...MINIMAL_FILE,
      authorization: {
        createTeleconsultation: "clientType == 'backoffice' && (groups.nurse || inPlusGroups)",
      },
    });
    expect(service.authorization.createTeleconsultation).toMatchObject({
      needsGroups: true,
      needsTarget: false,
      ast: { kind: 'and', left: { kind: 'clientType', equals: true, value: 'backoffice' } },
    });
  });

  it('names the path of every bad entry, all at once', () => {
    const issues = fileIssues({
      ...MINIMAL_FILE,
      authorization: {
        updateTeleconsultation: 'isPlusParticipant ||',
        deleteTeleconsultation: 'isDoctor',
        addParticipants: 42,
      },
    });
    // In the order of the operation table.
    expect(issues).toEqual([
      `${PREFIX} authorization.addParticipants: expected an expression (a string), e.g. "isPlusParticipant || isBackoffice"`,
      `${PREFIX} authorization.updateTeleconsultation: expected a name, "!" or "(" but found the end of the expression (at column 21)`,
      expect.stringMatching(
        /^TELECONSULTATION_SERVICE_CONFIG_PATH \(.*\) authorization\.deleteTeleconsultation: unknown name "isDoctor"; the names are .* \(at column 1\)$/,
      ),
    ]);
    expect(issues).toHaveLength(3);
  });

  it('refuses a target fact on every operation that acts on no teleconsultation, naming its path', () => {
    const untargeted = OPERATION_KEYS.filter((key) => !OPERATIONS[key].target);
    expect(untargeted).toContain('webhookDeliveries');
    // `!isPlusParticipant` is always true where there is no target: anyone, anonymous included.
    const issues = fileIssues({
      ...MINIMAL_FILE,
      authorization: Object.fromEntries(untargeted.map((key) => [key, 'isBackoffice || !isPlusParticipant'])),
    });
    expect(issues).toEqual(
      untargeted.map((key) =>
        expect.stringContaining(
          `${PREFIX} authorization.${key}: isParticipant and isPlusParticipant mean nothing here: ${key} acts on no teleconsultation`,
        ),
      ),
    );
    expect(
      fileIssues({ ...MINIMAL_FILE, authorization: { createCredentials: 'isParticipant' } }),
    ).toHaveLength(1);
  });

  it('accepts target facts on every operation that acts on one teleconsultation', () => {
    const targeted = OPERATION_KEYS.filter((key) => OPERATIONS[key].target);
    const service = serviceFrom({
      ...MINIMAL_FILE,
      authorization: Object.fromEntries(targeted.map((key) => [key, 'isParticipant && !isPlusParticipant'])),
    });
    for (const key of targeted) expect(service.authorization[key].needsTarget).toBe(true);
  });

  it('refuses an unknown operation key, listing the known ones', () => {
    const [issue] = fileIssues({ ...MINIMAL_FILE, authorization: { cancelEverything: 'true' } });
    expect(issue).toBe(
      `${PREFIX} authorization.cancelEverything: unknown operation "cancelEverything"; the operations are ${OPERATION_KEYS.join(', ')}`,
    );
  });

  it('refuses an authorization that is not an object', () => {
    expect(fileIssues({ ...MINIMAL_FILE, authorization: ['isBackoffice'] })).toEqual([
      `${PREFIX} authorization: expected an object of operation names to expressions`,
    ]);
  });
});

describe('calendar: text written into iCalendar parameters', () => {
  it('accepts an organizer name with a double quote or a caret (written RFC 6868-encoded)', () => {
    const name = 'Clinica "San Luca" ^ Roma';
    const service = serviceFrom({
      ...MINIMAL_FILE,
      calendar: { organizer: { name, email: 'no-reply@clinic.example' } },
    });
    expect(service.calendar.organizer?.name).toBe(name);
  });

  it.each([
    ['a backslash, which no parameter carries faithfully', 'Clinica \\ San Luca', /without "\\"/],
    ['a line break', 'Clinica\nSan Luca', /on one line/],
    ['a tab', 'Clinica\tSan Luca', /on one line/],
  ])('refuses an organizer name with %s, naming its path', (_what, name, message) => {
    const issues = fileIssues({
      ...MINIMAL_FILE,
      calendar: { organizer: { name, email: 'no-reply@clinic.example' } },
    });
    expect(issues).toEqual([expect.stringContaining(`${PREFIX} calendar.organizer.name: expected a name`)]);
    expect(issues[0]).toMatch(message);
  });
});

describe('fhir: how the FHIR view names visits and participants', () => {
  it('defaults to a URN identifier system, Practitioner/ for PLUS, Patient/ for BASIC and no names', () => {
    expect(serviceFrom(MINIMAL_FILE).fhir).toEqual(DEFAULT_FHIR);
  });

  it('takes a system, prefixes (with a base URL, per group in order) and names', () => {
    const service = serviceFrom({
      ...MINIMAL_FILE,
      privileges: { basic: { groups: ['customer', 'caregiver'] }, plus: { groups: ['doctor', 'nurse'] } },
      fhir: {
        identifierSystem: 'https://clinic.example/fhir/teleconsultation',
        references: {
          plus: 'https://ehr.example/fhir/PractitionerRole/',
          byGroup: { caregiver: 'RelatedPerson/', nurse: 'Practitioner/' },
        },
        participantNames: true,
      },
    });
    expect(service.fhir).toEqual({
      identifierSystem: 'https://clinic.example/fhir/teleconsultation',
      plus: { prefix: 'https://ehr.example/fhir/PractitionerRole/', type: 'PractitionerRole' },
      basic: { prefix: 'Patient/', type: 'Patient' },
      byGroup: [
        { group: 'caregiver', prefix: 'RelatedPerson/', type: 'RelatedPerson' },
        { group: 'nurse', prefix: 'Practitioner/', type: 'Practitioner' },
      ],
      participantNames: true,
    });
  });

  it.each([
    ['a resource type no participant can be', { plus: 'Device/' }, 'fhir.references.plus'],
    ['a prefix without its closing slash', { basic: 'Patient' }, 'fhir.references.basic'],
    ['a prefix with a query', { basic: 'https://ehr.example/fhir?x=1/Patient/' }, 'fhir.references.basic'],
    [
      'a group in no privilege profile',
      { byGroup: { nures: 'Practitioner/' } },
      'fhir.references.byGroup.nures',
    ],
  ])('refuses %s, naming its path', (_what, references, path) => {
    expect(fileIssues({ ...MINIMAL_FILE, fhir: { references } })).toEqual([
      expect.stringContaining(`${PREFIX} ${path}:`),
    ]);
  });

  it('refuses an identifier system that is not an absolute URI, and names that are not a boolean', () => {
    expect(
      fileIssues({ ...MINIMAL_FILE, fhir: { identifierSystem: 'clinic', participantNames: 'yes' } }),
    ).toEqual([
      expect.stringContaining(`${PREFIX} fhir.identifierSystem: expected an absolute URI`),
      expect.stringContaining(`${PREFIX} fhir.participantNames: expected true or false`),
    ]);
  });
});
