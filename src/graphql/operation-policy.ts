/**
 * Who may call each root operation — the one table the access-control test checks the schema
 * against. A Query or Mutation field that is not listed here is refused for everyone, so a new
 * operation is closed until it gets a rule. `@Authorized(Permission.X)` on the resolvers stays as
 * the second, independent lock; the matrix test proves both agree.
 */
import {
  defaultFieldResolver,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  GraphQLError,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { Actor, Role } from '../shared/actor';
import { truncate } from '../shared/text';
import { forbidden } from './errors';

const { SUPPORT, ANALYST, FINANCE, ADMIN } = Role;
const EVERY_ROLE: readonly Role[] = [SUPPORT, ANALYST, FINANCE, ADMIN];
const REPORT_READERS: readonly Role[] = [ANALYST, FINANCE, ADMIN];
const FINANCE_AND_ADMIN: readonly Role[] = [FINANCE, ADMIN];
const ADMIN_ONLY: readonly Role[] = [ADMIN];

export interface OperationPolicy {
  roles: readonly Role[];
  /**
   * Narrower rules for the values of one enum argument (an input path such as input.decision):
   * listed values allow their roles, any other value — including one added later — `otherwise`.
   */
  byArgument?: { path: readonly string[]; values: Readonly<Record<string, readonly Role[]>>; otherwise: readonly Role[] };
}

export const QUERY_POLICY: Readonly<Record<string, OperationPolicy>> = {
  // order money state: support tools and everyone above them
  order: { roles: EVERY_ROLE },
  orders: { roles: EVERY_ROLE },
  invoice: { roles: EVERY_ROLE },
  payment: { roles: EVERY_ROLE },
  capture: { roles: EVERY_ROLE },
  refund: { roles: EVERY_ROLE },
  settlement: { roles: EVERY_ROLE },
  settlements: { roles: EVERY_ROLE },
  pendingRefunds: { roles: EVERY_ROLE },
  // support works the exception queue ("which orders have money in a bad state?")
  moneyExceptions: { roles: EVERY_ROLE },
  // reports and reconciliation
  moneySummary: { roles: REPORT_READERS },
  reconciliationReport: { roles: REPORT_READERS },
  reconciliationRuns: { roles: REPORT_READERS },
  reconciliationRun: { roles: REPORT_READERS },
  // a dry run that changes nothing: analysts read it like the other reconciliation queries
  writebackValidation: { roles: REPORT_READERS },
  webhookEvents: { roles: REPORT_READERS },
  // what the service still owes upstream systems, dead letters included
  outboxMessages: { roles: FINANCE_AND_ADMIN },
  auditLog: { roles: ADMIN_ONLY },
  // who the caller is: what the ops page shows them
  viewer: { roles: EVERY_ROLE },
  // federation: entity lookups are checked per type below; the SDL only for authenticated callers
  _entities: { roles: EVERY_ROLE },
  _service: { roles: EVERY_ROLE },
};

export const MUTATION_POLICY: Readonly<Record<string, OperationPolicy>> = {
  refundInvoice: { roles: ADMIN_ONLY },
  creditPaymentMethod: { roles: ADMIN_ONLY },
  recoverRefunds: { roles: ADMIN_ONLY },
  syncOrder: { roles: ADMIN_ONLY },
  retryOutboxMessages: { roles: ADMIN_ONLY },
  retryWebhookEvents: { roles: ADMIN_ONLY },
  runReconciliation: { roles: FINANCE_AND_ADMIN },
  decideException: {
    roles: FINANCE_AND_ADMIN,
    byArgument: {
      path: ['input', 'decision'],
      // finance's paths; closing, repairing and refunding stay with admins
      values: { POST_FINANCE_EVIDENCE: FINANCE_AND_ADMIN, HOLD_AND_ESCALATE: FINANCE_AND_ADMIN, RELEASE_HOLD: FINANCE_AND_ADMIN },
      otherwise: ADMIN_ONLY,
    },
  },
};

/** `_entities` representations, by __typename: the same readers as the type's own queries. */
export const ENTITY_POLICY: Readonly<Record<string, readonly Role[]>> = {
  Order: EVERY_ROLE,
  Invoice: EVERY_ROLE,
  Payment: EVERY_ROLE,
  Capture: EVERY_ROLE,
  Refund: EVERY_ROLE,
  Settlement: EVERY_ROLE,
};

export function policyOf(rootKind: 'query' | 'mutation' | 'subscription', field: string): OperationPolicy | undefined {
  const table = rootKind === 'query' ? QUERY_POLICY : rootKind === 'mutation' ? MUTATION_POLICY : {};
  return Object.prototype.hasOwnProperty.call(table, field) ? table[field] : undefined;
}

/** The enum value name at `path` in the coerced arguments, or undefined when absent. */
function enumNameAt(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, path: readonly string[]): string | undefined {
  let type: GraphQLInputType | undefined = field.args.find((a) => a.name === path[0])?.type;
  let value: unknown = path[0] === undefined ? undefined : args[path[0]];
  for (const key of path.slice(1)) {
    const named = type && getNamedType(type);
    if (!isInputObjectType(named) || value === null || typeof value !== 'object') return undefined;
    type = (named as GraphQLInputObjectType).getFields()[key]?.type;
    value = (value as Record<string, unknown>)[key];
  }
  const named = type && getNamedType(type);
  if (value === undefined || value === null || !isEnumType(named)) return undefined;
  return named.getValues().find((v) => v.value === value)?.name ?? String(value);
}

/** The roles allowed to call `field` with these (coerced) arguments. */
export function rolesFor(policy: OperationPolicy, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): readonly Role[] {
  if (!policy.byArgument) return policy.roles;
  const name = enumNameAt(field, args, policy.byArgument.path);
  if (name === undefined) return policy.roles;
  const narrowed = policy.byArgument.values[name] ?? policy.byArgument.otherwise;
  return policy.roles.filter((r) => narrowed.includes(r));
}

/**
 * Throws FORBIDDEN unless the actor may call this root field with these arguments. Also checks
 * each `_entities` representation against ENTITY_POLICY, so federation lookups cannot read what
 * the type's own queries would refuse.
 */
function assertMayCall(actor: Actor, rootKind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): void {
  const policy = policyOf(rootKind, field.name);
  if (!policy) throw forbidden(`Operation ${field.name} has no access rule and is refused`, 403);
  if (!rolesFor(policy, field, args).includes(actor.role)) {
    const detail = policy.byArgument && policy.roles.includes(actor.role) ? ` with this ${policy.byArgument.path.join('.')}` : '';
    throw forbidden(`Role ${actor.role} may not call ${field.name}${detail}`, 403);
  }
  if (field.name === '_entities') {
    for (const rep of (args.representations as { __typename?: unknown }[] | undefined) ?? []) {
      const type = typeof rep?.__typename === 'string' ? rep.__typename : '';
      const roles = Object.prototype.hasOwnProperty.call(ENTITY_POLICY, type) ? ENTITY_POLICY[type] : undefined;
      // A type that is not an entity here is refused alike for every role: the message names no role.
      if (!type) throw forbidden('An entity representation needs a __typename', 403);
      if (!roles) throw forbidden(`${truncate(type, 64)} is not an entity type of this service: it cannot be looked up through _entities`, 403);
      if (!roles.includes(actor.role)) throw forbidden(`Role ${actor.role} may not look up ${truncate(type, 64)} entities`, 403);
    }
  }
}

/** Root fields of an operation, through fragments; __typename and introspection excluded. */
function rootFieldNodes(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (!s.name.value.startsWith('__')) out.push(s);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value) && fragments[s.name.value]) {
        seen.add(s.name.value);
        walk(fragments[s.name.value]!.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return out;
}

/**
 * Checks every root field of the operation before anything executes, so a mutation document
 * with one forbidden field runs none of them. Variables must already be coerced.
 */
export function assertOperationAllowed(
  schema: GraphQLSchema,
  actor: Actor,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): void {
  const root = schema.getRootType(operation.operation);
  if (!root) throw new GraphQLError(`This API has no ${operation.operation} operations`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
  for (const node of rootFieldNodes(operation, fragments)) {
    const field = root.getFields()[node.name.value];
    if (field) assertMayCall(actor, operation.operation, field, getArgumentValues(field, node, variables));
  }
}

/** The root fields of the operation this actor may not call, with their (coerced) arguments. */
export function refusedRootFields(
  schema: GraphQLSchema,
  actor: Actor,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): { name: string; args: Record<string, unknown>; audited: boolean }[] {
  const root = schema.getRootType(operation.operation);
  if (!root) return [];
  const out: { name: string; args: Record<string, unknown>; audited: boolean }[] = [];
  for (const node of rootFieldNodes(operation, fragments)) {
    const field = root.getFields()[node.name.value];
    if (!field) continue;
    const args = getArgumentValues(field, node, variables);
    try {
      assertMayCall(actor, operation.operation, field, args);
    } catch {
      // Every refused mutation is audited: it is an attempt to change money or its records.
      out.push({ name: field.name, args, audited: operation.operation === 'mutation' });
    }
  }
  return out;
}

/**
 * Installs the same check in every root resolver of the schema, so no path that executes the
 * schema (a gateway executor, a test calling execute) skips it.
 */
export function enforceOperationPolicies(schema: GraphQLSchema, actorOf: (context: unknown) => Actor | undefined): GraphQLSchema {
  const kinds = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  for (const [kind, type] of kinds) {
    for (const field of Object.values((type as GraphQLObjectType | null | undefined)?.getFields() ?? {})) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const actor = actorOf(context);
        if (!actor || actor.kind === 'anonymous') throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
        assertMayCall(actor, kind, field, args);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
