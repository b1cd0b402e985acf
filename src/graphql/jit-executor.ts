/**
 * How operations execute: a query as code compiled from its document (graphql-jit), once per parsed
 * document and operation; a mutation, and any request that asks for a federated trace, through
 * graphql-js as before. Both run the same schema and resolvers — access checks and loaders are in
 * the resolvers — so an answer is the same either way; the compiled one costs less CPU on a large
 * page (`npm run bench:read`). With compilation off (GRAPHQL_COMPILED_QUERIES=false) every operation
 * runs through graphql-js here. Either way the execution races the request's deadline once.
 *
 * Apollo Server takes a custom executor only through its gateway interface; this is that
 * interface around one fixed schema.
 */
import type { ApolloServerOptions } from '@apollo/server';
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GqlContext } from './context';
import { raceDeadline } from './limits';

type Gateway = Extract<ApolloServerOptions<GqlContext>, { gateway: unknown }>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type GatewayRequest = Parameters<Executor>[0];

/** Compiled queries of a document, by operation name (documents are kept by Apollo's document store; a dropped one frees its entry). */
const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
let compilations = 0;

/** How many operations this process has compiled (a test tells by it which executor answered). */
export const compiledOperations = (): number => compilations;

function compiledFor(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  if (!byName.has(key)) {
    const c = compileQuery(schema, document, operationName);
    compilations++;
    // A document graphql-jit cannot compile runs through graphql-js, which reports what is wrong with it.
    byName.set(key, isCompiledQuery(c) ? c : null);
  }
  return byName.get(key) ?? null;
}

/**
 * Whether a request runs through graphql-js: a mutation (one field after another, as graphql-js
 * orders them); a request asking for a federated trace (Apollo's plugin times each field there);
 * and one whose variables do not coerce, so that graphql-js reports them as it always has (400,
 * BAD_USER_INPUT, the variable named).
 */
function needsGraphqlJs(rc: GatewayRequest, schema: GraphQLSchema, variables: Record<string, unknown>): boolean {
  if (rc.operation?.operation !== 'query' || rc.request.http?.headers.get('apollo-federation-include-trace') === 'ftv1') return true;
  return getVariableValues(schema, rc.operation.variableDefinitions ?? [], variables).errors !== undefined;
}

function executeOperation(schema: GraphQLSchema, compile: boolean, rc: GatewayRequest): Promise<ExecutionResult> | ExecutionResult {
  const variables = rc.request.variables ?? {};
  // The operation the client named (rc.operationName is the one resolved, null when none was).
  const operationName = rc.request.operationName ?? undefined;
  const c = !compile || needsGraphqlJs(rc, schema, variables) ? null : compiledFor(schema, rc.document, operationName);
  if (c) return Promise.resolve(c.query(undefined, rc.context, variables)).then(asGraphqlJsErrors);
  return execute({ schema, document: rc.document, contextValue: rc.context, variableValues: variables, operationName });
}

/**
 * graphql-jit's errors carry the message, locations, path and the resolver's own error, but no
 * `extensions` object when the resolver's error had none (graphql-js always gives one, and Apollo
 * reads it): each becomes the graphql-js error graphql-js would have made.
 */
function asGraphqlJsErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const out = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions });
    if (e.locations) (out as { locations?: unknown }).locations = e.locations;
    return out;
  });
  return { ...result, errors };
}

/** Apollo's gateway interface around one schema that never changes, with the executor above (`compile`: queries compiled). */
export function operationExecution(schema: GraphQLSchema, opts: { compile: boolean }): Gateway {
  return {
    async load() {
      return { schema, executor: async (rc) => (await raceDeadline(rc.context, executeOperation(schema, opts.compile, rc))) as Awaited<ReturnType<Executor>> };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
