import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { transactionRetries } from './db/transaction';

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
