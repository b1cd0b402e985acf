// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../../core/module';
import { connectorOptions } from '../../shared/upstream-answer';
import { PSP_ENTITIES } from './entities';
import { PspConnector } from './psp.connector';
import { PspAdapters } from './psp-adapters';
import { StripePspAdapter } from './stripe/stripe-adapter';
import { pspWebhookApplier } from './psp.ingest';
import { createPspLoaders } from './psp.loaders';
import { CaptureResolver, OrderPaymentsResolver, PaymentResolver, SettlementResolver, pspReferenceResolvers } from './graphql/psp.resolver';

declare module '../../core/connectors' {
  interface Connectors {
    /** The PSP adapter instances (PSP_ADAPTERS), side by side. */
    pspAdapters: PspAdapters;
  }
}

export const pspModule: ModuleDefinition = {
  name: 'systems/psp',
  entities: PSP_ENTITIES,
  resolvers: [OrderPaymentsResolver, PaymentResolver, CaptureResolver, SettlementResolver],
  referenceResolvers: pspReferenceResolvers,
  loaders: createPspLoaders,
  connectors: (config) => ({
    pspAdapters: new PspAdapters(
      config.pspAdapters.map((a) =>
        a.kind === 'inhouse'
          ? new PspConnector(a.baseUrl ?? config.upstream.pspBaseUrl, config.upstream.timeoutMs, connectorOptions(config.upstream), a.id, config.webhookSecrets.PSP)
          : new StripePspAdapter(a, config.upstream.timeoutMs, connectorOptions(config.upstream)),
      ),
    ),
  }),
  webhooks: { PSP: pspWebhookApplier },
};
