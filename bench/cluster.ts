/**
 * `npm run bench:cluster`: refunds/s of the service on one MariaDB server and on a three-node
 * Galera cluster, in the same run, and the certification conflicts retried when two replicas on
 * two nodes refund the same orders at once.
 *
 *   1. baseline: one replica on a plain MariaDB server (no replication);
 *   2. one replica on node 1 of the cluster (every commit certified by the three nodes);
 *   3. two replicas, on nodes 1 and 2, requests and webhooks alternating between them;
 *   4. contention: two replicas, each order's two return invoices refunded at the same time, one
 *      through each replica; conflicts retried (moneygraph_db_tx_retries_total) and the check
 *      that every order was refunded exactly its two invoices.
 * Every refund goes through GraphQL, the PSP simulator (with its webhooks) and the outbox.
 *
 *   BENCH_ORDERS (default 300)  BENCH_CLIENTS (16)
 */
import 'reflect-metadata';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createConnection } from 'mysql2/promise';
import { App, createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { transactionRetries } from '../src/db/transaction';
import { createLogger } from '../src/logger';
import { createAppDataSource } from '../src/modules';
import { Simulators, startSimulators } from '../src/simulators';
import { ensureDatabaseServer } from '../scripts/lib/local-server';
import { startGaleraCluster } from '../scripts/lib/galera-cluster';
import { freePort } from '../test/campaign/service';
import { startBalancer } from '../test/campaign/replicas';
import { gql } from '../test/campaign/clients';
import { paidOrder, returnInvoice } from '../test/support/drive';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 300);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const MUTATION = 'mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { id status } userErrors { code } } }';
const SECRETS = { OMS: 'bench-oms-secret-0123456789', PSP: 'bench-psp-secret-0123456789', ERP: 'bench-erp-secret-0123456789' };

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

interface Replicas {
  apps: App[];
  url: string;
  close(): Promise<void>;
}

/** One app per server URL, each with its workers, behind a round-robin balancer that the simulators' webhooks reach too. */
async function startReplicas(sims: Simulators, serverUrls: string[], db: string): Promise<Replicas> {
  const apps: App[] = [];
  const urls: string[] = [];
  for (const [i, server] of serverUrls.entries()) {
    const url = Object.assign(new URL(server), { pathname: `/${db}` }).toString();
    if (i === 0) {
      const u = new URL(server);
      const c = await createConnection({ host: u.hostname, port: Number(u.port), user: 'root' });
      await c.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await c.end();
    }
    const dataSource = createAppDataSource(url);
    await dataSource.initialize();
    if (i === 0) await dataSource.runMigrations({ transaction: 'each' });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      WEBHOOK_SECRET_OMS: SECRETS.OMS,
      WEBHOOK_SECRET_PSP: SECRETS.PSP,
      WEBHOOK_SECRET_ERP: SECRETS.ERP,
      OMS_BASE_URL: sims.urls.oms,
      PSP_BASE_URL: sims.urls.psp,
      ERP_BASE_URL: sims.urls.erp,
      AUTO_REFUND_INPUT_INVOICES: 'false',
      GRAPHQL_LIMITS: JSON.stringify({ ADMIN: { budget: 100_000_000, restorePerSecond: 100_000_000 } }),
    });
    const app = await createApp({ config, dataSource, logger: createLogger(config.logLevel) });
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    app.startWorkers();
    apps.push(app);
    urls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  }
  const port = await freePort();
  const balancer: Server = await startBalancer(port, () => urls);
  const url = `http://127.0.0.1:${port}`;
  sims.setServiceUrl(url);
  return {
    apps,
    url,
    async close() {
      await new Promise<void>((r) => {
        balancer.close(() => r());
        balancer.closeAllConnections();
      });
      for (const a of apps) {
        await a.stop();
        await a.services.dataSource.destroy();
      }
    },
  };
}

interface Target {
  orderId: string;
  invoices: string[];
}

/** Paid orders with `invoices` return invoices each, once their webhooks have reached the mirror. */
async function setUp(sims: Simulators, r: Replicas, invoices: number): Promise<Target[]> {
  const targets: Target[] = [];
  await pool(
    Array.from({ length: ORDERS }, (_, i) => i),
    16,
    async () => {
      const o = await paidOrder(sims, { total: '10000' });
      const inv: string[] = [];
      for (let k = 0; k < invoices; k++) inv.push(await returnInvoice(sims, o.orderId, '2500'));
      targets.push({ orderId: o.orderId, invoices: inv });
    },
  );
  const ds = r.apps[0]!.services.dataSource;
  for (let i = 0; i < 6000; i++) {
    const [{ n }] = await ds.query("SELECT LEAST((SELECT COUNT(*) FROM oms_invoice WHERE kind = 'INPUT') / ?, (SELECT COUNT(*) FROM psp_payment WHERE status = 'COMPLETED')) n", [
      invoices,
    ]);
    if (Number(n) >= ORDERS) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return targets;
}

/** Refunds each invoice (concurrently: CLIENTS requests at a time, an order's invoices at once); refunds/s and the ones not SUCCEEDED. */
async function refundAll(r: Replicas, targets: Target[]): Promise<{ rate: number; failed: number; seconds: number }> {
  let failed = 0;
  const t0 = performance.now();
  await pool(targets, Math.max(1, Math.floor(CLIENTS / targets[0]!.invoices.length)), async (t) => {
    await Promise.all(
      t.invoices.map(async (invoiceId) => {
        const a = await gql(r.url, 'ADMIN', MUTATION, { input: { orderId: t.orderId, invoiceId, reason: 'RETURN', idempotencyKey: `bench-${invoiceId}-${t.orderId}` } });
        if (a.data?.refundInvoice?.refund?.status !== 'SUCCEEDED') failed++;
      }),
    );
  });
  const seconds = (performance.now() - t0) / 1000;
  return { rate: (targets.length * targets[0]!.invoices.length) / seconds, failed, seconds };
}

const retriesOf = (r: Replicas) => r.apps.reduce((n, a) => n + [...transactionRetries(a.services.dataSource).values()].reduce((x, y) => x + y, 0), 0);

async function phase(name: string, sims: Simulators, servers: string[], db: string, invoices: number): Promise<string> {
  console.log(`${name}: setting up ${ORDERS} paid orders…`);
  const r = await startReplicas(sims, servers, db);
  try {
    const targets = await setUp(sims, r, invoices);
    const before = retriesOf(r);
    const m = await refundAll(r, targets);
    const retried = retriesOf(r) - before;
    // Exactly the invoices asked for, once each: 25.00 EUR per invoice, no order over it.
    const ds = r.apps[0]!.services.dataSource;
    const [{ bad }] = await ds.query(`SELECT COUNT(*) bad FROM (SELECT order_id, SUM(amount_minor) s FROM refund WHERE status = 'SUCCEEDED' GROUP BY order_id) x WHERE s <> ?`, [
      2500 * invoices,
    ]);
    return `${name.padEnd(58)} ${m.rate.toFixed(1).padStart(7)} refunds/s  (${targets.length * invoices} refunds in ${m.seconds.toFixed(1)} s; ${m.failed} not SUCCEEDED; ${retried} units of work retried; ${bad} orders refunded other than asked)`;
  } finally {
    await r.close();
  }
}

async function main(): Promise<void> {
  const log = (m: string) => console.log(m);
  const single = await ensureDatabaseServer(undefined, { log });
  const cluster = await startGaleraCluster({ dataRoot: path.resolve(__dirname, '..', '..', '.data', `galera-bench-${process.pid}`), log }).catch(async (err) => {
    await single.stop();
    throw err;
  });
  const sims = await startSimulators({ serviceUrl: 'http://127.0.0.1:9', secrets: SECRETS });
  const lines: string[] = [];
  try {
    const [n1, n2] = cluster.nodes.map((n) => n.url) as [string, string];
    lines.push(await phase('one replica, one MariaDB server (baseline)', sims, [single.url], 'bench_single', 1));
    lines.push(await phase('one replica on node 1 of the three-node cluster', sims, [n1], 'bench_one_node', 1));
    lines.push(await phase('two replicas on nodes 1 and 2', sims, [n1, n2], 'bench_two_nodes', 1));
    lines.push(await phase('two replicas, each order refunded through both at once', sims, [n1, n2], 'bench_contended', 2));
  } finally {
    await sims.close();
    await cluster.stop();
    await single.stop();
  }
  console.log(`\n${ORDERS} orders per phase, ${CLIENTS} concurrent clients\n${lines.join('\n')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
