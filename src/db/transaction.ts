import { RequestContext } from './context';

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

export interface TransactionOptions {
  /** Re-runs of the whole unit of work after a deadlock or lock-wait timeout. */
  retries?: number;
}

/**
 * Runs `work` in one transaction. A nested call joins the outer transaction. Deadlocks and
 * lock-wait timeouts re-run the whole unit in a fresh transaction; that is only safe because
 * every unit of work here is idempotent (it re-reads what it decides on, under a lock).
 */
export async function withTransaction<T>(ctx: RequestContext, work: (tx: RequestContext) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  if (ctx.tx) return work(ctx);
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      // READ COMMITTED: every pooled connection is set to it once (src/db/data-source.ts).
      return await ctx.app.dataSource.transaction((em) => work(ctx.withTx(em)));
    } catch (err) {
      if (attempt >= retries || !isRetryableDbError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * (attempt + 1))));
    }
  }
}

/**
 * Every money transaction locks the order row first, so two refunds of one order serialise and
 * all of a transaction's rows belong to one order (the shard key).
 */
export async function lockOrder(tx: RequestContext, orderId: string): Promise<boolean> {
  if (!tx.tx) throw new Error('lockOrder needs a transaction');
  const rows: unknown[] = await tx.tx.query('SELECT id FROM oms_order WHERE id = ? FOR UPDATE', [orderId]);
  return rows.length > 0;
}
