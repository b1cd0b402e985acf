import { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { CLIENT_ERROR_CODES } from './errors';

/**
 * What reaches the client: the message and code of expected errors; for anything else only
 * INTERNAL_SERVER_ERROR and the request id. Never SQL, never a stack. The full error is logged.
 */
export function makeFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    const requestId = (formatted.extensions?.requestId as string | undefined) ?? undefined;
    if (CLIENT_ERROR_CODES.has(code)) {
      const { stacktrace: _s, exception: _e, ...ext } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { ...ext, code } };
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected GraphQL error');
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    };
  };
}
