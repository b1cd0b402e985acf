// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { OutboxResolver } from './graphql/outbox.resolver';
import { OutboxMessageEntity } from './outbox-message.entity';
import { OutboxWorker } from './outbox.worker';

export const outboxModule: ModuleDefinition = {
  name: 'outbox',
  entities: [OutboxMessageEntity],
  resolvers: [OutboxResolver],
  workers: (app) => [new OutboxWorker(app)],
};
