/**
 * Schema assembly: every module contributes its resolvers (ModuleDefinition.resolvers); the result is also a valid Apollo
 * Federation 2 subgraph (`@key` on the shared entities) so a supergraph can compose it.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { DateTimeISOResolver } from 'graphql-scalars';
import { buildSchema, createResolversMap, getMetadataStorage, NonEmptyArray } from 'type-graphql';
import { authChecker } from './auth-checker';
import { applyDeadlines } from './limits';
import { enforceOperationPolicies } from './operation-policy';
import type { GqlContext } from './context';
import type { ModuleDefinition } from '../core/module';

const cache = new WeakMap<readonly ModuleDefinition[], GraphQLSchema>();

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes resolver classes as Function
function resolversOf(modules: readonly ModuleDefinition[]): NonEmptyArray<Function> {
  const all = modules.flatMap((m) => m.resolvers ?? []);
  if (all.length === 0) throw new Error('no module contributes a resolver');
  return all as NonEmptyArray<Function>; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
}

/** The resolvers' own schema, before federation and the operation guards; the access test checks its @Authorized. */
export function buildResolverSchema(modules: readonly ModuleDefinition[]): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: resolversOf(modules),
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeISOResolver }],
    validate: false,
    skipCheck: true,
  });
}

/**
 * The object fields type-graphql serves through a resolver that only reads the property of the
 * same name: no field resolver, no authorization, no middleware, the schema's name is the
 * property's. graphql's default resolver does the same read without the wrapper (and without a
 * deadline race, which a property read does not need) — on a page of orders, thousands of calls.
 */
function plainFields(): [type: string, field: string][] {
  const storage = getMetadataStorage();
  const out: [string, string][] = [];
  for (const objectType of storage.objectTypes) {
    const interfaces = storage.interfaceTypes.filter((i) => objectType.interfaceClasses?.includes(i.target));
    for (const f of [...interfaces.flatMap((i) => i.fields ?? []), ...(objectType.fields ?? [])]) {
      const resolved = storage.fieldResolvers.some((r) => r.methodName === f.name && r.getObjectType?.() === f.target);
      if (resolved || f.simple === false || f.roles?.length || f.middlewares?.length || f.name !== f.schemaName) continue;
      out.push([objectType.name, f.schemaName]);
    }
  }
  return out;
}

type FieldResolve = (root: unknown, args: unknown, context: Record<string, unknown>, info: unknown) => unknown;
interface ParamMeta {
  kind: string;
  index: number;
  propertyName?: string;
  getType?: () => unknown;
}

/**
 * The field resolvers that take only their object, the context and the info — no arguments to
 * convert or validate, no authorization, no middleware — as a direct call of the method.
 * type-graphql's handler would do the same call after rebuilding its parameter list on every call
 * (a page of orders: a dozen lists for each order). Where the object is not yet an instance of the
 * type the method declares, type-graphql's own handler converts it, as before.
 */
function directFieldResolvers(original: Record<string, Record<string, unknown>>): [type: string, field: string, resolve: FieldResolve][] {
  const storage = getMetadataStorage();
  const out: [string, string, FieldResolve][] = [];
  const instances = new Map<new () => object, object>();
  for (const def of storage.fieldResolvers) {
    const objectClass = def.getObjectType?.();
    const typeName = storage.objectTypes.find((t) => t.target === objectClass)?.name;
    const fallback = typeName ? original[typeName]?.[def.schemaName] : undefined;
    if (def.kind !== 'external' || typeof fallback !== 'function') continue;
    const field = storage.objectTypes.find((t) => t.target === objectClass)?.fields?.find((f) => f.schemaName === def.schemaName);
    if (def.roles?.length || def.middlewares?.length || field?.roles?.length || field?.middlewares?.length) continue;
    const params = [...((def.params ?? []) as ParamMeta[])].sort((a, b) => a.index - b.index);
    if (!params.every((p) => p.kind === 'root' || p.kind === 'context' || p.kind === 'info')) continue;
    const rootParam = params.find((p) => p.kind === 'root');
    const rootType = rootParam?.getType?.();
    if (rootParam && (rootParam.propertyName || typeof rootType !== 'function')) continue;
    const target = def.target as new () => Record<string, (...a: unknown[]) => unknown>;
    let instance = instances.get(target) as Record<string, (...a: unknown[]) => unknown> | undefined;
    if (!instance) instances.set(target, (instance = new target()));
    const method = instance[def.methodName]!;
    const call = instance;
    const pick = params.map((p): ((root: unknown, context: Record<string, unknown>, info: unknown) => unknown) => {
      if (p.kind === 'root') return (root) => root;
      if (p.kind === 'info') return (_r, _c, info) => info;
      const prop = p.propertyName;
      return prop ? (_r, context) => context[prop] : (_r, context) => context;
    });
    const viaTypeGraphql = fallback as FieldResolve;
    const rootClass = rootType as new () => object;
    out.push([
      typeName!,
      def.schemaName,
      (root, args, context, info) => {
        if (rootParam && !(root instanceof rootClass)) return viaTypeGraphql(root, args, context, info);
        return method.apply(
          call,
          pick.map((f) => f(root, context, info)),
        );
      },
    ]);
  }
  return out;
}

/** The schema served: the modules' resolvers, as a federation subgraph, behind the operation guards and deadlines. */
export async function buildAppSchema(modules: readonly ModuleDefinition[]): Promise<GraphQLSchema> {
  const hit = cache.get(modules);
  if (hit) return hit;
  const schema = await buildResolverSchema(modules);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, field] of plainFields()) if (resolvers[type]) delete resolvers[type][field];
  for (const [type, field, resolve] of directFieldResolvers(resolvers)) resolvers[type]![field] = resolve;
  for (const refs of modules.map((m) => m.referenceResolvers ?? {})) {
    for (const [type, fields] of Object.entries(refs)) resolvers[type] = { ...(resolvers[type] ?? {}), ...fields };
  }
  const subgraph = buildSubgraphSchema({
    typeDefs: gql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers: resolvers as never,
  });
  const served = applyDeadlines(enforceOperationPolicies(subgraph, (c) => (c as GqlContext | undefined)?.ctx?.actor));
  cache.set(modules, served);
  return served;
}
