import type { LoaderFactory } from '../core/module';
import { RequestContext } from '../db/context';

/**
 * The request's DataLoaders. Each module adds its own from its loaders file:
 *
 *   declare module '../../graphql/context' { interface Loaders extends ReturnType<typeof createOmsLoaders> {} }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

export interface GqlContext {
  ctx: RequestContext;
  loaders: Loaders;
  /** Extension data reported back to the client (cost budget, request id). */
  extensions: Record<string, unknown>;
  /** Forgets everything the loaders cached (a mutation changed the data): the next reads go to the database. */
  renewLoaders(): void;
  /** Fields for the request's log line: the operation, and what a resolver adds (a refund id). */
  logFields: Record<string, unknown>;
  /** What the response is sent as; it decides the HTTP status of a request error (src/graphql/http-status.ts). */
  responseMediaType?: ResponseMediaType;
}

export type ResponseMediaType = 'application/json' | 'application/graphql-response+json';

/** One fresh loader set per request, from every module's factory: nothing cached outlives it. */
export function createGqlContext(ctx: RequestContext, loaderFactories: readonly LoaderFactory[]): GqlContext {
  const build = () => Object.assign({}, ...loaderFactories.map((f) => f(ctx))) as Loaders;
  const gql: GqlContext = {
    ctx,
    loaders: build(),
    extensions: { requestId: ctx.requestId },
    logFields: {},
    renewLoaders: () => void Object.assign(gql.loaders, build()),
  };
  return gql;
}
