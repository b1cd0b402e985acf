/**
 * `npm run bench:reconcile`: reconciliation of 100,000 and 1,000,000 refunds against their ERP
 * postings, generated in bulk inside the database (MariaDB's SEQUENCE engine) with a known set of
 * planted discrepancies of every kind. Checks the run found exactly the planted ones, and prints
 * rows/s, the time against a plain full scan of the same tables measured in the same run, and the
 * peak RSS of this process for both sizes.
 *
 * Uses DATABASE_URL when set (a database `mg_bench_recon` is created in it), otherwise a private
 * MariaDB that is removed afterwards.
 */
import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../src/config';
import { RequestContext } from '../src/db/context';
import { createAppDataSource, createServices } from '../src/modules';
import { ensureDatabaseServer } from '../scripts/lib/local-server';
import { createLogger } from '../src/logger';
import { ManualClock } from '../src/shared/clock';
import { runReconciliation } from '../src/reconciliation/reconciliation.service';

const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-29T00:00:00Z');
const SPAN_SECONDS = (TO.getTime() - FROM.getTime()) / 1000;
/** Every PLANT_EVERY-th refund gets one discrepancy; the remainder picks which. */
const PLANT_EVERY = 2000;
const PLANTS: Record<number, string> = {
  1: 'MISSING_IN_ERP',
  2: 'AMOUNT_MISMATCH',
  3: 'DUPLICATE_IN_ERP',
  4: 'STATUS_MISMATCH', // refund FAILED at the PSP, posted in the ERP
  5: 'PARTIAL_REFUND_OVERWRITTEN',
  6: 'MISSING_AT_PSP', // an extra ERP posting no refund explains
  7: 'STATUS_MISMATCH', // refund SUCCEEDED, ERP rejected the posting
};

async function main(): Promise<void> {
  const server = await ensureDatabaseServer(process.env.DATABASE_URL, { log: (m) => console.error(m) });
  const base = new URL(server.url);
  const admin = await createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username || 'root'),
    password: decodeURIComponent(base.password),
  });
  if (server.managed) await admin.query('SET GLOBAL innodb_buffer_pool_size = 2147483648');
  await admin.query('DROP DATABASE IF EXISTS mg_bench_recon');
  await admin.query('CREATE DATABASE mg_bench_recon CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await admin.end();
  const url = new URL(server.url);
  url.pathname = '/mg_bench_recon';
  const dataSource = createAppDataSource(url.toString());
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RECONCILIATION_MAX_DAYS: '31' });
  const app = createServices({ config, dataSource, logger: createLogger('silent'), clock: new ManualClock(new Date('2026-02-01T00:00:00Z')) });
  const ctx = RequestContext.system(app);
  const q = (s: string, p: unknown[] = []) => dataSource.query(s, p);

  const results: { n: number; ms: number; baselineMs: number; rows: number; peakRss: number; found: number; planted: number }[] = [];
  for (const n of SIZES) {
    console.error(`\n— ${n.toLocaleString('en')} refunds: generating…`);
    for (const t of ['refund', 'erp_posting', 'webhook_event', 'reconciliation_variance', 'reconciliation_run', 'reconciliation_run_total']) await q(`TRUNCATE TABLE ${t}`);
    await q('DROP TABLE IF EXISTS bench_planted');
    await q('CREATE TABLE bench_planted (ref VARCHAR(128) PRIMARY KEY, kind VARCHAR(32) NOT NULL)');
    const genStart = Date.now();
    const plant = `s.seq % ${PLANT_EVERY}`;
    await q(
      `INSERT INTO refund (id, order_id, kind, origin, amount_minor, currency, status, merchant_transaction_id, psp_refund_id, reason, attempts,
        created_at, updated_at, completed_at)
      SELECT MD5(CONCAT('r', s.seq)), CONCAT('ord_', s.seq DIV 2), 'LINKED', 'MONEYGRAPH', 100 + (s.seq * 37) % 10000, IF(s.seq % 10 = 0, 'USD', 'EUR'),
        IF(${plant} = 4, 'FAILED', 'SUCCEEDED'), CONCAT('mt_', s.seq), CONCAT('rf_', s.seq), 'RETURN', 1,
        ? + INTERVAL (s.seq % ${SPAN_SECONDS}) SECOND, ? + INTERVAL (s.seq % ${SPAN_SECONDS}) SECOND, ? + INTERVAL (s.seq % ${SPAN_SECONDS}) SECOND
      FROM seq_1_to_${n} s`,
      [FROM, FROM, FROM],
    );
    // One posting per refund, as the outbox writes it, except where a discrepancy is planted.
    await q(
      `INSERT INTO erp_posting (id, kind, external_ref, order_id, amount_minor, currency, status, reason_code, posted_at, source_version)
      SELECT CONCAT('doc_', s.seq), 'REFUND', CONCAT('rf_', s.seq), CONCAT('ord_', s.seq DIV 2),
        100 + (s.seq * 37) % 10000 + CASE ${plant} WHEN 2 THEN 1 WHEN 5 THEN -1 ELSE 0 END, IF(s.seq % 10 = 0, 'USD', 'EUR'),
        IF(${plant} = 7, 'REJECTED', 'POSTED'), NULL, ? + INTERVAL (s.seq % ${SPAN_SECONDS} + 60) SECOND, IF(${plant} = 5, 2, 1)
      FROM seq_1_to_${n} s WHERE ${plant} <> 1`,
      [FROM],
    );
    await q(
      `INSERT INTO erp_posting (id, kind, external_ref, order_id, amount_minor, currency, status, reason_code, posted_at, source_version)
      SELECT CONCAT(IF(${plant} = 3, 'dup_', 'ghost_doc_'), s.seq), 'REFUND', IF(${plant} = 3, CONCAT('rf_', s.seq), CONCAT('ghost_', s.seq)), NULL,
        100 + (s.seq * 37) % 10000, IF(s.seq % 10 = 0, 'USD', 'EUR'), 'POSTED', NULL, ? + INTERVAL (s.seq % ${SPAN_SECONDS} + 120) SECOND, 1
      FROM seq_1_to_${n} s WHERE ${plant} IN (3, 6)`,
      [FROM],
    );
    await q(`INSERT INTO bench_planted (ref, kind)
      SELECT IF(${plant} = 6, CONCAT('ghost_', s.seq), CONCAT('rf_', s.seq)), CASE ${plant} ${Object.entries(PLANTS)
        .map(([k, v]) => `WHEN ${k} THEN '${v}'`)
        .join(' ')} END
      FROM seq_1_to_${n} s WHERE ${plant} BETWEEN 1 AND 7`);
    // The feeds were alive: a few webhook events in the period (an empty feed is an alarm, not a clean run).
    await q(
      `INSERT INTO webhook_event (source, event_id, event_type, signature_valid, payload, status, replay_count, received_at, processed_at)
      SELECT 'PSP', CONCAT('evt_', s.seq), 'REFUND_SUCCEEDED', 1, '{}', 'PROCESSED', 0, ? + INTERVAL s.seq HOUR, ? + INTERVAL s.seq HOUR FROM seq_1_to_24 s`,
      [FROM, FROM],
    );
    await q('ANALYZE TABLE refund, erp_posting');
    const [{ postings }] = await q('SELECT COUNT(*) AS postings FROM erp_posting');
    const rows = n + Number(postings);
    console.error(`generated ${n} refunds and ${postings} postings in ${((Date.now() - genStart) / 1000).toFixed(1)} s`);

    // Baseline: a plain full scan of the same two tables, in the same run.
    const b0 = process.hrtime.bigint();
    await q('SELECT SUM(amount_minor) FROM refund');
    await q('SELECT SUM(amount_minor) FROM erp_posting');
    const baselineMs = Number(process.hrtime.bigint() - b0) / 1e6;

    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const t0 = process.hrtime.bigint();
    const run = await runReconciliation(ctx, { from: FROM, to: TO }, null);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    // Exactly the planted ones, with the planted kind: nothing missed, nothing extra.
    const [check] = await q(
      `SELECT (SELECT COUNT(*) FROM bench_planted) AS planted,
              (SELECT COUNT(*) FROM reconciliation_variance WHERE run_id = ?) AS found,
              (SELECT COUNT(*) FROM bench_planted p JOIN reconciliation_variance v ON v.run_id = ? AND v.refund_ref = p.ref AND v.kind = p.kind) AS matched`,
      [run.id, run.id],
    );
    // The ERP column, recomputed the plain way, must equal the run's.
    const erpDirect = await q(
      `SELECT e.currency, SUM(ABS(e.amount_minor)) AS erp FROM erp_posting e
       WHERE e.kind = 'REFUND' AND e.status = 'POSTED'
         AND (EXISTS (SELECT 1 FROM refund r WHERE r.psp_refund_id = e.external_ref AND r.currency = e.currency
                      AND COALESCE(r.completed_at, r.updated_at) >= ? AND COALESCE(r.completed_at, r.updated_at) < ?)
              OR (NOT EXISTS (SELECT 1 FROM refund r WHERE r.psp_refund_id = e.external_ref) AND e.posted_at >= ? AND e.posted_at < ?))
       GROUP BY e.currency ORDER BY e.currency`,
      [FROM, TO, FROM, TO],
    );
    const erpOk =
      erpDirect.length === run.totals.length &&
      erpDirect.every((d: { currency: string; erp: string }, i: number) => run.totals[i]?.currency === d.currency && run.totals[i]?.erpTotalMinor === BigInt(d.erp));
    const exact = Number(check.planted) === Number(check.found) && Number(check.matched) === Number(check.planted);
    console.error(
      `run ${run.status}: ${run.varianceCount} variances ${JSON.stringify(run.varianceByKind)}; planted ${check.planted}, matched ${check.matched}; ERP column ${erpOk ? 'verified' : 'MISMATCH'}`,
    );
    if (!exact || !erpOk || run.status !== 'VARIANCE') {
      console.error('FAILED: the run did not find exactly the planted discrepancies');
      process.exitCode = 1;
    }
    results.push({ n, ms, baselineMs, rows, peakRss, found: Number(check.found), planted: Number(check.planted) });
  }

  console.log('\nreconciliation benchmark (refunds + their ERP postings, one persisted checkpoint run)');
  console.log('refunds    | rows (refunds+postings) | run s  | rows/s     | full-scan baseline s | run / baseline | peak RSS MiB | planted = found');
  for (const r of results) {
    console.log(
      [
        r.n.toLocaleString('en').padEnd(10),
        r.rows.toLocaleString('en').padEnd(23),
        (r.ms / 1000).toFixed(2).padEnd(6),
        Math.round(r.rows / (r.ms / 1000))
          .toLocaleString('en')
          .padEnd(10),
        (r.baselineMs / 1000).toFixed(2).padEnd(20),
        `${(r.ms / r.baselineMs).toFixed(1)}×`.padEnd(14),
        (r.peakRss / 2 ** 20).toFixed(0).padEnd(12),
        `${r.planted} = ${r.found}`,
      ].join(' | '),
    );
  }
  const [a, b] = [results[0], results.at(-1)];
  if (results.length > 1 && a && b) {
    console.log(`\n${(b.n / a.n).toFixed(0)}× the refunds: ${(b.ms / a.ms).toFixed(1)}× the time, ${(b.peakRss / a.peakRss).toFixed(2)}× the peak RSS`);
  }
  await dataSource.destroy();
  await server.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
