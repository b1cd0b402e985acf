/**
 * Start-up wiring of the use-case modules: hooks, connectors, background workers and GraphQL
 * limits. Each module registers itself here in one place.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { AppServices } from './db/context';
import type { GqlContext } from './graphql/context';

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

export function registerModules(_services: AppServices): RegisteredModules {
  const workers: Worker[] = [];
  return {
    apolloPlugins: [],
    validationRules: [],
    workers,
    startWorkers: () => workers.forEach((w) => w.start()),
    stopWorkers: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
