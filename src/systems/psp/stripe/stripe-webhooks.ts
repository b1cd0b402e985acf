/**
 * Stripe's webhooks as an inbound-webhook port: `Stripe-Signature` checked by the SDK's own
 * `constructEvent` against each configured signing secret (two while a secret is rolled; the
 * header then carries one v1 signature per secret) within the tolerance, then the event
 * translated into canonical records. An event is a claim: the refund ledger checks any move
 * backwards with Stripe's own record.
 */
import type Stripe from 'stripe';
import type { CanonicalEvent, InboundWebhookPort, VerifiedDelivery } from '../../../core/inbound-webhooks';
import { captureWire, isDecided, paymentWire, refundEvent } from './stripe-records';

export class StripeWebhookPort implements InboundWebhookPort {
  readonly source = 'PSP' as const;

  constructor(
    private readonly adapterId: string,
    private readonly stripe: Stripe,
    private readonly secrets: readonly string[],
    private readonly toleranceSeconds: number,
  ) {}

  verify(raw: Buffer, headers: Readonly<Record<string, string | undefined>>, now: Date): VerifiedDelivery {
    const header = headers['stripe-signature'];
    if (!header) return { ok: false, error: 'missing Stripe-Signature header' };
    let event: Stripe.Event | null = null;
    let why = 'invalid signature';
    for (const secret of this.secrets) {
      try {
        event = this.stripe.webhooks.constructEvent(raw, header, secret, this.toleranceSeconds, undefined, now.getTime());
        break;
      } catch (err) {
        const message = (err as Error).message ?? '';
        if (/tolerance/i.test(message)) why = 'signature timestamp outside the tolerance';
      }
    }
    if (!event) return { ok: false, error: why };
    return { ok: true, vendorEventId: event.id, vendorType: event.type, events: this.translate(event) };
  }

  /** refund.created/updated/failed, charge.refunded, payment_intent.succeeded, charge.dispute.created and payout.paid; any other verified event records nothing. */
  private translate(event: Stripe.Event): CanonicalEvent[] {
    const vendorEvent = { id: event.id, type: event.type };
    switch (event.type) {
      case 'refund.created':
      case 'refund.updated':
      case 'refund.failed': {
        const r = event.data.object;
        // Pending and requires_action claim nothing yet; the decision comes as refund.updated.
        return isDecided(r) ? [{ eventId: `${event.id}:${r.id}`, body: refundEvent(r, this.adapterId, vendorEvent) }] : [];
      }
      case 'charge.refunded': {
        const refunds = event.data.object.refunds?.data ?? [];
        return refunds.filter(isDecided).map((r) => ({ eventId: `${event.id}:${r.id}`, body: refundEvent(r, this.adapterId, vendorEvent) }));
      }
      case 'payment_intent.succeeded': {
        const pi = event.data.object;
        const occurredAt = new Date(event.created * 1000).toISOString();
        const capture = captureWire(pi);
        return [
          {
            eventId: `${event.id}:payment`,
            body: { id: `${event.id}:payment`, type: 'payment.upserted', occurredAt, data: { payment: paymentWire(pi, this.adapterId, event.created * 1000) } },
          },
          ...(capture ? [{ eventId: `${event.id}:capture`, body: { id: `${event.id}:capture`, type: 'capture.created', occurredAt, data: { capture } } }] : []),
        ];
      }
      case 'charge.dispute.created': {
        // The payment's dispute flag, as the in-house contract's payment.upserted carries it: refunds of it are refused from now on.
        const d = event.data.object;
        const paymentId = typeof d.payment_intent === 'string' ? d.payment_intent : (d.payment_intent?.id ?? null);
        if (!paymentId) return [];
        const occurredAt = new Date(event.created * 1000).toISOString();
        const dispute = {
          id: d.id,
          paymentId,
          chargeId: typeof d.charge === 'string' ? d.charge : d.charge.id,
          amount: String(d.amount),
          currency: d.currency.toUpperCase(),
          reason: d.reason,
          version: String(event.created * 1000),
          pspAdapterId: this.adapterId,
        };
        return [{ eventId: `${event.id}:dispute`, body: { id: `${event.id}:dispute`, type: 'payment.disputed', occurredAt, data: { dispute } } }];
      }
      case 'payout.paid': {
        // A claim that a batch closed: its lines are read from Stripe's own record before anything is recorded.
        const payout = event.data.object;
        const occurredAt = new Date(event.created * 1000).toISOString();
        if (payout.status !== 'paid') return [];
        return [
          {
            eventId: `${event.id}:settlement`,
            body: { id: `${event.id}:settlement`, type: 'settlement.reported', occurredAt, data: { settlement: { id: payout.id, pspAdapterId: this.adapterId } } },
          },
        ];
      }
      default:
        return [];
    }
  }
}
