/**
 * What an operation selects below a field, read from the resolver's info: the names of the fields
 * asked for on the objects at a path under it, through fragments and inline fragments, as
 * `@include`/`@skip` decide with the request's variables.
 */
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** Whether `@skip`/`@include` leave the selection in, as graphql-js decides it. */
function included(s: SelectionNode, info: GraphQLResolveInfo): boolean {
  if (!s.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, s, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, s, info.variableValues)?.if !== false;
}

function fieldsOf(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, out: FieldNode[], seen: Set<string>): FieldNode[] {
  for (const s of set?.selections ?? []) {
    if (!included(s, info)) continue;
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) fieldsOf(s.selectionSet, info, out, seen);
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      fieldsOf(info.fragments[s.name.value]?.selectionSet, info, out, seen);
    }
  }
  return out;
}

/** The names of the fields selected on the objects at `path` (field names, aliases ignored) below the resolver's field. */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    level = level.flatMap((f) => fieldsOf(f.selectionSet, info, [], new Set())).filter((f) => f.name.value === name);
  }
  return new Set(level.flatMap((f) => fieldsOf(f.selectionSet, info, [], new Set())).map((f) => f.name.value));
}
