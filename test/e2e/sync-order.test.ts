import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
afterEach(async () => {
  for (const url of Object.values(t.sims.urls)) await call(url, 'POST', '/_faults', { faultsOnly: null, failNext: 0, failStatus: 503, webhooks: { mode: 'immediate' } });
});

const SYNC = `mutation($id: ID!) { syncOrder(input: { orderId: $id }) {
  order { id status total { amount currencyCode } }
  synced { invoices interactions payments captures refunds postings refundsSkipped }
  userErrors { code message field } } }`;

const ORDER = `query($id: ID!) { order(id: $id) {
  id status total { amount currencyCode }
  invoices { id kind amount { amount } }
  interactions { id kind source refundId }
  invoiceData { entries { invoiceId omsRefunded { amount } omsRefundIds } }
  payments { id status authorized { amount } }
  captures { id amount { amount } }
  erpPostings { id externalRef amount { amount } status }
  refunds { pspRefundId status amount { amount } }
} }`;

/** Every simulator's webhooks held: the service hears nothing of what follows. */
const holdWebhooks = async () => {
  for (const url of Object.values(t.sims.urls)) await call(url, 'POST', '/_faults', { webhooks: { mode: 'hold' } });
};
const sync = (id: string, role: 'ADMIN' | 'SUPPORT' | 'ANALYST' | 'FINANCE' | null = 'ADMIN') => t.gql(role, SYNC, { id });
const order = async (id: string) => (await t.gql('ADMIN', ORDER, { id })).data.order;
const audit = (orderId: string) => t.dataSource.query("SELECT operation, outcome, subject FROM audit_log WHERE order_id = ? AND operation = 'syncOrder' ORDER BY id", [orderId]);
const omsOrder = (id: string) => t.sims.oms.state.orders.get(id)!;

/** An order whose every record exists upstream while the service missed all the webhooks. */
async function missedOrder() {
  await holdWebhooks();
  const o = await paidOrder(t.sims, { total: '10000' });
  const inv = await returnInvoice(t.sims, o.orderId, '2500');
  const refund = await call(t.sims.urls.psp, 'POST', '/refunds', {
    paymentId: o.paymentId,
    amount: '2500',
    merchantTransactionId: randomUUID(),
    reason: 'RETURN',
    metadata: { orderId: o.orderId, invoiceNumber: inv },
  });
  const posting = await call(
    t.sims.urls.erp,
    'POST',
    '/journal-entries',
    {
      kind: 'REFUND',
      externalRef: refund.refundId,
      orderId: o.orderId,
      amount: '-2500',
      currency: 'EUR',
      reasonCode: 'RETURN',
    },
    { 'Idempotency-Key': refund.refundId },
  );
  await call(
    t.sims.urls.oms,
    'PUT',
    `/orders/${o.orderId}/invoice-data`,
    { entries: [{ invoiceNumber: inv, refunded: '2500', refundIds: [refund.refundId] }] },
    { 'Idempotency-Key': randomUUID() },
  );
  return { ...o, inv, refundId: refund.refundId as string, documentId: posting.documentId as string };
}

describe('syncOrder', () => {
  test('recovers an order whose webhooks were all lost: OMS, PSP and ERP records, in one go', async () => {
    const m = await missedOrder();
    assert.equal(await order(m.orderId), null);

    const r = await sync(m.orderId);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const p = r.data.syncOrder;
    assert.deepEqual(p.userErrors, []);
    assert.deepEqual(p.order, { id: m.orderId, status: 'CONFIRMED', total: { amount: '100.00', currencyCode: 'EUR' } });
    assert.deepEqual(p.synced, { invoices: 2, interactions: 2, payments: 1, captures: 1, postings: 1, refunds: 1, refundsSkipped: 0 });

    const o = await order(m.orderId);
    assert.deepEqual(
      o.invoices.map((i: any) => [i.kind, i.amount.amount]),
      [
        ['OUTPUT', '100.00'],
        ['INPUT', '25.00'],
      ],
    );
    assert.deepEqual(
      o.interactions.filter((i: any) => i.source === 'OMS').map((i: any) => i.kind),
      ['Invoice Notification', 'Invoice Notification'],
    );
    // The PSP's record went through the refund ledger, which writes moneygraph's own "Refund Payment" entry.
    const ours = o.interactions.filter((i: any) => i.source === 'MONEYGRAPH').map((i: any) => i.kind);
    assert.deepEqual(ours, ['Refund Payment']);
    assert.deepEqual(o.payments, [{ id: m.paymentId, status: 'COMPLETED', authorized: { amount: '100.00' } }]);
    assert.deepEqual(o.captures, [{ id: m.captureId, amount: { amount: '100.00' } }]);
    assert.deepEqual(o.erpPostings, [{ id: m.documentId, externalRef: m.refundId, amount: { amount: '-25.00' }, status: 'POSTED' }]);
    const entry = o.invoiceData.entries.find((e: any) => e.invoiceId === m.inv);
    assert.deepEqual(entry, { invoiceId: m.inv, omsRefunded: { amount: '25.00' }, omsRefundIds: [m.refundId] });
    assert.deepEqual(
      o.refunds.map((x: any) => [x.pspRefundId, x.status, x.amount.amount]),
      [[m.refundId, 'SUCCEEDED', '25.00']],
    );

    assert.deepEqual(await audit(m.orderId), [{ operation: 'syncOrder', outcome: 'SUCCEEDED', subject: 'admin-demo' }]);

    // The lost webhooks arriving late, and a second sync, change nothing.
    await call(t.sims.urls.oms, 'POST', '/_faults', { webhooks: { mode: 'immediate' } });
    await t.sims.flush();
    assert.deepEqual((await sync(m.orderId)).data.syncOrder.userErrors, []);
    assert.deepEqual(await order(m.orderId), o);
  });

  test('a refund whose PSP answer timed out and whose webhook was lost is settled by syncOrder, never refunded twice', async () => {
    const o = await paidOrder(t.sims, { total: '8000' });
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await call(t.sims.urls.psp, 'POST', '/_faults', { faultsOnly: 'POST /refunds', webhooks: { mode: 'hold' }, timeoutNext: 20, hangMs: 5000 });
    const r = await t.gql(
      'ADMIN',
      `mutation($o: ID!, $i: ID!) { refundInvoice(input: { orderId: $o, invoiceId: $i, reason: "RETURN", idempotencyKey: "sync-timeout-1" }) {
      refund { id status merchantTransactionId } userErrors { code } } }`,
      { o: o.orderId, i: inv },
    );
    assert.deepEqual(r.data.refundInvoice.userErrors, []);
    assert.equal(r.data.refundInvoice.refund.status, 'SUBMITTED');
    const mtid = r.data.refundInvoice.refund.merchantTransactionId;
    await call(t.sims.urls.psp, 'POST', '/_faults', { timeoutNext: 0 });

    const s = await sync(o.orderId);
    assert.deepEqual(s.data.syncOrder.userErrors, []);
    const after = await order(o.orderId);
    const psp = Object.values((await call(t.sims.urls.psp, 'GET', '/_state')).refunds as Record<string, any>).filter((x) => x.merchantTransactionId === mtid);
    assert.equal(psp.length, 1);
    assert.deepEqual(
      after.refunds.map((x: any) => [x.pspRefundId, x.status, x.amount.amount]),
      [[psp[0].refundId, 'SUCCEEDED', '30.00']],
    );
  });

  test('an older upstream version never overwrites newer data; a newer one does', async () => {
    const o = await paidOrder(t.sims);
    await call(t.sims.urls.oms, 'PATCH', `/orders/${o.orderId}`, { status: 'SHIPPED' });
    assert.equal((await order(o.orderId)).status, 'SHIPPED');

    // A lagging upstream replica answers the order as it was at version 1.
    Object.assign(omsOrder(o.orderId), { status: 'CONFIRMED', total: 1n, version: 1 });
    Object.assign(t.sims.psp.state.payments.get(o.paymentId)!, { status: 'AUTHORIZED', version: 1 });
    assert.deepEqual((await sync(o.orderId)).data.syncOrder.userErrors, []);
    const stale = await order(o.orderId);
    assert.equal(stale.status, 'SHIPPED');
    assert.equal(stale.total.amount, '100.00');
    assert.equal(stale.payments[0].status, 'COMPLETED');

    // The upstream moves on while the service misses it: the sync takes the newer version.
    await holdWebhooks();
    Object.assign(omsOrder(o.orderId), { status: 'SHIPPED', total: 10000n, version: 2 });
    await call(t.sims.urls.oms, 'PATCH', `/orders/${o.orderId}`, { status: 'COMPLETED' });
    assert.equal((await order(o.orderId)).status, 'SHIPPED');
    const r = await sync(o.orderId);
    assert.equal(r.data.syncOrder.order.status, 'COMPLETED');
    assert.equal((await order(o.orderId)).status, 'COMPLETED');
  });

  test('an order no upstream system knows → ORDER_NOT_FOUND, nothing written but the audit row', async () => {
    const id = `ord_missing_${randomUUID().slice(0, 8)}`;
    const r = await sync(id);
    assert.deepEqual(r.data.syncOrder.order, null);
    assert.deepEqual(
      r.data.syncOrder.userErrors.map((e: any) => [e.code, e.field]),
      [['ORDER_NOT_FOUND', ['input', 'orderId']]],
    );
    assert.equal(await order(id), null);
    assert.deepEqual(await audit(id), [{ operation: 'syncOrder', outcome: 'REJECTED:ORDER_NOT_FOUND', subject: 'admin-demo' }]);
  });

  test('an upstream that fails → UPSTREAM_UNAVAILABLE and nothing changed, even what the others answered', async () => {
    const o = await paidOrder(t.sims);
    await holdWebhooks();
    await call(t.sims.urls.oms, 'PATCH', `/orders/${o.orderId}`, { status: 'SHIPPED' });
    await returnInvoice(t.sims, o.orderId, '1000');
    const before = await order(o.orderId);

    // More failures than the connector's attempts: the ERP stays unavailable for this call.
    await call(t.sims.urls.erp, 'POST', '/_faults', { failNext: 3, failStatus: 503 });
    const r = await sync(o.orderId);
    assert.equal(r.data.syncOrder.order, null);
    assert.deepEqual(
      r.data.syncOrder.userErrors.map((e: any) => e.code),
      ['UPSTREAM_UNAVAILABLE'],
    );
    assert.deepEqual(await order(o.orderId), before);
    assert.equal(before.status, 'CONFIRMED');
    assert.deepEqual(await audit(o.orderId), [{ operation: 'syncOrder', outcome: 'REJECTED:UPSTREAM_UNAVAILABLE', subject: 'admin-demo' }]);

    // Once the ERP answers again, the same call repairs the order.
    const ok = await sync(o.orderId);
    assert.deepEqual(ok.data.syncOrder.userErrors, []);
    assert.equal((await order(o.orderId)).status, 'SHIPPED');
    assert.equal((await order(o.orderId)).invoices.length, 2);
  });

  test('a stopped upstream → UPSTREAM_UNAVAILABLE', async () => {
    const o = await paidOrder(t.sims);
    await call(t.sims.urls.psp, 'POST', '/_faults', { failNext: 3, failStatus: 500 });
    const r = await sync(o.orderId);
    assert.deepEqual(
      r.data.syncOrder.userErrors.map((e: any) => e.code),
      ['UPSTREAM_UNAVAILABLE'],
    );
    assert.doesNotMatch(r.data.syncOrder.userErrors[0].message, /http:|127\.0\.0\.1|stack/i);
  });

  test('only a role with SYNC_ORDERS may sync: ADMIN yes; SUPPORT, ANALYST and FINANCE are FORBIDDEN; anonymous UNAUTHENTICATED', async () => {
    const o = await paidOrder(t.sims);
    for (const role of ['SUPPORT', 'ANALYST', 'FINANCE'] as const) {
      const r = await sync(o.orderId, role);
      assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
      assert.equal(r.data?.syncOrder ?? null, null);
    }
    assert.equal((await sync(o.orderId, null)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    // Each refused attempt by a logged-in role is on record; the anonymous one never reached a role.
    assert.deepEqual(
      await audit(o.orderId),
      ['support-demo', 'analyst-demo', 'finance-demo'].map((subject) => ({ operation: 'syncOrder', outcome: 'REJECTED:FORBIDDEN', subject })),
    );
    assert.deepEqual((await sync(o.orderId, 'ADMIN')).data.syncOrder.userErrors, []);
  });

  test('an empty order id is BAD_USER_INPUT', async () => {
    const r = await sync('  ');
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
