/**
 * An INPUT invoice arriving from the OMS is refunded automatically, through exactly the
 * refundInvoice path (outbox message written with the invoice, executed as the system with a
 * deterministic key); orders on hold are left alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { withTransaction } from '../../src/db/transaction';
import { drainOutbox } from '../../src/outbox';
import { holdOrder } from '../../src/reconciliation/holds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { orderView, pspRefunds, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('a return invoice is refunded by the outbox worker as the system, once, with the key auto:<invoice>', async () => {
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '2000');
  const queued = await rows(t, 'SELECT topic, dedupe_key, status FROM outbox_message WHERE order_id = ?', [o.orderId]);
  assert.deepEqual(queued, [{ topic: 'refund.auto', dedupe_key: `refund.auto:${inv}`, status: 'PENDING' }]);
  await drainOutbox(t.app.services);
  const [r] = await rows(t, 'SELECT id, status, amount_minor, requested_by FROM refund WHERE order_id = ?', [o.orderId]);
  assert.deepEqual([r.status, r.amount_minor, r.requested_by], ['SUCCEEDED', '2000', 'moneygraph']);
  assert.deepEqual(await rows(t, 'SELECT `key`, status, refund_id FROM idempotency_key WHERE order_id = ?', [o.orderId]), [
    { key: `auto:${inv}`, status: 'DONE', refund_id: r.id },
  ]);
  const [audit] = await rows(t, "SELECT role FROM audit_log WHERE order_id = ? AND operation = 'refundInvoice'", [o.orderId]);
  assert.equal(audit.role, 'SYSTEM');
  // Redelivering the invoice (webhook replay, syncOrder) queues nothing new; draining again refunds nothing new.
  await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId: o.orderId } });
  await drainOutbox(t.app.services);
  assert.equal(pspRefunds(t, o.orderId).length, 1);
  assert.equal((await orderView(t, o.orderId)).pendingRefunds.totalPending.amount, '0.00');
});

test('a return invoice that arrives before its payment is known here is refunded once the payment is', async () => {
  await call(t.sims.urls.psp, 'POST', '/_faults', { webhooks: { mode: 'hold' } });
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '1200');
  await drainOutbox(t.app.services);
  const [m] = await rows(t, "SELECT status, attempts, last_error FROM outbox_message WHERE order_id = ? AND topic = 'refund.auto'", [o.orderId]);
  assert.deepEqual([m.status, m.attempts, m.last_error], ['PENDING', 1, 'automatic refund deferred: PAYMENT_NOT_FOUND']);
  await call(t.sims.urls.psp, 'POST', '/_faults', { webhooks: { mode: 'immediate' } });
  await call(t.sims.urls.psp, 'POST', '/_webhooks/flush');
  await drainOutbox(t.app.services);
  const refunds = await rows(t, 'SELECT invoice_id, status FROM refund WHERE order_id = ?', [o.orderId]);
  assert.deepEqual(refunds, [{ invoice_id: inv, status: 'SUCCEEDED' }]);
});

test('a sale (OUTPUT) invoice triggers nothing', async () => {
  const o = await paidOrder(t.sims);
  await call(t.sims.urls.oms, 'POST', `/orders/${o.orderId}/invoices`, { kind: 'OUTPUT', amount: '500' });
  assert.deepEqual(await rows(t, "SELECT id FROM outbox_message WHERE order_id = ? AND topic = 'refund.auto'", [o.orderId]), []);
});

test('an order on hold is not refunded automatically; the invoice stays pending for a person', async () => {
  const o = await paidOrder(t.sims);
  await withTransaction(RequestContext.system(t.app.services), (tx) => holdOrder(tx, { orderId: o.orderId, note: 'fraud review' }));
  await returnInvoice(t.sims, o.orderId, '2000');
  await drainOutbox(t.app.services);
  assert.deepEqual(await rows(t, 'SELECT id FROM refund WHERE order_id = ?', [o.orderId]), []);
  assert.equal(pspRefunds(t, o.orderId).length, 0);
  const view = await orderView(t, o.orderId);
  assert.equal(view.pendingRefunds.totalPending.amount, '20.00');
  assert.deepEqual(await rows(t, "SELECT status FROM outbox_message WHERE order_id = ? AND topic = 'refund.auto'", [o.orderId]), [{ status: 'DONE' }]);
});

test('with the workers started, the refund and its effects happen without anyone draining', async () => {
  const w = await createTestApp({ workers: true, env: { OUTBOX_POLL_INTERVAL_MS: '20' } });
  try {
    const o = await paidOrder(w.sims);
    const inv = await returnInvoice(w.sims, o.orderId, '1500');
    const delivered = () =>
      [...w.sims.oms.state.interactions.values()].some((i) => i.orderId === o.orderId && i.kind === 'Refund Payment') &&
      w.sims.oms.state.invoiceData.get(o.orderId)!.entries.some((e) => e.invoiceNumber === inv && e.refunded === 1500n);
    for (let i = 0; i < 500 && !delivered(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(delivered(), 'the OMS received the interaction and the invoiceData update');
  } finally {
    await w.close(); // stops the workers cleanly
  }
});
