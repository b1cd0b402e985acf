/**
 * The Stripe simulator's balance: a balance transaction for every charge (with Stripe's fee),
 * refund, refund failure and dispute, and payouts that sweep the available ones — `GET /v1/payouts`,
 * `GET /v1/payouts/:id` and `GET /v1/balance_transactions?payout=` in Stripe's list format
 * (`has_more`, `starting_after`, `expand[]=data.source` and `data.source.payment_intent`), each
 * payout announced as `payout.paid`.
 */
import type { Express, Request, Response } from 'express';
import type Stripe from 'stripe';
import { newId } from './http-kit';

type Source =
  { kind: 'charge'; charge: string; pi: string } | { kind: 'refund'; refund: string } | { kind: 'dispute'; dispute: string } | { kind: 'payout'; payout: string } | null;
type Txn = Omit<Stripe.BalanceTransaction, 'source'> & { source: string | null; payout: string | null; ref: Source };

export interface BalanceLookups {
  paymentIntent(id: string): Stripe.PaymentIntent | undefined;
  refund(id: string): Stripe.Refund | undefined;
  dispute(id: string): Record<string, unknown> | undefined;
}

type Send = (res: Response, status: number, body: unknown) => void;
const PAGE_MAX = 100;

/** Stripe's card fee as the simulator charges it: 1.4 % + 25 minor units. */
export const stripeFee = (amount: number) => Math.round(amount * 0.014) + 25;

export class StripeBalance {
  readonly txns: Txn[] = [];
  readonly payouts = new Map<string, Stripe.Payout>();

  constructor(
    private readonly lookups: BalanceLookups,
    private readonly secs: () => number,
  ) {}

  private add(type: string, category: string, amount: number, fee: number, currency: string, source: string | null, ref: Source): Txn {
    const t = {
      id: newId('txn'),
      object: 'balance_transaction',
      amount,
      fee,
      net: amount - fee,
      currency,
      type,
      reporting_category: category,
      source,
      status: 'available',
      created: this.secs(),
      available_on: this.secs(),
      payout: null,
      ref,
    } as unknown as Txn;
    this.txns.push(t);
    return t;
  }

  charge(pi: Stripe.PaymentIntent): void {
    const charge = pi.latest_charge as string;
    this.add('charge', 'charge', pi.amount_received, stripeFee(pi.amount_received), pi.currency, charge, { kind: 'charge', charge, pi: pi.id });
  }

  refund(r: Stripe.Refund): void {
    this.add('refund', 'refund', -r.amount, 0, r.currency, r.id, { kind: 'refund', refund: r.id });
  }

  /** A refund that failed after it succeeded: Stripe returns the money to the balance. */
  refundFailure(r: Stripe.Refund): void {
    this.add('refund_failure', 'refund_failure', r.amount, 0, r.currency, r.id, { kind: 'refund', refund: r.id });
  }

  dispute(d: { id: string; amount: number; currency: string }): void {
    this.add('adjustment', 'dispute', -d.amount, 1500, d.currency, d.id, { kind: 'dispute', dispute: d.id });
  }

  /** A payout of everything available in `currency` (null when there is nothing); its transactions carry its id. */
  payout(currency: string): Stripe.Payout | null {
    const due = this.txns.filter((t) => t.currency === currency && !t.payout && t.type !== 'payout');
    if (due.length === 0) return null;
    const amount = due.reduce((s, t) => s + t.net, 0);
    const id = newId('po');
    const own = this.add('payout', 'payout', -amount, 0, currency, id, { kind: 'payout', payout: id });
    for (const t of [...due, own]) t.payout = id;
    const p = {
      id,
      object: 'payout',
      amount,
      currency,
      status: 'paid',
      arrival_date: this.secs(),
      created: this.secs(),
      automatic: true,
      balance_transaction: own.id,
      method: 'standard',
      type: 'bank_account',
      livemode: false,
    } as unknown as Stripe.Payout;
    this.payouts.set(id, p);
    return p;
  }

  private sourceObject(t: Txn, expandPi: boolean): unknown {
    const pi = (id: string | null | undefined) => (id && expandPi ? (this.lookups.paymentIntent(id) ?? id) : id);
    const ref = t.ref;
    if (!ref) return null;
    if (ref.kind === 'charge') {
      const p = this.lookups.paymentIntent(ref.pi);
      return { id: ref.charge, object: 'charge', amount: t.amount, currency: t.currency, payment_intent: pi(ref.pi), metadata: {}, created: p?.created ?? t.created };
    }
    if (ref.kind === 'refund') {
      const r = this.lookups.refund(ref.refund);
      return r ? { ...r, payment_intent: pi(r.payment_intent as string) } : ref.refund;
    }
    if (ref.kind === 'dispute') {
      const d = this.lookups.dispute(ref.dispute);
      return d ? { ...d, payment_intent: pi(d.payment_intent as string) } : ref.dispute;
    }
    return this.payouts.get(ref.payout) ?? ref.payout;
  }

  private wire(t: Txn, expand: string[]): Record<string, unknown> {
    const { ref: _ref, payout: _payout, ...out } = t;
    if (!expand.includes('data.source')) return out;
    return { ...out, source: this.sourceObject(t, expand.includes('data.source.payment_intent')) };
  }

  routes(app: Express, send: Send, notFound: (res: Response, what: string) => void): void {
    const page = <T extends { id: string }>(req: Request, res: Response, all: T[], url: string, what: string, map: (x: T) => unknown = (x) => x) => {
      const limit = Math.min(PAGE_MAX, Math.max(1, Number(req.query.limit ?? 10)));
      const startingAfter = typeof req.query.starting_after === 'string' ? req.query.starting_after : undefined;
      const after = startingAfter ? all.findIndex((x) => x.id === startingAfter) : -1;
      if (startingAfter && after < 0) return notFound(res, `No such ${what}: '${startingAfter}'`);
      const data = all.slice(after + 1, after + 1 + limit);
      send(res, 200, { object: 'list', data: data.map(map), has_more: after + 1 + limit < all.length, url });
    };
    const newestFirst = <T extends { created: number }>(list: T[]) => [...list].reverse().sort((a, b) => b.created - a.created);
    app.get('/v1/payouts', (req, res) => {
      const gte = Number((req.query.arrival_date as Record<string, string> | undefined)?.gte ?? 0);
      const status = typeof req.query.status === 'string' ? req.query.status : undefined;
      const all = newestFirst([...this.payouts.values()]).filter((p) => p.arrival_date >= gte && (!status || p.status === status));
      page(req, res, all, '/v1/payouts', 'payout');
    });
    app.get('/v1/payouts/:id', (req, res) => {
      const p = this.payouts.get(String(req.params.id));
      if (!p) return notFound(res, `No such payout: '${String(req.params.id)}'`);
      send(res, 200, p);
    });
    app.get('/v1/balance_transactions', (req, res) => {
      const payout = typeof req.query.payout === 'string' ? req.query.payout : undefined;
      if (payout && !this.payouts.has(payout)) return notFound(res, `No such payout: '${payout}'`);
      const expand = ([] as unknown[]).concat(req.query.expand ?? []).map(String);
      const all = newestFirst(this.txns.filter((t) => !payout || t.payout === payout));
      page(req, res, all, '/v1/balance_transactions', 'balance transaction', (t) => this.wire(t, expand));
    });
  }
}
