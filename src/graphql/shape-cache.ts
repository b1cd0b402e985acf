/**
 * The depth, aliases and cost of an operation depend only on its document and on the few variables
 * the cost model reads: `first`, `representations` and the conditions of `@include`/`@skip`. The
 * server keeps parsed documents (the same query text is the same DocumentNode), so a measure taken
 * once is kept with the operation, per value of those variables, for the next request to reuse.
 */
import { DocumentNode, OperationDefinitionNode, visit } from 'graphql';

/** Arguments whose values the cost model reads. */
const COSTED_ARGUMENTS = new Set(['first', 'representations']);
/** Distinct values of the costed variables kept per operation and measure; beyond it, the oldest goes. */
const MAX_ENTRIES = 64;

interface Entry {
  /** Names of the variables the measure depends on. */
  variables: string[];
  measured: Map<string, unknown>;
}

const cache = new WeakMap<OperationDefinitionNode, Map<string, Entry>>();

/** The variables used (anywhere in the document) in a costed argument or in a directive. */
function costedVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let inside = 0;
  const costed = { enter: () => void inside++, leave: () => void inside-- };
  visit(document, {
    Argument: {
      enter: (node) => void (COSTED_ARGUMENTS.has(node.name.value) && inside++),
      leave: (node) => void (COSTED_ARGUMENTS.has(node.name.value) && inside--),
    },
    Directive: costed,
    Variable: (node) => void (inside > 0 && names.add(node.name.value)),
    // A variable's definition (and its default value) is not a use.
    VariableDefinition: () => false,
  });
  return [...names].sort();
}

/**
 * `measure()` once per operation, measure name and value of the costed variables (`variables`
 * null: the measure reads none); a measure that throws is not kept.
 */
export function cachedMeasure<T>(name: string, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null, measure: () => T): T {
  let byName = cache.get(operation);
  if (!byName) cache.set(operation, (byName = new Map()));
  let entry = byName.get(name);
  if (!entry) byName.set(name, (entry = { variables: variables ? costedVariables(document) : [], measured: new Map() }));
  const vars = variables ?? {};
  // A variable left out (its default applies) is not the same as one given as null.
  const key = JSON.stringify(entry.variables.map((n) => (Object.hasOwn(vars, n) ? [vars[n]] : [])));
  if (entry.measured.has(key)) return entry.measured.get(key) as T;
  const value = measure();
  if (entry.measured.size >= MAX_ENTRIES) entry.measured.delete(entry.measured.keys().next().value!);
  entry.measured.set(key, value);
  return value;
}
