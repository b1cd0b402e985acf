/**
 * Found by the fault campaign through Stripe (seed 20261220, orders s29, s75, s78, s79): a refund
 * made at the Stripe Dashboard for a return invoice stays pending at Stripe. moneygraph did not see
 * it — only decided refunds are records — so the automatic refund paid the whole invoice, and when
 * Stripe then decided the Dashboard's refund succeeded the invoice was refunded above its amount.
 * Now a refund Stripe has not decided for the invoice holds moneygraph's refund of it back until
 * Stripe decides; then only the rest is paid.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { drainOutbox } from '../../src/outbox';
import { ErrorCode } from '../../src/shared/errors';
import { startHarness, type Harness } from '../contract/psp-fixtures';
import { call, returnInvoice } from '../support/drive';
import { refundInvoice, rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('a Dashboard refund still pending at Stripe for a return invoice: the automatic refund waits for it, then pays only the rest', async () => {
  const order = await call(h.t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '5000', customerId: 'cust-pending', status: 'CONFIRMED' });
  const orderId: string = order.id ?? order.order?.id;
  await call(h.t.sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: '5000' });
  const pi = await h.stripe.pay({ amount: 5000, currency: 'eur', orderId });
  const number = `${orderId}-R1`;

  // A person at the Dashboard refunds 11.00 EUR of the return; Stripe accepts it as pending.
  const api = new URL(h.stripeServed.url);
  const dashboard = new Stripe('sk_test_dashboard', { host: api.hostname, port: api.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  h.stripe.faults.pendingNext = 1;
  const pending = await dashboard.refunds.create({ payment_intent: pi.id, amount: 1100, metadata: { orderId, invoiceNumber: number } });
  assert.equal(pending.status, 'pending');

  // The return invoice of 30.00 EUR arrives: its automatic refund is held back, nothing is sent.
  await returnInvoice(h.t.sims, orderId, '3000', number);
  await drainOutbox(h.t.app.services);
  const refundsAtStripe = () => [...h.stripe.refunds.values()].filter((r) => r.payment_intent === pi.id);
  assert.deepEqual(
    refundsAtStripe().map((r) => r.id),
    [pending.id],
    'no refund of the invoice was sent while the Dashboard refund was undecided',
  );
  const [auto] = await rows(h.t, "SELECT status, last_error FROM outbox_message WHERE topic = 'refund.auto' AND order_id = ?", [orderId]);
  assert.equal(auto?.status, 'PENDING', 'the automatic refund is retried later, not given up');
  assert.match(String(auto?.last_error), /PSP_REFUND_UNDECIDED/);
  // An admin's refund of the invoice is refused the same way, with the amount as a decimal.
  const admin = (await refundInvoice(h.t, { orderId, invoiceId: number })).data.refundInvoice;
  assert.equal(admin.refund, null);
  assert.equal(admin.userErrors[0]?.code, ErrorCode.PSP_REFUND_UNDECIDED);
  assert.match(admin.userErrors[0]?.message, /11\.00 EUR/);

  // Stripe decides the Dashboard refund succeeded: it covers 11.00 EUR of the invoice.
  await h.stripe.decideRefund(pending.id, 'succeeded');
  await until('the Dashboard refund recorded', async () => {
    const [r] = await rows(h.t, "SELECT status, invoice_id FROM refund WHERE order_id = ? AND origin = 'PSP'", [orderId]);
    return r?.status === 'SUCCEEDED' ? r : undefined;
  });
  await drainOutbox(h.t.app.services);

  const succeeded = refundsAtStripe().filter((r) => r.status === 'succeeded');
  assert.deepEqual(
    succeeded.map((r) => r.amount).sort((a, b) => a - b),
    [1100, 1900],
    'the automatic refund paid the 19.00 EUR the Dashboard refund left, not the whole 30.00 EUR',
  );
  const [inv] = await rows(h.t, "SELECT SUM(amount_minor) AS refunded FROM refund WHERE invoice_id = ? AND status = 'SUCCEEDED'", [number]);
  assert.equal(String(inv?.refunded), '3000', "the ledger's refunds of the invoice add up to its amount");
});
