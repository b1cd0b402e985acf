/**
 * What a module gives the application. Each feature module exports one ModuleDefinition from its
 * index.ts; the composition root (src/modules.ts) lists them, and the base layers (db/, graphql/,
 * the HTTP app) take what they need from that list as parameters, never by importing a module.
 */
import type { AppServices, OutboxHandler, RequestContext, WebhookApplier, WebhookSourceName } from '../db/context';
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import type { Worker } from '../shared/periodic-worker';
import type { Connectors } from './connectors';
import type { HookListeners } from './hooks';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

/** Loader factories: one fresh set per request (see src/graphql/context.ts). */
export type LoaderFactory = (ctx: RequestContext) => object;

export interface ModuleDefinition {
  /** The module's folder name, for logs and the architecture docs. */
  name: string;
  /** TypeORM entities of the tables the module owns. */
  entities?: Class[];
  /** type-graphql resolver classes. */
  resolvers?: Class[];
  /** Federation reference resolvers (`__resolveReference`) by type name. */
  referenceResolvers?: Record<string, Record<string, unknown>>;
  /** DataLoaders the module's resolvers use (typed by augmenting `Loaders` in src/graphql/context.ts). */
  loaders?: LoaderFactory;
  /** The module's upstream connector(s), built once per process. */
  connectors?: (config: Config) => Partial<Connectors>;
  /** Outbox topics the module delivers. */
  outboxHandlers?: Record<string, OutboxHandler>;
  /** Listeners of other modules' in-transaction events. */
  hooks?: HookListeners<RequestContext>;
  /** Webhook appliers by source (system modules only). */
  webhooks?: Partial<Record<WebhookSourceName, WebhookApplier>>;
  /** HTTP routes of the module's own, mounted before the JSON body parser (webhooks need the raw bytes). */
  routes?: (app: AppServices, metrics: Metrics) => Router;
  /** Prometheus gauges of the module's state (see databaseGauge in src/metrics.ts), read at each scrape. */
  metrics?: (registry: Registry, app: AppServices) => void;
  /** Background workers, started by `App.startWorkers()`. */
  workers?: (app: AppServices) => Worker[];
}
