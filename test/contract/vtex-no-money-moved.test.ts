/**
 * With VTEX, moneygraph moves no money for an order and promises none: a credit to a payment method
 * is refused like a return's refund; the pending-refund calculation never lists a return VTEX did
 * not refund as a refund moneygraph will make (the exception is the answer); and VTEX's refunds are
 * matched to the return they answer — by the Input package's restitution and by time — so the
 * exception names the return VTEX forgot, not another of the same amount.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { refreshExceptions } from '../../src/reconciliation/exceptions.service';
import { EXCEPTIONS_QUERY } from '../support/recon';
import { CREDIT_PAYMENT_METHOD, key, pspRefunds, rows } from '../support/refunds';
import { call } from '../support/drive';
import { stopTestServer } from '../support/test-app';
import { VtexOmsAdapter } from '../../src/systems/oms';
import { startVtex, until, type VtexHarness } from './oms-fixtures';

let h: VtexHarness;
before(async () => {
  h = await startVtex({ INPUT_INVOICE_REFUND_GRACE_SECONDS: '0' });
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

const PENDING = `query($id: ID!) { order(id: $id) {
  moneyState { pendingRefund { amount } }
  pendingRefunds { nextAction totalPending { amount } invoices { invoiceId nextAction pending { amount } unrefundedByOms { amount currencyCode } } }
} }`;

const refundRows = (orderId: string) => rows(h.t, 'SELECT id, status, amount_minor, invoice_id, psp_refund_id FROM refund WHERE order_id = ?', [orderId]);

test('creditPaymentMethod on a VTEX order is refused with OMS_REFUNDS_ITSELF, audited, and nothing is sent to the PSP — even where the PSP holds a payment method of the order', async () => {
  const orderId = await h.createOrder(9_000);
  // The payment also reported by a PSP that moneygraph could pay through: a credit would move real money.
  const pay = await call(h.t.sims.urls.psp, 'POST', '/payments', { orderId, amount: '9000', currency: 'EUR', method: 'CARD', customerId: 'cust-vtex' });
  const paymentId: string = pay.id ?? pay.payment?.id;
  await call(h.t.sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, {});
  const [pm] = await until('the payment at moneygraph', async () => {
    const r = await rows(h.t, 'SELECT payment_method_id FROM psp_payment WHERE id = ?', [paymentId]);
    return r.length ? r : null;
  });
  const input = { orderId, paymentMethodId: pm.payment_method_id, amount: '10.00', reason: 'GOODWILL', customer: { hsid: 'hsid-vtex' }, idempotencyKey: key('crd') };
  const r = (await h.t.gql('ADMIN', CREDIT_PAYMENT_METHOD, { input })).data.creditPaymentMethod;
  assert.equal(r.refund, null);
  assert.deepEqual(
    r.userErrors.map((e: any) => e.code),
    ['OMS_REFUNDS_ITSELF'],
  );
  assert.match(r.userErrors[0].message, /refunds return invoices by itself: moneygraph does not refund a credit to payment method/);
  assert.deepEqual(await refundRows(orderId), [], 'no refund recorded');
  assert.equal(pspRefunds(h.t, orderId).length, 0, 'nothing sent to the PSP');
  const audit = await rows(h.t, "SELECT outcome FROM audit_log WHERE operation = 'creditPaymentMethod' AND order_id = ?", [orderId]);
  assert.deepEqual(
    audit.map((a) => a.outcome),
    ['REJECTED:OMS_REFUNDS_ITSELF'],
  );
  // The same key again: still refused, still nothing (no idempotency row was taken by the refusal).
  const again = (await h.t.gql('ADMIN', CREDIT_PAYMENT_METHOD, { input })).data.creditPaymentMethod;
  assert.equal(again.userErrors[0]?.code, 'OMS_REFUNDS_ITSELF');
  assert.equal(pspRefunds(h.t, orderId).length, 0);
});

test('pendingRefunds never lists a return VTEX forgot as a refund moneygraph will make: pending 0, unrefundedByOms says what VTEX owes, nextAction OMS_REFUNDS_ITSELF', async () => {
  const orderId = await h.createOrder(20_000);
  const paid = await h.returnInvoice(orderId, 2_000);
  h.vtex.faults.forgetRefundNext = 1;
  const forgotten = await h.returnInvoice(orderId, 5_000);
  await until('both returns, the first refunded', async () => {
    const inputs = await rows(h.t, "SELECT id FROM oms_invoice WHERE order_id = ? AND kind = 'INPUT'", [orderId]);
    return inputs.length === 2 && (await refundRows(orderId)).some((r) => r.invoice_id === paid && r.status === 'SUCCEEDED');
  });
  const d = (await h.t.gql('FINANCE', PENDING, { id: orderId })).data.order;
  const byId = new Map(d.pendingRefunds.invoices.map((i: any) => [i.invoiceId, i]));
  assert.deepEqual(byId.get(forgotten), {
    invoiceId: forgotten,
    nextAction: 'OMS_REFUNDS_ITSELF',
    pending: { amount: '0.00' },
    unrefundedByOms: { amount: '50.00', currencyCode: 'EUR' },
  });
  assert.deepEqual(byId.get(paid), { invoiceId: paid, nextAction: 'NONE', pending: { amount: '0.00' }, unrefundedByOms: { amount: '0.00', currencyCode: 'EUR' } });
  assert.equal(d.pendingRefunds.nextAction, 'OMS_REFUNDS_ITSELF');
  assert.equal(d.pendingRefunds.totalPending.amount, '0.00');
  assert.equal(d.moneyState.pendingRefund.amount, '0.00');
  // Nor does the orders list call it an order with a refund to make.
  const listed = await h.t.gql('FINANCE', `query { orders(first: 100, filter: { hasPendingRefund: true }) { nodes { id } } }`);
  assert.ok(!listed.data.orders.nodes.some((n: any) => n.id === orderId));
  const without = await h.t.gql('FINANCE', `query { orders(first: 100, filter: { hasPendingRefund: false }) { nodes { id } } }`);
  assert.ok(without.data.orders.nodes.some((n: any) => n.id === orderId));
});

test('two returns of the same amount, the first forgotten by VTEX: VTEX’s refund covers the second (the one it answered) and the exception names the first', async () => {
  const orderId = await h.createOrder(20_000);
  h.vtex.faults.forgetRefundNext = 1;
  const forgotten = await h.returnInvoice(orderId, 3_000);
  const refunded = await h.returnInvoice(orderId, 3_000);
  const [vtexRefund] = h.vtex.refundsOf(orderId);
  assert.ok(vtexRefund && h.vtex.refundsOf(orderId).length === 1, 'VTEX refunded the second return only');
  const r = await until('VTEX’s refund in the ledger', async () => (await refundRows(orderId)).find((x) => x.status === 'SUCCEEDED'));
  assert.deepEqual([r.psp_refund_id, r.invoice_id], [vtexRefund.id, refunded]);
  await refreshExceptions(RequestContext.system(h.t.app.services), { force: true });
  const listed = await h.t.gql('SUPPORT', EXCEPTIONS_QUERY, { filter: { orderId, kinds: ['INPUT_INVOICE_NOT_REFUNDED'] }, first: 10 });
  assert.deepEqual(
    listed.data.moneyExceptions.edges.map((e: any) => e.node.evidence.invoiceReference),
    [forgotten],
  );
});

test('a refund VTEX makes between the read of the order and the read of its refunds is matched against the order read again: it covers its own return, not an older one of the same amount', async () => {
  const orderId = await h.createOrder(20_000);
  const older = `RET-${orderId}-older`;
  const newer = `RET-${orderId}-newer`;
  h.vtex.faults.forgetRefundOf.push(older);
  await h.vtex.invoice(orderId, { type: 'Input', invoiceNumber: older, invoiceValue: 3_000 });
  const vtex = h.port as VtexOmsAdapter;
  const request = vtex.payments.request.bind(vtex.payments);
  let first = true;
  // The newer return (and VTEX's refund of it) lands after the order was read, before its refunds are.
  vtex.payments.request = (async (...args: Parameters<typeof request>) => {
    if (first) {
      first = false;
      await h.vtex.invoice(orderId, { type: 'Input', invoiceNumber: newer, invoiceValue: 3_000 });
    }
    return request(...args);
  }) as typeof vtex.payments.request;
  try {
    const r = await vtex.getOrder(h.ctx, orderId);
    const [refund] = h.vtex.refundsOf(orderId);
    assert.ok(refund && h.vtex.invoiceOfRefund(refund.id) === newer);
    assert.deepEqual(
      r!.ownRefunds.map((x) => [x.refundId, x.invoiceNumber]),
      [[refund.id, newer]],
    );
    assert.ok(
      r!.invoices.some((i) => i.number === newer),
      'matched against the order read again',
    );
  } finally {
    vtex.payments.request = request;
  }
});
