/**
 * What the intent transaction decides on, read in one round trip once the order row is locked:
 * whether the idempotency key is taken, whether the order is on hold, the invoice, and the order's
 * refund ledger, payments and captures. Every amount travels as a decimal string inside the JSON
 * and becomes a bigint in readLockedOrderLedger (refund.read-models.ts); nothing passes through a JS number.
 */
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
  /** The PSP adapter instance that took the payment (null: the in-house contract). */
  pspAdapterId: string | null;
}

export interface OrderLedger {
  keyTaken: boolean;
  onHold: boolean;
  /**
   * A stored webhook event about the order or one of its payments waits to be applied (it came
   * before the record it needs, which is here now and is being caught up with): a PSP refund it
   * reports is not in this ledger yet.
   */
  reportsWaiting: boolean;
  invoice: LedgerInvoice | null;
  refunds: LedgerRefund[];
  /** Oldest first (creation time, then id). */
  payments: LedgerPayment[];
  captures: PendingCaptureIn[];
}

/** The read itself is a statement of the refund store. */
