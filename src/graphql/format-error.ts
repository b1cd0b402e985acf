import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { GqlContext } from './context';
import { CLIENT_ERROR_CODES, graphQLErrorOf } from './errors';

/** Errors already logged with their request id, so formatError does not log them twice. */
const logged = new WeakSet<object>();

/**
 * The GraphQL error a domain error (src/shared/errors.ts) thrown by a resolver stands for: the
 * error GraphQL reports wraps what was thrown as its originalError.
 */
function domainErrorAsGraphQL(err: unknown): GraphQLError | undefined {
  for (let e: unknown = err; e; e = e instanceof GraphQLError ? e.originalError : undefined) {
    const mapped = graphQLErrorOf(e);
    if (mapped) return mapped;
  }
  return undefined;
}

function isExpected(err: unknown): boolean {
  const code = (err as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) || domainErrorAsGraphQL(err) !== undefined;
}

/**
 * Logs every unexpected error of a GraphQL request in full — message, stack, SQL — under the
 * request id the client receives in the masked error.
 */
export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const e of errors) {
            if (isExpected(e)) continue;
            logged.add(e);
            logger.error({ err: unwrapResolverError(e), requestId: contextValue.ctx.requestId, path: e.path, operationName }, 'unexpected GraphQL error');
          }
        },
      };
    },
  };
}

/**
 * What reaches the client: the message and code of expected errors; for anything else only
 * INTERNAL_SERVER_ERROR, the request id (added when the response is sent) and the path of the
 * failed field. Never SQL, never a stack.
 */
export function makeFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A domain error reaches the client as the GraphQL error it stands for (BAD_USER_INPUT, FORBIDDEN).
    const domain = domainErrorAsGraphQL(error);
    if (domain) formatted = { ...formatted, message: domain.message, extensions: { ...domain.extensions } };
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (CLIENT_ERROR_CODES.has(code)) {
      const { stacktrace: _s, exception: _e, ...ext } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { ...ext, code } };
    }
    // Failures outside a request's pipeline (context creation) have no request id to log under.
    if (!(error && typeof error === 'object' && logged.has(error))) logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected GraphQL error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
