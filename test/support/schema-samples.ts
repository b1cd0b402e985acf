/** Minimal valid GraphQL requests built from the schema, for tests that must cover every operation. */
import { getNamedType, GraphQLField, GraphQLInputType, isCompositeType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';

/** A valid value of each scalar; a scalar missing here fails the calling test with its name. */
const SCALAR_SAMPLES: Record<string, unknown> = {
  ID: 'matrix-id',
  String: 'matrix',
  Int: 1,
  Float: 1,
  Boolean: false,
  Decimal: '1.00',
  DateTimeISO: '2024-01-01T00:00:00.000Z',
  _Any: { __typename: 'Order', id: 'matrix-id' },
  JSONObject: {},
  JSON: {},
};

/** The smallest valid value of an input type: required input fields only, lists of one. */
export function sampleValue(type: GraphQLInputType, path: string, pick: (scalar: string, path: string) => unknown = (s) => SCALAR_SAMPLES[s]): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, path, pick);
  if (isListType(type)) return [sampleValue(type.ofType, `${path}[]`, pick)];
  if (isEnumType(type)) return type.getValues()[0]!.name; // a GraphQL enum has at least one value
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sampleValue(f.type, `${path}.${f.name}`, pick);
    }
    return out;
  }
  if (isScalarType(type) && type.name in SCALAR_SAMPLES) return pick(type.name, path);
  throw new Error(`no sample value for scalar ${String(type)} (at ${path}): add one to SCALAR_SAMPLES in test/support/schema-samples.ts`);
}

/**
 * `query($a: T!) { field(a: $a) { __typename } }` with every required argument, plus `extra`
 * optional arguments given as variables too.
 */
export function minimalRequest(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  extra: Record<string, unknown> = {},
  pick?: (scalar: string, path: string) => unknown,
): { query: string; variables: Record<string, unknown> } {
  const used = field.args.filter((a) => (isNonNullType(a.type) && a.defaultValue === undefined) || a.name in extra);
  const variables = Object.fromEntries(used.map((a) => [a.name, a.name in extra ? extra[a.name] : sampleValue(a.type, `${field.name}.${a.name}`, pick)]));
  const defs = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return { query: `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`, variables };
}
