/**
 * The campaign through Stripe: every scenario's payment is a Stripe payment intent (succeeded,
 * `metadata[orderId]`), taken and refunded through the service's Stripe adapter against the Stripe
 * simulator, driven by the real SDK. What only Stripe can do, or does differently:
 * - a capture is a succeeded payment intent for its amount (Stripe captures a card payment when it
 *   succeeds); a second capture is a second payment intent for the rest of the order;
 * - a console refund is `POST /v1/refunds` on the order's payment intent, with `metadata[orderId]`
 *   and `metadata[invoiceNumber]`, as a person at the Stripe Dashboard makes it (no merchantTransactionId);
 * - a reversal is a refund that fails after it succeeded (`succeeded → failed`); a late failure is
 *   a refund answered succeeded that fails at once (`lateFailNext`);
 * - the stale failure webhook is a signed `refund.failed` event for a refund succeeded at Stripe;
 * - a credit to the order's card goes to Stripe, which takes none (a refund needs its payment intent);
 * - refunds made pending (`pendingNext`) are decided at heal, succeeded or failed from the seed.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import Stripe from 'stripe';
import { createStripeSimulator, type Served, type StripeSimulator, type WebhookFaults } from '../../src/simulators';
import { countBy, type FaultCount, type PspDriver, type PspRoundFaults, type ScenarioPayment, type TruthRefund } from './psp-driver';
import type { Rng } from './prng';
import { sleep } from './service';

const SECRET_KEY = 'sk_test_campaign_0123456789';
const WEBHOOK_SECRET = 'whsec_campaign_0123456789abcdef';
/** The Stripe instance's id in PSP_ADAPTERS (its webhook URL is /webhooks/psp/<id>). */
const ADAPTER_ID = 'stripe';

type Refund = Stripe.Refund;

export class StripePspDriver implements PspDriver {
  readonly kind = 'stripe';
  readonly label = 'stripe';
  readonly sim: StripeSimulator;
  private readonly client: Stripe;
  /** The payment intents of each order, in the order they were made. */
  private readonly intents = new Map<string, string[]>();
  /** Deliveries already looked at by an earlier heal. */
  private cursor = 0;

  static async start(serviceUrl: string): Promise<StripePspDriver> {
    const sim = createStripeSimulator({ webhookUrl: `${serviceUrl}/webhooks/psp/${ADAPTER_ID}`, webhookSecrets: [WEBHOOK_SECRET] });
    const served = await sim.start();
    return new StripePspDriver(sim, served);
  }

  private constructor(
    sim: StripeSimulator,
    private readonly served: Served,
  ) {
    this.sim = sim;
    const api = new URL(served.url);
    this.client = new Stripe(SECRET_KEY, { host: api.hostname, port: api.port, protocol: 'http', maxNetworkRetries: 0, timeout: 3_000, telemetry: false });
  }

  get serviceEnv(): Record<string, string> {
    return {
      PSP_ADAPTERS: `inhouse=inhouse,${ADAPTER_ID}=stripe`,
      PSP_STRIPE_SECRET_KEY: SECRET_KEY,
      PSP_STRIPE_WEBHOOK_SECRETS: WEBHOOK_SECRET,
      PSP_STRIPE_API_URL: this.served.url,
    };
  }

  /** A Stripe call as a client with retries makes it: a 5xx or no answer is retried with the same Idempotency-Key; a 4xx is Stripe's answer. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const status = (err as Stripe.errors.StripeError).statusCode;
        if (err instanceof Stripe.errors.StripeError && status !== undefined && status < 500) throw err;
        await sleep(100);
      }
    }
    throw new Error('stripe simulator kept failing');
  }

  async authorize(): Promise<null> {
    // A Stripe card payment is made and captured at once: the payment intent comes with the capture.
    return null;
  }

  async capture(s: ScenarioPayment, amount: bigint, n: 1 | 2): Promise<void> {
    const pi = await this.call(() =>
      this.client.paymentIntents.create({ amount: Number(amount), currency: 'eur', metadata: { orderId: s.orderId } }, { idempotencyKey: `pi-${s.orderId}-${n}` }),
    );
    const list = this.intents.get(s.orderId) ?? [];
    if (!list.includes(pi.id)) list.push(pi.id);
    this.intents.set(s.orderId, list);
  }

  /** What is left to refund on a payment intent (succeeded and pending refunds count, as at Stripe). */
  private left(piId: string): number {
    const pi = this.sim.paymentIntents.get(piId);
    if (!pi) return 0;
    const out = [...this.sim.refunds.values()].filter((r) => r.payment_intent === piId && (r.status === 'succeeded' || r.status === 'pending'));
    return pi.amount_received - out.reduce((a, r) => a + r.amount, 0);
  }

  async consoleRefund(s: ScenarioPayment, amount: bigint, seq: number, invoiceNumber?: string): Promise<boolean> {
    const intents = this.intents.get(s.orderId) ?? [];
    // The person picks a payment that still covers the amount (else the first: Stripe refuses it).
    const pi = intents.find((id) => this.left(id) >= Number(amount)) ?? intents[0];
    if (!pi) return false;
    try {
      await this.call(() =>
        this.client.refunds.create(
          { payment_intent: pi, amount: Number(amount), reason: 'requested_by_customer', metadata: { orderId: s.orderId, ...(invoiceNumber ? { invoiceNumber } : {}) } },
          { idempotencyKey: `console-${s.orderId}-${seq}` },
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  async reverse(refundId: string): Promise<void> {
    const r = this.sim.refunds.get(refundId);
    if (r?.status === 'succeeded') await this.sim.decideRefund(refundId, 'failed', 'declined');
  }

  async armLateFail(): Promise<void> {
    this.sim.faults.lateFailNext = 1;
  }

  /** A `refund.failed` event, signed as Stripe signs, with a fresh event id, for a refund Stripe holds as succeeded. */
  async sendStaleFailed(serviceUrl: string, refundId: string): Promise<void> {
    const r = this.sim.refunds.get(refundId);
    if (!r) return;
    const event = {
      id: `evt_stale_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      object: 'event',
      api_version: '2025-01-01',
      created: Math.floor(Date.now() / 1000),
      type: 'refund.failed',
      livemode: false,
      data: { object: { ...r, status: 'failed', failure_reason: 'declined' } },
    };
    const payload = JSON.stringify(event);
    await fetch(`${serviceUrl}/webhooks/psp/${ADAPTER_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': this.sim.events.header(payload) },
      body: payload,
      signal: AbortSignal.timeout(10_000),
    })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }

  /** The card of the order's first payment intent: the credit goes to Stripe, which refuses it (a Stripe refund needs its payment intent). */
  creditMethod(s: ScenarioPayment): string | null {
    const pi = this.sim.paymentIntents.get(this.intents.get(s.orderId)?.[0] ?? '');
    return typeof pi?.payment_method === 'string' ? pi.payment_method : null;
  }

  async applyFaults(f: PspRoundFaults, webhooks: WebhookFaults, rng: Rng, count: FaultCount): Promise<void> {
    const extra = rng.fork('stripe');
    const stallNext = extra.chance(0.2) ? extra.int(1, 2) : 0;
    const pendingNext = extra.chance(0.35) ? extra.int(1, 3) : 0;
    Object.assign(this.sim.faults, { loseAnswerNext: f.timeoutNext, failNext: f.failNext, stallNext, pendingNext, lateFailNext: 0 });
    if (f.timeoutNext) count('stripe.loseAnswerNext (performed, answer lost)');
    if (f.failNext) count('stripe.failNext 5xx');
    if (stallNext) count('stripe.stallNext (never answered)');
    if (pendingNext) count('stripe.pendingNext (decided at heal)');
    Object.assign(this.sim.events.faults, {
      hold: webhooks.mode === 'hold',
      reverse: Boolean(webhooks.reverse),
      duplicate: Boolean(webhooks.duplicate),
      dropNext: webhooks.dropNext ?? 0,
    });
  }

  async flushEvents(): Promise<void> {
    await this.sim.events.flush();
  }

  async healFaults(): Promise<void> {
    Object.assign(this.sim.faults, { loseAnswerNext: 0, failNext: 0, stallNext: 0, pendingNext: 0, lateFailNext: 0 });
    Object.assign(this.sim.events.faults, { hold: false, duplicate: false, dropNext: 0 });
  }

  async settleAtHeal(rng: Rng, count: FaultCount): Promise<void> {
    // The held events first (newest first if they were being reordered), then nothing held any more.
    await this.sim.events.flush();
    this.sim.events.faults.reverse = false;
    // Stripe decides a pending refund in its own time; the round's end is that time here.
    const pending = [...this.sim.refunds.values()].filter((r) => r.status === 'pending').sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
    const pick = rng.fork('stripe:pending');
    for (const r of pending) {
      const to = pick.chance(0.7) ? 'succeeded' : 'failed';
      await this.sim.decideRefund(r.id, to, to === 'failed' ? 'declined' : null);
      count(`stripe.pending decided ${to} at heal`);
    }
    // Only what a violation's evidence needs is kept of the requests.
    this.sim.requests.length = 0;
  }

  /**
   * Events whose every delivery failed (no answer, 5xx) since the last heal are delivered again,
   * as Stripe retries them — except those the service stored (its own retry worker applies them)
   * and those lost on purpose (their orders get syncOrder).
   */
  async redeliver(db: Connection): Promise<Set<string>> {
    const fresh = this.sim.events.deliveries.slice(this.cursor);
    this.cursor = this.sim.events.deliveries.length;
    const ok = new Set<string>();
    const dropped = new Set<string>();
    const failed = new Set<string>();
    for (const d of fresh) {
      if (d.dropped) dropped.add(d.eventId);
      else if (d.status !== null && d.status < 300) ok.add(d.eventId);
      else if (d.status === null || d.status >= 500) failed.add(d.eventId);
    }
    const orders = new Set<string>();
    for (const id of dropped) {
      const oid = ok.has(id) ? null : this.orderOfEvent(id);
      if (oid) orders.add(oid);
    }
    const giveUps = [...failed].filter((id) => !ok.has(id) && !dropped.has(id));
    for (const id of giveUps) {
      const [rows] = await db.query(`SELECT COUNT(*) n FROM webhook_event WHERE source = 'PSP' AND event_id LIKE ? AND status = 'RECEIVED'`, [`${id}:%`]);
      if (Number((rows as { n: number }[])[0]?.n ?? 0) > 0) continue;
      await this.sim.events.redeliver(id);
    }
    return orders;
  }

  private orderOfEvent(eventId: string): string | null {
    const e = this.sim.events.events.find((x) => x.id === eventId);
    const o = e?.data.object as { metadata?: Record<string, string> } | undefined;
    return o?.metadata?.orderId ?? null;
  }

  pendingEvents(): number {
    return this.sim.events.pending();
  }

  refundsOf(orderId: string): TruthRefund[] {
    return [...this.sim.refunds.values()].filter((r) => r.metadata?.orderId === orderId).map((r) => this.truth(r));
  }

  refund(refundId: string): TruthRefund | undefined {
    const r = this.sim.refunds.get(refundId);
    return r ? this.truth(r) : undefined;
  }

  refundsByStatus(): Record<string, number> {
    return countBy([...this.sim.refunds.values()].map((r) => this.truth(r)));
  }

  private truth(r: Refund): TruthRefund {
    const status = r.status === 'succeeded' ? 'SUCCEEDED' : r.status === 'failed' || r.status === 'canceled' ? 'FAILED' : 'PENDING';
    // Money moved if Stripe ever booked the refund on the balance (a failure after success books it back).
    const moved = this.sim.balance.txns.some((t) => t.type === 'refund' && t.source === r.id);
    return {
      refundId: r.id,
      status,
      amount: BigInt(r.amount),
      invoiceNumber: r.metadata?.invoiceNumber ?? null,
      merchantTransactionId: r.metadata?.merchantTransactionId ?? null,
      createdAt: new Date(r.created * 1000).toISOString(),
      neverMoved: status === 'FAILED' && !moved,
    };
  }

  evidence(orderId: string): unknown {
    const intents = this.intents.get(orderId) ?? [];
    const refunds = [...this.sim.refunds.values()].filter((r) => r.metadata?.orderId === orderId || intents.includes(String(r.payment_intent)));
    const ids = new Set([...intents, ...refunds.map((r) => r.id)]);
    const events = this.sim.events.events
      .filter((e) => ids.has((e.data.object as { id?: string }).id ?? ''))
      .map((e) => ({ event: e, deliveries: this.sim.events.deliveries.filter((d) => d.eventId === e.id) }));
    return { paymentIntents: intents.map((id) => this.sim.paymentIntents.get(id)), refunds, events };
  }

  async close(): Promise<void> {
    await this.served.close();
  }
}
