/**
 * The access matrix, generated from the built schema: every Query and Mutation field × every role
 * and no credential. Expected outcomes come from src/graphql/operation-policy.ts only; a field
 * without a rule there fails this test (and is refused at runtime). "Allowed" means no FORBIDDEN
 * or UNAUTHENTICATED error, whatever the business answer to the minimal arguments.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, getNamedType, GraphQLField, GraphQLInputType, GraphQLSchema, isEnumType, isInputObjectType, parse } from 'graphql';
import { minimalRequest } from '../support/schema-samples';
import { createTestApp, Role as TestRole, stopTestServer, TestApp } from '../support/test-app';
import { buildResolverSchema } from '../../src/graphql/schema';
import { appSchema, LOADER_FACTORIES, MODULES } from '../../src/modules';
import { createGqlContext } from '../../src/graphql/context';
import { RequestContext } from '../../src/db/context';
import { ENTITY_POLICY, MUTATION_POLICY, OperationPolicy, policyOf, QUERY_POLICY, rolesFor } from '../../src/graphql/operation-policy';
import { Role } from '../../src/shared/actor';

const ROLES: TestRole[] = ['SUPPORT', 'ANALYST', 'FINANCE', 'ADMIN'];

interface Case {
  label: string;
  query: string;
  variables: Record<string, unknown>;
  allowed: readonly Role[];
}

/** One case per field; fields whose rule depends on an enum argument get one case per value. */
function casesOf(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, policy: OperationPolicy): Case[] {
  const { query, variables } = minimalRequest(kind, field);
  const base: Case = { label: field.name, query, variables, allowed: rolesFor(policy, field, variables) };
  const by = policy.byArgument;
  if (!by) return [base];
  // Walk the argument path to its enum type, then try every value the schema offers.
  let type: GraphQLInputType | undefined = field.args.find((a) => a.name === by.path[0])?.type;
  for (const key of by.path.slice(1)) {
    const named = type && getNamedType(type);
    type = isInputObjectType(named) ? named.getFields()[key]?.type : undefined;
  }
  const en = type && getNamedType(type);
  assert.ok(isEnumType(en), `${field.name}: the rule's argument ${by.path.join('.')} must be an enum in the schema`);
  const leaf = by.path[by.path.length - 1];
  assert.ok(leaf !== undefined, `${field.name}: the rule names no argument`);
  return en.getValues().map((v) => {
    const vars = structuredClone(variables);
    let at = vars as Record<string, any>;
    for (const key of by.path.slice(0, -1)) at = at[key] ??= {};
    at[leaf] = v.name;
    return { label: `${field.name} ${by.path.join('.')}=${v.name}`, query, variables: vars, allowed: rolesFor(policy, field, vars) };
  });
}

let t: TestApp;
before(async () => {
  // A roomy budget: the matrix is about rules, not throttling.
  t = await createTestApp({ env: { GRAPHQL_LIMITS: JSON.stringify(Object.fromEntries(ROLES.map((r) => [r, { budget: 1_000_000, maxCost: 100_000 }]))) } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

describe('access matrix (generated from the schema)', async () => {
  const schema: GraphQLSchema = await appSchema();
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;

  test('every Query and Mutation field has a rule in operation-policy.ts', () => {
    const missing = roots.flatMap(([kind, type]) =>
      Object.keys(type?.getFields() ?? {})
        .filter((f) => !policyOf(kind, f))
        .map((f) => `${kind}.${f}`),
    );
    assert.deepEqual(missing, [], 'add these operations to src/graphql/operation-policy.ts');
  });

  const keyed = Object.values(schema.getTypeMap())
    .filter((ty) => ty.astNode?.directives?.some((d) => d.name.value === 'key'))
    .map((ty) => ty.name);

  test('every @key entity type has a rule for _entities lookups', () => {
    assert.ok(keyed.includes('Order'));
    assert.deepEqual(
      keyed.filter((n) => !(n in ENTITY_POLICY)),
      [],
    );
  });

  test('every @key entity type is looked up by its reference resolver (an unknown id is null, not an echo of the representation)', async () => {
    for (const typename of keyed) {
      const r = await t.gql('ADMIN', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: typename, id: 'no-such-id' }] });
      assert.deepEqual(r.data?._entities, [null], `${typename}: ${JSON.stringify(r)}`);
      const allowed = ENTITY_POLICY[typename];
      assert.ok(allowed, `${typename} has an entity policy`);
      for (const role of ROLES) {
        const x = await t.gql(role, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: typename, id: 'no-such-id' }] });
        assert.equal(x.status, allowed.includes(role as Role) ? 200 : 403, `${role} ${typename}`);
      }
    }
  });

  test('no rule names an operation the schema does not have (renamed or removed)', () => {
    const stale = [
      ...Object.keys(QUERY_POLICY)
        .filter((f) => !schema.getQueryType()?.getFields()[f])
        .map((f) => `query.${f}`),
      ...Object.keys(MUTATION_POLICY)
        .filter((f) => !schema.getMutationType()?.getFields()[f])
        .map((f) => `mutation.${f}`),
    ];
    assert.deepEqual(stale, []);
  });

  // The second lock: each resolver's own @Authorized (and a service's argument-level check, as for
  // decisions), executed without the policy guards, must let in exactly the roles the table allows.
  const resolverSchema = await buildResolverSchema(MODULES);
  for (const [kind, type] of [
    ['query', resolverSchema.getQueryType()],
    ['mutation', resolverSchema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const policy = policyOf(kind, field.name);
      if (!policy) continue;
      for (const c of casesOf(kind, field, policy)) {
        test(`resolver's own check on ${kind} ${c.label} agrees with the table`, async () => {
          for (const role of ROLES) {
            const actor = { subject: `matrix-${role}`, role: role as Role, kind: 'service' as const };
            const contextValue = createGqlContext(new RequestContext(t.app.services, actor, 'matrix'), LOADER_FACTORIES);
            const r = await execute({ schema: resolverSchema, document: parse(c.query), variableValues: c.variables, contextValue });
            const forbidden = (r.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN');
            assert.equal(forbidden, !c.allowed.includes(role as Role), `${role}: ${JSON.stringify(r.errors)}`);
          }
        });
      }
    }
  }

  for (const [kind, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const policy = policyOf(kind, field.name);
      if (!policy) continue; // reported by the first test
      for (const c of casesOf(kind, field, policy)) {
        test(`${kind} ${c.label}: ${c.allowed.join(', ') || 'nobody'}`, async () => {
          const anon = await t.gql(null, c.query, c.variables);
          assert.equal(anon.status, 401, `no credential: ${JSON.stringify(anon)}`);
          assert.equal(anon.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
          for (const role of ROLES) {
            const r = await t.gql(role, c.query, c.variables);
            const codes = (r.errors ?? []).map((e) => e.extensions?.code);
            if (c.allowed.includes(role as Role)) {
              assert.ok(!codes.includes('FORBIDDEN') && !codes.includes('UNAUTHENTICATED') && r.status !== 403, `${role} should be allowed: ${JSON.stringify(r)}`);
              assert.ok(!codes.includes('GRAPHQL_VALIDATION_FAILED'), `the generated request must be valid: ${JSON.stringify(r.errors)}`);
            } else {
              assert.deepEqual(codes, ['FORBIDDEN'], `${role} should be refused: ${JSON.stringify(r)}`);
              assert.equal(r.status, 403);
              assert.equal(r.data, undefined, 'nothing executed');
            }
          }
        });
      }
    }
  }
});
