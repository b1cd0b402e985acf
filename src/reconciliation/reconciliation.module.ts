// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { RECONCILIATION_ENTITIES } from './entities';
import { ExceptionsWorker } from './exceptions.worker';
import { RECONCILIATION_RESOLVERS } from './graphql';
import { OrderHoldEntity } from './order-hold.entity';
import { createReconciliationLoaders } from './reconciliation.loaders';

export const reconciliationModule: ModuleDefinition = {
  name: 'reconciliation',
  entities: [...RECONCILIATION_ENTITIES, OrderHoldEntity],
  resolvers: RECONCILIATION_RESOLVERS,
  loaders: createReconciliationLoaders,
  workers: (app) => [new ExceptionsWorker(app)],
};
