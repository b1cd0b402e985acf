// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { databaseGauge } from '../metrics';
import { WebhookEventResolver } from './graphql/webhook-event.resolver';
import { WebhookEventEntity } from './webhook-event.entity';
import { webhookRouter } from './webhook.router';
import { WebhookRetryWorker } from './webhook.worker';

export const webhooksModule: ModuleDefinition = {
  name: 'webhooks',
  entities: [WebhookEventEntity],
  resolvers: [WebhookEventResolver],
  routes: (app, metrics) => webhookRouter(app, metrics),
  metrics: (registry, app) => {
    databaseGauge(registry, app, {
      name: 'moneygraph_webhook_events',
      help: 'Stored webhook events by source and status (RECEIVED, FAILED, WAITING and DEAD are not applied yet)',
      labelNames: ['source', 'status'],
      sql: 'SELECT source, status, COUNT(*) AS n FROM webhook_event GROUP BY source, status',
      value: 'n',
    });
    databaseGauge(registry, app, {
      name: 'moneygraph_webhook_unapplied_oldest_seconds',
      help: 'Age of the oldest webhook event stored but not applied, by source',
      labelNames: ['source'],
      sql: `SELECT source, TIMESTAMPDIFF(SECOND, MIN(received_at), UTC_TIMESTAMP()) AS age FROM webhook_event WHERE status IN ('RECEIVED', 'FAILED', 'WAITING', 'DEAD') GROUP BY source`,
      value: 'age',
    });
  },
  workers: (app) => [new WebhookRetryWorker(app)],
};
