import type { DataSource } from 'typeorm';
import { RequestContext } from './context';
import { pipelineQueryRunner } from './pipeline';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** The driver's error code (ER_…), whether TypeORM wrapped the error or not. */
function dbErrorCode(err: unknown): string {
  const e = err as { code?: string; driverError?: { code?: string } } | null | undefined;
  return e?.driverError?.code ?? e?.code ?? '';
}

/** A deadlock or lock-wait timeout: the whole unit of work may be run again. */
function isRetryableDbError(err: unknown): boolean {
  return RETRYABLE.has(dbErrorCode(err));
}

/** A unique key refused the row (ER_DUP_ENTRY). */
export function isDuplicateKeyError(err: unknown): boolean {
  return dbErrorCode(err) === 'ER_DUP_ENTRY';
}

/** Re-runs of a unit of work, by the error that caused them, per data source (one per app). */
const retries = new WeakMap<DataSource, Map<string, number>>();

/** How many times units of work were run again, by error code (the moneygraph_db_tx_retries_total metric). */
export function transactionRetries(ds: DataSource): ReadonlyMap<string, number> {
  return retries.get(ds) ?? new Map();
}

function countRetry(ds: DataSource, code: string): void {
  const byCode = retries.get(ds) ?? new Map<string, number>();
  byCode.set(code, (byCode.get(code) ?? 0) + 1);
  retries.set(ds, byCode);
}

export interface TransactionOptions {
  /** Re-runs of the whole unit of work after a deadlock or lock-wait timeout. */
  retries?: number;
}

/**
 * Runs `work` in one transaction. A nested call joins the outer transaction. Deadlocks and
 * lock-wait timeouts re-run the whole unit in a fresh transaction; that is only safe because
 * every unit of work here is idempotent (it re-reads what it decides on, under a lock). On a
 * Galera cluster a write set that loses certification to another node's fails the same way
 * (ER_LOCK_DEADLOCK), often at COMMIT: the COMMIT is inside the retried unit, so it is re-run too.
 */
export async function withTransaction<T>(ctx: RequestContext, work: (tx: RequestContext) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  if (ctx.tx) return work(ctx);
  const maxRetries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      // READ COMMITTED: every pooled connection is set to it once (src/db/data-source.ts).
      return await runInTransaction(ctx, work);
    } catch (err) {
      if (attempt >= maxRetries || !isRetryableDbError(err)) throw err;
      countRetry(ctx.app.dataSource, dbErrorCode(err));
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * (attempt + 1))));
    }
  }
}

/** One attempt: TypeORM's EntityManager.transaction, on a query runner whose statements travel together (pipeline.ts). */
async function runInTransaction<T>(ctx: RequestContext, work: (tx: RequestContext) => Promise<T>): Promise<T> {
  const qr = ctx.app.dataSource.createQueryRunner();
  const pipeline = pipelineQueryRunner(qr);
  try {
    await qr.startTransaction();
    const result = await work(ctx.withTx(qr.manager, pipeline));
    await qr.commitTransaction();
    return result;
  } catch (err) {
    // The unit's own error is what the caller hears, even when the rollback fails too.
    await qr.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
}

/**
 * Every money transaction locks the order row first, so two refunds of one order serialise and
 * all of a transaction's rows belong to one order (the shard key). The lock is a write (the
 * row's lock_seq goes up), not a SELECT … FOR UPDATE: on a Galera cluster a read lock holds on
 * its own node only, while a written row is in the transaction's write set, so two nodes'
 * transactions of one order conflict at certification and one of them is re-run (withTransaction).
 */
export async function lockOrder(tx: RequestContext, orderId: string): Promise<boolean> {
  if (!tx.tx) throw new Error('lockOrder needs a transaction');
  const res: { affectedRows?: number } = await tx.tx.query(LOCK_ORDER_SQL, [orderId]);
  return (res.affectedRows ?? 0) > 0;
}

/**
 * lockOrder for a caller that reads the order next: the lock travels with that read (or, the order
 * unknown, simply locks nothing), one round trip fewer.
 */
export async function lockOrderWithNextRead(tx: RequestContext, orderId: string): Promise<void> {
  if (!tx.tx) throw new Error('lockOrder needs a transaction');
  await tx.later(LOCK_ORDER_SQL, [orderId]);
}

const LOCK_ORDER_SQL = 'UPDATE oms_order SET lock_seq = lock_seq + 1 WHERE id = ?';
