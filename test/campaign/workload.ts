/**
 * The workload: one scenario per order, driven through the simulators (data enters as in
 * production) and the service's GraphQL API (admin refunds, credits, replays, concurrent clicks,
 * syncOrder, recoverRefunds), plus what only an upstream can do: PSP-console refunds, reversals,
 * late failures, records that arrive before the ones they need, and stale webhooks.
 */
import type { Simulators } from '../../src/simulators';
import { gql, GqlAnswer, simOp, Unreachable } from './clients';
import type { PspDriver } from './psp-driver';
import { Rng } from './prng';
import type { ReplicaSet } from './replicas';
import { ServiceProcess, sleep } from './service';

export interface Violation {
  seed: number;
  round: number;
  orderId: string;
  invariant: string;
  detail: string;
  replay?: string;
}

export class Counter {
  readonly counts: Record<string, number> = {};
  add(kind: string, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

export interface WorkloadEnv {
  seed: number;
  round: number;
  service: ServiceProcess | ReplicaSet;
  sims: Simulators;
  psp: PspDriver;
  ops: Counter;
  violations: Violation[];
}

const CURRENCY = 'EUR';
const decimal = (minor: bigint | number) => {
  const m = BigInt(minor);
  const neg = m < 0n;
  const a = neg ? -m : m;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};

const REFUND_INVOICE = `mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) {
  refund { id status amount { amount } pspRefundId merchantTransactionId } userErrors { code message } } }`;
const CREDIT = `mutation($input: CreditPaymentMethodInput!) { creditPaymentMethod(input: $input) {
  refund { id status amount { amount } pspRefundId } userErrors { code message } } }`;
export const SYNC_ORDER = `mutation($input: SyncOrderInput!) { syncOrder(input: $input) { synced { refunds } userErrors { code message } } }`;
export const RECOVER = `mutation($input: RecoverRefundsInput!) { recoverRefunds(input: $input) { recovered { id status } userErrors { code message } } }`;

/** The order ids of a scenario: derived from the seed and the scenario's index only. */
export const orderIdOf = (seed: number, scenarioIndex: number) => `cmp${seed}-s${scenarioIndex}`;

export type ScenarioKind = 'standard' | 'pspFirst';

interface ScenarioState {
  orderId: string;
  paymentId: string;
  paymentMethodId: string;
  total: bigint;
  captured: bigint;
  /** Σ INPUT invoice amounts + console refunds not allocated to an invoice: kept ≤ captured. */
  committed: bigint;
  inputs: { number: string; amount: bigint }[];
  /** Admin requests sent, for same-key replays: key → [variables, refund ids answered]. */
  requests: Map<string, { mutation: string; input: Record<string, unknown>; refundIds: Set<string> }>;
  seq: number;
}

/**
 * A GraphQL mutation as an admin UI sends it: when the service dies under the request, the admin
 * retries with the same idempotency key once the service is back (at most twice).
 */
async function mutate(env: WorkloadEnv, st: ScenarioState, mutation: string, input: Record<string, unknown>, field: string): Promise<GqlAnswer | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const r = await gql(env.service.url, 'ADMIN', mutation, { input });
      const refund = r.data?.[field]?.refund;
      const key = input.idempotencyKey as string | undefined;
      if (key && refund?.id) {
        const req = st.requests.get(key) ?? { mutation, input, refundIds: new Set<string>() };
        req.refundIds.add(refund.id);
        st.requests.set(key, req);
        if (req.refundIds.size > 1) {
          env.violations.push({
            seed: env.seed,
            round: env.round,
            orderId: st.orderId,
            invariant: 'idempotency',
            detail: `idempotency key ${key} (same arguments) answered with different refunds: ${[...req.refundIds].join(', ')}`,
          });
        }
      }
      if (attempt > 0) env.ops.add('admin-retry-after-crash');
      return r;
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      await env.service.ensureUp();
    }
  }
  return null;
}

export async function runScenario(env: WorkloadEnv, rng: Rng, scenarioIndex: number, kind: ScenarioKind): Promise<ScenarioState> {
  const { sims } = env;
  const orderId = orderIdOf(env.seed, scenarioIndex);
  const total = BigInt(rng.int(20, 200) * 100);
  const st: ScenarioState = {
    orderId,
    paymentId: `pay-${orderId}`,
    paymentMethodId: `pm-${orderId}`,
    total,
    captured: 0n,
    committed: 0n,
    inputs: [],
    requests: new Map(),
    seq: 0,
  };
  const op = (k: string) => env.ops.add(k);
  const newInvoiceNumber = () => `${orderId}-R${st.inputs.length + 1}`;
  const createOrder = async () => {
    await simOp(sims.urls.oms, 'POST', '/orders', { id: orderId, currency: CURRENCY, total: String(total), customerId: `cust-${orderId}`, status: 'CONFIRMED' });
    op('oms.createOrder');
    await simOp(sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { number: `${orderId}-O1`, kind: 'OUTPUT', amount: String(total) });
    op('oms.salesInvoice');
  };
  const createPayment = async () => {
    const name = await env.psp.authorize(st);
    if (name) op(name);
  };
  const capture = async (amount: bigint) => {
    await env.psp.capture(st, amount, st.captured === 0n ? 1 : 2);
    st.captured += amount;
    op(amount === total ? 'psp.captureFull' : 'psp.capturePartial');
  };
  const consoleRefund = async (amount: bigint, invoiceNumber?: string) => {
    // A refund made by a person at the PSP's console.
    if (!(await env.psp.consoleRefund(st, amount, ++st.seq, invoiceNumber))) op('psp.consoleRefund.rejected');
    op('psp.consoleRefund');
  };
  const inputInvoice = async (amount: bigint, number = newInvoiceNumber()) => {
    st.inputs.push({ number, amount });
    await simOp(sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { number, kind: 'INPUT', amount: String(amount) });
    op('oms.returnInvoice (auto-refund)');
  };
  const budget = () => st.captured - st.committed;

  // ---------------------------------------------------------------- set-up
  if (kind === 'pspFirst') {
    // Events before the records they need: the PSP has the payment, its capture and a console
    // refund for a return invoice before the OMS has created the order or the invoice.
    await createPayment();
    await capture(total);
    const first = BigInt(rng.int(1, Number(total / 200n))) * 100n;
    const number = `${orderId}-R1`;
    await consoleRefund(first, number);
    await sleep(rng.int(0, 200));
    await createOrder();
    const amount = first + BigInt(rng.int(0, Number((total - first) / 200n))) * 100n;
    st.committed += amount;
    await inputInvoice(amount, number);
  } else {
    await createOrder();
    await createPayment();
    if (rng.chance(0.7)) await capture(total);
    else await capture((total * BigInt(rng.int(40, 90))) / 100n);
  }

  // ---------------------------------------------------------------- operations
  const steps = rng.int(2, 6);
  for (let i = 0; i < steps; i++) {
    await sleep(rng.int(0, 150));
    const which = rng.weighted({
      returnInvoice: 5,
      adminRefund: 3,
      replay: 2,
      clicksOneKey: 2,
      clicksManyKeys: 2,
      credit: 1,
      consoleRefund: 1,
      reverse: 1,
      lateFail: 1,
      staleFailed: 1.5,
      secondCapture: st.captured < total ? 1 : 0,
      syncOrder: 0.5,
      recoverRefunds: 0.5,
    });
    const invoice = st.inputs.length ? rng.pick(st.inputs) : null;
    const refundInput = (amount: bigint | null) => ({
      orderId,
      invoiceId: invoice!.number,
      reason: 'RETURN',
      idempotencyKey: `adm-${orderId}-${++st.seq}`,
      ...(amount ? { amount: decimal(amount) } : {}),
    });
    switch (which) {
      case 'returnInvoice': {
        const b = budget();
        if (b < 100n) break;
        const amount = BigInt(rng.int(1, Number(b / 100n))) * 100n;
        st.committed += amount;
        await inputInvoice(amount);
        break;
      }
      case 'adminRefund': {
        if (!invoice) break;
        const partial = rng.chance(0.4) ? BigInt(rng.int(1, Math.max(1, Number(invoice.amount / 200n)))) * 100n : null;
        await mutate(env, st, REFUND_INVOICE, refundInput(partial), 'refundInvoice');
        op('gql.refundInvoice');
        break;
      }
      case 'replay': {
        const keys = [...st.requests.keys()];
        if (!keys.length) break;
        const req = st.requests.get(rng.pick(keys))!;
        await mutate(env, st, req.mutation, req.input, req.mutation === CREDIT ? 'creditPaymentMethod' : 'refundInvoice');
        op('gql.sameKeyReplay');
        break;
      }
      case 'clicksOneKey': {
        if (!invoice) break;
        const input = refundInput(null);
        const n = rng.int(2, 5);
        await Promise.all(Array.from({ length: n }, () => mutate(env, st, REFUND_INVOICE, input, 'refundInvoice')));
        op(`gql.concurrentClicks.oneKey`);
        env.ops.add('gql.refundInvoice', n);
        break;
      }
      case 'clicksManyKeys': {
        if (!invoice) break;
        const n = rng.int(2, 5);
        const amount = rng.chance(0.5) ? null : BigInt(rng.int(1, Math.max(1, Number(invoice.amount / 100n / BigInt(n))))) * 100n;
        await Promise.all(Array.from({ length: n }, () => mutate(env, st, REFUND_INVOICE, refundInput(amount), 'refundInvoice')));
        op(`gql.concurrentClicks.manyKeys`);
        env.ops.add('gql.refundInvoice', n);
        break;
      }
      case 'credit': {
        const paymentMethodId = env.psp.creditMethod(st);
        if (!paymentMethodId) {
          op('gql.creditPaymentMethod.skipped (not this PSP)');
          break;
        }
        const input = {
          orderId,
          paymentMethodId,
          amount: decimal(BigInt(rng.int(1, 10)) * 100n),
          reason: 'GOODWILL',
          customer: { hsid: `hsid-${orderId}` },
          idempotencyKey: `crd-${orderId}-${++st.seq}`,
        };
        await mutate(env, st, CREDIT, input, 'creditPaymentMethod');
        op('gql.creditPaymentMethod');
        break;
      }
      case 'consoleRefund': {
        const b = budget();
        if (b < 100n) break;
        const amount = BigInt(rng.int(1, Math.max(1, Number(b / 300n)))) * 100n;
        st.committed += amount;
        await consoleRefund(amount);
        break;
      }
      case 'reverse': {
        const r = succeededAtPsp(env, orderId);
        if (!r.length) break;
        const target = rng.pick(r);
        await env.psp.reverse(target.refundId);
        op('psp.reverse');
        break;
      }
      case 'lateFail': {
        if (!invoice) break;
        // The next refund the PSP accepts fails afterwards (whichever scenario's it is).
        await env.psp.armLateFail();
        await mutate(env, st, REFUND_INVOICE, refundInput(null), 'refundInvoice');
        op('psp.lateFailNext');
        op('gql.refundInvoice');
        break;
      }
      case 'staleFailed': {
        const r = succeededAtPsp(env, orderId);
        if (!r.length) break;
        await env.psp.sendStaleFailed(env.service.url, rng.pick(r).refundId);
        op('webhook.staleRefundFailed');
        break;
      }
      case 'secondCapture': {
        if (st.captured >= total) break;
        await capture(total - st.captured);
        break;
      }
      case 'syncOrder':
        await mutate(env, st, SYNC_ORDER, { orderId }, 'syncOrder');
        op('gql.syncOrder');
        break;
      case 'recoverRefunds':
        await mutate(env, st, RECOVER, { orderId }, 'recoverRefunds');
        op('gql.recoverRefunds');
        break;
    }
  }
  return st;
}

function succeededAtPsp(env: WorkloadEnv, orderId: string) {
  return env.psp.refundsOf(orderId).filter((r) => r.status === 'SUCCEEDED');
}
