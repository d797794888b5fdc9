import type { Caller } from '../../domain/authorization/caller.js';
import {
  type AuthorizationPolicies,
  OPERATIONS,
  type OperationKey,
  type TargetedOperation,
  type UntargetedOperation,
} from '../../domain/authorization/operations.js';
import { evaluatePolicy, type PolicyFacts } from '../../domain/authorization/policy-expression.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../domain/errors.js';
import type { Privileges } from '../../domain/privileges.js';
import type { TeleconsultationRecord } from '../../domain/teleconsultation-record.js';
import type { UserDirectory } from '../../identity/ports.js';
import { inChildSpan } from '../../shared/tracing.js';
import type { ParticipantRoles } from '../participants/participant-roles.js';
import type { RequestScope } from '../request-scope.js';

export interface AccessControlDeps {
  policies: AuthorizationPolicies;
  /** Where `decide` reads the target of an operation on one teleconsultation. */
  records: { findById(id: string): Promise<TeleconsultationRecord | null> };
  privileges: Privileges;
  /** The auth service: where a caller's groups come from when the request carries none. */
  directory: UserDirectory | null;
  roles: ParticipantRoles;
}

const NO_GROUPS: ReadonlySet<string> = new Set();

/**
 * Who may do what: every use case asks here first, before any side effect, so GraphQL, REST and
 * subscriptions get the same decision for the same operation key. The policy is an expression
 * over the caller's facts (and, for operations on a teleconsultation, the record as stored before
 * the change). A refusal is UNAUTHENTICATED when the request names no caller, else FORBIDDEN
 * (POLICY_DENIED); the expression itself is never sent, and denials are logged with ids only.
 */
export class AccessControl {
  /** One auth-service lookup of a caller's groups per request, whatever the number of decisions. */
  private readonly callerGroups = new WeakMap<Caller, Promise<ReadonlySet<string>>>();

  constructor(private readonly deps: AccessControlDeps) {}

  /** Decides an operation that acts on no particular teleconsultation. */
  async check(scope: RequestScope, operation: UntargetedOperation): Promise<void> {
    if (!(await this.allows(scope, operation, null))) this.refuse(scope, operation, null);
  }

  /**
   * Decides an operation on teleconsultation `id`, loading it once for the decision and returning
   * it for the operation to reuse. An unknown id is NOT_FOUND only for a caller the policy would
   * let through without the target (the back office, say); anyone else gets the refusal, so ids
   * cannot be probed.
   */
  async checkOn<Target extends TeleconsultationRecord>(
    scope: RequestScope,
    operation: TargetedOperation,
    id: string,
    load: (id: string) => Promise<Target | null>,
    /** How the NOT_FOUND message names what `id` is (a visit by default; a room for some routes). */
    named: (id: string) => string = (unknown) => `teleconsultation ${unknown}`,
  ): Promise<Target> {
    this.assertUsable(scope);
    const record = await load(id);
    if (await this.allows(scope, operation, record)) {
      if (!record) throw new NotFoundError(`No ${named(id)}.`, { reason: 'TELECONSULTATION_NOT_FOUND' });
      return record;
    }
    return this.refuse(scope, operation, id);
  }

  /**
   * The decision alone, for an entry point about to refuse the request's input (a body that does
   * not validate, text that is not well-formed): a refusal about the input must not come before
   * the policy has spoken, so a caller the policy refuses learns nothing from their input. Resolves
   * when the caller is allowed, whether or not the target exists; throws the refusal otherwise.
   */
  async decide(scope: RequestScope, operation: OperationKey, targetId: string | null): Promise<void> {
    this.assertUsable(scope);
    const target =
      OPERATIONS[operation].target && targetId !== null ? await this.deps.records.findById(targetId) : null;
    if (!(await this.allows(scope, operation, target))) this.refuse(scope, operation, targetId);
  }

  /** Decides again over a fresher copy of the target (a change retried after a lost race). */
  async recheck(
    scope: RequestScope,
    operation: TargetedOperation,
    record: TeleconsultationRecord,
  ): Promise<void> {
    if (!(await this.allows(scope, operation, record))) this.refuse(scope, operation, record.id);
  }

  /**
   * Whether the caller may do `operation` on `record`, as an answer rather than a refusal: for a
   * list that must leave out what the caller may not see (a FHIR search), or for what an answer
   * shows (the waiting room's attendance of others); never for an operation on one visit, which
   * refuses with checkOn. Nothing is logged for a record left out.
   */
  async permits(
    scope: RequestScope,
    operation: TargetedOperation,
    record: TeleconsultationRecord,
  ): Promise<boolean> {
    return this.allows(scope, operation, record);
  }

  private assertUsable(scope: RequestScope): void {
    if (scope.caller.problem) throw scope.caller.problem;
  }

  /**
   * The policy's decision, as a span when the request is traced: the operation, the visit's id and
   * whether it was allowed; never the expression, the caller or the facts.
   */
  private allows(
    scope: RequestScope,
    operation: OperationKey,
    target: TeleconsultationRecord | null,
  ): Promise<boolean> {
    const attributes = {
      'authorization.operation': operation,
      ...(target === null ? {} : { 'teleconsultation.id': target.id }),
    };
    return inChildSpan('authorization decision', attributes, async (span) => {
      const allowed = await this.evaluate(scope, operation, target);
      span?.setAttribute('authorization.allowed', allowed);
      return allowed;
    });
  }

  private async evaluate(
    scope: RequestScope,
    operation: OperationKey,
    target: TeleconsultationRecord | null,
  ): Promise<boolean> {
    this.assertUsable(scope);
    const policy = this.deps.policies[operation];
    const { caller } = scope;
    const groups = policy.needsGroups ? await this.groupsOf(scope) : NO_GROUPS;
    const participant =
      policy.needsTarget && target && caller.id !== null
        ? (target.participants.find((p) => p.userId === caller.id) ?? null)
        : null;
    const { plus, basic } = this.deps.privileges;
    const facts: PolicyFacts = {
      isAuthenticated: caller.id !== null,
      isBackoffice: caller.isBackoffice,
      clientType: caller.clientType,
      groups,
      inPlusGroups: plus.groups.some((group) => groups.has(group)),
      inBasicGroups: basic.groups.some((group) => groups.has(group)),
      isParticipant: participant !== null,
      isPlusParticipant: participant !== null && (await this.roleOf(scope, participant)) === 'plus',
    };
    return evaluatePolicy(policy.ast, facts);
  }

  /** A participant the original service stored has no role: the current privileges give it. */
  private async roleOf(
    scope: RequestScope,
    participant: TeleconsultationRecord['participants'][number],
  ): Promise<string | null> {
    if (participant.role !== null) return participant.role;
    const [resolved] = await this.deps.roles.resolve([participant], scope);
    return resolved?.role ?? null;
  }

  private groupsOf(scope: RequestScope): Promise<ReadonlySet<string>> {
    const { caller } = scope;
    let groups = this.callerGroups.get(caller);
    if (!groups) {
      groups = this.lookUpGroups(scope);
      this.callerGroups.set(caller, groups);
      // A failed lookup is not remembered: the next decision asks again.
      groups.catch(() => this.callerGroups.delete(caller));
    }
    return groups;
  }

  private async lookUpGroups(scope: RequestScope): Promise<ReadonlySet<string>> {
    const { caller } = scope;
    if (caller.groups !== null) return new Set(caller.groups);
    if (!this.deps.directory || caller.id === null) return NO_GROUPS;
    const user = (await this.deps.directory.lookup([caller.id], scope.headers, scope.logger)).get(caller.id);
    return new Set(user?.groups ?? []);
  }

  private refuse(scope: RequestScope, operation: OperationKey, teleconsultationId: string | null): never {
    const { caller } = scope;
    scope.logger.info(
      { callerId: caller.id, operation, ...(teleconsultationId ? { teleconsultationId } : {}) },
      'authorization denied',
    );
    if (caller.id === null) {
      throw new UnauthenticatedError(
        'The request does not say who is calling, and this operation needs to know.',
        {
          reason: 'NO_CALLER_ID',
          operation,
        },
      );
    }
    throw new ForbiddenError(`The authorization policy of ${operation} refuses this caller.`, {
      reason: 'POLICY_DENIED',
      operation,
    });
  }
}
