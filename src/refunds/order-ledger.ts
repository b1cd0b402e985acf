/**
 * What the intent transaction decides on, read in one round trip once the order row is locked:
 * whether the idempotency key is taken, whether the order is on hold, the invoice, and the order's
 * refund ledger, payments and captures. Every amount travels as a decimal string inside the JSON
 * and becomes a bigint here; nothing passes through a JS number.
 */
import { RequestContext } from '../db/context';
import { byTimeThenId, jsonValue } from '../db/entity-rows';
import { RefundStatus } from './entities/refund.entity';
import type { PendingCaptureIn, PendingRefundIn } from './pending-refunds';

export interface LedgerInvoice {
  id: string;
  orderId: string;
  kind: 'INPUT' | 'OUTPUT';
  amountMinor: bigint;
  currency: string;
}

export interface LedgerRefund extends PendingRefundIn {
  /** In flight with no live owner (no lease, or an expired one): recovery drives it first. */
  stale: boolean;
}

export interface LedgerPayment {
  id: string;
  status: string;
  disputed: boolean;
  paymentMethodId: string | null;
  paymentMethodStatus: string;
  currency: string;
}

export interface OrderLedger {
  keyTaken: boolean;
  onHold: boolean;
  invoice: LedgerInvoice | null;
  refunds: LedgerRefund[];
  /** Oldest first (creation time, then id). */
  payments: LedgerPayment[];
  captures: PendingCaptureIn[];
}

const SQL = `SELECT
  EXISTS (SELECT 1 FROM idempotency_key WHERE \`key\` = ?) AS key_taken,
  EXISTS (SELECT 1 FROM order_hold WHERE order_id = ?) AS on_hold,
  (SELECT JSON_OBJECT('id', id, 'orderId', order_id, 'kind', kind, 'amountMinor', CAST(amount_minor AS CHAR), 'currency', currency)
     FROM oms_invoice WHERE id = ?) AS invoice,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'invoiceId', invoice_id, 'paymentId', payment_id, 'status', status,
          'amountMinor', CAST(amount_minor AS CHAR), 'stale', status IN ('REQUESTED', 'SUBMITTED') AND (lease_until IS NULL OR lease_until < ?)))
     FROM refund WHERE order_id = ?) AS refunds,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'status', status, 'disputed', disputed, 'paymentMethodId', payment_method_id,
          'paymentMethodStatus', payment_method_status, 'currency', currency, 'at', DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f')))
     FROM psp_payment WHERE order_id = ?) AS payments,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('paymentId', payment_id, 'amountMinor', CAST(amount_minor AS CHAR)))
     FROM psp_capture WHERE order_id = ?) AS captures`;

type Raw<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

export async function readOrderLedger(tx: RequestContext, q: { orderId: string; key: string; invoiceId: string | null }): Promise<OrderLedger> {
  const [row] = (await tx.manager.query(SQL, [q.key, q.orderId, q.invoiceId, tx.now, q.orderId, q.orderId, q.orderId])) as Record<string, unknown>[];
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
