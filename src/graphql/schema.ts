/**
 * Schema assembly: every module contributes its resolvers; the result is also a valid Apollo
 * Federation 2 subgraph (`@key` on the shared entities) so a supergraph can compose it.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { DateTimeISOResolver } from 'graphql-scalars';
import { buildSchema, createResolversMap, NonEmptyArray } from 'type-graphql';
import { authChecker } from './auth-checker';
import { applyDeadlines } from './limits';
import { enforceOperationPolicies } from './operation-policy';
import type { GqlContext } from './context';
import { InvoiceResolver, OrderResolver, omsReferenceResolvers } from '../systems/oms';
import { CaptureResolver, OrderPaymentsResolver, PaymentResolver, SettlementResolver, pspReferenceResolvers } from '../systems/psp';
import { OrderErpResolver } from '../systems/erp';
import { OrderRefundsResolver, RefundResolver } from '../refunds';
import { OrdersResolver } from '../orders';
import { WebhookEventResolver } from '../webhooks/graphql/webhook-event.resolver';
import { refundReferenceResolvers } from '../refunds/graphql/refund.resolver';
import { SCHEMA_EXTENSIONS } from './schema-extensions';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  OrderResolver,
  InvoiceResolver,
  OrdersResolver,
  OrderPaymentsResolver,
  PaymentResolver,
  CaptureResolver,
  SettlementResolver,
  OrderErpResolver,
  OrderRefundsResolver,
  RefundResolver,
  WebhookEventResolver,
  ...SCHEMA_EXTENSIONS.resolvers,
];

const REFERENCE_RESOLVERS = [omsReferenceResolvers, pspReferenceResolvers, refundReferenceResolvers, ...SCHEMA_EXTENSIONS.referenceResolvers];

let cached: GraphQLSchema | undefined;

/** The resolvers' own schema, before federation and the operation guards; the access test checks its @Authorized. */
export function buildResolverSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeISOResolver }],
    validate: false,
    skipCheck: true,
  });
}

export async function buildAppSchema(): Promise<GraphQLSchema> {
  if (cached) return cached;
  const schema = await buildResolverSchema();
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const refs of REFERENCE_RESOLVERS) {
    for (const [type, fields] of Object.entries(refs)) resolvers[type] = { ...(resolvers[type] ?? {}), ...fields };
  }
  const subgraph = buildSubgraphSchema({
    typeDefs: gql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers: resolvers as never,
  });
  cached = applyDeadlines(enforceOperationPolicies(subgraph, (c) => (c as GqlContext | undefined)?.ctx?.actor));
  return cached;
}
