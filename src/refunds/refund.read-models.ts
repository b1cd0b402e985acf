/**
 * Read models of the refunds module over other modules' tables (each says which it reads): the
 * order row it locks, the order, its invoices and payment methods, and the ledger of one order
 * (oms_invoice, refund, psp_payment, psp_capture, idempotency_key, order_hold). Hand-written SQL,
 * as measured faster than the query builder on the refund path.
 */
import { RequestContext } from '../db/context';
import { lockOrderWithNextRead } from '../db/transaction';
import { byTimeThenId, jsonValue } from '../db/entity-rows';
import { COVERING_STATUSES, IN_FLIGHT_STATUSES, sqlStatusList } from '../shared/refund-status';
import { InvoiceEntity, OrderEntity } from '../systems/oms';
import type { RefundStatus } from './entities/refund.entity';
import type { LedgerInvoice, LedgerPayment, LedgerRefund, OrderLedger } from './order-ledger';
import type { PendingCaptureIn } from './pending-refunds';

const IN_FLIGHT_SQL = sqlStatusList(IN_FLIGHT_STATUSES);
const COVERING_SQL = sqlStatusList(COVERING_STATUSES);

export interface LockedOrder {
  id: string;
  currency: string;
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
  (SELECT currency FROM oms_order WHERE id = ?) AS order_currency,
  EXISTS (SELECT 1 FROM idempotency_key WHERE \`key\` = ?) AS key_taken,
  EXISTS (SELECT 1 FROM order_hold WHERE order_id = ?) AS on_hold,
  (EXISTS (SELECT 1 FROM webhook_event WHERE waiting_for IN (CONCAT('order:', ?), CONCAT('oms-order:', ?)) AND status = 'WAITING')
     OR EXISTS (SELECT 1 FROM psp_payment p JOIN webhook_event w ON w.waiting_for = CONCAT('payment:', p.id) AND w.status = 'WAITING'
       WHERE p.order_id = ?)) AS reports_waiting,
  (SELECT JSON_OBJECT('id', id, 'orderId', order_id, 'kind', kind, 'amountMinor', CAST(amount_minor AS CHAR), 'currency', currency)
     FROM oms_invoice WHERE id = ?) AS invoice,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'invoiceId', invoice_id, 'paymentId', payment_id, 'status', status,
          'amountMinor', CAST(amount_minor AS CHAR), 'stale', status IN (${IN_FLIGHT_SQL}) AND (lease_until IS NULL OR lease_until < ?)))
     FROM refund WHERE order_id = ?) AS refunds,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'status', status, 'disputed', disputed, 'paymentMethodId', payment_method_id,
          'paymentMethodStatus', payment_method_status, 'currency', currency, 'pspAdapterId', psp_adapter_id,
          'at', DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f')))
     FROM psp_payment WHERE order_id = ?) AS payments,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('paymentId', payment_id, 'amountMinor', CAST(amount_minor AS CHAR)))
     FROM psp_capture WHERE order_id = ?) AS captures`;

type Raw<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

/**
 * Read model of what the intent transaction decides on: the order, its row locked (every money
 * transaction of an order takes this lock first), and its ledger (see order-ledger.ts) — one
 * round trip, the lock travelling with the read. `order` is null when the order is unknown (its
 * ledger is then empty). Reads oms_order, idempotency_key, order_hold, webhook_event (what waits
 * to be applied for the order), oms_invoice, refund, psp_payment and psp_capture.
 */
export async function readLockedOrderLedger(
  tx: RequestContext,
  q: { orderId: string; key: string; invoiceId: string | null },
): Promise<{ order: LockedOrder | null; ledger: OrderLedger }> {
  await lockOrderWithNextRead(tx, q.orderId);
  const [row] = (await tx.manager.query(LEDGER_SQL, [
    q.orderId,
    q.key,
    q.orderId,
    q.orderId,
    q.orderId,
    q.orderId,
    q.invoiceId,
    tx.now,
    q.orderId,
    q.orderId,
    q.orderId,
  ])) as Record<string, unknown>[];
  if (!row) throw new Error(`order ledger query returned no row for order ${q.orderId}`);
  const invoice = jsonValue<Raw<LedgerInvoice, 'amountMinor'>>(row.invoice);
  const refunds = jsonValue<(Raw<LedgerRefund, 'amountMinor'> & { stale: number | boolean })[]>(row.refunds) ?? [];
  const payments = jsonValue<(LedgerPayment & { disputed: number | boolean; at: string })[]>(row.payments) ?? [];
  const captures = jsonValue<Raw<PendingCaptureIn, 'amountMinor'>[]>(row.captures) ?? [];
  payments.sort(byTimeThenId);
  const currency = row.order_currency as string | null;
  return {
    order: currency === null ? null : { id: q.orderId, currency },
    ledger: {
      keyTaken: Number(row.key_taken) === 1,
      onHold: Number(row.on_hold) === 1,
      reportsWaiting: Number(row.reports_waiting) === 1,
      invoice: invoice && { ...invoice, amountMinor: BigInt(invoice.amountMinor) },
      refunds: refunds.map((r) => ({ ...r, status: r.status as RefundStatus, amountMinor: BigInt(r.amountMinor), stale: Boolean(r.stale) })),
      payments: payments.map(({ at: _at, ...p }) => ({ ...p, disputed: Boolean(p.disputed) })),
      captures: captures.map((c) => ({ paymentId: c.paymentId, amountMinor: BigInt(c.amountMinor) })),
    },
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
