// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../../core/module';
import { connectorOptions } from '../../shared/upstream-answer';
import { OMS_ENTITIES } from './entities';
import { OmsConnector } from './oms.connector';
import { omsWebhookApplier } from './oms.ingest';
import { createOmsLoaders } from './oms.loaders';
import { InvoiceResolver, OrderResolver, omsReferenceResolvers } from './graphql/order.resolver';

declare module '../../core/connectors' {
  interface Connectors {
    oms: OmsConnector;
  }
}

export const omsModule: ModuleDefinition = {
  name: 'systems/oms',
  entities: OMS_ENTITIES,
  resolvers: [OrderResolver, InvoiceResolver],
  referenceResolvers: omsReferenceResolvers,
  loaders: createOmsLoaders,
  connectors: (config) => ({ oms: new OmsConnector(config.upstream.omsBaseUrl, config.upstream.timeoutMs, connectorOptions(config.upstream)) }),
  webhooks: { OMS: omsWebhookApplier },
};
