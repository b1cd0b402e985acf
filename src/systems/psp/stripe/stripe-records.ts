/**
 * Stripe's objects in moneygraph's canonical records: a Refund as a PspRefund (or a refund still
 * being decided), a PaymentIntent as the `payment.upserted` / `capture.created` shapes. Amounts
 * are Stripe's integers in the currency's smallest unit, so they are minor units as they stand.
 */
import type Stripe from 'stripe';
import { canonicalWebhookError } from '../psp-errors';
import type { PspRefund } from '../psp-refund';
import type { PspUndecidedRefund } from '../psp-port';

/** The metadata keys moneygraph writes on a refund, so a metadata scan finds it again. */
export const META = { key: 'merchantTransactionId', order: 'orderId', invoice: 'invoiceNumber' } as const;

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));
const upper = (c: string | null | undefined) => (c ? c.toUpperCase() : null);
const metaText = (m: Stripe.Metadata | null | undefined, k: string) => (m && typeof m[k] === 'string' && m[k] ? m[k] : null);

/** Whether Stripe has decided the refund: pending and requires_action are not final. */
export function isDecided(r: Pick<Stripe.Refund, 'status'>): boolean {
  return r.status === 'succeeded' || r.status === 'failed' || r.status === 'canceled';
}

/** A decided Stripe refund as the PSP's record. Failed and canceled both moved no money: FAILED, with the normalized reason. */
export function refundRecord(r: Stripe.Refund, adapterId: string): PspRefund {
  const failed = r.status !== 'succeeded';
  const reason = r.status === 'canceled' ? 'canceled' : (r.failure_reason ?? null);
  return {
    pspRefundId: r.id,
    merchantTransactionId: metaText(r.metadata, META.key),
    status: failed ? 'FAILED' : 'SUCCEEDED',
    amountMinor: failed ? null : BigInt(r.amount),
    currency: upper(r.currency),
    paymentId: idOf(r.payment_intent),
    paymentMethodId: null,
    orderId: metaText(r.metadata, META.order),
    invoiceNumber: metaText(r.metadata, META.invoice),
    errorCode: failed ? canonicalWebhookError({ code: reason, description: null }) : null,
    errorMessage: failed ? `Stripe refund ${r.status}${reason && reason !== 'canceled' ? `: ${reason}` : ''}` : null,
    // Stripe keeps no version of a refund; a decided one changes at most once more (succeeded → failed), which the claim rule checks.
    version: failed ? 2n : 1n,
    occurredAt: new Date(r.created * 1000),
    raw: r,
    pspAdapterId: adapterId,
  };
}

/** A refund Stripe has not decided (pending, requires_action): what it may still refund, and for which invoice. */
export function undecidedRecord(r: Stripe.Refund): PspUndecidedRefund {
  return {
    pspRefundId: r.id,
    merchantTransactionId: metaText(r.metadata, META.key),
    invoiceNumber: metaText(r.metadata, META.invoice),
    amountMinor: BigInt(r.amount),
    currency: upper(r.currency),
  };
}

/** The canonical REFUND_* event of a decided refund (docs/upstream-contracts.md), carrying the instance it came from. */
export function refundEvent(r: Stripe.Refund, adapterId: string, vendorEvent: { id: string; type: string }): Record<string, unknown> {
  const rec = refundRecord(r, adapterId);
  return {
    name: rec.status === 'SUCCEEDED' ? 'REFUND_SUCCEEDED' : 'REFUND_FAILED',
    source: `stripe:${adapterId}`,
    payload: {
      refundId: r.id,
      merchantTransactionId: rec.merchantTransactionId,
      status: r.status,
      amount: String(r.amount),
      currency: rec.currency,
      createdAt: rec.occurredAt?.toISOString(),
      payment: { paymentId: rec.paymentId, orderId: rec.orderId },
      metadata: { orderId: rec.orderId, invoiceNumber: rec.invoiceNumber },
      ...(rec.status === 'FAILED' ? { error: { code: r.status === 'canceled' ? 'canceled' : r.failure_reason, description: rec.errorMessage } } : {}),
      pspAdapterId: adapterId,
      vendorEvent,
    },
  };
}

/**
 * A PaymentIntent as `payment.upserted`'s `data.payment`. Stripe keeps no version, so the version
 * is the millisecond it was observed at (the event's time, whole seconds at Stripe, or now for a
 * read-back): a later observation wins, an older one changes nothing.
 */
export function paymentWire(pi: Stripe.PaymentIntent, adapterId: string, observedAt: number): Record<string, unknown> {
  const status = pi.status === 'succeeded' ? 'COMPLETED' : pi.status === 'canceled' ? 'CANCELED' : pi.status === 'requires_capture' ? 'AUTHORIZED' : 'FAILED';
  return {
    id: pi.id,
    orderId: metaText(pi.metadata, META.order),
    method: 'CARD',
    paymentMethodId: idOf(pi.payment_method),
    status,
    // Known only when the latest charge is expanded (a read-back); an event's payment intent is newly paid, not disputed.
    disputed: typeof pi.latest_charge === 'object' && pi.latest_charge !== null ? Boolean(pi.latest_charge.disputed) : false,
    authorized: String(pi.amount),
    currency: upper(pi.currency),
    createdAt: new Date(pi.created * 1000).toISOString(),
    version: String(observedAt),
    pspAdapterId: adapterId,
  };
}

/** The capture of a succeeded PaymentIntent (its latest charge), as `capture.created`'s `data.capture`; null before it is captured. */
export function captureWire(pi: Stripe.PaymentIntent): Record<string, unknown> | null {
  const charge = idOf(pi.latest_charge);
  if (pi.status !== 'succeeded' || !charge || !pi.amount_received) return null;
  return {
    id: charge,
    paymentId: pi.id,
    orderId: metaText(pi.metadata, META.order),
    amount: String(pi.amount_received),
    currency: upper(pi.currency),
    capturedAt: new Date(pi.created * 1000).toISOString(),
  };
}
