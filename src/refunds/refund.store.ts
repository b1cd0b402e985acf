/**
 * The refund ledger's data access: every statement on the refund and idempotency_key tables, and
 * the read models of other modules' tables the refund use case decides on (each says which tables
 * it reads). Every function takes the RequestContext — the transaction's where it says so — and
 * returns typed rows. The hot path's statements are hand-written (one round trip where a repository
 * call would build its SQL anew each time); the statuses in them come from the enums and the
 * transition table, never from a list written out by hand.
 */
import { isDuplicateKeyError } from '../db/transaction';
import { RequestContext } from '../db/context';
import { hydrate, insertEntity, jsonValue } from '../db/entity-rows';
import { insertRow } from '../db/upsert';
import { IdempotencyKeyEntity, IdempotencyStatus } from './entities/idempotency-key.entity';
import { RefundEntity, RefundOrigin, RefundStatus } from './entities/refund.entity';
import { sqlStatusList } from '../shared/refund-status';
import { IN_FLIGHT_STATUSES, statusAfter, statusesLeftBy } from './refund.state';

/** Enum values as SQL string literals / the body of an IN list (enum values only, never input). */
const sqlList = sqlStatusList;
const lit = (v: string): string => sqlStatusList([v]);

/** The in-flight statuses as the body of an SQL IN list: 'REQUESTED', 'SUBMITTED'. */
export const IN_FLIGHT_SQL = sqlList(IN_FLIGHT_STATUSES);

const SUCCEEDED_SQL = lit(RefundStatus.SUCCEEDED);

/** SUBMIT as one guarded UPDATE: the status it writes and the statuses it may leave. */
const SUBMITTED_SQL = lit(statusAfter('SUBMIT'));
const SUBMITTABLE_SQL = sqlList(statusesLeftBy('SUBMIT'));

type Affected = { affectedRows?: number };

// ---------------------------------------------------------------------------------------------
// refund

export async function loadRefund(ctx: RequestContext, id: string): Promise<RefundEntity | null> {
  return ctx.manager.getRepository(RefundEntity).findOne({ where: { id } });
}

/** A new refund, every column (fresh ids: it travels with the transaction's next statement, see RequestContext.later). */
export async function insertRefund(tx: RequestContext, row: RefundEntity): Promise<void> {
  await insertEntity(tx, RefundEntity, row, { later: true });
}

/** The refund the PSP reports on: ours by the key we sent, else by the PSP's refund id (one statement, the key's match first). */
export async function findRefundByPspKeys(tx: RequestContext, merchantTransactionId: string | null, pspRefundId: string): Promise<RefundEntity | null> {
  const rows: Record<string, unknown>[] = await tx.manager.query(
    `SELECT * FROM refund WHERE merchant_transaction_id = ? OR psp_refund_id = ? ORDER BY merchant_transaction_id = ? DESC LIMIT 1`,
    [merchantTransactionId, pspRefundId, merchantTransactionId],
  );
  return rows[0] ? hydrate(tx.manager, RefundEntity, rows[0]) : null;
}

/** Another SUCCEEDED refund of the same invoice, as the outcome's read returns it. */
export type SucceededRow = { id: string; amountMinor: string; at: string };

/**
 * The refund, locked, with the other SUCCEEDED refunds of its invoice (inside the transaction that
 * locked the order), so invoiceData can be set from the ledger without reading it again.
 */
export async function lockRefundForOutcome(tx: RequestContext, refundId: string): Promise<{ refund: RefundEntity; invoiceSucceeded: SucceededRow[] } | null> {
  const [row] = (await tx.manager.query(
    `SELECT r.*, (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', s.id, 'amountMinor', CAST(s.amount_minor AS CHAR), 'at', DATE_FORMAT(s.created_at, '%Y-%m-%d %H:%i:%s.%f')))
       FROM refund s WHERE s.order_id = r.order_id AND s.invoice_id = r.invoice_id AND s.status = ${SUCCEEDED_SQL} AND s.id <> r.id) AS invoice_succeeded
     FROM refund r WHERE r.id = ? FOR UPDATE`,
    [refundId],
  )) as Record<string, unknown>[];
  if (!row) return null;
  return { refund: hydrate(tx.manager, RefundEntity, row), invoiceSucceeded: jsonValue<SucceededRow[]>(row.invoice_succeeded) ?? [] };
}

/**
 * Writes an outcome: the refund's status (from the transition table) and what came with it, and
 * the client's idempotency key DONE with the refund, whatever the outcome (one statement for both).
 */
export async function writeOutcome(tx: RequestContext, r: RefundEntity): Promise<void> {
  await tx.later(
    `UPDATE refund r LEFT JOIN idempotency_key k ON k.refund_id = r.id AND k.status = ${lit(IdempotencyStatus.RUNNING)}
     SET r.status = ?, r.updated_at = ?, r.completed_at = ?, r.lease_until = NULL, r.psp_refund_id = ?, r.amount_minor = ?,
         r.receipt = ?, r.error_code = ?, r.error_message = ?, r.psp_version = ?, k.status = ${lit(IdempotencyStatus.DONE)}
     WHERE r.id = ?`,
    [r.status, r.updatedAt, r.completedAt, r.pspRefundId, r.amountMinor.toString(), r.receipt, r.errorCode, r.errorMessage, r.pspVersion?.toString() ?? null, r.id],
  );
}

/**
 * SUBMIT: the status the transition table gives it, one more attempt, the lease renewed — only
 * from a status SUBMIT may leave. False when the refund left flight meanwhile (nothing written).
 */
export async function markSubmitted(ctx: RequestContext, id: string, at: { now: Date; leaseUntil: Date }): Promise<boolean> {
  const res = await ctx.manager.query(
    `UPDATE refund SET status = ${SUBMITTED_SQL}, attempts = attempts + 1, submitted_at = COALESCE(submitted_at, ?), updated_at = ?, lease_until = ?
     WHERE id = ? AND status IN (${SUBMITTABLE_SQL})`,
    [at.now, at.now, at.leaseUntil, id],
  );
  return (res as Affected).affectedRows === 1;
}

/** Takes the lease of an in-flight refund no one owns (none, or expired). False when it is owned or settled. */
export async function claimLease(ctx: RequestContext, id: string, at: { now: Date; leaseUntil: Date }): Promise<boolean> {
  const res = await ctx.manager.query(`UPDATE refund SET lease_until = ? WHERE id = ? AND status IN (${IN_FLIGHT_SQL}) AND (lease_until IS NULL OR lease_until < ?)`, [
    at.leaseUntil,
    id,
    at.now,
  ]);
  return (res as Affected).affectedRows === 1;
}

/** Hands the lease of an in-flight refund back (recovery may take it at once). */
export async function releaseLease(ctx: RequestContext, id: string): Promise<void> {
  await ctx.manager.query(`UPDATE refund SET lease_until = NULL WHERE id = ? AND status IN (${IN_FLIGHT_SQL})`, [id]);
}

/**
 * In-flight refunds not owned by anyone (no lease, or an expired one), oldest first. `automated`
 * leaves out orders on hold (reads order_hold, the reconciliation module's table).
 */
export async function staleRefundIds(ctx: RequestContext, q: { orderId?: string; automated?: boolean; exclude: Set<string>; limit: number }): Promise<string[]> {
  const where = [`status IN (${IN_FLIGHT_SQL})`, '(lease_until IS NULL OR lease_until < ?)'];
  const params: unknown[] = [ctx.now];
  if (q.orderId) {
    where.push('order_id = ?');
    params.push(q.orderId);
  }
  if (q.automated) where.push('order_id NOT IN (SELECT order_id FROM order_hold)');
  if (q.exclude.size) {
    where.push('id NOT IN (?)');
    params.push([...q.exclude]);
  }
  const rows: { id: string }[] = await ctx.manager.query(`SELECT id FROM refund WHERE ${where.join(' AND ')} ORDER BY updated_at, id LIMIT ?`, [...params, q.limit]);
  return rows.map((x) => x.id);
}

/** Every refund of the order, by the keys the PSP knows it by. */
export async function refundKeysOfOrder(ctx: RequestContext, orderId: string): Promise<{ psp_refund_id: string | null; merchant_transaction_id: string; status: RefundStatus }[]> {
  return ctx.manager.query('SELECT psp_refund_id, merchant_transaction_id, status FROM refund WHERE order_id = ?', [orderId]);
}

/** Refunds of origin PSP that name this return invoice and are not allocated to an invoice yet. */
export async function pspRefundsAwaitingInvoice(tx: RequestContext, orderId: string, invoiceId: string): Promise<string[]> {
  const rows: { id: string }[] = await tx.manager.query(
    `SELECT id FROM refund WHERE order_id = ? AND invoice_id IS NULL AND origin = ${lit(RefundOrigin.PSP)} AND psp_invoice_ref = ?`,
    [orderId, invoiceId],
  );
  return rows.map((w) => w.id);
}

/** Allocates the refunds to the invoice (those not allocated meanwhile). */
export async function allocateToInvoice(tx: RequestContext, invoiceId: string, refundIds: string[]): Promise<void> {
  await tx.manager.query(`UPDATE refund SET invoice_id = ? WHERE id IN (?) AND invoice_id IS NULL`, [invoiceId, refundIds]);
}

/** The invoice's SUCCEEDED refunds, oldest first. */
export async function succeededRefundsOfInvoice(tx: RequestContext, invoiceId: string, orderId: string): Promise<{ id: string; amountMinor: bigint }[]> {
  const rows: { id: string; amount_minor: string }[] = await tx.manager.query(
    `SELECT id, amount_minor FROM refund WHERE invoice_id = ? AND order_id = ? AND status = ${SUCCEEDED_SQL} ORDER BY created_at, id`,
    [invoiceId, orderId],
  );
  return rows.map((x) => ({ id: x.id, amountMinor: BigInt(x.amount_minor) }));
}

// ---------------------------------------------------------------------------------------------
// idempotency_key

export async function findIdempotencyKey(ctx: RequestContext, key: string): Promise<IdempotencyKeyEntity | null> {
  return ctx.manager.getRepository(IdempotencyKeyEntity).findOne({ where: { key } });
}

/** Records a client's key for the refund it created; false when the key exists already. */
export async function insertIdempotencyKey(
  tx: RequestContext,
  k: { key: string; operation: string; requestHash: string; orderId: string; refundId: string; createdAt: Date; expiresAt: Date },
): Promise<boolean> {
  try {
    await insertRow(tx, 'idempotency_key', {
      key: k.key,
      operation: k.operation,
      request_hash: k.requestHash,
      status: IdempotencyStatus.RUNNING,
      order_id: k.orderId,
      refund_id: k.refundId,
      created_at: k.createdAt,
      expires_at: k.expiresAt,
    });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Forgets the key if it has expired by `now`. */
export async function deleteExpiredKey(ctx: RequestContext, key: string, now: Date): Promise<void> {
  await ctx.manager.query('DELETE FROM idempotency_key WHERE `key` = ? AND expires_at < ?', [key, now]);
}

/** Forgets up to 1000 keys expired by `now`. */
export async function deleteExpiredKeys(ctx: RequestContext, now: Date): Promise<void> {
  await ctx.manager.query('DELETE FROM idempotency_key WHERE expires_at < ? LIMIT 1000', [now]);
}

// ---------------------------------------------------------------------------------------------
// Read models of other modules' tables

export * from './refund.read-models';
