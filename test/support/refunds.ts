/** Helpers of the refund tests: the mutations, and what moneygraph and the simulators hold. */
import type { TestApp } from './test-app';

const REFUND_FIELDS = `id status kind origin invoiceId paymentId paymentMethodId merchantTransactionId pspRefundId errorCode errorMessage attempts
  amount { amount currencyCode }`;

const ORDER_FIELDS = `id
  pendingRefunds { totalPending { amount } totalInFlight { amount } totalSucceeded { amount } drift
    invoices { invoiceId pending { amount } succeeded { amount } inFlight { amount } drift omsDrift } }
  invoiceData { inSync entries { invoiceId kind refunded { amount } refundIds omsRefunded { amount } } }
  interactions { id kind source refundId }
  refunds { id status }`;

export const REFUND_INVOICE = `mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) {
  refund { ${REFUND_FIELDS} } order { ${ORDER_FIELDS} } userErrors { code message field } } }`;

export const CREDIT_PAYMENT_METHOD = `mutation($input: CreditPaymentMethodInput!) { creditPaymentMethod(input: $input) {
  refund { ${REFUND_FIELDS} } order { id refunds { id status } } userErrors { code message field } } }`;

export const RECOVER_REFUNDS = `mutation($input: RecoverRefundsInput!) { recoverRefunds(input: $input) { recovered { ${REFUND_FIELDS} } userErrors { code message field } } }`;

const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

let seq = 0;
export const key = (p = 'k') => `${p}-${process.pid}-${Date.now()}-${++seq}`;

export async function refundInvoice(t: TestApp, input: Record<string, unknown>, role: 'ADMIN' | 'SUPPORT' | 'ANALYST' | 'FINANCE' = 'ADMIN') {
  const r = await t.gql(role, REFUND_INVOICE, { input: { reason: 'RETURN', idempotencyKey: key(), ...input } });
  return r;
}

export async function orderView(t: TestApp, id: string) {
  const r = await t.gql('ADMIN', ORDER, { id });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.order;
}

/** The PSP simulator's refund records (live state). */
export function pspRefunds(t: TestApp, orderId?: string) {
  return [...t.sims.psp.state.refunds.values()].filter((r) => !orderId || r.orderId === orderId);
}

export async function rows<T = any>(t: TestApp, sql: string, params: unknown[] = []): Promise<T[]> {
  return t.dataSource.query(sql, params);
}

/** Everything a refund attempt could have written for an order, to prove a rejection wrote nothing. */
export async function footprint(t: TestApp, orderId: string) {
  const n = async (sql: string) => {
    const [row] = await rows<{ n: string }>(t, sql, [orderId]);
    if (!row) throw new Error(`no count from: ${sql}`);
    return Number(row.n);
  };
  return {
    refunds: await n('SELECT COUNT(*) n FROM refund WHERE order_id = ?'),
    keys: await n('SELECT COUNT(*) n FROM idempotency_key WHERE order_id = ?'),
    outbox: await n("SELECT COUNT(*) n FROM outbox_message WHERE order_id = ? AND topic <> 'refund.auto'"),
    audit: await n('SELECT COUNT(*) n FROM audit_log WHERE order_id = ?'),
    invoiceData: await n("SELECT COUNT(*) n FROM oms_invoice_data WHERE order_id = ? AND copy = 'MONEYGRAPH'"),
    interactions: await n("SELECT COUNT(*) n FROM oms_interaction WHERE order_id = ? AND source = 'MONEYGRAPH'"),
    /** The PSP's own refund records for the order (the simulator's live state). */
    pspRefunds: pspRefunds(t, orderId).length,
  };
}

export async function pspFaults(t: TestApp, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${t.sims.urls.psp}/_faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`PSP faults: ${res.status} ${await res.text()}`);
}

export async function flushPsp(t: TestApp): Promise<void> {
  await fetch(`${t.sims.urls.psp}/_webhooks/flush`, { method: 'POST' });
}
