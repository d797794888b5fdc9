import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { isOperationKey, OPERATIONS, type OperationKey } from '../domain/authorization/operations.js';
import { illFormedTextError, illFormedTextIn } from '../domain/well-formed-text.js';
import type { RequestScope } from '../services/request-scope.js';
import { type GatewayContext, scopeOf } from './context.js';

/** The policy decision alone (AccessControl.decide). */
export interface PolicyDecision {
  decide(scope: RequestScope, operation: OperationKey, targetId: string | null): Promise<void>;
}

/**
 * The fields with arguments whose name is not their policy key. A root field's key is its name
 * (`createTeleconsultation`); every other field with arguments is listed here, and building the
 * schema fails for one that is not, so a new field cannot escape the check.
 */
const POLICY_OF_FIELD: Readonly<Record<string, OperationKey>> = {
  'Subscription.teleconsultationChanged': 'teleconsultation',
  'Teleconsultation.history': 'teleconsultationHistory',
};

/**
 * Every string of every argument of every field (ids, aliases, user ids, group names, languages,
 * cursors, names) must be well-formed Unicode, or the field answers BAD_USER_INPUT
 * (ILL_FORMED_TEXT) with the argument's path (`input.participants.1.userId`). graphql-js already
 * refuses a lone surrogate written in the query text; variables (`"q\ud800"` in JSON) reach the
 * arguments as they are. The refusal comes after the field's policy: a caller the policy refuses
 * gets that refusal, as for any other input, and learns nothing from theirs. Fields without
 * arguments are left as they are (no cost on the way out).
 */
export function refuseIllFormedArguments(schema: GraphQLSchema, policies: PolicyDecision): void {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (type) => type !== null && type !== undefined,
    ),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const coordinate = `${type.name}.${field.name}`;
      const operation =
        POLICY_OF_FIELD[coordinate] ??
        (roots.has(type) && isOperationKey(field.name) ? field.name : undefined);
      if (operation === undefined) {
        throw new Error(`${coordinate} takes arguments but names no policy key (well-formed-arguments.ts)`);
      }
      const guard = guarded(operation, policies);
      field.resolve = guard(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guard(field.subscribe);
    }
  }
}

function guarded(operation: OperationKey, policies: PolicyDecision) {
  return (
    resolve: GraphQLFieldResolver<unknown, GatewayContext>,
  ): GraphQLFieldResolver<unknown, GatewayContext> =>
    (root, args, context, info) => {
      const at = illFormedTextIn(args);
      if (at === null) return resolve(root, args, context, info);
      return refuse(operation, policies, context, targetOf(root, args), at);
    };
}

async function refuse(
  operation: OperationKey,
  policies: PolicyDecision,
  context: GatewayContext,
  targetId: string | null,
  at: ReadonlyArray<string | number>,
): Promise<never> {
  await policies.decide(scopeOf(context), operation, OPERATIONS[operation].target ? targetId : null);
  throw illFormedTextError(at);
}

/** The teleconsultation a field acts on: its `id` (or `teleconsultationId`) argument, else the visit it is a field of. */
function targetOf(root: unknown, args: Record<string, unknown>): string | null {
  if (typeof args.id === 'string') return args.id;
  if (typeof args.teleconsultationId === 'string') return args.teleconsultationId;
  const record = (root as { record?: { id?: unknown } } | null | undefined)?.record;
  return typeof record?.id === 'string' ? record.id : null;
}
