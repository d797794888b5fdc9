/**
 * The GraphQL half of `npm run schema:check`: what changed between the released SDL and the
 * working tree's, judged with @graphql-inspector/core's criticality levels.
 *
 * - BREAKING fails the check.
 * - DANGEROUS passes only for the additive changes a client written against the last release
 *   survives (ACCEPTED_DANGEROUS): a new enum value (docs/graphql-api.md asks clients to
 *   tolerate unknown ones), a new optional argument or input field, a new union member or
 *   interface, and the removal of a field, input field or enum value the last release already
 *   deprecated (deprecation first, removal later). Any other DANGEROUS change, a changed default
 *   above all, silently changes what existing operations do: it fails like a breaking one.
 * - NON_BREAKING passes.
 */
import { type Change, ChangeType, CriticalityLevel, DiffRule, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/** How the check counts a change. */
export type Verdict = 'breaking' | 'accepted' | 'safe';

export interface JudgedChange {
  verdict: Verdict;
  /** Inspector's level and type, e.g. DANGEROUS ENUM_VALUE_ADDED. */
  level: CriticalityLevel;
  type: string;
  path: string | null;
  message: string;
}

const ACCEPTED_DANGEROUS: ReadonlySet<string> = new Set([
  ChangeType.EnumValueAdded,
  ChangeType.FieldArgumentAdded,
  ChangeType.InputFieldAdded,
  ChangeType.UnionMemberAdded,
  ChangeType.ObjectTypeInterfaceAdded,
]);

/** Removals that are DANGEROUS only because the last release deprecated what they remove. */
const REMOVALS_AFTER_DEPRECATION: ReadonlySet<string> = new Set([
  ChangeType.FieldRemoved,
  ChangeType.InputFieldRemoved,
  ChangeType.EnumValueRemoved,
]);

function verdictOf(change: Change): Verdict {
  const { level } = change.criticality;
  if (level === CriticalityLevel.NonBreaking) return 'safe';
  if (level === CriticalityLevel.Breaking) return 'breaking';
  return ACCEPTED_DANGEROUS.has(change.type) || REMOVALS_AFTER_DEPRECATION.has(change.type)
    ? 'accepted'
    : 'breaking';
}

/** Every change from `releasedSdl` to `currentSdl`, judged; breaking ones first. */
export async function graphqlChanges(releasedSdl: string, currentSdl: string): Promise<JudgedChange[]> {
  // suppressRemovalOfDeprecatedField makes the removal of a deprecated field, input field or
  // enum value DANGEROUS (and, oddly, of every removed type: REMOVALS_AFTER_DEPRECATION does not
  // accept those, so a removed type still fails).
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl), [
    DiffRule.suppressRemovalOfDeprecatedField,
  ]);
  const order: Record<Verdict, number> = { breaking: 0, accepted: 1, safe: 2 };
  return changes
    .map((change) => ({
      verdict: verdictOf(change),
      level: change.criticality.level,
      type: change.type,
      path: change.path ?? null,
      message: change.message,
    }))
    .sort((a, b) => order[a.verdict] - order[b.verdict]);
}
