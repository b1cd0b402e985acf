/**
 * HTTP statuses as GraphQL over HTTP assigns them to the media type the client accepts:
 *
 * - `application/graphql-response+json` (asked for in Accept): a request error — refused by the
 *   operation policy (403), unauthenticated (401), over the budget (429), too complex or invalid
 *   (400) — keeps its 4xx status;
 * - `application/json` (asked for, `*` / `*`, or no Accept at all, as a federation gateway sends):
 *   every well-formed GraphQL response is 200, the error's code in `extensions.code`. A gateway
 *   turns a subgraph's non-2xx answer into "403: Forbidden" and drops the body; with 200 it passes
 *   the message and the code on to its client.
 *
 * 405 (a mutation over GET), a request that is not GraphQL at all (BAD_REQUEST: a query that is
 * not a string, a subscription) and 5xx keep their status under both.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import type { GqlContext, ResponseMediaType } from './context';

/**
 * The media type the response is sent as, negotiated as Apollo Server does (application/json when
 * Accept does not say or says `*` / `*`). A client that accepts neither (a browser asking for HTML)
 * is no GraphQL client: it keeps the statuses too.
 */
export function responseMediaTypeOf(req: Request): ResponseMediaType {
  return req.accepts(['application/json', 'application/graphql-response+json']) === 'application/json' ? 'application/json' : 'application/graphql-response+json';
}

function isClientStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 405;
}

/** An error thrown while building the context (authentication), with the status its media type calls for. */
export function withStatusFor(mediaType: ResponseMediaType, err: unknown): unknown {
  if (mediaType !== 'application/json' || !(err instanceof GraphQLError)) return err;
  const http = err.extensions.http as { status?: number; headers?: unknown } | undefined;
  if (!isClientStatus(http?.status)) return err;
  return new GraphQLError(err.message, { extensions: { ...err.extensions, http: { ...http, status: 200 } } });
}

export function httpStatusPlugin(): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (contextValue.responseMediaType !== 'application/json') return;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          // BAD_REQUEST: not a well-formed GraphQL request at all (a query that is not a string): it keeps its 400.
          if (!errors?.length || errors.some((e) => e.extensions?.code === 'BAD_REQUEST')) return;
          if (isClientStatus(response.http.status)) response.http.status = 200;
        },
      };
    },
  };
}
