import { GraphQLError } from 'graphql';
import { ForbiddenError, InputError } from '../shared/errors';

export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

/** `httpStatus`: for refusals before execution (the operation policy answers 403). */
export function forbidden(message = 'You are not allowed to do this', httpStatus?: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
}

export function unauthenticated(message = 'Authentication required', httpStatus?: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
}

/**
 * The GraphQL error a domain error of src/shared/errors.ts stands for — InputError is
 * BAD_USER_INPUT (with its `field`), ForbiddenError is FORBIDDEN — or undefined for any other error.
 */
export function graphQLErrorOf(err: unknown): GraphQLError | undefined {
  if (err instanceof InputError) return badInput(err.message, err.field);
  if (err instanceof ForbiddenError) return forbidden(err.message);
  return undefined;
}

/** For a service call's `.catch`: rethrows a domain error as its GraphQL error, anything else as it is. */
export function rethrowAsGraphQL(err: unknown): never {
  throw graphQLErrorOf(err) ?? err;
}

/** Codes whose message is meant for the client; anything else is masked. */
export const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'TIMEOUT',
  // The identity provider's key set could not be fetched (src/graphql/authenticate.ts).
  'UPSTREAM_UNAVAILABLE',
]);
