// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../../core/module';
import { connectorOptions } from '../../shared/upstream-answer';
import { ERP_ENTITIES } from './entities';
import { ErpConnector } from './erp.connector';
import { erpWebhookApplier } from './erp.ingest';
import { createErpLoaders } from './erp.loaders';
import { OrderErpResolver } from './graphql/erp.resolver';

declare module '../../core/connectors' {
  interface Connectors {
    erp: ErpConnector;
    /**
     * The ERP connector for the refund writeback, without the HTTP client's own retries: a retry
     * after a lost answer must be the outbox's read-back-then-post, never a blind second POST.
     */
    erpPosting: ErpConnector;
  }
}

export const erpModule: ModuleDefinition = {
  name: 'systems/erp',
  entities: ERP_ENTITIES,
  resolvers: [OrderErpResolver],
  loaders: createErpLoaders,
  connectors: (config) => ({
    erp: new ErpConnector(config.upstream.erpBaseUrl, config.upstream.timeoutMs, connectorOptions(config.upstream)),
    erpPosting: new ErpConnector(config.upstream.erpBaseUrl, config.upstream.timeoutMs, connectorOptions(config.upstream, { retries: 0 })),
  }),
  webhooks: { ERP: erpWebhookApplier },
};
