// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { databaseGauge } from '../metrics';
import { KIND_RULES, MoneyExceptionStatus } from './exception-kinds';
import { RECONCILIATION_ENTITIES } from './entities';
import { ExceptionDecisionEntity } from './exception-decision.entity';
import { ExceptionsWorker } from './exceptions.worker';
import { RECONCILIATION_RESOLVERS } from './graphql';
import { OrderHoldEntity } from './order-hold.entity';
import { createReconciliationLoaders } from './reconciliation.loaders';

export const reconciliationModule: ModuleDefinition = {
  name: 'reconciliation',
  entities: [...RECONCILIATION_ENTITIES, OrderHoldEntity, ExceptionDecisionEntity],
  resolvers: RECONCILIATION_RESOLVERS,
  loaders: createReconciliationLoaders,
  metrics: (registry, app) => {
    const ownerOf = Object.entries(KIND_RULES)
      .map(([kind, r]) => `WHEN '${kind}' THEN '${r.owner}'`)
      .join(' ');
    databaseGauge(registry, app, {
      name: 'moneygraph_money_exceptions_open',
      help: 'Money exceptions not resolved, by kind and owner (as of the last refresh)',
      labelNames: ['kind', 'owner'],
      sql: `SELECT kind, CASE kind ${ownerOf} ELSE 'UNKNOWN' END AS owner, COUNT(*) AS n FROM money_exception WHERE status <> '${MoneyExceptionStatus.RESOLVED}' GROUP BY kind`,
      value: 'n',
    });
  },
  workers: (app) => [new ExceptionsWorker(app)],
};
