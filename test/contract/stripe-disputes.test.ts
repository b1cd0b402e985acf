/**
 * Stripe disputes in canonical terms: `charge.dispute.created` sets the payment's dispute flag, as
 * the in-house contract's payment.upserted does, so a refund of it is refused here before anything
 * reaches Stripe (PAYMENT_DISPUTED) — also when the dispute arrives before the payment, and after
 * a syncOrder read-back. When the event is lost, Stripe's own `charge_disputed` answer reaches the
 * same code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/shared/errors';
import { call, returnInvoice } from '../support/drive';
import { refundInvoice, rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';
import { startHarness, type Harness } from './psp-fixtures';

let h: Harness;
before(async () => {
  h = await startHarness({ AUTO_REFUND_INPUT_INVOICES: 'false' });
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

const SYNC = `mutation($input: SyncOrderInput!) { syncOrder(input: $input) { synced { payments } userErrors { code message } } }`;

async function stripeOrder(total: number) {
  const order = await call(h.t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: String(total), customerId: 'cust-dp', status: 'CONFIRMED' });
  const orderId: string = order.id ?? order.order?.id;
  await call(h.t.sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: String(total) });
  const pi = await h.stripe.pay({ amount: total, currency: 'eur', orderId });
  return { orderId, pi: pi.id };
}
const disputedFlag = async (pi: string) => (await rows(h.t, 'SELECT disputed FROM psp_payment WHERE id = ?', [pi]))[0]?.disputed;
const refundPosts = (pi: string) =>
  h.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && (r.body as { payment_intent?: string }).payment_intent === pi).length;

test('charge.dispute.created flags the payment; its refund is refused here with PAYMENT_DISPUTED and nothing is sent to Stripe', async () => {
  const o = await stripeOrder(6000);
  assert.equal(await disputedFlag(o.pi), 0);
  await h.stripe.dispute(o.pi);
  assert.equal(await disputedFlag(o.pi), 1);
  const view = await h.t.gql('ADMIN', `query($id: ID!) { order(id: $id) { payments { id disputed } } }`, { id: o.orderId });
  assert.deepEqual(view.data.order.payments, [{ id: o.pi, disputed: true }]);
  const inv = await returnInvoice(h.t.sims, o.orderId, '1000');
  const r = (await refundInvoice(h.t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
  assert.equal(r.refund, null);
  assert.deepEqual(
    r.userErrors.map((e: { code: string }) => e.code),
    [ErrorCode.PAYMENT_DISPUTED],
  );
  assert.equal(refundPosts(o.pi), 0, 'no refund request reached Stripe');
});

test('reordered: the dispute before the payment waits for it, then flags it; a syncOrder read-back keeps the flag', async () => {
  h.stripe.events.faults.reverse = true;
  let o: { orderId: string; pi: string };
  try {
    o = await stripeOrder(4000);
    await h.stripe.dispute(o.pi);
    assert.equal(await h.stripe.events.flush(), 2);
  } finally {
    h.stripe.events.faults.reverse = false;
  }
  assert.equal(await disputedFlag(o.pi), 1);
  const sync = (await h.t.gql('ADMIN', SYNC, { input: { orderId: o.orderId } })).data.syncOrder;
  assert.deepEqual(sync.userErrors, []);
  assert.equal(sync.synced.payments, 1);
  assert.equal(await disputedFlag(o.pi), 1, "Stripe's record (the latest charge, expanded) says disputed too");
});

test("a lost dispute event: the refund still ends PAYMENT_DISPUTED (Stripe's charge_disputed, or Stripe's own record read first) and nothing is refunded; syncOrder then learns the flag", async () => {
  const o = await stripeOrder(5000);
  h.stripe.events.faults.badSignatureNext = 1;
  await h.stripe.dispute(o.pi);
  assert.equal(await disputedFlag(o.pi), 0, 'the event was refused (bad signature)');
  const inv = await returnInvoice(h.t.sims, o.orderId, '1000');
  const r = (await refundInvoice(h.t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
  // Either the refund was sent and Stripe refused it (charge_disputed), or moneygraph learned the
  // dispute from Stripe's own record of the payment first (a read-back of the payment that raced
  // the refund) and sent nothing: both end as PAYMENT_DISPUTED with nothing refunded.
  const posts = refundPosts(o.pi);
  assert.ok(posts <= 1, `at most one refund request reached Stripe (${posts})`);
  const code = r.refund?.errorCode ?? r.userErrors[0]?.code;
  assert.equal(code, ErrorCode.PAYMENT_DISPUTED, JSON.stringify(r));
  assert.notEqual(r.refund?.status, 'SUCCEEDED');
  if (posts === 1) assert.equal(r.refund?.status, 'FAILED', 'Stripe refused the refund it was sent');
  await h.t.gql('ADMIN', SYNC, { input: { orderId: o.orderId } });
  assert.equal(await disputedFlag(o.pi), 1);
});
