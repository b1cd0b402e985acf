"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isRetryableDbError = isRetryableDbError;
exports.withTransaction = withTransaction;
exports.lockOrder = lockOrder;
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
function isRetryableDbError(err) {
    const e = err;
    return RETRYABLE.has(e?.code ?? '') || RETRYABLE.has(e?.driverError?.code ?? '');
}
/**
 * Runs `work` in one transaction. A nested call joins the outer transaction. Deadlocks and
 * lock-wait timeouts re-run the whole unit in a fresh transaction; that is only safe because
 * every unit of work here is idempotent (it re-reads what it decides on, under a lock).
 */
async function withTransaction(ctx, work, opts = {}) {
    if (ctx.tx)
        return work(ctx);
    const retries = opts.retries ?? 3;
    for (let attempt = 0;; attempt++) {
        try {
            return await ctx.app.dataSource.transaction('READ COMMITTED', (em) => work(ctx.withTx(em)));
        }
        catch (err) {
            if (attempt >= retries || !isRetryableDbError(err))
                throw err;
            await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * (attempt + 1))));
        }
    }
}
/**
 * Every money transaction locks the order row first, so two refunds of one order serialise and
 * all of a transaction's rows belong to one order (the shard key).
 */
async function lockOrder(tx, orderId) {
    if (!tx.tx)
        throw new Error('lockOrder needs a transaction');
    const rows = await tx.tx.query('SELECT id FROM oms_order WHERE id = ? FOR UPDATE', [orderId]);
    return rows.length > 0;
}
//# sourceMappingURL=transaction.js.map