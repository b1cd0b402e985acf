/**
 * The floor under `bench:refunds`: the SQL of a refund's lifecycle (DESIGN §3) sent straight
 * through mysql2, with no GraphQL, no TypeORM, no PSP call and no simulators — what the database
 * and the wire cost when the service costs nothing. Two ways:
 *   - one statement per round trip, as a service without multi-statement packets sends them;
 *   - the same statements in five round trips (intent reads, intent writes + COMMIT, SUBMITTED,
 *     outcome reads, outcome writes + COMMIT), the fewest a refund committed on its own can take.
 * It runs in a database of its own, on synthetic orders, against the server of the benchmark.
 */
import { randomUUID } from 'node:crypto';
import { createConnection, createPool, Pool, PoolConnection } from 'mysql2/promise';
import { createAppDataSource } from '../src/modules';

export interface FloorResult {
  name: string;
  rate: number;
  roundTrips: number;
  dbCpuMsPerRefund: number;
  /** Median time of one refund's statements. */
  p50Ms: number;
}

interface Ids {
  order: string;
  invoice: string;
  payment: string;
  refund: string;
  key: string;
  now: Date;
}

const AUDIT = "INSERT INTO audit_log (subject, role, operation, arguments, order_id, request_id, outcome, occurred_at) VALUES ('bench', 'ADMIN', ?, '{}', ?, 'bench', ?, ?)";

/** The statements, in the order the service sends them; `batch` marks where a round trip ends. */
function statements(x: Ids): { sql: string; params: unknown[]; batchEnd?: boolean }[] {
  const outbox = [1, 2, 3].map(() => "(?, ?, ?, '{}', 'PENDING', 0, ?, ?, ?)").join(', ');
  return [
    { sql: 'START TRANSACTION', params: [] },
    { sql: 'SELECT * FROM oms_order WHERE id = ? FOR UPDATE', params: [x.order] },
    { sql: 'SELECT * FROM idempotency_key WHERE `key` = ?', params: [x.key] },
    { sql: 'SELECT * FROM oms_invoice WHERE id = ?', params: [x.invoice] },
    { sql: 'SELECT * FROM refund WHERE order_id = ?', params: [x.order] },
    { sql: 'SELECT * FROM psp_payment WHERE order_id = ?', params: [x.order] },
    { sql: 'SELECT * FROM psp_capture WHERE order_id = ?', params: [x.order], batchEnd: true },
    {
      sql: `INSERT INTO refund (id, order_id, invoice_id, payment_id, kind, origin, amount_minor, currency, status, merchant_transaction_id, reason, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'LINKED', 'MONEYGRAPH', 2500, 'EUR', 'REQUESTED', ?, 'RETURN', ?, ?)`,
      params: [x.refund, x.order, x.invoice, x.payment, randomUUID(), x.now, x.now],
    },
    {
      sql: "INSERT INTO idempotency_key (`key`, operation, request_hash, status, order_id, refund_id, created_at, expires_at) VALUES (?, 'refundInvoice', ?, 'RUNNING', ?, ?, ?, ?)",
      params: [x.key, 'h'.repeat(64), x.order, x.refund, x.now, x.now],
    },
    { sql: AUDIT, params: ['refundInvoice', x.order, 'REQUESTED', x.now] },
    { sql: 'COMMIT', params: [], batchEnd: true },
    {
      sql: "UPDATE refund SET status = 'SUBMITTED', attempts = attempts + 1, submitted_at = ? WHERE id = ? AND status IN ('REQUESTED', 'SUBMITTED')",
      params: [x.now, x.refund],
      batchEnd: true,
    },
    { sql: 'START TRANSACTION', params: [] },
    { sql: 'SELECT id FROM oms_order WHERE id = ? FOR UPDATE', params: [x.order] },
    { sql: 'SELECT * FROM refund WHERE id = ? FOR UPDATE', params: [x.refund] },
    { sql: "SELECT id, amount_minor FROM refund WHERE order_id = ? AND invoice_id = ? AND status = 'SUCCEEDED'", params: [x.order, x.invoice], batchEnd: true },
    {
      sql: "UPDATE refund SET status = 'SUCCEEDED', psp_refund_id = ?, receipt = '{}', completed_at = ?, updated_at = ? WHERE id = ?",
      params: [`psp-${x.refund}`, x.now, x.now, x.refund],
    },
    {
      sql: `INSERT INTO oms_invoice_data (order_id, invoice_id, copy, refunded_minor, refund_ids, updated_at, source_version) VALUES (?, ?, 'MONEYGRAPH', 2500, '[]', ?, 1)
            ON DUPLICATE KEY UPDATE refunded_minor = VALUES(refunded_minor), source_version = source_version + 1`,
      params: [x.order, x.invoice, x.now],
    },
    {
      sql: "INSERT IGNORE INTO oms_interaction (id, order_id, kind, message, source, refund_id, occurred_at) VALUES (?, ?, 'Refund Payment', 'Refunded', 'MONEYGRAPH', ?, ?)",
      params: [`refund-payment:${x.refund}`, x.order, x.refund, x.now],
    },
    {
      sql: `INSERT IGNORE INTO outbox_message (topic, dedupe_key, order_id, payload, status, attempts, next_attempt_at, created_at, updated_at) VALUES ${outbox}`,
      params: ['oms.invoiceData', 'oms.interaction', 'erp.post'].flatMap((t) => [t, `${t}:${x.refund}`, x.order, x.now, x.now, x.now]),
    },
    { sql: "UPDATE idempotency_key SET status = 'DONE' WHERE refund_id = ? AND status = 'RUNNING'", params: [x.refund] },
    { sql: AUDIT, params: ['refund.outcome', x.order, 'SUCCEEDED', x.now] },
    { sql: 'COMMIT', params: [], batchEnd: true },
  ];
}

async function oneByOne(c: PoolConnection, x: Ids): Promise<void> {
  for (const s of statements(x)) await c.query(s.sql, s.params);
}

async function batched(c: PoolConnection, x: Ids): Promise<void> {
  let sql: string[] = [];
  let params: unknown[] = [];
  for (const s of statements(x)) {
    sql.push(s.sql);
    params.push(...s.params);
    if (s.batchEnd) {
      await c.query(sql.join(';\n'), params);
      sql = [];
      params = [];
    }
  }
}

/**
 * Runs `perRefund` refunds each way on distinct synthetic orders, `clients` at a time.
 * `dbCpuSeconds` reads the server's CPU time so far.
 */
export async function measureLifecycleFloor(serverUrl: string, opts: { perRefund: number; clients: number; dbCpuSeconds: () => number }): Promise<FloorResult[]> {
  const base = new URL(serverUrl);
  const conn = { host: base.hostname, port: Number(base.port), user: decodeURIComponent(base.username) || 'root', password: decodeURIComponent(base.password) || undefined };
  const admin = await createConnection(conn);
  await admin.query('DROP DATABASE IF EXISTS bench_floor');
  await admin.query('CREATE DATABASE bench_floor CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await admin.end();
  const floorUrl = new URL(serverUrl); // the server's own URL, credentials included, on the floor's database
  floorUrl.pathname = '/bench_floor';
  if (!floorUrl.username) floorUrl.username = 'root';
  const ds = createAppDataSource(floorUrl.toString());
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const n = opts.perRefund * 2;
    const now = new Date();
    for (let i = 0; i < n; i += 500) {
      const ids = Array.from({ length: Math.min(500, n - i) }, (_, k) => `floor-${i + k}`);
      const rows = (tpl: string) => ids.map(() => tpl).join(', ');
      await ds.query(
        `INSERT INTO oms_order (id, status, currency, total_minor, created_at, synced_at) VALUES ${rows("(?, 'COMPLETED', 'EUR', 10000, ?, ?)")}`,
        ids.flatMap((o) => [o, now, now]),
      );
      await ds.query(
        `INSERT INTO oms_invoice (id, order_id, kind, amount_minor, currency, issued_at) VALUES ${rows("(?, ?, 'INPUT', 2500, 'EUR', ?)")}`,
        ids.flatMap((o) => [`inv-${o}`, o, now]),
      );
      await ds.query(
        `INSERT INTO psp_payment (id, order_id, method, payment_method_id, payment_method_status, status, authorized_minor, currency, created_at) VALUES ${rows("(?, ?, 'CARD', 'pm-1', 'ACTIVE', 'COMPLETED', 10000, 'EUR', ?)")}`,
        ids.flatMap((o) => [`pay-${o}`, o, now]),
      );
      await ds.query(
        `INSERT INTO psp_capture (id, payment_id, order_id, amount_minor, currency, captured_at) VALUES ${rows("(?, ?, ?, 10000, 'EUR', ?)")}`,
        ids.flatMap((o) => [`cap-${o}`, `pay-${o}`, o, now]),
      );
    }
    const results: FloorResult[] = [];
    const ways = [
      { name: 'one statement per round trip', roundTrips: statements({} as Ids).length, multi: false, run: oneByOne },
      { name: 'five multi-statement round trips', roundTrips: statements({} as Ids).filter((s) => s.batchEnd).length, multi: true, run: batched },
    ];
    for (const [w, way] of ways.entries()) {
      const pool: Pool = createPool({
        ...conn,
        database: 'bench_floor',
        connectionLimit: opts.clients,
        multipleStatements: way.multi,
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
      const orders = Array.from({ length: opts.perRefund }, (_, k) => `floor-${w * opts.perRefund + k}`);
      let next = 0;
      const latencies: number[] = [];
      const cpu0 = opts.dbCpuSeconds();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: opts.clients }, async () => {
          while (next < orders.length) {
            const order = orders[next++]!; // next < orders.length, checked with no await in between
            const c = await pool.getConnection();
            const t0 = performance.now();
            try {
              await way.run(c, { order, invoice: `inv-${order}`, payment: `pay-${order}`, refund: randomUUID(), key: `key-${order}`, now: new Date() });
            } finally {
              latencies.push(performance.now() - t0);
              c.release();
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      results.push({
        name: way.name,
        rate: orders.length / seconds,
        roundTrips: way.roundTrips,
        dbCpuMsPerRefund: ((opts.dbCpuSeconds() - cpu0) * 1000) / orders.length,
        p50Ms: latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)] ?? 0,
      });
      await pool.end();
    }
    return results;
  } finally {
    await ds.query('DROP DATABASE bench_floor').catch(() => undefined);
    await ds.destroy();
  }
}
