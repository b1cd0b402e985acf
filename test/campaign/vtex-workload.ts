/**
 * The VTEX campaign's workload: one scenario per VTEX order, driven as a VTEX store runs — the
 * order placed and paid in VTEX, invoiced (Output), returns invoiced (Input) that VTEX Payments
 * refunds by itself or "forgets" (seed 000), sometimes two returns of one amount — and as an admin
 * would try to move money from moneygraph anyway: refundInvoice and creditPaymentMethod (each must
 * be refused with OMS_REFUNDS_ITSELF), same-key replays, concurrent clicks, syncOrder. Some orders'
 * payments are also reported by the in-house PSP, so a refusal that failed would really pay.
 */
import type { Simulators, VtexSimulator } from '../../src/simulators';
import { gql, simOp, Unreachable } from './clients';
import { Rng } from './prng';
import { ServiceProcess, sleep } from './service';
import type { VtexAttempt } from './vtex-checker';
import { Counter, SYNC_ORDER } from './workload';

export interface VtexWorkloadEnv {
  seed: number;
  round: number;
  service: ServiceProcess;
  sims: Simulators;
  vtex: VtexSimulator;
  ops: Counter;
  attempts: Map<string, VtexAttempt[]>;
}

const REFUND_INVOICE = `mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { id status } userErrors { code message } } }`;
const CREDIT = `mutation($input: CreditPaymentMethodInput!) { creditPaymentMethod(input: $input) { refund { id status } userErrors { code message } } }`;

/** VTEX order ids look like `1234567890123-01`; these are derived from the seed and the scenario's index only. */
export const vtexOrderIdOf = (seed: number, scenarioIndex: number) => `v${seed}-s${scenarioIndex}-01`;

const decimal = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

interface Scenario {
  orderId: string;
  value: number;
  returned: number;
  inputs: { number: string; value: number }[];
  paymentMethodId: string | null;
  seq: number;
}

/** A GraphQL mutation as an admin UI sends it, retried with the same key while the service is down (at most twice). */
async function mutate(env: VtexWorkloadEnv, query: string, input: Record<string, unknown>): Promise<any | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const r = await gql(env.service.url, 'ADMIN', query, { input });
      if (attempt > 0) env.ops.add('admin-retry-after-crash');
      return r;
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      await env.service.ensureUp();
    }
  }
  return null;
}

/** A refundInvoice / creditPaymentMethod attempt, its answer recorded for the checker (no answer: nothing to judge). */
async function attempt(env: VtexWorkloadEnv, st: Scenario, operation: VtexAttempt['operation'], input: Record<string, unknown>): Promise<void> {
  const r = await mutate(env, operation === 'refundInvoice' ? REFUND_INVOICE : CREDIT, input);
  env.ops.add(`gql.${operation} (must be refused)`);
  if (!r) return;
  const payload = r.data?.[operation];
  const a: VtexAttempt = {
    operation,
    key: String(input.idempotencyKey),
    refundId: payload?.refund?.id ?? null,
    codes: payload ? payload.userErrors.map((e: { code: string }) => e.code) : (r.errors ?? []).map((e: any) => `GRAPHQL:${e.extensions?.code ?? e.message}`),
  };
  env.attempts.set(st.orderId, [...(env.attempts.get(st.orderId) ?? []), a]);
}

export async function runVtexScenario(env: VtexWorkloadEnv, rng: Rng, scenarioIndex: number): Promise<void> {
  const { vtex, sims } = env;
  const op = (k: string) => env.ops.add(k);
  const orderId = vtexOrderIdOf(env.seed, scenarioIndex);
  const st: Scenario = { orderId, value: rng.int(20, 200) * 100, returned: 0, inputs: [], paymentMethodId: null, seq: 0 };

  await vtex.createOrder({ orderId, value: st.value, currency: 'EUR', customerId: `cust-${orderId}` });
  op('vtex.createOrder');
  if (rng.chance(0.5)) {
    // The same payment reported by a PSP moneygraph can pay through: a refusal that failed would move real money.
    st.paymentMethodId = `pm-${orderId}`;
    const paymentId = `pay-${orderId}`;
    const body = { id: paymentId, orderId, amount: String(st.value), currency: 'EUR', method: 'CARD', paymentMethodId: st.paymentMethodId, customerId: `cust-${orderId}` };
    await simOp(sims.urls.psp, 'POST', '/payments', body);
    await simOp(sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, { id: `cap-${orderId}`, amount: String(st.value) });
    op('psp.paymentAndCapture');
  }
  await vtex.invoice(orderId, { type: 'Output', invoiceNumber: `NF-${orderId}`, invoiceValue: st.value });
  op('vtex.outputInvoice');

  const returnInvoice = async (value: number, forget: boolean) => {
    const number = `RET-${orderId}-${st.inputs.length + 1}`;
    if (forget) vtex.faults.forgetRefundOf.push(number);
    st.inputs.push({ number, value });
    st.returned += value;
    await vtex.invoice(orderId, { type: 'Input', invoiceNumber: number, invoiceValue: value });
    op(forget ? 'vtex.returnInvoice (forgotten by VTEX)' : 'vtex.returnInvoice (refunded by VTEX)');
  };
  const key = (p: string) => `${p}-${orderId}-${++st.seq}`;
  const refundInput = (inv: { number: string; value: number }, amount: number | null, k = key('adm')) => ({
    orderId,
    invoiceId: inv.number,
    reason: 'RETURN',
    idempotencyKey: k,
    ...(amount ? { amount: decimal(amount) } : {}),
  });
  const creditInput = (k = key('crd')) => ({
    orderId,
    paymentMethodId: st.paymentMethodId ?? `pm-unknown-${orderId}`,
    amount: decimal(rng.int(1, 10) * 100),
    reason: 'GOODWILL',
    customer: { hsid: `hsid-${orderId}` },
    idempotencyKey: k,
  });

  const steps = rng.int(2, 6);
  const sent: { kind: 'refund' | 'credit'; input: Record<string, unknown> }[] = [];
  for (let i = 0; i < steps; i++) {
    await sleep(rng.int(0, 150));
    const left = st.value - st.returned;
    const inv = st.inputs.length ? rng.pick(st.inputs) : null;
    const which = rng.weighted({
      returnInvoice: left >= 100 ? 5 : 0,
      sameAmountReturn: inv && left >= inv.value ? 1.5 : 0,
      adminRefund: inv ? 3 : 0,
      credit: 2,
      replay: sent.length ? 1.5 : 0,
      clicksOneKey: inv ? 1.5 : 0,
      clicksManyKeys: inv ? 1.5 : 0,
      syncOrder: 1,
    });
    switch (which) {
      case 'returnInvoice':
        await returnInvoice(rng.int(1, Math.floor(left / 100)) * 100, rng.chance(0.3));
        break;
      case 'sameAmountReturn':
        // A second return of exactly one amount: VTEX's refund must be matched to the return it answered.
        await returnInvoice(inv!.value, rng.chance(0.5));
        op('vtex.sameAmountReturn');
        break;
      case 'adminRefund': {
        const input = refundInput(inv!, rng.chance(0.4) ? rng.int(1, Math.max(1, Math.floor(inv!.value / 200))) * 100 : null);
        sent.push({ kind: 'refund', input });
        await attempt(env, st, 'refundInvoice', input);
        break;
      }
      case 'credit': {
        const input = creditInput();
        sent.push({ kind: 'credit', input });
        await attempt(env, st, 'creditPaymentMethod', input);
        break;
      }
      case 'replay': {
        const s = rng.pick(sent);
        await attempt(env, st, s.kind === 'refund' ? 'refundInvoice' : 'creditPaymentMethod', s.input);
        op('gql.sameKeyReplay');
        break;
      }
      case 'clicksOneKey': {
        const input = refundInput(inv!, null);
        const n = rng.int(2, 5);
        await Promise.all(Array.from({ length: n }, () => attempt(env, st, 'refundInvoice', input)));
        op('gql.concurrentClicks.oneKey');
        break;
      }
      case 'clicksManyKeys': {
        const n = rng.int(2, 5);
        const credit = rng.chance(0.3);
        await Promise.all(
          Array.from({ length: n }, () => (credit ? attempt(env, st, 'creditPaymentMethod', creditInput()) : attempt(env, st, 'refundInvoice', refundInput(inv!, null)))),
        );
        op('gql.concurrentClicks.manyKeys');
        break;
      }
      case 'syncOrder':
        await mutate(env, SYNC_ORDER, { orderId });
        op('gql.syncOrder');
        break;
    }
  }
}
