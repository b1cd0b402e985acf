// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { databaseGauge } from '../metrics';
import { OutboxResolver } from './graphql/outbox.resolver';
import { OutboxMessageEntity } from './outbox-message.entity';
import { OutboxWorker } from './outbox.worker';

export const outboxModule: ModuleDefinition = {
  name: 'outbox',
  entities: [OutboxMessageEntity],
  resolvers: [OutboxResolver],
  metrics: (registry, app) => {
    databaseGauge(registry, app, {
      name: 'moneygraph_outbox_messages',
      help: 'Outbox messages not delivered yet, by topic and status (DEAD: dead letters waiting for a person)',
      labelNames: ['topic', 'status'],
      sql: `SELECT topic, status, COUNT(*) AS n FROM outbox_message WHERE status <> 'DONE' GROUP BY topic, status`,
      value: 'n',
    });
    databaseGauge(registry, app, {
      name: 'moneygraph_outbox_oldest_undelivered_seconds',
      help: 'Age of the oldest outbox message not delivered yet, by topic',
      labelNames: ['topic'],
      sql: `SELECT topic, TIMESTAMPDIFF(SECOND, MIN(created_at), UTC_TIMESTAMP()) AS age FROM outbox_message WHERE status <> 'DONE' GROUP BY topic`,
      value: 'age',
    });
  },
  workers: (app) => [new OutboxWorker(app)],
};
