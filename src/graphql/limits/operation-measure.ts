import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** How to turn an operation's selections into one number (its depth, its aliases, …). */
export interface SelectionMeasure {
  /** A field's value, given (lazily) the value of its own selection set, 0 when it has none. */
  field(field: FieldNode, inner: () => number): number;
  /** Folds the values of sibling selections. */
  combine(total: number, value: number): number;
  /** Once a selection set's total passes this, it is returned at once and stops growing. */
  ceiling?: number;
}

/**
 * Measures an operation, fragments where they are spread. Each fragment is measured once and
 * reused, so a fragment bomb costs linear time; a fragment cycle (refused by validation anyway)
 * counts 0 instead of recursing forever.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  measure: SelectionMeasure,
): number {
  const ceiling = measure.ceiling ?? Number.POSITIVE_INFINITY;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentValues = new Map<string, number>();
  const measuring = new Set<string>();

  const measureSet = (selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      let value: number;
      if (selection.kind === Kind.FIELD) {
        const inner = selection.selectionSet;
        value = measure.field(selection, () => (inner ? measureSet(inner) : 0));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        value = measureSet(selection.selectionSet);
      } else {
        value = measureFragment(selection.name.value);
      }
      total = measure.combine(total, value);
      if (total > ceiling) return ceiling + 1;
    }
    return total;
  };

  const measureFragment = (name: string): number => {
    const known = fragmentValues.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (fragment === undefined || measuring.has(name)) return 0;
    measuring.add(name);
    const value = measureSet(fragment.selectionSet);
    measuring.delete(name);
    fragmentValues.set(name, value);
    return value;
  };

  return measureSet(operation.selectionSet);
}

/**
 * A measure remembered per operation: Apollo hands the same parsed document (and so the same
 * operation node, which belongs to that document alone) to every request with the same query text,
 * from its document store (an LRU keyed by the query's hash). Weak keys: the cache holds what that
 * store holds and no more; a document it evicts, or a request's own parse when there is no store,
 * takes its entry along. Only for measures of the document alone: depth and aliases count every
 * field whatever `@skip`/`@include` say, so variables never change them. The verdict (the number
 * against the limit) is still compared on every request.
 */
export function rememberedPerOperation(
  measure: (document: DocumentNode, operation: OperationDefinitionNode) => number,
): (document: DocumentNode, operation: OperationDefinitionNode) => number {
  const measured = new WeakMap<OperationDefinitionNode, number>();
  return (document, operation) => {
    let value = measured.get(operation);
    if (value === undefined) {
      value = measure(document, operation);
      measured.set(operation, value);
    }
    return value;
  };
}
