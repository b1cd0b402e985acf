/**
 * `npm run bench:refunds`: refunds/s across distinct orders, next to the raw durable commit rate of
 * the same database measured in the same run (a loop of single-row INSERT commits through mysql2).
 * Starts its own MariaDB, the service, the simulators and the background workers; every refund goes
 * through GraphQL, the PSP simulator (with its webhooks) and the outbox, as in production.
 *
 * The simulators run in a worker thread and the clients in another, as the upstream systems and the
 * admin UIs run on other machines: the service's event loop is its own. Two floors are measured in
 * the same run beside the raw commit rate: the lifecycle's SQL alone (bench/lifecycle-floor.ts) and
 * a GraphQL request that does nothing (`{ __typename }`) through the same service.
 *
 * It also measures the service's own CPU (its main thread, without the simulators' and clients'
 * threads) per refund against a no-op request's, and one client's p50 latency against that
 * request's floor: its SQL round trips, one statement at a time, plus one PSP round trip.
 *
 *   BENCH_ORDERS (default 2000)  BENCH_CLIENTS (32)  BENCH_RAW_SECONDS (5)  BENCH_SINGLE (100 refunds from one client)
 *   BENCH_PROFILE=<file.cpuprofile>  writes a CPU profile of the service's thread during the first window
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createAppDataSource } from '../src/modules';
import { ensureDatabaseServer } from '../scripts/lib/local-server';
import { createLogger } from '../src/logger';
import { drainOutbox } from '../src/outbox';
import { Simulators, startSimulators } from '../src/simulators';
import { paidOrder, returnInvoice } from '../test/support/drive';
import { mainThreadCpuSeconds, percentile as pct, processCpuSeconds as cpuSeconds } from './http-clients';
import { measureLifecycleFloor } from './lifecycle-floor';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS ?? 5);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 100);
const MUTATION = 'mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { id status } userErrors { code } } }';

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

type Urls = { oms: string; psp: string; erp: string };

interface ClientJob {
  url: string;
  /** Request bodies, sent `clients` at a time. */
  bodies: string[];
  clients: number;
  /** What a successful answer is: a SUCCEEDED refund, or any data. */
  expect: 'refund' | 'data';
}

interface ClientReport {
  seconds: number;
  latencies: number[];
  failures: [string, number][];
}

/** The clients' worker: sends each job's requests, reports latencies and what did not succeed. */
function clientThread(): void {
  parentPort!.on('message', async (job: ClientJob) => {
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    const started = performance.now();
    await pool(job.bodies, job.clients, async (body) => {
      const t0 = performance.now();
      let why: string | null = null;
      try {
        const res = await fetch(job.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer demo-admin-key' }, body });
        const b = (await res.json()) as {
          data?: { refundInvoice?: { refund?: { status: string }; userErrors: { code: string }[] } };
          errors?: { extensions?: { code?: string } }[];
        };
        const p = b.data?.refundInvoice;
        if (job.expect === 'data' ? !b.data || b.errors : p?.refund?.status !== 'SUCCEEDED') {
          why = p?.refund?.status ?? p?.userErrors[0]?.code ?? b.errors?.[0]?.extensions?.code ?? String(res.status);
        }
      } catch (err) {
        why = (err as Error).message;
      }
      latencies.push(performance.now() - t0);
      if (why) failures.set(why, (failures.get(why) ?? 0) + 1);
    });
    const report: ClientReport = { seconds: (performance.now() - started) / 1000, latencies, failures: [...failures] };
    parentPort!.postMessage(report);
  });
}

function startClientThread() {
  const worker = new Worker(__filename, { workerData: { role: 'clients' } });
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

/** The worker: the three simulators, delivering their webhooks on their own time (not before answering). */
async function simulatorThread(): Promise<void> {
  const sims = await startSimulators({ secrets: workerData.secrets });
  let delivering = false;
  let loop: Promise<void> = Promise.resolve();
  const deliver = async (on: boolean) => {
    if (on === delivering) return;
    delivering = on;
    if (on) {
      loop = (async () => {
        while (delivering) if ((await sims.flush()) === 0) await new Promise((r) => setTimeout(r, 10));
      })();
    } else await loop;
  };
  parentPort!.on('message', async (m: { serviceUrl?: string; deliver?: boolean; stop?: boolean }) => {
    if (m.serviceUrl) {
      for (const u of Object.values(sims.urls)) {
        await fetch(`${u}/_faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ webhooks: { mode: 'hold' } }) });
      }
      sims.setServiceUrl(m.serviceUrl);
      parentPort!.postMessage({ ready: true });
    }
    if (m.deliver !== undefined) {
      await deliver(m.deliver);
      parentPort!.postMessage({ delivering: m.deliver });
    }
    if (m.stop) {
      await deliver(false);
      while ((await sims.flush()) > 0);
      await sims.close();
      parentPort!.postMessage({ closed: true });
    }
  });
  parentPort!.postMessage({ urls: sims.urls });
}

function startSimulatorThread(secrets: Record<string, string>) {
  const worker = new Worker(__filename, { workerData: { role: 'simulators', secrets } });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (key in m) {
          worker.off('message', on);
          resolve(m[key] as T);
        }
      };
      worker.on('message', on);
      worker.once('error', reject);
    });
  return {
    urls: next<Urls>('urls'),
    async connect(serviceUrl: string) {
      worker.postMessage({ serviceUrl });
      await next('ready');
    },
    /** Webhooks flowing to the service (true) or queued at the simulators (false). */
    async deliver(on: boolean) {
      worker.postMessage({ deliver: on });
      await next('delivering');
    },
    async close() {
      worker.postMessage({ stop: true });
      await next('closed');
      await worker.terminate();
    },
  };
}

interface Phase {
  name: string;
  rate: number;
  seconds: number;
  count: number;
  latencies: number[];
  failures: Map<string, number>;
  nodeCpu: number;
  elu: number;
  dbCpu: number;
  /** CPU of the service's main thread per request, in ms. */
  serviceCpuMs: number;
}

async function main(): Promise<void> {
  const log = (m: string) => console.log(m);
  const server = await ensureDatabaseServer(undefined, { log });
  try {
    const base = new URL(server.url);
    const admin = await createConnection({ host: base.hostname, port: Number(base.port), user: 'root' });
    await admin.query('CREATE DATABASE bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await admin.changeUser({ database: 'bench' });

    // 1. The baseline: how many durable commits per second one connection gets from this server.
    await admin.query('CREATE TABLE bench_commit (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64) NOT NULL) ENGINE=InnoDB');
    const [[flush]] = (await admin.query('SELECT @@innodb_flush_log_at_trx_commit AS v, @@pid_file AS pidFile')) as unknown as [[{ v: number; pidFile: string }]];
    const dbPid = Number(readFileSync(flush.pidFile, 'utf8').trim());
    let commits = 0;
    const rawStart = performance.now();
    while (performance.now() - rawStart < RAW_SECONDS * 1000) {
      await admin.query('INSERT INTO bench_commit (v) VALUES (?)', ['commit']);
      commits++;
    }
    const rawRate = commits / ((performance.now() - rawStart) / 1000);
    await admin.end();
    // The first floor: the refund lifecycle's own SQL, with nothing of the service around it.
    const floors = await measureLifecycleFloor(server.url, { perRefund: Math.max(100, Math.floor(ORDERS / 2)), clients: CLIENTS, dbCpuSeconds: () => cpuSeconds(dbPid) });
    const sqlFloor = floors[0];
    if (!sqlFloor) throw new Error('the lifecycle floor measured nothing');

    // 2. The service, its database, the simulators (in a thread) and the workers.
    const url = `mariadb://root@${base.host}/bench`;
    const dataSource = createAppDataSource(url);
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const secrets = { OMS: 'bench-oms-secret-0123456789', PSP: 'bench-psp-secret-0123456789', ERP: 'bench-erp-secret-0123456789' };
    const simThread = startSimulatorThread(secrets);
    const urls = await simThread.urls;
    // The builders only need the simulators' URLs.
    const sims = { urls } as unknown as Simulators;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      WEBHOOK_SECRET_OMS: secrets.OMS,
      WEBHOOK_SECRET_PSP: secrets.PSP,
      WEBHOOK_SECRET_ERP: secrets.ERP,
      OMS_BASE_URL: urls.oms,
      PSP_BASE_URL: urls.psp,
      ERP_BASE_URL: urls.erp,
      AUTO_REFUND_INPUT_INVOICES: 'false',
      GRAPHQL_LIMITS: JSON.stringify({ ADMIN: { budget: 100_000_000, restorePerSecond: 100_000_000 } }),
    });
    const app = await createApp({ config, dataSource, logger: createLogger(config.logLevel) });
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    const serviceUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await simThread.connect(serviceUrl);
    await simThread.deliver(true);

    log(`setting up ${ORDERS} paid orders with a return invoice each…`);
    const targets: { orderId: string; invoiceId: string }[] = [];
    await pool(
      Array.from({ length: ORDERS }, (_, i) => i),
      16,
      async () => {
        const o = await paidOrder(sims, { total: '10000' });
        targets.push({ orderId: o.orderId, invoiceId: await returnInvoice(sims, o.orderId, '2500') });
      },
    );
    // The set-up's webhooks must have landed: captured payments and return invoices, in the mirror.
    for (let i = 0; i < 6000; i++) {
      const [{ n }] = await dataSource.query(
        "SELECT LEAST((SELECT COUNT(*) FROM oms_invoice WHERE kind = 'INPUT'), (SELECT COUNT(*) FROM psp_payment WHERE status = 'COMPLETED')) n",
      );
      if (Number(n) >= ORDERS) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const clients = startClientThread();
    /** The given requests, CLIENTS at a time from the clients' thread, each a full GraphQL request over HTTP. */
    const measure = async (name: string, bodies: string[], expect: ClientJob['expect'], width = CLIENTS): Promise<Phase> => {
      const cpu0 = { node: process.cpuUsage(), db: cpuSeconds(dbPid), elu: performance.eventLoopUtilization(), main: mainThreadCpuSeconds() };
      const r = await clients.run({ url: `${serviceUrl}/graphql`, bodies, clients: width, expect });
      const u = process.cpuUsage(cpu0.node);
      const latencies = r.latencies.sort((a, b) => a - b);
      return {
        name,
        seconds: r.seconds,
        count: bodies.length,
        rate: bodies.length / r.seconds,
        latencies,
        failures: new Map(r.failures),
        nodeCpu: (u.user + u.system) / 1e6 / r.seconds,
        elu: performance.eventLoopUtilization(cpu0.elu).utilization,
        dbCpu: (cpuSeconds(dbPid) - cpu0.db) / r.seconds,
        serviceCpuMs: ((mainThreadCpuSeconds() - cpu0.main) * 1000) / bodies.length,
      };
    };
    const refundBodies = (batch: typeof targets) =>
      batch.map((t) => JSON.stringify({ query: MUTATION, variables: { input: { ...t, reason: 'RETURN', idempotencyKey: `bench-${t.invoiceId}-${t.orderId}` } } }));
    /** Delivers every effect still owed (outbox worker plus a drain beside it). */
    const settle = async () => {
      let done = 0;
      for (let i = 0; i < 600; i++) {
        done += (await drainOutbox(app.services)).done;
        const [{ n }] = await dataSource.query("SELECT COUNT(*) n FROM outbox_message WHERE status IN ('PENDING', 'RUNNING')");
        if (Number(n) === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return done;
    };

    // 3. The second floor: a GraphQL request that does nothing, through the same service and auth.
    const noop = await measure(
      'GraphQL request that does nothing ({ __typename })',
      Array.from({ length: targets.length }, () => JSON.stringify({ query: '{ __typename }' })),
      'data',
    );

    // 4a. The refund path alone: its effects (webhooks, outbox) are owed, delivered after the window.
    // First one client at a time (its latency against its floor), then CLIENTS at a time.
    // An unmeasured warm-up first (the JIT compiles the refund path), then the no-op and the refund one client at a time.
    const warm = Math.min(20, Math.floor(targets.length / 10));
    const single = Math.min(SINGLE, Math.floor(targets.length / 4));
    const half = warm + single + Math.floor((targets.length - warm - single) / 2);
    await simThread.deliver(false);
    await measure('warm-up', refundBodies(targets.slice(0, warm)), 'refund');
    const noopOne = await measure(
      'GraphQL request that does nothing, one client',
      Array.from({ length: single }, () => JSON.stringify({ query: '{ __typename }' })),
      'data',
      1,
    );
    const oneClient = await measure('refund path alone, one client', refundBodies(targets.slice(warm, warm + single)), 'refund', 1);
    const profile = process.env.BENCH_PROFILE ? new Session() : undefined;
    if (profile) {
      profile.connect();
      await profile.post('Profiler.enable');
      await profile.post('Profiler.start');
    }
    const alone = await measure('refund path alone (effects delivered afterwards)', refundBodies(targets.slice(warm + single, half)), 'refund');
    if (profile) {
      const { profile: taken } = await profile.post('Profiler.stop');
      writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(taken));
      profile.disconnect();
    }
    await simThread.deliver(true);
    await settle();
    // 4b. Everything at once: webhooks and the outbox worker compete with the refunds, as in production.
    app.startWorkers();
    const together = await measure('with webhooks and outbox delivery running', refundBodies(targets.slice(half)), 'refund');
    const drained = await settle();
    await clients.close();
    const [{ n: succeeded }] = await dataSource.query("SELECT COUNT(*) n FROM refund WHERE status = 'SUCCEEDED'");
    // The floor of one client's refund: its statements one at a time, then one PSP round trip.
    const [oneClientSql] = await measureLifecycleFloor(server.url, { perRefund: Math.max(single, 20), clients: 1, dbCpuSeconds: () => cpuSeconds(dbPid) });
    const pspTrips: number[] = [];
    for (const t of targets.slice(0, Math.max(single, 20))) {
      const t0 = performance.now();
      const res = await fetch(`${urls.psp}/orders/${encodeURIComponent(t.orderId)}/payments`, { headers: { Accept: 'application/json' } });
      await res.text();
      pspTrips.push(performance.now() - t0);
    }
    const pspP50 = pct(
      pspTrips.sort((a, b) => a - b),
      50,
    );
    await simThread.close(); // delivers its last webhooks while the service still listens
    await app.stop(); // stops the workers
    const [{ n: owed }] = await dataSource.query("SELECT COUNT(*) n FROM outbox_message WHERE status <> 'DONE'");

    const ratioOf = (rate: number) => `${(rate / rawRate).toFixed(3)} of the raw commit rate`;
    console.log('');
    console.log(`raw durable commit rate  ${rawRate.toFixed(0)} commits/s (1 connection, single-row INSERT, innodb_flush_log_at_trx_commit=${flush.v}, ${commits} commits)`);
    console.log(`\nfloor: the refund lifecycle's SQL alone (mysql2, ${CLIENTS} connections, no GraphQL, no TypeORM, no PSP call)`);
    for (const f of floors) {
      console.log(
        `  ${f.name.padEnd(34)} ${f.rate.toFixed(0)} refunds/s (${f.roundTrips} round trips, MariaDB ${f.dbCpuMsPerRefund.toFixed(2)} ms CPU per refund) = ${ratioOf(f.rate)}`,
      );
    }
    for (const p of [noop, oneClient, alone, together]) {
      const failed = [...p.failures].map(([k, n]) => `${k}: ${n}`).join(', ');
      const unit = p === noop ? 'requests/s' : 'refunds/s';
      console.log(`\n${p === noop ? 'floor: ' : ''}${p.name}`);
      console.log(
        `  ${unit.padEnd(22)} ${p.rate.toFixed(1)} (${p.count} ${p === noop ? 'requests' : 'refunds on distinct orders'}, ${p === oneClient ? 1 : CLIENTS} concurrent client${p === oneClient ? '' : 's'}, ${p.seconds.toFixed(2)} s)${failed ? `; not succeeded: ${failed}` : ''}`,
      );
      console.log(`  latency                p50 ${pct(p.latencies, 50).toFixed(1)} ms, p99 ${pct(p.latencies, 99).toFixed(1)} ms, max ${pct(p.latencies, 100).toFixed(1)} ms`);
      console.log(
        `  cpu                    service event loop busy ${(p.elu * 100).toFixed(0)}%, service process ${(p.nodeCpu * 100).toFixed(0)}% of a core (with the simulators' and clients' threads), MariaDB ${(p.dbCpu * 100).toFixed(0)}%; ${cpus().length} cores`,
      );
      if (p === noop) console.log(`  ratio                  ${ratioOf(p.rate)}; service CPU ${p.serviceCpuMs.toFixed(2)} ms per request (its main thread)`);
      else {
        // One client's refund is compared with one client's no-op: a lone request pays the event loop's turns that concurrent ones share.
        const base = p === oneClient ? noopOne : noop;
        const cpuRatio = p.serviceCpuMs / base.serviceCpuMs;
        console.log(
          `  service CPU            ${p.serviceCpuMs.toFixed(2)} ms per refund (its main thread) = ${cpuRatio.toFixed(2)}× a no-op request's${p === oneClient ? ` (one client: ${noopOne.serviceCpuMs.toFixed(2)} ms)` : ''}${p === together ? ' (with its webhooks and outbox messages)' : ` (target ≤ 4: ${cpuRatio <= 4 ? 'met' : 'NOT met'})`}`,
        );
        if (p === oneClient) {
          const floor = (oneClientSql?.p50Ms ?? 0) + pspP50;
          console.log(
            `  latency floor          p50 ${floor.toFixed(1)} ms = its ${oneClientSql?.roundTrips} statements one at a time (p50 ${oneClientSql?.p50Ms.toFixed(1)} ms, one client) + one PSP round trip (p50 ${pspP50.toFixed(1)} ms); p50 ${(pct(p.latencies, 50) / floor).toFixed(2)}× the floor`,
          );
        }
        console.log(`  ratio                  ${ratioOf(p.rate)}; ${(p.rate / sqlFloor.rate).toFixed(3)} of the SQL floor sent one statement at a time`);
      }
    }
    console.log(`\ncheck                    ${succeeded}/${targets.length} refunds SUCCEEDED; ${owed} outbox messages not delivered (${drained} delivered after the last window)`);
    if (Number(owed) > 0) console.log(await dataSource.query("SELECT topic, status, attempts, last_error FROM outbox_message WHERE status <> 'DONE' LIMIT 5"));

    await dataSource.destroy();
    if (Number(succeeded) !== targets.length || Number(owed) > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (workerData.role === 'clients') {
  clientThread();
} else {
  void simulatorThread();
}
