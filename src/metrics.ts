import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { transactionRetries } from './db/transaction';
import type { CircuitStateName, UpstreamGuard } from './shared/upstream-guard';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({ name: 'moneygraph_http_requests_total', help: 'HTTP requests', labelNames: ['route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'moneygraph_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    webhooks: new Counter({ name: 'moneygraph_webhooks_total', help: 'Webhook deliveries by source and outcome', labelNames: ['source', 'status'], registers: [registry] }),
    graphqlDuration: new Histogram({
      name: 'moneygraph_graphql_operation_duration_seconds',
      help: 'GraphQL operations by type and root field (several root fields: "(several)")',
      labelNames: ['type', 'field'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'moneygraph_graphql_errors_total',
      help: 'Errors in GraphQL responses by code (RATE_LIMITED: the cost budget refused the operation)',
      labelNames: ['code'],
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'moneygraph_upstream_request_duration_seconds',
      help: 'Calls to the upstream systems (each attempt) by system, method and outcome',
      labelNames: ['system', 'method', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * moneygraph_db_tx_retries_total: units of work run again after a deadlock, a lock-wait timeout or
 * (on a Galera cluster) a certification conflict with another node, by error code. Of this process.
 */
export function transactionRetriesCounter(registry: Registry, dataSource: DataSource): void {
  new Counter({
    name: 'moneygraph_db_tx_retries_total',
    help: 'Units of work run again after a deadlock, lock-wait timeout or certification conflict, by error code',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [code, n] of transactionRetries(dataSource)) this.inc({ code }, n);
    },
  });
}

/**
 * A gauge read from the database at each scrape: the state of the money (refunds by status, the
 * outbox, unapplied webhooks, open exceptions) is the database's, the same for every replica, and
 * true after a restart. A failed read leaves the gauge empty for that scrape and is logged.
 */
export function databaseGauge<L extends string>(
  registry: Registry,
  deps: { dataSource: DataSource; logger: Logger },
  spec: { name: string; help: string; labelNames: readonly L[]; sql: string; value: string },
): void {
  new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows: Record<string, unknown>[] = await deps.dataSource.query(spec.sql);
        for (const r of rows) {
          const labels = Object.fromEntries(spec.labelNames.map((l) => [l, String(r[l] ?? '')])) as Record<L, string>;
          this.set(labels, Number(r[spec.value] ?? 0));
        }
      } catch (err) {
        deps.logger.warn({ err, metric: spec.name }, 'metrics: could not read a gauge from the database');
      }
    },
  });
}

const CIRCUIT_STATES: readonly CircuitStateName[] = ['closed', 'open', 'half_open', 'isolated'];

/**
 * The upstream systems as the on-call engineer watches them: every attempt's latency and outcome,
 * and each circuit breaker's state (1 for the state it is in, 0 for the others) read at each scrape.
 */
export function observeUpstreams(metrics: Metrics, clients: readonly Pick<UpstreamGuard, 'system' | 'observe' | 'circuitState'>[]): void {
  for (const c of clients) c.observe((call) => metrics.upstreamDuration.observe({ system: call.system, method: call.method, outcome: call.outcome }, call.seconds));
  new Gauge({
    name: 'moneygraph_upstream_circuit_state',
    help: "Each upstream system's circuit breaker: 1 for its current state",
    labelNames: ['system', 'state'],
    registers: [metrics.registry],
    collect() {
      for (const c of clients) for (const state of CIRCUIT_STATES) this.set({ system: c.system, state }, c.circuitState === state ? 1 : 0);
    },
  });
}

/** What mysql2's pool holds (its counts are not public API: read defensively, absent when unknown). */
interface PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/** The database pool: connections open, idle, the configured limit, and requests waiting for one. */
export function observePool(metrics: Metrics, dataSource: DataSource): void {
  const pool = (): PoolInternals | undefined => (dataSource.driver as unknown as { pool?: PoolInternals }).pool;
  new Gauge({
    name: 'moneygraph_db_pool_connections',
    help: 'Database pool connections by state (open, idle, limit) and requests waiting for one (waiting)',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      const p = pool();
      const counts: [string, number | undefined][] = [
        ['open', p?._allConnections?.length],
        ['idle', p?._freeConnections?.length],
        ['waiting', p?._connectionQueue?.length],
        ['limit', p?.config?.connectionLimit],
      ];
      for (const [state, n] of counts) if (typeof n === 'number') this.set({ state }, n);
    },
  });
}
