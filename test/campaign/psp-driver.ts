/**
 * The campaign's PSP seam: how a scenario takes and refunds a payment at the PSP, what only the
 * PSP can do (console refunds, reversals, late failures, stale failure webhooks), the PSP's faults,
 * and the PSP's own records the checker takes as the truth. One driver per PSP the campaign runs
 * through: the in-house PSP simulator (here) or Stripe's (stripe-driver.ts).
 */
import type { Connection } from 'mysql2/promise';
import type { Simulators, WebhookFaults } from '../../src/simulators';
import type { PspRefund } from '../../src/simulators/psp.model';
import { sendSignedWebhook, simCall, simOp } from './clients';
import type { Rng } from './prng';

export type PspKind = 'inhouse' | 'stripe';

/** A PSP refund as the checker reads it, whatever the PSP. */
export interface TruthRefund {
  refundId: string;
  /** The PSP's status in the checker's terms (Stripe: succeeded, failed/canceled, pending/requires_action). */
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED' | 'PENDING';
  amount: bigint | null;
  invoiceNumber: string | null;
  merchantTransactionId: string | null;
  /** The PSP's own time of the refund (ISO). */
  createdAt: string;
  /** Failed without money ever moving (refused or decided failed while pending): nothing to reconcile. */
  neverMoved: boolean;
}

/** What a scenario knows of its order's payment. */
export interface ScenarioPayment {
  orderId: string;
  total: bigint;
  paymentId: string;
  paymentMethodId: string;
}

export interface PspRoundFaults {
  /** Requests performed and their answers lost. */
  timeoutNext: number;
  /** Requests answered 5xx before anything happens. */
  failNext: number;
}

/** Counts a fault by kind (the campaign's Counter). */
export type FaultCount = (kind: string) => void;

export interface PspDriver {
  readonly kind: PspKind;
  /** How fault and event labels name this PSP ("psp", "stripe"). */
  readonly label: string;
  /** What the service needs to reach this PSP (adapters, keys, webhook secrets). */
  readonly serviceEnv: Record<string, string>;
  /** The payment before its capture: an operation name for the counter, or null when the PSP has no such step. */
  authorize(s: ScenarioPayment): Promise<string | null>;
  /** The n-th capture of the order's payment. */
  capture(s: ScenarioPayment, amount: bigint, n: 1 | 2): Promise<void>;
  /** A refund made by a person at the PSP's console; false when the PSP refused it. */
  consoleRefund(s: ScenarioPayment, amount: bigint, seq: number, invoiceNumber?: string): Promise<boolean>;
  /** The PSP reverses a refund that succeeded (the money comes back). */
  reverse(refundId: string): Promise<void>;
  /** The next refund the PSP accepts fails afterwards (whichever scenario's it is). */
  armLateFail(): Promise<void>;
  /** A signed failure webhook for a refund the PSP still holds as succeeded. */
  sendStaleFailed(serviceUrl: string, refundId: string): Promise<void>;
  /** The payment method a credit goes to; null when this PSP cannot take a credit (the operation is skipped). */
  creditMethod(s: ScenarioPayment): string | null;
  applyFaults(f: PspRoundFaults, webhooks: WebhookFaults, rng: Rng, count: FaultCount): Promise<void>;
  /** Delivers the held events now (the mid-round flush of a reordering). */
  flushEvents(): Promise<void>;
  /** Faults off (before the service's restart at heal). */
  healFaults(): Promise<void>;
  /** After the service is back: held events delivered, whatever the PSP left undecided decided. */
  settleAtHeal(rng: Rng, count: FaultCount): Promise<void>;
  /**
   * Re-delivers the events this PSP gave up on (a real PSP retries for days) that the service has
   * not stored; answers the orders whose events were deliberately lost. Null: the PSP's events go
   * through the simulators' common webhook senders.
   */
  redeliver(db: Connection): Promise<Set<string>> | null;
  /** Events held, not yet delivered. */
  pendingEvents(): number;
  refundsOf(orderId: string): TruthRefund[];
  refund(refundId: string): TruthRefund | undefined;
  /** Every refund the PSP holds, counted by status (the truth the checker read). */
  refundsByStatus(): Record<string, number>;
  /** What the PSP holds about an order, for the evidence of a violation. */
  evidence(orderId: string): unknown;
  close(): Promise<void>;
}

const CURRENCY = 'EUR';

/** The in-house PSP simulator, exactly as the campaign has always driven it. */
export class InhousePspDriver implements PspDriver {
  readonly kind = 'inhouse';
  readonly label = 'psp';
  /** PSP_BASE_URL, the default in-house instance, is the campaign's own setting. */
  readonly serviceEnv: Record<string, string> = {};

  constructor(
    private readonly sims: Simulators,
    private readonly secret: string,
  ) {}

  async authorize(s: ScenarioPayment): Promise<string> {
    await simOp(this.sims.urls.psp, 'POST', '/payments', {
      id: s.paymentId,
      orderId: s.orderId,
      amount: String(s.total),
      currency: CURRENCY,
      method: 'CARD',
      paymentMethodId: s.paymentMethodId,
      customerId: `cust-${s.orderId}`,
    });
    return 'psp.payment';
  }

  async capture(s: ScenarioPayment, amount: bigint, n: 1 | 2): Promise<void> {
    await simOp(this.sims.urls.psp, 'POST', `/payments/${s.paymentId}/captures`, { id: `cap-${s.orderId}-${n}`, amount: String(amount) });
  }

  async consoleRefund(s: ScenarioPayment, amount: bigint, seq: number, invoiceNumber?: string): Promise<boolean> {
    // Under the console's own merchantTransactionId.
    return simOp(this.sims.urls.psp, 'POST', '/refunds', {
      paymentId: s.paymentId,
      amount: String(amount),
      merchantTransactionId: `console-${s.orderId}-${seq}`,
      reason: 'CONSOLE',
      metadata: { orderId: s.orderId, ...(invoiceNumber ? { invoiceNumber } : {}) },
    }).then(
      () => true,
      () => false,
    );
  }

  async reverse(refundId: string): Promise<void> {
    await simOp(this.sims.urls.psp, 'POST', `/refunds/${refundId}/reverse`).catch(() => undefined);
  }

  async armLateFail(): Promise<void> {
    await simOp(this.sims.urls.psp, 'POST', '/_faults', { lateFailNext: 1 });
  }

  /**
   * A stale REFUND_FAILED (seed-004 shape, as the PSP simulator emits it) for a refund the PSP still
   * holds as SUCCEEDED: signed with the PSP secret, with a fresh event id — a late, reordered or
   * misrouted claim that the PSP's own record contradicts.
   */
  async sendStaleFailed(serviceUrl: string, refundId: string): Promise<void> {
    const r = this.sims.psp.state.refunds.get(refundId);
    if (!r) return;
    const pm = r.paymentId ? this.sims.psp.state.payments.get(r.paymentId) : undefined;
    const body = {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: r.refundId,
        merchantTransactionId: r.merchantTransactionId,
        status: 'FAILED',
        ...(r.amount !== null ? { amount: r.amount.toString() } : {}),
        ...(r.currency !== null ? { currency: r.currency } : {}),
        createdAt: r.createdAt,
        payment: { paymentId: r.paymentId, orderId: r.orderId },
        paymentMethod: pm ? { paymentMethodId: pm.paymentMethodId, type: pm.method, status: pm.paymentMethodStatus } : {},
        customer: { customerId: pm?.customerId ?? null },
        metadata: { orderId: r.orderId, invoiceNumber: r.invoiceNumber },
        error: { description: 'Refund was declined by the financial partner after it was accepted' },
      },
    };
    await sendSignedWebhook(serviceUrl, 'psp', this.secret, JSON.stringify(body));
  }

  creditMethod(s: ScenarioPayment): string {
    return s.paymentMethodId;
  }

  async applyFaults(f: PspRoundFaults, webhooks: WebhookFaults, _rng: Rng, count: FaultCount): Promise<void> {
    if (f.timeoutNext) count('psp.timeoutNext (performed, answer lost)');
    if (f.failNext) count('psp.failNext 5xx');
    await simCall(this.sims.urls.psp, 'POST', '/_faults', { timeoutNext: f.timeoutNext, failNext: f.failNext, hangMs: 1500, webhooks });
  }

  async flushEvents(): Promise<void> {
    await simCall(this.sims.urls.psp, 'POST', '/_webhooks/flush');
  }

  async healFaults(): Promise<void> {
    await simCall(this.sims.urls.psp, 'POST', '/_faults', {
      failNext: 0,
      timeoutNext: 0,
      webhooks: { mode: 'immediate', duplicate: false, reverse: false, dropNext: 0 },
      lateFailNext: 0,
    });
  }

  async settleAtHeal(): Promise<void> {
    // Held events go with the other simulators' (sims.flush); every in-house refund is decided when made.
  }

  redeliver(): null {
    return null;
  }

  pendingEvents(): number {
    return this.sims.psp.webhooks.pending();
  }

  refundsOf(orderId: string): TruthRefund[] {
    return [...this.sims.psp.state.refunds.values()].filter((r) => r.orderId === orderId).map(inhouseTruth);
  }

  refund(refundId: string): TruthRefund | undefined {
    const r = this.sims.psp.state.refunds.get(refundId);
    return r ? inhouseTruth(r) : undefined;
  }

  refundsByStatus(): Record<string, number> {
    return countBy([...this.sims.psp.state.refunds.values()].map(inhouseTruth));
  }

  evidence(orderId: string): unknown {
    const of = <T>(m: Map<string, T>, f: (x: T) => boolean) => [...m.values()].filter(f);
    const st = this.sims.psp.state;
    return {
      payments: of(st.payments, (p) => p.orderId === orderId),
      captures: of(st.captures, (c) => c.orderId === orderId),
      refunds: of(st.refunds, (r) => r.orderId === orderId),
    };
  }

  async close(): Promise<void> {
    // Closed with the other simulators.
  }
}

export function countBy(refunds: TruthRefund[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of refunds) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

function inhouseTruth(r: PspRefund): TruthRefund {
  return {
    refundId: r.refundId,
    status: r.status,
    amount: r.amount,
    invoiceNumber: r.invoiceNumber,
    merchantTransactionId: r.merchantTransactionId,
    createdAt: r.createdAt,
    // A rejection is recorded FAILED at version 1; a refund that failed after it was accepted is at version 2.
    neverMoved: r.status === 'FAILED' && r.version === 1,
  };
}
