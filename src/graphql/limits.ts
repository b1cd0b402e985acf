/**
 * Bounds on what one GraphQL operation may ask for, applied after validation and before
 * execution: the access rule of every root field, depth, aliases, `first` on every connection,
 * cost, the actor's cost budget, and an execution deadline. Limits are per role (config
 * GRAPHQL_LIMITS); the token count is bounded earlier, by the parser (GRAPHQL_MAX_TOKENS), and
 * the body size by the JSON parser (GRAPHQL_MAX_BYTES).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import type { AppServices, RequestContext } from '../db/context';
import type { TakeResult } from './budget';
import { SharedCostBudget } from './budget-store';
import type { GqlContext } from './context';
import { RoleLimits } from './limits.config';
import { assertOperationAllowed, refusedRootFields } from './operation-policy';
import { cachedMeasure } from './shape-cache';

/** The page size a connection returns when `first` is not given (src/graphql/connection.ts). */
const DEFAULT_PAGE = 20;
/** Assumed length of a plain list field (an order's invoices, payments, refunds…). */
const LIST_FACTOR = 10;
/** Selections the cost walk may visit; fragment fan-out beyond this is refused outright. */
const MAX_NODES = 10_000;

function tooComplex(message: string, extra: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...extra, http: { status: 400 } } });
}

function badFirst(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field: 'first', http: { status: 400 } } });
}

/** Depth and alias count of an operation, through fragment spreads (each spread counts again). */
function shapeOf(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): { depth: number; aliases: number } {
  const memo = new Map<string, { depth: number; aliases: number }>();
  const walk = (set: SelectionSetNode, active: Set<string>): { depth: number; aliases: number } => {
    let depth = 0;
    let aliases = 0;
    for (const s of set.selections) {
      let d = 0;
      let a = 0;
      if (s.kind === Kind.FIELD) {
        a = s.alias ? 1 : 0;
        // Introspection is off in production and bounded by the token limit elsewhere.
        if (s.selectionSet && !s.name.value.startsWith('__')) {
          const inner = walk(s.selectionSet, active);
          d = 1 + inner.depth;
          a += inner.aliases;
        } else d = 1;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        ({ depth: d, aliases: a } = walk(s.selectionSet, active));
      } else {
        const name = s.name.value;
        const f = fragments[name];
        if (!f || active.has(name)) continue;
        let r = memo.get(name);
        if (!r) {
          active.add(name);
          r = walk(f.selectionSet, active);
          active.delete(name);
          memo.set(name, r);
        }
        ({ depth: d, aliases: a } = r);
      }
      depth = Math.max(depth, d);
      aliases += a;
    }
    return { depth, aliases };
  };
  return walk(operation.selectionSet, new Set());
}

/**
 * The cost model: leaves are free, each object costs 1 plus its selection; a connection costs 1
 * plus `first` (default 20) times its selection (whose nodes/edges count each object once), a
 * plain list LIST_FACTOR objects, `_entities` one object per representation. Also refuses any
 * `first` outside 0…maxPageSize, on every connection at any depth, before a resolver runs.
 */
function estimator(maxPageSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    if (isLeafType(getNamedType(field.type))) return 0;
    if (field.args.some((a) => a.name === 'first')) {
      const first = args.first ?? DEFAULT_PAGE;
      if (!Number.isInteger(first) || first < 0) throw badFirst('`first` must be a non-negative integer');
      if (first > maxPageSize) throw badFirst(`\`first\` must be at most ${maxPageSize}`);
      return 1 + first * childComplexity;
    }
    if (field.name === '_entities') return (Array.isArray(args.representations) ? args.representations.length : 1) * (1 + childComplexity);
    // edges and nodes of a connection are already multiplied by its `first`
    if (isListType(getNullableType(field.type)) && !(isObjectType(type) && type.name.endsWith('Connection'))) return LIST_FACTOR * (1 + childComplexity);
    return 1 + childComplexity;
  };
}

export interface OperationShape {
  depth: number;
  aliases: number;
  cost: number;
}

/** Measures an operation against a role's limits; throws the first limit it breaks. */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  /** As the client sent them: the cost walk coerces them itself. */
  variables: Record<string, unknown>,
  limits: RoleLimits,
  maxPageSize: number,
): OperationShape {
  const fragments = fragmentsOf(document);
  const { depth, aliases } = cachedMeasure('shape', document, operation, null, () => shapeOf(operation, fragments));
  if (depth > limits.maxDepth) throw tooComplex(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, { limit: limits.maxDepth, actual: depth });
  if (aliases > limits.maxAliases) throw tooComplex(`Query uses ${aliases} aliases; the limit is ${limits.maxAliases}`, { limit: limits.maxAliases, actual: aliases });
  let cost: number;
  try {
    cost = cachedMeasure(`cost:${maxPageSize}`, document, operation, variables, () =>
      getComplexity({
        schema,
        query: { kind: Kind.DOCUMENT, definitions: [operation, ...Object.values(fragments)] },
        variables,
        estimators: [estimator(maxPageSize)],
        maxQueryNodes: MAX_NODES,
      }),
    );
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions.code) throw err;
    throw tooComplex(`Query is too large to cost (more than ${MAX_NODES} selections after expanding fragments)`, { limit: MAX_NODES });
  }
  if (cost > limits.maxCost) throw tooComplex(`Query cost ${cost} exceeds the limit of ${limits.maxCost}`, { limit: limits.maxCost, actual: cost });
  return { depth, aliases, cost };
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Execution deadline

interface Deadline {
  expired: boolean;
  ms: number;
  mutation: boolean;
  expiry: Promise<never>;
  timer: NodeJS.Timeout;
  /** Set once the answer is decided without the execution (expired, or its budget refused): what a resolver starting now returns. */
  stopped: Promise<never> | null;
}

const deadlines = new WeakMap<object, Deadline>();

function timeoutError(d: Deadline, requestId: string): GraphQLError {
  const what = d.mutation ? 'The mutation may still complete: retry with the same idempotency key to learn its outcome.' : 'Ask for less (smaller pages, fewer fields).';
  return new GraphQLError(`The operation exceeded its time limit of ${d.ms} ms. ${what}`, { extensions: { code: 'TIMEOUT', requestId } });
}

function startDeadline(context: GqlContext, ms: number, mutation: boolean): void {
  let fire!: (e: Error) => void;
  const expiry = new Promise<never>((_, reject) => (fire = reject));
  expiry.catch(() => undefined);
  const d: Deadline = { expired: false, ms, mutation, expiry, timer: undefined as unknown as NodeJS.Timeout, stopped: null };
  d.timer = setTimeout(() => {
    d.expired = true;
    d.stopped = expiry;
    fire(timeoutError(d, context.ctx.requestId));
  }, ms);
  d.timer.unref();
  deadlines.set(context, d);
}

/**
 * Budget takes still being written for queries that started without waiting for them (the limits
 * plugin below): raceDeadline waits for each before the answer goes out.
 */
const takesInFlight = new WeakMap<object, Promise<void>>();

/**
 * The operation's execution raced against the request's deadline, once (the executor calls it): a
 * slow field cannot hold the response past it. Work already started (a database statement, an
 * upstream call) finishes in the background; its result is dropped, as the whole answer becomes
 * TIMEOUT (willSendResponse below). One race per operation, not one per field: a race keeps a
 * reaction on the deadline's promise until the request ends, thousands of them on a page of orders.
 * A query that started beside its budget take answers once the take is written: refused, the
 * answer is RATE_LIMITED, as if it had waited, and no resolver starts after the refusal.
 */
export function raceDeadline<T>(context: object, execution: Promise<T> | T): Promise<T> | T {
  const d = deadlines.get(context);
  const raced = !d ? execution : d.expired ? d.expiry : execution instanceof Promise ? Promise.race([execution, d.expiry]) : execution;
  const take = takesInFlight.get(context);
  if (!take) return raced;
  // A query that started beside its budget take answers only once the take is written.
  if (raced instanceof Promise) raced.catch(() => undefined);
  return take.then(
    () => raced,
    (refusal: unknown) => {
      // Refused: no resolver starts from now on, and what already runs finishes unheard.
      if (d && !d.stopped) {
        d.stopped = Promise.reject(refusal);
        d.stopped.catch(() => undefined);
      }
      throw refusal;
    },
  );
}

/**
 * No resolver starts once the deadline has passed: the execution still running behind the answer
 * (raceDeadline) winds down instead of reading on.
 */
export function applyDeadlines(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (source, args, context, info) => {
        const d = deadlines.get(context as object);
        return d?.stopped ?? resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// The plugin

/**
 * One audit row (REJECTED:FORBIDDEN) per refused mutation, whichever role asked;
 * a failure to write it is logged, the refusal stands.
 */
async function auditRefusedMutations(
  audit: RefusalAudit,
  schema: GraphQLSchema,
  c: GqlContext,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): Promise<void> {
  try {
    for (const f of refusedRootFields(schema, c.ctx.actor, operation, fragments, variables).filter((x) => x.audited)) {
      const input = f.args.input as { orderId?: unknown } | undefined;
      const orderId = typeof input?.orderId === 'string' && input.orderId.length <= 64 ? input.orderId : null;
      await audit(c.ctx, { operation: f.name, args: f.args, orderId, outcome: 'REJECTED:FORBIDDEN' });
    }
  } catch (err) {
    c.ctx.log.error({ err }, 'could not audit a refused mutation');
  }
}

/** Writes one audit row for a refused mutation (the audit module's writeAudit, given by the composition root). */
export type RefusalAudit = (ctx: RequestContext, entry: { operation: string; args: unknown; orderId: string | null; outcome: string }) => Promise<void>;

function rateLimited(cost: number, taken: Extract<TakeResult, { ok: false }>): GraphQLError {
  return new GraphQLError(`Cost budget exhausted: this operation costs ${cost}, ${taken.status.currentlyAvailable} is available; retry in ${taken.retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: taken.retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(taken.retryAfterSeconds)]]) },
    },
  });
}

export function limitsPlugin(services: AppServices, audit: RefusalAudit): ApolloServerPlugin<GqlContext> {
  const budget = new SharedCostBudget(services.dataSource, services.clock, services.logger);
  const { config } = services;
  const limitsOf = (role: string): RoleLimits => config.graphqlLimits[role as keyof typeof config.graphqlLimits] ?? config.graphqlLimits.SUPPORT;
  const keyOf = (c: GqlContext) => `${c.ctx.actor.role}:${c.ctx.actor.subject}`;
  return {
    async requestDidStart({ contextValue }) {
      const limits = limitsOf(contextValue.ctx.actor.role);
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          if (!schema.getRootType(operation.operation)) assertOperationAllowed(schema, contextValue.ctx.actor, operation, {}, {});
          const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not coerce stop execution before any resolver runs; graphql reports them.
          if (!coerced) return;
          try {
            assertOperationAllowed(schema, contextValue.ctx.actor, operation, fragmentsOf(document), coerced);
          } catch (err) {
            // A refusal for the role is audited, for every mutation.
            if (operation.operation === 'mutation') await auditRefusedMutations(audit, schema, contextValue, operation, fragmentsOf(document), coerced);
            throw err;
          }
          const shape = checkOperation(schema, document, operation, request.variables ?? {}, limits, config.maxPageSize);
          const key = keyOf(contextValue);
          const take = budget.take(key, shape.cost, limits).then((taken) => {
            contextValue.extensions.cost = { requestedQueryCost: shape.cost, throttleStatus: taken.status };
            if (!taken.ok) throw rateLimited(shape.cost, taken);
          });
          // A query (it reads, nothing else) that this replica's last look at the bucket says fits
          // starts beside its take, and its answer waits for the take (raceDeadline); a mutation,
          // or a caller known to be short, waits for the take before anything runs.
          if (operation.operation === 'query' && budget.likelyGrants(key, shape.cost, limits)) {
            take.catch(() => undefined);
            takesInFlight.set(contextValue, take);
          } else await take;
          startDeadline(contextValue, limits.timeoutMs, operation.operation === 'mutation');
        },
        async willSendResponse({ response, contextValue: c }) {
          // Refused before costing (parse, validation, policy): nothing taken, the budget as it stands reported.
          if (!c.extensions.cost) {
            c.extensions.cost = { requestedQueryCost: 0, throttleStatus: await budget.peek(keyOf(c), limits) };
            if (response.body.kind === 'single') response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: c.extensions.cost };
          }
          const d = deadlines.get(c);
          if (!d) return;
          clearTimeout(d.timer);
          deadlines.delete(c);
          if (!d.expired || response.body.kind !== 'single') return;
          const err = timeoutError(d, c.ctx.requestId);
          response.body.singleResult = { errors: [{ message: err.message, extensions: err.extensions }], extensions: response.body.singleResult.extensions };
          response.http.status = 503;
        },
      };
    },
  };
}
