/**
 * The composition root: the one list of the application's modules, and what is built from it —
 * the entities of the DataSource, the GraphQL schema and loaders, the process-wide services
 * (hooks, connectors, outbox handlers, webhook appliers) and the background workers.
 *
 * Adding a module is one line in MODULES; nothing in db/, graphql/, core/ or shared/ changes.
 */
import type { GraphQLSchema } from 'graphql';
import type { DataSource, DataSourceOptions } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Connectors } from './core/connectors';
import { Hooks, type HookListeners } from './core/hooks';
import type { LoaderFactory, ModuleDefinition } from './core/module';
import type { AppServices, OutboxHandler, RequestContext, TestHooks, WebhookApplier, WebhookSourceName } from './db/context';
import { createDataSource } from './db/data-source';
import { GraphqlBudgetEntity } from './graphql/budget.entity';
import { buildAppSchema } from './graphql/schema';
import type { Clock } from './shared/clock';
import type { Worker } from './shared/periodic-worker';
import { auditModule } from './audit';
import { opsModule } from './ops';
import { ordersModule } from './orders';
import { outboxModule } from './outbox';
import { reconciliationModule } from './reconciliation';
import { refundsModule } from './refunds';
import { syncModule } from './sync';
import { erpModule } from './systems/erp';
import { omsModule } from './systems/oms';
import { pspModule } from './systems/psp';
import { webhooksModule } from './webhooks';

export const MODULES: readonly ModuleDefinition[] = [
  omsModule,
  ordersModule,
  pspModule,
  erpModule,
  refundsModule,
  webhooksModule,
  syncModule,
  auditModule,
  outboxModule,
  reconciliationModule,
  opsModule,
];

/** Every entity of every module, and the base layers' own (the shared cost budget), for the DataSource. */
const ENTITIES = [...MODULES.flatMap((m) => m.entities ?? []), GraphqlBudgetEntity];

export const LOADER_FACTORIES: readonly LoaderFactory[] = MODULES.flatMap((m) => (m.loaders ? [m.loaders] : []));

/** The application's DataSource (migrations, entities, pool settings: src/db/data-source.ts). */
export function createAppDataSource(url: string, extra: Partial<DataSourceOptions> = {}): DataSource {
  return createDataSource(url, ENTITIES, extra);
}

/** The schema the service serves (built once per process). */
export function appSchema(): Promise<GraphQLSchema> {
  return buildAppSchema(MODULES);
}

export interface ServicesOptions {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  clock: Clock;
  /** Tests only. */
  testHooks?: TestHooks;
}

function unique<T>(what: string, entries: [string, T][]): Map<string, T> {
  const out = new Map<string, T>();
  for (const [k, v] of entries) {
    if (out.has(k)) throw new Error(`two modules define ${what} "${k}"`);
    out.set(k, v);
  }
  return out;
}

/** The process-wide services, wired from the modules' definitions. */
export function createServices(opts: ServicesOptions, modules: readonly ModuleDefinition[] = MODULES): AppServices {
  const hooks = new Hooks<RequestContext>();
  for (const m of modules) {
    for (const [name, listeners] of Object.entries(m.hooks ?? {}) as [keyof HookListeners<RequestContext>, never[]][]) {
      for (const fn of listeners) hooks.on(name, fn);
    }
  }
  const connectors = Object.assign({}, ...modules.map((m) => m.connectors?.(opts.config) ?? {})) as Connectors;
  const outboxHandlers = unique<OutboxHandler>(
    'the outbox topic',
    modules.flatMap((m) => Object.entries(m.outboxHandlers ?? {})),
  );
  const webhookAppliers = Object.fromEntries(
    unique<WebhookApplier>(
      'webhooks of',
      modules.flatMap((m) => Object.entries(m.webhooks ?? {}) as [WebhookSourceName, WebhookApplier][]),
    ),
  ) as Partial<Record<WebhookSourceName, WebhookApplier>>;
  return {
    config: opts.config,
    dataSource: opts.dataSource,
    logger: opts.logger,
    clock: opts.clock,
    hooks,
    connectors,
    outboxHandlers,
    webhookAppliers,
    testHooks: opts.testHooks ?? {},
  };
}

/** The modules' background workers (outbox, refund recovery, exception refresh, webhook retry). */
export function createWorkers(app: AppServices, modules: readonly ModuleDefinition[] = MODULES): Worker[] {
  return modules.flatMap((m) => m.workers?.(app) ?? []);
}
