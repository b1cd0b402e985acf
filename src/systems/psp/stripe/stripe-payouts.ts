/**
 * Stripe payouts as settlement batches: a paid payout is the batch (its arrival date the
 * settlement time), and each of its balance transactions a line — charges as CAPTURE (gross,
 * Stripe's fee, net), refunds and refund failures as REFUND, dispute adjustments as CHARGEBACK,
 * anything else (Stripe's own fees, other adjustments) as FEE. The payout's own transaction is the
 * transfer, not a line. A line's order is the payment intent's `metadata.orderId`, from Stripe's record.
 */
import type Stripe from 'stripe';
import { UpstreamError } from '../../../shared/http-client';
import { SettlementLineKind } from '../entities';
import type { PspSettlementRecord } from '../psp-port';
import { META } from './stripe-records';

/** The most balance transactions one payout is read for (100 pages of 100). */
const MAX_PAGES = 100;

type Read = <T>(what: string, fn: () => Promise<T>, nullOn404?: boolean) => Promise<T>;

const idOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null;

function kindOf(t: Stripe.BalanceTransaction): SettlementLineKind | null {
  switch (t.type) {
    case 'payout':
    case 'payout_cancel':
    case 'payout_failure':
      return null;
    case 'charge':
    case 'payment':
      return SettlementLineKind.CAPTURE;
    case 'refund':
    case 'payment_refund':
    case 'refund_failure':
    case 'payment_failure_refund':
      return SettlementLineKind.REFUND;
    default:
      return t.reporting_category === 'dispute' || t.reporting_category === 'dispute_reversal' ? SettlementLineKind.CHARGEBACK : SettlementLineKind.FEE;
  }
}

/** The order of a transaction's source: its payment intent's metadata (expanded), else the source's own (a refund's, which moneygraph writes). */
function orderOf(source: unknown): string | null {
  if (!source || typeof source !== 'object') return null;
  const s = source as { metadata?: Stripe.Metadata | null; payment_intent?: unknown };
  const pi = s.payment_intent && typeof s.payment_intent === 'object' ? (s.payment_intent as { metadata?: Stripe.Metadata | null }) : null;
  const v = pi?.metadata?.[META.order] ?? s.metadata?.[META.order];
  return typeof v === 'string' && v ? v : null;
}

export class StripePayouts {
  constructor(
    private readonly stripe: Stripe,
    private readonly read: Read,
  ) {}

  /** A paid payout and all its balance transactions as one batch; null when Stripe holds no such payout or it is not paid. */
  async settlement(payoutId: string): Promise<PspSettlementRecord | null> {
    const payout = await this.read('GET /v1/payouts/:id', () => this.stripe.payouts.retrieve(payoutId), true);
    if (!payout || payout.status !== 'paid') return null;
    const currency = payout.currency.toUpperCase();
    const lines: PspSettlementRecord['lines'] = [];
    let startingAfter: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await this.read('GET /v1/balance_transactions', () =>
        this.stripe.balanceTransactions.list({
          payout: payoutId,
          limit: 100,
          expand: ['data.source', 'data.source.payment_intent'],
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        }),
      );
      for (const t of list.data) {
        const kind = kindOf(t);
        if (!kind) continue;
        lines.push({
          id: t.id,
          kind,
          pspReference: idOf(t.source) ?? t.id,
          orderId: orderOf(t.source),
          gross: BigInt(t.amount),
          fee: BigInt(t.fee),
          net: BigInt(t.net),
          currency: t.currency.toUpperCase(),
        });
      }
      if (!list.has_more || list.data.length === 0) return { id: payout.id, currency, settledAt: new Date(payout.arrival_date * 1000), lines };
      startingAfter = list.data[list.data.length - 1]!.id;
    }
    throw new UpstreamError('psp', 'http', `stripe: payout ${payoutId} has more than ${MAX_PAGES * 100} balance transactions to read`, 502);
  }

  /** The ids of the payouts paid since `since` (by arrival date), newest first. */
  async paidSince(since: Date): Promise<string[]> {
    const ids: string[] = [];
    let startingAfter: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await this.read('GET /v1/payouts', () =>
        this.stripe.payouts.list({
          status: 'paid',
          arrival_date: { gte: Math.floor(since.getTime() / 1000) },
          limit: 100,
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        }),
      );
      ids.push(...list.data.map((p) => p.id));
      if (!list.has_more || list.data.length === 0) return ids;
      startingAfter = list.data[list.data.length - 1]!.id;
    }
    return ids;
  }
}
