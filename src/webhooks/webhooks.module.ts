// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { WebhookEventResolver } from './graphql/webhook-event.resolver';
import { WebhookEventEntity } from './webhook-event.entity';
import { webhookRouter } from './webhook.router';
import { WebhookRetryWorker } from './webhook.worker';

export const webhooksModule: ModuleDefinition = {
  name: 'webhooks',
  entities: [WebhookEventEntity],
  resolvers: [WebhookEventResolver],
  routes: (app, metrics) => webhookRouter(app, metrics),
  workers: (app) => [new WebhookRetryWorker(app)],
};
