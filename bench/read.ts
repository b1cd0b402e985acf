/**
 * `npm run bench:read`: the reads support and analysts run, through the real HTTP server with the
 * limits as deployed (NODE_ENV=production; only the cost budgets raised, so that the run measures work and not the
 * bucket), each beside two baselines measured in the same run:
 *   - the ceiling: `{ __typename }` on the same server, authentication and plugins;
 *   - the floor: the fewest hand-written statements that fetch the same rows through mysql2 alone
 *     (no GraphQL, no TypeORM), at the same number of concurrent clients.
 * The data is the demo's (scripts/demo-data.ts), created through the simulators. The clients run in
 * a worker thread, so the service's event loop serves only the service. It also counts the SQL
 * statements of each query (src/db/sql-counter.ts) for results of different sizes, and runs both
 * queries through a second instance of the service with every operation through graphql-js
 * (GRAPHQL_COMPILED_QUERIES=false), the baseline of compiled queries.
 *
 *   --quick                 a short run (CI): a few hundred milliseconds per window, fewer orders
 *   BENCH_SECONDS (5)       length of each measured window
 *   BENCH_CLIENTS (10)      concurrent clients of the one-order query and its baselines
 *   BENCH_ANALYST_CLIENTS (1)  concurrent clients of the analyst's query and its floor
 *   BENCH_ORDERS (60)       demo orders
 *   BENCH_DATABASE_URL      a MariaDB server to use (a database of its own is created and dropped); otherwise a private one
 *   BENCH_PROFILE=<file.cpuprofile>  writes a CPU profile of the service's thread during the one-order window
 *                                    (and <file>.analyst.cpuprofile during the analyst's)
 */
import './production-env';
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { createConnection, createPool, Pool } from 'mysql2/promise';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { countStatements } from '../src/db/sql-counter';
import { createLogger } from '../src/logger';
import { createAppDataSource } from '../src/modules';
import { drainOutbox } from '../src/outbox';
import { startSimulators } from '../src/simulators';
import { ensureDatabaseServer } from '../scripts/lib/local-server';
import { closeDemoSettlement, seedDemo } from '../scripts/demo-data';
import { mainThreadCpuSeconds, percentile, runClients, type ClientJob, type ClientReport } from './http-clients';

const QUICK = process.argv.includes('--quick');
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 0.4 : 5));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const ANALYST_CLIENTS = Number(process.env.BENCH_ANALYST_CLIENTS ?? 1);
const ORDERS = Number(process.env.BENCH_ORDERS ?? (QUICK ? 12 : 60));
const SUPPORT_KEY = 'bench-support-key-0123456789';
const ANALYST_KEY = 'bench-analyst-key-0123456789';

const MONEY_STATE = `moneyState { authorized { amount } captured { amount } refunded { amount } refundInFlight { amount } refundable { amount }
    pendingRefund { amount } settled { amount } postedToErp { amount } outstanding { amount } }`;
const PENDING = `pendingRefunds { totalPending { amount } nextAction invoices { invoiceId pending { amount } nextAction } payments { paymentId refundable { amount } } }`;

/** What support opens for one order: every list of it, its money state and what is left to refund. */
const ONE_ORDER = `query($id: ID!) { order(id: $id) { id status customerId total { amount currencyCode }
  invoices { id number kind amount { amount currencyCode } issuedAt }
  payments { id status disputed authorized { amount } }
  captures { id amount { amount } capturedAt }
  refunds { id status amount { amount } invoiceId pspRefundId }
  settlementLines { id kind gross { amount } }
  erpPostings { id kind externalRef amount { amount } status }
  interactions { id kind message occurredAt }
  ${MONEY_STATE}
  ${PENDING} } }`;

/** An analyst's page: every order with every list and money total. */
const ANALYST_PAGE = `query($first: Int) { orders(first: $first) {
  pageInfo { hasNextPage endCursor }
  nodes { id status customerId total { amount currencyCode }
    invoices { id kind amount { amount } }
    invoiceData { inSync entries { invoiceId refunded { amount } omsRefunded { amount } inSync } }
    payments { id status authorized { amount } captures { id } }
    captures { id amount { amount } }
    refunds { id status amount { amount } }
    settlementLines { id kind gross { amount } }
    erpPostings { id kind amount { amount } }
    interactions { id kind message }
    ${MONEY_STATE}
    ${PENDING} } } }`;

/** The tables an order's lists come from, by order id. */
const ORDER_TABLES = ['oms_invoice', 'oms_invoice_data', 'psp_payment', 'psp_capture', 'refund', 'psp_settlement_line', 'erp_posting', 'oms_interaction'];

/** The floor of the one-order query: the order, then each of its lists, one statement each. */
async function oneOrderFloor(db: Pool, id: string): Promise<number> {
  const c = await db.getConnection();
  try {
    const [order] = (await c.query('SELECT * FROM oms_order WHERE id = ?', [id])) as unknown as [unknown[]];
    let rows = order.length;
    for (const t of ORDER_TABLES) rows += ((await c.query(`SELECT * FROM ${t} WHERE order_id = ?`, [id])) as unknown as [unknown[]])[0].length;
    return rows;
  } finally {
    c.release();
  }
}

/** The floor of the analyst's page: the page of orders, then each list for the whole page, one statement each. */
async function analystFloor(db: Pool, first: number): Promise<number> {
  const c = await db.getConnection();
  try {
    const [orders] = (await c.query('SELECT * FROM oms_order ORDER BY created_at DESC, id DESC LIMIT ?', [first + 1])) as unknown as [{ id: string }[]];
    const ids = orders.slice(0, first).map((o) => o.id);
    let rows = orders.length;
    for (const t of ORDER_TABLES) rows += ((await c.query(`SELECT * FROM ${t} WHERE order_id IN (?)`, [ids])) as unknown as [unknown[]])[0].length;
    return rows;
  } finally {
    c.release();
  }
}

interface Window {
  name: string;
  rate: number;
  count: number;
  p50: number;
  p99: number;
  failures: [string, number][];
  /** CPU seconds of the service's main thread per request. */
  cpuMs: number;
}

/** Runs `fn` from `clients` loops for `seconds`, in this thread (the floors: no service in the way). */
async function localWindow(name: string, clients: number, fn: (i: number) => Promise<unknown>): Promise<Window> {
  const latencies: number[] = [];
  const cpu0 = mainThreadCpuSeconds();
  const started = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() - started < SECONDS * 1000 || latencies.length < clients) {
        const t0 = performance.now();
        await fn(i++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const cpuMs = ((mainThreadCpuSeconds() - cpu0) * 1000) / latencies.length;
  return { name, rate: latencies.length / seconds, count: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures: [], cpuMs };
}

function fromReport(name: string, r: ClientReport, cpuSeconds: number): Window {
  const l = r.latencies.sort((a, b) => a - b);
  return { name, rate: l.length / r.seconds, count: l.length, p50: percentile(l, 50), p99: percentile(l, 99), failures: r.failures, cpuMs: (cpuSeconds * 1000) / l.length };
}

async function main(): Promise<void> {
  const log = (m: string) => console.log(m);
  const server = await ensureDatabaseServer(process.env.BENCH_DATABASE_URL, { log });
  const dbName = `bench_read_${process.pid}`;
  const base = new URL(server.url);
  const conn = { host: base.hostname, port: Number(base.port), user: decodeURIComponent(base.username) || 'root', password: decodeURIComponent(base.password) || undefined };
  const admin = await createConnection(conn);
  await admin.query(`CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const clients = startClientThread();
  try {
    const url = new URL(server.url);
    url.pathname = `/${dbName}`;
    if (!url.username) url.username = 'root';
    const dataSource = createAppDataSource(url.toString());
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const secrets = { OMS: 'bench-oms-secret-0123456789', PSP: 'bench-psp-secret-0123456789', ERP: 'bench-erp-secret-0123456789' };
    const sims = await startSimulators({ secrets });
    const raised = { budget: 1_000_000_000, restorePerSecond: 1_000_000_000 };
    const config = loadConfig({
      // As deployed: production mode (no introspection, no demo keys), the keys of this run.
      NODE_ENV: 'production',
      API_KEYS: `${SUPPORT_KEY}=SUPPORT:bench-support,${ANALYST_KEY}=ANALYST:bench-analyst`,
      LOG_LEVEL: 'silent',
      DATABASE_URL: url.toString(),
      WEBHOOK_SECRET_OMS: secrets.OMS,
      WEBHOOK_SECRET_PSP: secrets.PSP,
      WEBHOOK_SECRET_ERP: secrets.ERP,
      OMS_BASE_URL: sims.urls.oms,
      PSP_BASE_URL: sims.urls.psp,
      ERP_BASE_URL: sims.urls.erp,
      GRAPHQL_LIMITS: JSON.stringify({ SUPPORT: raised, ANALYST: raised }),
    });
    const app = await createApp({ config, dataSource, logger: createLogger(config.logLevel) });
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    const serviceUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The baseline of compiled queries: the same service with every operation through graphql-js.
    const plainApp = await createApp({ config: { ...config, graphqlCompiledQueries: false }, dataSource, logger: createLogger(config.logLevel) });
    await new Promise<void>((r) => plainApp.server.listen(0, '127.0.0.1', () => r()));
    const plainGql = `http://127.0.0.1:${(plainApp.server.address() as AddressInfo).port}/graphql`;
    sims.setServiceUrl(serviceUrl);

    log(`creating ${ORDERS} demo orders through the simulators…`);
    await seedDemo(sims, ORDERS);
    await drainOutbox(app.services);
    await closeDemoSettlement(sims);
    for (let i = 0; i < 50 && (await drainOutbox(app.services)).done > 0; i++);
    await sims.close();

    const gql = `${serviceUrl}/graphql`;
    const post = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(gql, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
      const text = await res.text();
      const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
      if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors).slice(0, 300)}`);
      return { body: body.data as any, bytes: text.length, text }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const page = await post(ANALYST_KEY, ANALYST_PAGE, { first: 100 });
    const orderIds: string[] = page.body.orders.nodes.map((n: { id: string }) => n.id);
    // The busiest order (most rows across its lists) and the quietest, for the statement counts.
    const sizes = await dataSource.query(
      `SELECT o.id, ${ORDER_TABLES.map((t) => `(SELECT COUNT(*) FROM ${t} x WHERE x.order_id = o.id)`).join(' + ')} AS n FROM oms_order o ORDER BY n DESC, o.id`,
    );
    const biggest = sizes[0] as { id: string; n: string };
    const smallest = sizes[sizes.length - 1] as { id: string; n: string };

    // Statements per request, for results of different sizes. The counter is process-wide: the
    // fewest of three tries, as work still finishing in the background can only add to a count.
    const fewest = async (fn: () => Promise<unknown>) => {
      const tries: number[] = [];
      for (let i = 0; i < 3; i++) tries.push((await countStatements(fn)).count);
      return Math.min(...tries);
    };
    const counts = { oneOrder: [] as [string, number][], analyst: [] as [string, number][] };
    for (const o of [smallest, biggest]) counts.oneOrder.push([`${o.n} rows`, await fewest(() => post(SUPPORT_KEY, ONE_ORDER, { id: o.id }))]);
    for (const first of [1, 10, 100]) counts.analyst.push([`first: ${first}`, await fewest(() => post(ANALYST_KEY, ANALYST_PAGE, { first }))]);

    const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
    const remote = async (name: string, job: Omit<ClientJob, 'url' | 'seconds'>, url = gql): Promise<Window> => {
      const cpu0 = mainThreadCpuSeconds();
      const r = await clients.run({ ...job, url, seconds: SECONDS });
      return fromReport(name, r, mainThreadCpuSeconds() - cpu0);
    };
    const floorDb = createPool({ ...conn, database: dbName, connectionLimit: Math.max(CLIENTS, ANALYST_CLIENTS), supportBigNumbers: true, bigNumberStrings: true });
    await oneOrderFloor(floorDb, biggest.id); // opens the connections before the window
    const oneOrderBodies = orderIds.map((id) => body(ONE_ORDER, { id }));

    // Warm-up, unmeasured: the JIT compiles the service's paths and the pools open their connections.
    for (const [bodies, key] of [
      [oneOrderBodies, SUPPORT_KEY],
      [[body(ANALYST_PAGE, { first: 100 })], ANALYST_KEY],
      [[body('{ __typename }')], SUPPORT_KEY],
    ] as const) {
      for (const url of [gql, plainGql]) await clients.run({ url, bodies: [...bodies], key, clients: CLIENTS, seconds: Math.min(1, SECONDS) });
    }
    log(`measuring (${SECONDS} s windows, ${CLIENTS} clients; analyst ${ANALYST_CLIENTS})…`);
    const ceiling = await remote('ceiling: { __typename } through the same server', { bodies: [body('{ __typename }')], key: SUPPORT_KEY, clients: CLIENTS });
    const oneOrder = await profiled(process.env.BENCH_PROFILE, () => remote('one-order support query', { bodies: oneOrderBodies, key: SUPPORT_KEY, clients: CLIENTS }));
    const oneOrderSql = await localWindow('floor: its rows through mysql2 (9 statements)', CLIENTS, (i) => oneOrderFloor(floorDb, orderIds[i % orderIds.length]!));
    const analyst = await profiled(process.env.BENCH_PROFILE?.replace(/(\.cpuprofile)?$/, '.analyst.cpuprofile'), () =>
      remote(`analyst orders(first: 100): ${orderIds.length} orders, ${(page.bytes / 1024).toFixed(0)} KiB`, {
        bodies: [body(ANALYST_PAGE, { first: 100 })],
        key: ANALYST_KEY,
        clients: ANALYST_CLIENTS,
      }),
    );
    const analystSql = await localWindow(`floor: its rows through mysql2 (${ORDER_TABLES.length + 1} statements)`, ANALYST_CLIENTS, () => analystFloor(floorDb, 100));
    // What the page costs before any of its fields is resolved: a request at one client, and its answer's JSON.
    const ceilingOne = await remote('ceiling: { __typename }, same clients', { bodies: [body('{ __typename }')], key: ANALYST_KEY, clients: ANALYST_CLIENTS });
    const answer = jsonCost(page.text);
    const oneOrderJs = await remote('one-order query through graphql-js', { bodies: oneOrderBodies, key: SUPPORT_KEY, clients: CLIENTS }, plainGql);
    const analystJs = await remote('analyst page through graphql-js', { bodies: [body(ANALYST_PAGE, { first: 100 })], key: ANALYST_KEY, clients: ANALYST_CLIENTS }, plainGql);
    const ceilingAgain = await remote('ceiling again, after the reads', { bodies: [body('{ __typename }')], key: SUPPORT_KEY, clients: CLIENTS });
    await floorDb.end();
    await plainApp.stop();
    await app.stop();
    await dataSource.query(`DROP DATABASE ${dbName}`);
    await dataSource.destroy();

    const ceilingRate = (ceiling.rate + ceilingAgain.rate) / 2;
    const line = (w: Window, extra = '') => {
      const failed = w.failures.map(([k, n]) => `${k}: ${n}`).join(', ');
      console.log(
        `  ${w.name.padEnd(58)} ${w.rate.toFixed(0).padStart(6)} req/s  p50 ${w.p50.toFixed(2).padStart(6)} ms  p99 ${w.p99.toFixed(2).padStart(6)} ms  service CPU ${w.cpuMs.toFixed(2)} ms/req${extra}${failed ? `  FAILED: ${failed}` : ''}`,
      );
    };
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`\n${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()[0]!.toFixed(2)}; ${SECONDS} s windows${QUICK ? ' (quick)' : ''}`);
    console.log(`\none order, ${CLIENTS} concurrent clients`);
    line(ceiling);
    line(ceilingAgain);
    const oneRatio = oneOrder.rate / ceilingRate;
    line(oneOrder, `  = ${oneRatio.toFixed(3)} of the ceiling (target ≥ 0.35: ${verdict(oneRatio >= 0.35)})`);
    const ceilingCpu = (ceiling.cpuMs + ceilingAgain.cpuMs) / 2;
    console.log(
      `  ${''.padEnd(58)} service CPU per request: the ceiling's is ${(ceilingCpu / oneOrder.cpuMs).toFixed(3)} of the query's (the rate ratio where CPU is what limits)`,
    );
    line(oneOrderSql, `  service at ${(oneOrder.rate / oneOrderSql.rate).toFixed(3)} of it`);
    const cpuVs = (w: Window, base: Window) => `  compiled: ${(w.cpuMs / base.cpuMs).toFixed(2)}× its CPU per request, ${(w.p50 / base.p50).toFixed(2)}× its p50`;
    line(oneOrderJs, cpuVs(oneOrder, oneOrderJs));
    console.log(`\nanalyst page, ${ANALYST_CLIENTS} concurrent client(s)`);
    const analystRatio = analyst.p50 / analystSql.p50;
    line(
      analyst,
      `  = ${analystRatio.toFixed(2)}× the floor's p50 (target ≤ 2: ${verdict(analystRatio <= 2)}); ${(analystSql.rate / analyst.rate).toFixed(2)}× its time per request`,
    );
    line(analystSql);
    line(analystJs, cpuVs(analyst, analystJs));
    console.log(`  ${''.padEnd(58)} service CPU per request ${(analyst.cpuMs / analystSql.cpuMs).toFixed(1)}× the floor's client CPU`);
    line(ceilingOne);
    console.log(`  ${'the answer alone: JSON.stringify / JSON.parse'.padEnd(58)} ${answer.stringifyMs.toFixed(2)} ms / ${answer.parseMs.toFixed(2)} ms`);
    // The page's fixed costs against what the target leaves it: a request, the rows, the answer's JSON.
    const fixed = ceilingOne.p50 + analystSql.cpuMs + answer.stringifyMs + answer.parseMs;
    const allowed = 2 * analystSql.p50;
    console.log(
      `  ${'fixed costs: request + rows + JSON (see docs)'.padEnd(58)} ${fixed.toFixed(2)} ms of the ${allowed.toFixed(2)} ms the target allows;` +
        ` the service's CPU beyond a request's, the rows' and the stringify: ${(analyst.cpuMs - ceilingOne.cpuMs - analystSql.cpuMs - answer.stringifyMs).toFixed(2)} ms`,
    );
    console.log('\nSQL statements per request');
    console.log(`  one order:  ${counts.oneOrder.map(([k, n]) => `${n} (${k})`).join(', ')}`);
    console.log(`  analyst:    ${counts.analyst.map(([k, n]) => `${n} (${k})`).join(', ')}`);
    const same = (xs: [string, number][]) => xs.every(([, n]) => n === xs[0]![1]);
    console.log(`  independent of result size: ${verdict(same(counts.oneOrder) && same(counts.analyst))}`);
    const failures = [ceiling, oneOrder, analyst, oneOrderJs, analystJs, ceilingAgain].flatMap((w) => w.failures);
    if (failures.length > 0 || !same(counts.oneOrder) || !same(counts.analyst)) process.exitCode = 1;
  } finally {
    await clients.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => undefined);
    await admin.end();
    await server.stop();
  }
}

/** The CPU of the answer's JSON alone: the service's `JSON.stringify` of it and a client's `JSON.parse`, medians of 50. */
function jsonCost(text: string): { stringifyMs: number; parseMs: number } {
  const stringify: number[] = [];
  const parse: number[] = [];
  for (let i = 0; i < 50; i++) {
    let t0 = performance.now();
    const value: unknown = JSON.parse(text);
    parse.push(performance.now() - t0);
    t0 = performance.now();
    JSON.stringify(value);
    stringify.push(performance.now() - t0);
  }
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  return { stringifyMs: median(stringify), parseMs: median(parse) };
}

/** Runs `fn` under a CPU profile of this thread written to `file`, when one is given. */
async function profiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

function startClientThread() {
  const worker = new Worker(__filename);
  return {
    run: (job: ClientJob) =>
      new Promise<ClientReport>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(job);
      }),
    close: () => worker.terminate(),
  };
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  parentPort!.on('message', async (job: ClientJob) => parentPort!.postMessage(await runClients(job)));
}
