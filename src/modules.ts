/**
 * Start-up wiring of the use-case modules: hooks, connectors, background workers and GraphQL
 * limits. Each module registers itself here in one place.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { AppServices } from './db/context';
import type { GqlContext } from './graphql/context';
import { limitsPlugin } from './graphql/limits';
import { registerOutbox } from './outbox';
import { registerRefunds } from './refunds/refund.module';
import { registerReconciliation } from './reconciliation/exceptions.worker';
import { WebhookRetryWorker } from './webhooks/webhook.worker';

export interface Worker {
  start(): void;
  stop(): Promise<void>;
}

export interface RegisteredModules {
  apolloPlugins: ApolloServerPlugin<GqlContext>[];
  validationRules: ValidationRule[];
  workers: Worker[];
  startWorkers(): void;
  stopWorkers(): Promise<void>;
}

export function registerModules(services: AppServices): RegisteredModules {
  const workers: Worker[] = [];
  registerOutbox(services, workers);
  registerRefunds(services, workers);
  registerReconciliation(services, workers);
  workers.push(new WebhookRetryWorker(services));
  return {
    apolloPlugins: [limitsPlugin(services)],
    validationRules: [],
    workers,
    startWorkers: () => workers.forEach((w) => w.start()),
    stopWorkers: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
