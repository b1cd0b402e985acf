// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../../core/module';
import { connectorOptions } from '../../shared/upstream-answer';
import { OMS_ENTITIES } from './entities';
import { OmsConnector } from './oms.connector';
import type { OmsPort } from './oms-port';
import { VtexOmsAdapter } from './vtex/vtex-adapter';
import { VtexFeedWorker, vtexHookRouter } from './vtex/vtex-inbound';
import { omsWebhookApplier } from './oms-readback';
import { createOmsLoaders } from './oms.loaders';
import { InvoiceResolver, OrderResolver, omsReferenceResolvers } from './graphql/order.resolver';

declare module '../../core/connectors' {
  interface Connectors {
    /** The OMS adapter (OMS=inhouse|vtex). */
    oms: OmsPort;
  }
}

export const omsModule: ModuleDefinition = {
  name: 'systems/oms',
  entities: OMS_ENTITIES,
  resolvers: [OrderResolver, InvoiceResolver],
  referenceResolvers: omsReferenceResolvers,
  loaders: createOmsLoaders,
  connectors: (config) => ({
    oms:
      config.omsAdapter.kind === 'vtex'
        ? new VtexOmsAdapter(config.omsAdapter, config.upstream.timeoutMs, connectorOptions(config.upstream))
        : new OmsConnector(config.upstream.omsBaseUrl, config.upstream.timeoutMs, connectorOptions(config.upstream)),
  }),
  webhooks: { OMS: omsWebhookApplier },
  // VTEX's Orders Hook endpoint (404 unless OMS=vtex), and its Feed v3 backup.
  routes: (app, metrics) => vtexHookRouter(app, metrics),
  workers: (app) => (app.config.omsAdapter.kind === 'vtex' && app.config.omsAdapter.feedPollMs > 0 ? [new VtexFeedWorker(app)] : []),
};
