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
import { byTimeThenId, hydrate, insertEntity, jsonValue } from '../db/entity-rows';
import { insertRow } from '../db/upsert';
import { InvoiceEntity, OrderEntity } from '../systems/oms';
import { IdempotencyKeyEntity, IdempotencyStatus } from './entities/idempotency-key.entity';
import { RefundEntity, RefundOrigin, RefundStatus } from './entities/refund.entity';
import type { LedgerInvoice, LedgerPayment, LedgerRefund, OrderLedger } from './order-ledger';
import type { PendingCaptureIn } from './pending-refunds';
import { COVERING_STATUSES, sqlStatusList } from '../shared/refund-status';
import { IN_FLIGHT_STATUSES, statusAfter, statusesLeftBy } from './refund.state';

/** Enum values as SQL string literals / the body of an IN list (enum values only, never input). */
const sqlList = sqlStatusList;
const lit = (v: string): string => sqlStatusList([v]);

/** The in-flight statuses as the body of an SQL IN list: 'REQUESTED', 'SUBMITTED'. */
export const IN_FLIGHT_SQL = sqlList(IN_FLIGHT_STATUSES);

/** The statuses of refunds that cover an invoice: in flight or succeeded. */
const COVERING_SQL = sqlList(COVERING_STATUSES);

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

/** A new refund, every column; a duplicate key fails with ER_DUP_ENTRY. */
export async function insertRefund(tx: RequestContext, row: RefundEntity): Promise<void> {
  await insertEntity(tx, RefundEntity, row);
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
  await tx.manager.query(
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

export interface LockedOrder {
  id: string;
  currency: string;
}

/** Read model of the order, its row locked: reads oms_order. Every money transaction of an order takes this lock first. */
export async function readLockedOrder(tx: RequestContext, orderId: string): Promise<LockedOrder | null> {
  const rows: LockedOrder[] = await tx.manager.query('SELECT id, currency FROM oms_order WHERE id = ? FOR UPDATE', [orderId]);
  return rows[0] ?? null;
}

/** Read model: whether the order is known. Reads oms_order. */
export async function readOrderExists(ctx: RequestContext, orderId: string): Promise<boolean> {
  return ctx.manager.getRepository(OrderEntity).exists({ where: { id: orderId } });
}

/** Read model of a known order (fails when unknown). Reads oms_order. */
export async function readOrder(tx: RequestContext, orderId: string): Promise<OrderEntity> {
  return tx.manager.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
}

/** Read model of an invoice. Reads oms_invoice. */
export async function readInvoice(tx: RequestContext, invoiceId: string): Promise<InvoiceEntity | null> {
  return tx.manager.getRepository(InvoiceEntity).findOne({ where: { id: invoiceId } });
}

/** Read model of a payment method as the PSP last reported it on a payment, the order's own payments first. Reads psp_payment. */
export async function readPaymentMethod(tx: RequestContext, paymentMethodId: string, orderId: string): Promise<{ kind: string; status: string } | null> {
  const methods: { kind: string; status: string }[] = await tx.manager.query(
    `SELECT method AS kind, payment_method_status AS status FROM psp_payment WHERE payment_method_id = ? ORDER BY (order_id = ?) DESC, source_version DESC LIMIT 1`,
    [paymentMethodId, orderId],
  );
  return methods[0] ?? null;
}

/** Read model: the order of a PSP payment (null when the payment or its order reference is unknown). Reads psp_payment. */
export async function readOrderOfPayment(tx: RequestContext, paymentId: string): Promise<string | null> {
  const p: { order_id: string | null }[] = await tx.manager.query('SELECT order_id FROM psp_payment WHERE id = ?', [paymentId]);
  return p[0]?.order_id ?? null;
}

/** Read model: whether a message was ever enqueued under this dedupe key. Reads outbox_message. */
export async function readOutboxMessageExists(tx: RequestContext, dedupeKey: string): Promise<boolean> {
  const rows: unknown[] = await tx.manager.query('SELECT 1 FROM outbox_message WHERE dedupe_key = ?', [dedupeKey]);
  return rows.length > 0;
}

const LEDGER_SQL = `SELECT
  EXISTS (SELECT 1 FROM idempotency_key WHERE \`key\` = ?) AS key_taken,
  EXISTS (SELECT 1 FROM order_hold WHERE order_id = ?) AS on_hold,
  (SELECT JSON_OBJECT('id', id, 'orderId', order_id, 'kind', kind, 'amountMinor', CAST(amount_minor AS CHAR), 'currency', currency)
     FROM oms_invoice WHERE id = ?) AS invoice,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'invoiceId', invoice_id, 'paymentId', payment_id, 'status', status,
          'amountMinor', CAST(amount_minor AS CHAR), 'stale', status IN (${IN_FLIGHT_SQL}) AND (lease_until IS NULL OR lease_until < ?)))
     FROM refund WHERE order_id = ?) AS refunds,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'status', status, 'disputed', disputed, 'paymentMethodId', payment_method_id,
          'paymentMethodStatus', payment_method_status, 'currency', currency, 'at', DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f')))
     FROM psp_payment WHERE order_id = ?) AS payments,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('paymentId', payment_id, 'amountMinor', CAST(amount_minor AS CHAR)))
     FROM psp_capture WHERE order_id = ?) AS captures`;

type Raw<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

/**
 * Read model of what the intent transaction decides on, in one round trip once the order row is
 * locked (see order-ledger.ts). Reads idempotency_key, order_hold, oms_invoice, refund, psp_payment
 * and psp_capture.
 */
export async function readOrderLedger(tx: RequestContext, q: { orderId: string; key: string; invoiceId: string | null }): Promise<OrderLedger> {
  const [row] = (await tx.manager.query(LEDGER_SQL, [q.key, q.orderId, q.invoiceId, tx.now, q.orderId, q.orderId, q.orderId])) as Record<string, unknown>[];
  if (!row) throw new Error(`order ledger query returned no row for order ${q.orderId}`);
  const invoice = jsonValue<Raw<LedgerInvoice, 'amountMinor'>>(row.invoice);
  const refunds = jsonValue<(Raw<LedgerRefund, 'amountMinor'> & { stale: number | boolean })[]>(row.refunds) ?? [];
  const payments = jsonValue<(LedgerPayment & { disputed: number | boolean; at: string })[]>(row.payments) ?? [];
  const captures = jsonValue<Raw<PendingCaptureIn, 'amountMinor'>[]>(row.captures) ?? [];
  payments.sort(byTimeThenId);
  return {
    keyTaken: Number(row.key_taken) === 1,
    onHold: Number(row.on_hold) === 1,
    invoice: invoice && { ...invoice, amountMinor: BigInt(invoice.amountMinor) },
    refunds: refunds.map((r) => ({ ...r, status: r.status as RefundStatus, amountMinor: BigInt(r.amountMinor), stale: Boolean(r.stale) })),
    payments: payments.map(({ at: _at, ...p }) => ({ ...p, disputed: Boolean(p.disputed) })),
    captures: captures.map((c) => ({ paymentId: c.paymentId, amountMinor: BigInt(c.amountMinor) })),
  };
}

/**
 * SQL lent to list queries of other modules, so that a filter on "has a pending refund" is one
 * set-based condition, not a loop over orders: an INPUT invoice of the order not covered by its
 * refunds in flight or succeeded. Reads oms_invoice and refund.
 */
export function pendingRefundExistsSql(orderIdExpr: string): string {
  return `EXISTS (SELECT 1 FROM oms_invoice pi WHERE pi.order_id = ${orderIdExpr} AND pi.kind = 'INPUT'
    AND pi.amount_minor > COALESCE((SELECT SUM(pr.amount_minor) FROM refund pr
      WHERE pr.invoice_id = pi.id AND pr.status IN (${COVERING_SQL})), 0))`;
}
