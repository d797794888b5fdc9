/**
 * The service configuration file (TELECONSULTATION_SERVICE_CONFIG_PATH): its format, exactly as
 * the original service documents it (snake_case tool names included), and its mapping to the
 * camelCase domain types. The zod schema is the single source of the committed JSON Schema.
 *
 * Decisions the original left open:
 * - Unknown top-level and nested properties are tolerated (the original ignored them), except
 *   inside `tools`: a misspelt tool name would otherwise silently leave that tool enabled.
 * - A tool left out of `tools` is enabled, the same as when `tools` itself is absent (Kaleyra
 *   enables every tool by default, and so does the seed's default configuration).
 */

import { z } from 'zod';
import {
  type AuthorizationPolicies,
  defaultPolicies,
  OPERATION_KEYS,
  OPERATIONS,
  type OperationKey,
} from '../domain/authorization/operations.js';
import { type PolicyExpression, parsePolicy } from '../domain/authorization/policy-expression.js';
import { EVENT_TYPES, type EventType } from '../domain/events.js';
import { MAX_OPENS_BEFORE_START_MS } from '../domain/join-window.js';
import type { PrivilegeProfile, Tools } from '../domain/privileges.js';
import {
  DEFAULT_FHIR_IDENTIFIER_SYSTEM,
  FHIR_PARTICIPANT_TYPES,
  type FhirParticipantType,
  type FhirReferencePrefix,
  type FhirSettings,
} from '../domain/settings.js';
import {
  ADMISSION_MODES,
  DEFAULT_CHECK_IN_OPENS_BEFORE_MS,
  DEFAULT_NO_SHOW_AFTER_MS,
} from '../domain/waiting-room.js';
import type { ServiceConfig, UserIdPathStep } from './types.js';

export interface ServiceConfigIssue {
  /** Property path inside the file, e.g. `privileges.plus.groups` or `userIdPathInRequest[0].from`. */
  path: string;
  message: string;
}

/**
 * File name (snake_case, as on Kaleyra's wire) → domain name. Kept apart from kaleyra/wire.ts on
 * purpose: the file format is ours to keep stable even if Kaleyra's wire names change.
 */
const TOOL_NAMES = {
  chat: 'chat',
  screen_sharing: 'screenSharing',
  file_upload: 'fileUpload',
  whiteboard: 'whiteboard',
  snapshot: 'snapshot',
  live_edit: 'liveEdit',
  live_pointer: 'livePointer',
  present_to_everyone: 'presentToEveryone',
} as const satisfies Record<string, keyof Tools>;

type FileToolName = keyof typeof TOOL_NAMES;

const TOOL_DESCRIPTIONS: Record<FileToolName, string> = {
  chat: 'Enable the chat.',
  screen_sharing: 'Enable screen sharing.',
  file_upload: 'Enable sending files.',
  whiteboard: 'Enable all the whiteboard tools.',
  snapshot: 'Enable taking a snapshot during the call.',
  live_edit: 'Enable live editing.',
  live_pointer: 'Enable sending pointer events to the other participants.',
  present_to_everyone: "Enable forcing one's own video to be featured for the other participants.",
};

/** Schema-level message for a wrong or missing value; `what` reads after "expected". */
function expecting(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? `required: ${what}` : `expected ${what}`,
  };
}

const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

const colour = z.string(expecting('a hex colour (#rgb, #rrggbb or #rrggbbaa)')).regex(HEX_COLOUR, {
  error: (issue) => `expected a hex colour (#rgb, #rrggbb or #rrggbbaa), got ${JSON.stringify(issue.input)}`,
});

const themeColors = z
  .object(
    {
      primaryColor: colour.meta({ description: 'Main colour of the call UI.' }),
      accentColor: colour.meta({ description: 'Accent colour of the call UI.' }),
    },
    expecting('an object with primaryColor and accentColor'),
  )
  .meta({ description: 'Colours of the call UI in this mode.' });

const groups = z.array(z.string(expecting('a group name (string)')), expecting('an array of strings'));

const tools = z
  .strictObject(
    Object.fromEntries(
      Object.entries(TOOL_DESCRIPTIONS).map(([name, description]) => [
        name,
        z
          .boolean(expecting('true or false'))
          .optional()
          .meta({ description: `${description} Default true.` }),
      ]),
    ) as Record<FileToolName, z.ZodOptional<z.ZodBoolean>>,
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown tool ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; the tools are ${Object.keys(TOOL_NAMES).join(', ')}`
          : 'expected an object of tool names to true or false',
    },
  )
  .meta({
    description:
      'Tools this level may use during the call. A tool left out is enabled, as when tools is absent; set it to false to disable it. Unknown tool names are rejected.',
  });

const privilegeProfile = (level: string) =>
  z
    .object(
      {
        groups: groups.meta({ description: `Groups whose members join as ${level} users.` }),
        tools: tools.optional(),
      },
      expecting('an object with groups and optional tools'),
    )
    .meta({ description: `The ${level} privilege level: who has it and which tools it grants.` });

const objectStep = z.object(
  {
    from: z.literal('object', { error: 'the first step must be from "object" (it reads the request)' }),
    extract: z.string(expecting('a property name (string)')).min(1, 'expected a non-empty property name'),
  },
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required: at least one step, the first from "object"'
        : 'expected a step object { "from": "object", "extract": "<property>" }',
  },
);

const step = z.discriminatedUnion(
  'from',
  [
    objectStep.meta({ description: 'Take the property named by extract.' }),
    z
      .object({
        from: z.literal('json'),
        extract: z.string(expecting('a property name (string)')).min(1, 'expected a non-empty property name'),
      })
      .meta({ description: 'Parse the current string as JSON, then take the property named by extract.' }),
    z
      .object({
        from: z.literal('array'),
        extract: z
          .number(expecting('an array index (non-negative integer)'))
          .int('expected an array index (non-negative integer)')
          .nonnegative('expected an array index (non-negative integer)'),
      })
      .meta({ description: 'Take the item at index extract.' }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'expected "from" to be "object", "json" or "array"'
        : 'expected a step object with "from" and "extract"',
  },
);

/** An expression parsed once, at start-up; a syntax error names its path like any other mistake. */
const policyExpression = (key: OperationKey) =>
  z
    .string(expecting('an expression (a string), e.g. "isPlusParticipant || isBackoffice"'))
    .transform((source, ctx): PolicyExpression => {
      let expression: PolicyExpression;
      try {
        expression = parsePolicy(source);
      } catch (error) {
        ctx.issues.push({ code: 'custom', input: source, message: (error as Error).message });
        return z.NEVER;
      }
      // On an operation with no teleconsultation, isParticipant and isPlusParticipant are always
      // false: `!isPlusParticipant` would let anyone in. Such an expression means nothing.
      if (!OPERATIONS[key].target && expression.needsTarget) {
        ctx.issues.push({
          code: 'custom',
          input: source,
          message: `isParticipant and isPlusParticipant mean nothing here: ${key} acts on no teleconsultation (they would always be false); use isAuthenticated, isBackoffice, groups.<name>, inPlusGroups, inBasicGroups or clientType`,
        });
        return z.NEVER;
      }
      return expression;
    })
    .meta({ description: `${OPERATIONS[key].description} Default: \`${OPERATIONS[key].default}\`.` });

const authorization = z
  .strictObject(
    Object.fromEntries(OPERATION_KEYS.map((key) => [key, policyExpression(key).optional()])) as Record<
      OperationKey,
      z.ZodOptional<ReturnType<typeof policyExpression>>
    >,
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown operation ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; the operations are ${OPERATION_KEYS.join(', ')}`
          : 'expected an object of operation names to expressions',
    },
  )
  .meta({
    description:
      "Who may do what: operation → an expression over the caller (isAuthenticated, isBackoffice, groups.<name>, inPlusGroups, inBasicGroups, clientType == '…', isParticipant, isPlusParticipant; !, &&, ||, parentheses). Operations left out keep their secure default.",
  });

/** The longest a room may stay open to participants after the end. */
const MAX_CLOSES_AFTER_END_MS = 366 * 24 * 60 * 60 * 1000;

function milliseconds(max: number) {
  return z
    .number(expecting('a number of milliseconds'))
    .int('expected a whole number of milliseconds')
    .min(0, 'expected a number of milliseconds of at least 0')
    .max(max, `expected at most ${max} ms`);
}

const joinWindow = z
  .object(
    {
      groups: z
        .array(z.string(expecting('a group name (string)')), expecting('an array of group names'))
        .min(1, 'expected at least one group'),
      opensBeforeStartMs: milliseconds(MAX_OPENS_BEFORE_START_MS).meta({
        description: `How long before the start members of these groups may join, in milliseconds (at most ${MAX_OPENS_BEFORE_START_MS}: a day).`,
      }),
    },
    expecting('an object { groups, opensBeforeStartMs }'),
  )
  .meta({ description: 'A join window: members of these groups may join this long before the start.' });

/** Text a calendar shows: printable, one line (a calendar entry travels to mail servers). */
const calendarText = (what: string) =>
  z
    .string(expecting(what))
    .min(1, { error: `expected ${what}, not empty` })
    .max(255, { error: `expected ${what} of at most 255 characters` })
    .refine((text) => ![...text].some(isControlCharacter), { error: `expected ${what} on one line` });

/** C0 controls and DEL: a line break or an escape would break out of an iCalendar property. */
function isControlCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

const calendar = z
  .object(
    {
      summary: calendarText('a summary (string)').default('Teleconsultation').meta({
        description:
          "The calendar event's title. Never a participant's name: calendar entries travel to mail servers and shared calendars.",
      }),
      organizer: z
        .object(
          {
            // CN="…": `"`, `^` and line breaks are encoded (RFC 6868); a backslash cannot travel.
            name: calendarText('a name (string)')
              .refine((text) => !text.includes('\\'), {
                error:
                  'expected a name without "\\": the calendar parameter it is written in cannot carry one',
              })
              .optional(),
            email: z.email({ error: 'expected an email address' }),
          },
          expecting('an object with email and an optional name'),
        )
        .optional()
        .meta({
          description:
            "Who sends the invitation (ORGANIZER), e.g. the clinic's no-reply address: some calendar clients accept METHOD:REQUEST only with one. Absent: no ORGANIZER.",
        }),
    },
    expecting('an object with summary and organizer'),
  )
  .default({ summary: 'Teleconsultation' })
  .meta({
    description:
      'The iCalendar event of each teleconsultation (calendarEvent, GET /teleconsultation/:id/calendar.ics).',
  });

/** `Practitioner/` or `https://ehr.example/fhir/Patient/`: what a participant's reference starts with. */
const FHIR_PREFIX = new RegExp(`^(?:https?://[^\\s?#]+/)?(${FHIR_PARTICIPANT_TYPES.join('|')})/$`);
const fhirPrefix = z.string(expecting('a reference prefix (string)')).regex(FHIR_PREFIX, {
  error: `expected a reference prefix: an optional http(s) base URL, then one of ${FHIR_PARTICIPANT_TYPES.join(', ')}, ending in "/" (e.g. "Practitioner/")`,
});

const fhir = z
  .object(
    {
      identifierSystem: z
        .url({ error: 'expected an absolute URI (e.g. https://clinic.example/fhir/teleconsultation)' })
        .default(DEFAULT_FHIR_IDENTIFIER_SYSTEM)
        .meta({
          description:
            "The system of each Appointment's and Encounter's identifier (its value is the visit's id).",
        }),
      references: z
        .object(
          {
            plus: fhirPrefix.default('Practitioner/').meta({
              description: 'The reference prefix of a PLUS participant in no group of byGroup.',
            }),
            basic: fhirPrefix.default('Patient/').meta({
              description: 'The reference prefix of a BASIC participant in no group of byGroup.',
            }),
            byGroup: z
              .record(z.string(), fhirPrefix, expecting('an object of group → reference prefix'))
              .default({})
              .meta({
                description:
                  'Per group: the prefix of its members (the first group of a participant listed here wins, in this order).',
              }),
          },
          expecting('an object with plus, basic and byGroup'),
        )
        .default({ plus: 'Practitioner/', basic: 'Patient/', byGroup: {} })
        .meta({
          description:
            "How a participant is referenced (Appointment.participant.actor): the prefix, then the user id. Defaults: PLUS 'Practitioner/', BASIC 'Patient/'.",
        }),
      participantNames: z.boolean(expecting('true or false')).default(false).meta({
        description:
          "Whether a participant's name appears (actor.display). Default false: FHIR answers carry ids only.",
      }),
    },
    expecting('an object with identifierSystem, references and participantNames'),
  )
  .default({
    identifierSystem: DEFAULT_FHIR_IDENTIFIER_SYSTEM,
    references: { plus: 'Practitioner/', basic: 'Patient/', byGroup: {} },
    participantNames: false,
  })
  .meta({
    description:
      'The read-only FHIR R4 view of the visits (GET /fhir/R4/…): identifiers, participant references, names.',
  });

/** No-shows and check-ins are about one visit: a day either way is already a mistake. */
const MAX_WAITING_ROOM_MS = 24 * 60 * 60 * 1000;

const admissionMode = z.enum(ADMISSION_MODES, expecting('"AUTOMATIC" or "HOST_ADMITS"'));

const admission = z
  .object(
    {
      default: admissionMode.default('AUTOMATIC').meta({
        description:
          'The admission of a visit that sets none and whose PLUS participants are in no group of byPlusGroup.',
      }),
      byPlusGroup: z
        .record(z.string(), admissionMode, expecting('an object: PLUS group → "AUTOMATIC" or "HOST_ADMITS"'))
        .default({})
        .meta({
          description:
            'The admission of a visit by the groups of its PLUS participants (HOST_ADMITS wins when two disagree), e.g. { "psychiatrist": "HOST_ADMITS" }.',
        }),
    },
    expecting('an object with default and byPlusGroup'),
  )
  .strict()
  .default({ default: 'AUTOMATIC', byPlusGroup: {} })
  .meta({
    description:
      'Who lets BASIC participants in, for visits that set no admission of their own: AUTOMATIC (the link appears when their window opens) or HOST_ADMITS (a PLUS participant admits each one from the waiting room).',
  });

const webhook = z
  .object(
    {
      url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).meta({
        pattern: '^https?://',
        description: 'Where deliveries are POSTed (https unless WEBHOOKS_ALLOW_HTTP=true).',
      }),
      events: z
        .array(
          z.enum([...EVENT_TYPES, '*'], {
            error: `expected an event type (${EVENT_TYPES.join(', ')}) or "*"`,
          }),
        )
        .min(1, { error: 'expected at least one event type, or ["*"]' })
        .meta({ description: 'The event types sent to this endpoint; ["*"] for every type.' }),
      secretEnv: z
        .string(expecting('the name of an environment variable'))
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable' })
        .meta({
          description:
            'The environment variable holding the signing secret (read at start-up; the secret itself never goes in this file).',
        }),
    },
    expecting('an object with url, events and secretEnv'),
  )
  .strict();

const userIdPath = z.tuple([objectStep], step, expecting('an array of steps')).meta({
  description:
    "Where the caller's user id is in the request: each step walks one level, the first from the request object. Default: headers, then the header named by USERID_HEADER_KEY.",
});

export const serviceConfigFileSchema = z
  .object(
    {
      privileges: z
        .object(
          { basic: privilegeProfile('basic'), plus: privilegeProfile('plus') },
          expecting('an object with basic and plus'),
        )
        .meta({
          description:
            'The two privilege levels. A user in a plus group joins as plus (admin), else as basic when in a basic group.',
        }),
      environment: z
        .enum(['sandbox', 'production'], expecting('"sandbox" or "production"'))
        .meta({ description: 'The Kaleyra environment to use.' }),
      mode: z.string(expecting('a string')).optional().meta({ description: 'Call UI mode, e.g. "window".' }),
      theme: z
        .object(
          { light: themeColors.optional(), dark: themeColors.optional() },
          expecting('an object with light and dark'),
        )
        .optional()
        .meta({ description: 'Colours of the call UI, light and dark mode.' }),
      companyLogo: z
        .object(
          {
            url: z
              .union(
                [
                  z.literal(''),
                  z
                    .url({ protocol: /^https?$/, error: 'expected an http(s) URL, or "" for none' })
                    // z.url's protocol rule does not reach the JSON Schema; this tells editors.
                    .meta({ pattern: '^https?://' }),
                ],
                expecting('an http(s) URL, or "" for none'),
              )
              .optional()
              .meta({ description: 'http(s) URL of the company logo; "" means none.' }),
          },
          expecting('an object with url'),
        )
        .optional()
        .meta({ description: "The company's logo shown in the call." }),
      groupsWithBackgroundList: z
        .array(z.string(expecting('a group name (string)')), expecting('an array of strings'))
        .default([])
        .meta({ description: 'Groups whose members get the virtual background in their join link.' }),
      userIdPathInRequest: userIdPath.optional(),
      authorization: authorization.optional(),
      joinWindows: z
        .array(joinWindow, expecting('an array of { groups, opensBeforeStartMs }'))
        .default([])
        .meta({
          description:
            'When members of some groups may join before the others: the widest window matching a participant opens their link that long before the start (never before lockedFrom). Default: none, links from lockedFrom.',
        }),
      calendar,
      fhir,
      webhooks: z.array(webhook, expecting('an array of { url, events, secretEnv }')).default([]).meta({
        description:
          'Endpoints that receive the events of every teleconsultation, signed (x-teleconsultation-signature: t=…,v1=HMAC-SHA256).',
      }),
      admission,
      noShowAfterMs: milliseconds(MAX_WAITING_ROOM_MS)
        .default(DEFAULT_NO_SHOW_AFTER_MS)
        .meta({
          description: `HOST_ADMITS visits: a BASIC participant who has not checked in by the start plus this many milliseconds is marked NO_SHOW (default ${DEFAULT_NO_SHOW_AFTER_MS}: 15 minutes).`,
        }),
      checkInOpensBeforeMs: milliseconds(MAX_WAITING_ROOM_MS)
        .default(DEFAULT_CHECK_IN_OPENS_BEFORE_MS)
        .meta({
          description: `How long before their join window opens a participant may check in, in milliseconds (default ${DEFAULT_CHECK_IN_OPENS_BEFORE_MS}: 30 minutes).`,
        }),
      joinClosesAfterEndMs: z
        .union(
          [milliseconds(MAX_CLOSES_AFTER_END_MS), z.null()],
          expecting('a number of milliseconds, or null'),
        )
        .default(null)
        .meta({
          description:
            'How long after the end participants may still join, in milliseconds; null (default): the link never stops being handed out.',
        }),
    },
    expecting('a JSON object'),
  )
  .superRefine((file, ctx) => {
    // A window for a group no privilege profile has would never match anyone: a typo.
    const known = new Set([...file.privileges.basic.groups, ...file.privileges.plus.groups]);
    for (const group of Object.keys(file.admission.byPlusGroup)) {
      if (!file.privileges.plus.groups.includes(group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['admission', 'byPlusGroup', group],
          message: `unknown PLUS group ${JSON.stringify(group)}: it is not in privileges.plus.groups (${file.privileges.plus.groups.join(', ')})`,
        });
      }
    }
    file.joinWindows.forEach((window, index) => {
      window.groups.forEach((group, groupIndex) => {
        if (!known.has(group)) {
          ctx.addIssue({
            code: 'custom',
            path: ['joinWindows', index, 'groups', groupIndex],
            message: `unknown group ${JSON.stringify(group)}: it is in no privilege profile (${[...known].join(', ')})`,
          });
        }
      });
    });
    for (const group of Object.keys(file.fhir.references.byGroup)) {
      if (!known.has(group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fhir', 'references', 'byGroup', group],
          message: `unknown group ${JSON.stringify(group)}: it is in no privilege profile (${[...known].join(', ')})`,
        });
      }
    }
  })
  .meta({
    title: 'Teleconsultation gateway service configuration',
    description:
      'The file at TELECONSULTATION_SERVICE_CONFIG_PATH. Unknown properties are ignored, except inside tools.',
  });

export type ServiceConfigFile = z.input<typeof serviceConfigFileSchema>;
type ParsedServiceConfigFile = z.output<typeof serviceConfigFileSchema>;

/** The seed's default configuration, verbatim; applies when TELECONSULTATION_SERVICE_CONFIG_PATH is unset. */
export const DEFAULT_SERVICE_CONFIG_FILE = {
  privileges: {
    basic: {
      groups: ['customer'],
      tools: {
        chat: true,
        screen_sharing: true,
        file_upload: true,
        whiteboard: true,
        snapshot: true,
        live_edit: true,
        live_pointer: true,
        present_to_everyone: true,
      },
    },
    plus: {
      groups: ['doctor'],
      tools: {
        chat: true,
        screen_sharing: true,
        file_upload: true,
        whiteboard: true,
        snapshot: true,
        live_edit: true,
        live_pointer: true,
        present_to_everyone: true,
      },
    },
  },
  theme: {
    light: { primaryColor: '#fff', accentColor: '#480ca8' },
    dark: { primaryColor: '#003049', accentColor: '#d62828' },
  },
  environment: 'sandbox',
  mode: 'window',
  companyLogo: { url: 'https://www.insert.url.it' },
} as const satisfies ServiceConfigFile;

/** `privileges.plus.groups`, `userIdPathInRequest[0].from`: how people write paths into JSON. */
export function formatPropertyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
}

/**
 * Validates the parsed JSON of the file and maps it to the domain. `userIdHeaderKey` fills the
 * default `userIdPathInRequest` (headers → that header), as the original documents.
 */
export function parseServiceConfig(
  json: unknown,
  userIdHeaderKey: string,
): { ok: true; config: ServiceConfig } | { ok: false; issues: ServiceConfigIssue[] } {
  const parsed = serviceConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        // An unknown key is at fault itself: `authorization.updateTeleconsult`, not `authorization`.
        path: formatPropertyPath(
          issue.code === 'unrecognized_keys' && issue.keys.length === 1
            ? [...issue.path, issue.keys[0] as string]
            : issue.path,
        ),
        message: issue.message,
      })),
    };
  }
  return { ok: true, config: toServiceConfig(parsed.data, userIdHeaderKey) };
}

function toTools(fileTools: Partial<Record<FileToolName, boolean>> | undefined): Tools {
  const entries = (Object.keys(TOOL_NAMES) as FileToolName[]).map((name) => [
    TOOL_NAMES[name],
    fileTools?.[name] ?? true,
  ]);
  return Object.fromEntries(entries) as unknown as Tools;
}

function toProfile(profile: ParsedServiceConfigFile['privileges']['basic']): PrivilegeProfile {
  return { groups: [...profile.groups], tools: toTools(profile.tools) };
}

function toServiceConfig(file: ParsedServiceConfigFile, userIdHeaderKey: string): ServiceConfig {
  const userIdPathInRequest: UserIdPathStep[] = file.userIdPathInRequest ?? [
    { from: 'object', extract: 'headers' },
    { from: 'object', extract: userIdHeaderKey },
  ];
  const logoUrl = file.companyLogo?.url === '' ? undefined : file.companyLogo?.url;
  return {
    privileges: { basic: toProfile(file.privileges.basic), plus: toProfile(file.privileges.plus) },
    environment: file.environment,
    ...(file.mode === undefined ? {} : { mode: file.mode }),
    ...(file.theme === undefined ? {} : { theme: withoutUndefined(file.theme) }),
    ...(logoUrl === undefined ? {} : { companyLogo: { url: logoUrl } }),
    groupsWithBackgroundList: file.groupsWithBackgroundList,
    userIdPathInRequest,
    authorization: policiesFrom(file.authorization),
    join: {
      windows: file.joinWindows.map((window) => ({
        groups: [...window.groups],
        opensBeforeStartMs: window.opensBeforeStartMs,
      })),
      closesAfterEndMs: file.joinClosesAfterEndMs,
    },
    ...waitingRoomOf(file),
    webhooks: file.webhooks.map((hook) => ({
      url: hook.url,
      events: hook.events.includes('*') ? '*' : (hook.events as EventType[]),
      secretEnv: hook.secretEnv,
    })),
    calendar: {
      summary: file.calendar.summary,
      ...(file.calendar.organizer ? { organizer: withoutUndefined(file.calendar.organizer) } : {}),
    },
    fhir: toFhirSettings(file.fhir),
  };
}

function toFhirSettings(file: ParsedServiceConfigFile['fhir']): FhirSettings {
  return {
    identifierSystem: file.identifierSystem,
    plus: fhirPrefixOf(file.references.plus),
    basic: fhirPrefixOf(file.references.basic),
    byGroup: Object.entries(file.references.byGroup).map(([group, prefix]) => ({
      group,
      ...fhirPrefixOf(prefix),
    })),
    participantNames: file.participantNames,
  };
}

/** A prefix the schema accepted, with its resource type. */
function fhirPrefixOf(prefix: string): FhirReferencePrefix {
  const type = FHIR_PREFIX.exec(prefix)?.[1] as FhirParticipantType;
  return { prefix, type };
}

/** The waiting room's settings; left out when they are all the defaults (DEFAULT_WAITING_ROOM_SETTINGS). */
function waitingRoomOf(file: ParsedServiceConfigFile): Pick<ServiceConfig, 'waitingRoom'> {
  const { admission, noShowAfterMs, checkInOpensBeforeMs } = file;
  const defaults =
    admission.default === 'AUTOMATIC' &&
    Object.keys(admission.byPlusGroup).length === 0 &&
    noShowAfterMs === DEFAULT_NO_SHOW_AFTER_MS &&
    checkInOpensBeforeMs === DEFAULT_CHECK_IN_OPENS_BEFORE_MS;
  if (defaults) return {};
  return {
    waitingRoom: {
      admission: { default: admission.default, byPlusGroup: { ...admission.byPlusGroup } },
      noShowAfterMs,
      checkInOpensBeforeMs,
    },
  };
}

function policiesFrom(
  configured: Partial<Record<OperationKey, PolicyExpression | undefined>> | undefined,
): AuthorizationPolicies {
  const policies = defaultPolicies();
  for (const key of OPERATION_KEYS) {
    const expression = configured?.[key];
    if (expression) policies[key] = expression;
  }
  return policies;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The committed schema/service-config.schema.json, byte for byte. Draft-07: what editors support best. */
export function renderServiceConfigJsonSchema(): string {
  const schema = z.toJSONSchema(serviceConfigFileSchema, { io: 'input', target: 'draft-07' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
