/**
 * `npm run bench:budget`: what the shared cost budget costs per GraphQL request — one take from the
 * `graphql_budget` table (src/graphql/budget-store.ts) — next to, in the same run, a take from the
 * in-memory bucket a replica falls back on, the database's own round trip (`SELECT 1` through
 * the same pool) and a durable single-row upsert (the least any store on this database pays). Sequential takes give the latency each request pays; concurrent takes by
 * distinct callers, and by one caller (all on one row), give the throughput.
 *
 *   BENCH_TAKES (default 3000)  BENCH_CLIENTS (16)
 * Uses DATABASE_URL when set (it creates the database `mg_bench_budget`), else starts its own MariaDB.
 */
import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { ensureDatabaseServer } from '../scripts/lib/local-server';
import { CostBudget } from '../src/graphql/budget';
import { SharedCostBudget } from '../src/graphql/budget-store';
import { createLogger } from '../src/logger';
import { createAppDataSource } from '../src/modules';
import { systemClock } from '../src/shared/clock';

const TAKES = Number(process.env.BENCH_TAKES ?? 3000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const LIMITS = { budget: 1e12, restorePerSecond: 1e9 };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function sequential(n: number, fn: (i: number) => Promise<unknown>): Promise<{ perOpUs: number; p50Us: number; p99Us: number }> {
  const lat: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    lat.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  const total = Number(process.hrtime.bigint() - started) / 1e3;
  lat.sort((x, y) => x - y);
  return { perOpUs: total / n, p50Us: pct(lat, 50), p99Us: pct(lat, 99) };
}

async function concurrent(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const server = await ensureDatabaseServer(process.env.DATABASE_URL);
  const base = new URL(server.url);
  const admin = await createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username || 'root'),
    password: decodeURIComponent(base.password),
  });
  await admin.query('DROP DATABASE IF EXISTS `mg_bench_budget`');
  await admin.query('CREATE DATABASE `mg_bench_budget` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await admin.end();
  const url = new URL(server.url);
  url.pathname = '/mg_bench_budget';
  const ds = createAppDataSource(url.toString());
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  try {
    const memory = new CostBudget(systemClock);
    const shared = new SharedCostBudget(ds, systemClock, createLogger('warn'));
    // Warm the pool and the row.
    for (let i = 0; i < 200; i++) await shared.take(`SUPPORT:warm-${i % 16}`, 1, LIMITS);

    const mem = await sequential(TAKES, async (i) => memory.take(`SUPPORT:u${i % 100}`, 56, LIMITS));
    const floor = await sequential(TAKES, () => ds.query('SELECT 1'));
    // A durable single-row write through the same pool: what any shared store on this database pays at least.
    const commit = await sequential(TAKES, (i) =>
      ds.query('INSERT INTO `graphql_budget` (`caller`, `level`, `updated_ms`, `granted`) VALUES (?, 0, 0, 0) ON DUPLICATE KEY UPDATE `updated_ms` = `updated_ms` + 1', [
        `floor:${i % 100}`,
      ]),
    );
    const take = await sequential(TAKES, (i) => shared.take(`SUPPORT:u${i % 100}`, 56, LIMITS));
    const distinct = await concurrent(TAKES, CLIENTS, (i) => shared.take(`SUPPORT:c${i % 1000}`, 56, LIMITS));
    const oneRow = await concurrent(TAKES, CLIENTS, () => shared.take('SUPPORT:hot', 56, LIMITS));
    const floorConcurrent = await concurrent(TAKES, CLIENTS, () => ds.query('SELECT 1'));

    const f = (us: number) => `${us.toFixed(1)} µs`;
    console.log(`\nCost budget, ${TAKES} takes each (BENCH_TAKES), ${CLIENTS} concurrent clients (BENCH_CLIENTS)\n`);
    console.log(`  in-memory bucket (baseline)      per take ${f(mem.perOpUs)}   p50 ${f(mem.p50Us)}   p99 ${f(mem.p99Us)}`);
    console.log(`  SELECT 1 round trip (floor)      per call ${f(floor.perOpUs)}   p50 ${f(floor.p50Us)}   p99 ${f(floor.p99Us)}`);
    console.log(`  durable 1-row upsert (floor)     per call ${f(commit.perOpUs)}   p50 ${f(commit.p50Us)}   p99 ${f(commit.p99Us)}`);
    console.log(`  shared bucket (graphql_budget)   per take ${f(take.perOpUs)}   p50 ${f(take.p50Us)}   p99 ${f(take.p99Us)}`);
    console.log(`    = ${(take.perOpUs / commit.perOpUs).toFixed(2)}× a durable upsert; +${f(take.perOpUs - mem.perOpUs)} per request over the in-memory bucket`);
    console.log(
      `  concurrent: SELECT 1 ${floorConcurrent.toFixed(0)}/s;  takes by distinct callers ${distinct.toFixed(0)}/s;  takes by one caller (one row) ${oneRow.toFixed(0)}/s\n`,
    );
  } finally {
    await ds.query('DROP DATABASE `mg_bench_budget`');
    await ds.destroy();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
