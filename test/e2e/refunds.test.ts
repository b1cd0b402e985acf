import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox } from '../../src/outbox';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { CREDIT_PAYMENT_METHOD, footprint, key, orderView, pspFaults, pspRefunds, refundInvoice, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', CREDIT_LIMIT_MINOR: '50000' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

describe('refundInvoice', () => {
  test('refunds what is pending, updates invoiceData and the timeline in one go, and the effects reach OMS and ERP', async () => {
    const o = await paidOrder(t.sims, { total: '10000' });
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const p = r.data.refundInvoice;
    assert.deepEqual(p.userErrors, []);
    assert.equal(p.refund.status, 'SUCCEEDED');
    assert.deepEqual(p.refund.amount, { amount: '30.00', currencyCode: 'EUR' });
    assert.equal(p.refund.invoiceId, inv);
    assert.equal(p.refund.paymentId, o.paymentId);
    assert.ok(p.refund.pspRefundId);
    // The payload's order is the state after the commit.
    assert.equal(p.order.pendingRefunds.totalPending.amount, '0.00');
    assert.equal(p.order.pendingRefunds.drift, false);
    const entry = p.order.invoiceData.entries.find((e: any) => e.invoiceId === inv);
    assert.equal(entry.refunded.amount, '30.00');
    assert.deepEqual(entry.refundIds, [p.refund.id]);
    assert.ok(p.order.interactions.some((i: any) => i.kind === 'Refund Payment' && i.refundId === p.refund.id));

    const psp = pspRefunds(t, o.orderId);
    assert.equal(psp.length, 1);
    assert.equal(psp[0]!.merchantTransactionId, p.refund.merchantTransactionId);
    assert.equal(psp[0]!.amount, 3000n);

    await drainOutbox(t.app.services);
    const erp = [...t.sims.erp.state.postings.values()].filter((x) => x.orderId === o.orderId && x.kind === 'REFUND');
    assert.deepEqual(
      erp.map((x) => [x.externalRef, x.amount]),
      [[p.refund.pspRefundId, 3000n]],
    );
    const omsData = t.sims.oms.state.invoiceData.get(o.orderId)!;
    assert.deepEqual(omsData.entries, [{ invoiceNumber: inv, refunded: 3000n, refundIds: [p.refund.id] }]);
    assert.ok([...t.sims.oms.state.interactions.values()].some((i) => i.id === `refund-payment:${p.refund.id}`));
    const view = await orderView(t, o.orderId);
    assert.equal(view.invoiceData.inSync, true);
    const audit = await rows(t, 'SELECT operation, outcome FROM audit_log WHERE order_id = ? ORDER BY id', [o.orderId]);
    assert.deepEqual(
      audit.map((a) => [a.operation, a.outcome]),
      [
        ['refundInvoice', 'REQUESTED'],
        ['refund.outcome', 'SUCCEEDED'],
      ],
    );
  });

  test('a partial amount, then the rest', async () => {
    const o = await paidOrder(t.sims, { total: '10000' });
    const inv = await returnInvoice(t.sims, o.orderId, '5000');
    const a = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '20.00', currencyCode: 'EUR' })).data.refundInvoice;
    assert.equal(a.refund.status, 'SUCCEEDED');
    assert.equal(a.order.pendingRefunds.totalPending.amount, '30.00');
    const b = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.equal(b.refund.amount.amount, '30.00');
    assert.equal(b.order.pendingRefunds.totalPending.amount, '0.00');
    const c = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.deepEqual(
      c.userErrors.map((e: any) => e.code),
      ['NOTHING_PENDING'],
    );
  });

  test('only ADMIN may refund: SUPPORT, ANALYST and FINANCE are FORBIDDEN, anonymous is UNAUTHENTICATED', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '1000');
    for (const role of ['SUPPORT', 'ANALYST', 'FINANCE'] as const) {
      const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv }, role);
      assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
    }
    const anon = await t.gql(null, 'mutation { recoverRefunds(input: {}) { recovered { id } } }');
    assert.equal(anon.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const f = await t.gql('FINANCE', 'mutation { recoverRefunds(input: {}) { recovered { id } } }');
    assert.equal(f.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await footprint(t, o.orderId)).refunds, 0);
    assert.equal(pspRefunds(t, o.orderId).length, 0);
  });
});

describe('around refundInvoice', () => {
  test("an answer lost after the PSP refunded: the client's retry with the same key meets the same refund and adopts it", async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '1500');
    await pspFaults(t, { timeoutNext: 1, hangMs: 2500, webhooks: { mode: 'hold' } });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    assert.equal(p.refund.status, 'SUCCEEDED');
    assert.equal(p.refund.attempts, 1);
    const psp = pspRefunds(t, o.orderId);
    assert.deepEqual(
      psp.map((x) => [x.merchantTransactionId, x.status]),
      [[p.refund.merchantTransactionId, 'SUCCEEDED']],
    );
  });

  test('with automatic refunds switched off, a return invoice waits for a person', async () => {
    const o = await paidOrder(t.sims);
    await returnInvoice(t.sims, o.orderId, '1500');
    assert.equal((await rows(t, "SELECT COUNT(*) n FROM outbox_message WHERE order_id = ? AND topic = 'refund.auto'", [o.orderId]))[0].n, '0');
    assert.equal((await orderView(t, o.orderId)).pendingRefunds.totalPending.amount, '15.00');
  });

  test('recoverRefunds of an unknown order is ORDER_NOT_FOUND; of a known one, audited', async () => {
    const r = await t.gql('ADMIN', 'mutation { recoverRefunds(input: { orderId: "ord_nope" }) { recovered { id } userErrors { code field } } }');
    assert.deepEqual(r.data.recoverRefunds, { recovered: [], userErrors: [{ code: 'ORDER_NOT_FOUND', field: ['input', 'orderId'] }] });
    const o = await paidOrder(t.sims);
    const ok = await t.gql('ADMIN', 'mutation($id: ID!) { recoverRefunds(input: { orderId: $id }) { recovered { id } userErrors { code } } }', { id: o.orderId });
    assert.deepEqual(ok.data.recoverRefunds, { recovered: [], userErrors: [] });
    assert.deepEqual(await rows(t, "SELECT role, outcome FROM audit_log WHERE order_id = ? AND operation = 'recoverRefunds'", [o.orderId]), [
      { role: 'ADMIN', outcome: 'RECOVERED:0' },
    ]);
  });

  test('bad GraphQL input: reason, idempotency key, orderId lengths', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '1500');
    for (const input of [{ reason: '' }, { reason: 'x'.repeat(65) }, { idempotencyKey: 'has space' }, { idempotencyKey: 'k'.repeat(129) }, { orderId: 'o'.repeat(65) }]) {
      const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, ...input });
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(input));
    }
    assert.equal((await footprint(t, o.orderId)).refunds, 0);
  });
});

describe('creditPaymentMethod', () => {
  const credit = (input: Record<string, unknown>, role: 'ADMIN' | 'FINANCE' = 'ADMIN') =>
    t.gql(role, CREDIT_PAYMENT_METHOD, { input: { reason: 'GOODWILL', idempotencyKey: key('credit'), ...input } });

  test('credits a card within the limit: an UNLINKED refund with no invoice, posted to the ERP', async () => {
    const o = await paidOrder(t.sims);
    const pay = await call(t.sims.urls.psp, 'GET', `/payments/${o.paymentId}`);
    const r = (await credit({ orderId: o.orderId, paymentMethodId: pay.paymentMethodId, amount: '12.34', customer: { hsid: 'hs-1' } })).data.creditPaymentMethod;
    assert.deepEqual(r.userErrors, []);
    assert.equal(r.refund.status, 'SUCCEEDED');
    assert.equal(r.refund.kind, 'UNLINKED');
    assert.equal(r.refund.invoiceId, null);
    assert.equal(r.refund.paymentMethodId, pay.paymentMethodId);
    const psp = pspRefunds(t).find((x) => x.merchantTransactionId === r.refund.merchantTransactionId)!;
    assert.equal(psp.paymentMethodId, pay.paymentMethodId);
    assert.equal(psp.paymentId, null);
    assert.equal(psp.amount, 1234n);
    await drainOutbox(t.app.services);
    assert.ok([...t.sims.erp.state.postings.values()].some((x) => x.externalRef === r.refund.pspRefundId));
    assert.equal((await rows(t, "SELECT COUNT(*) n FROM oms_invoice_data WHERE order_id = ? AND copy = 'MONEYGRAPH'", [o.orderId]))[0].n, '0');
  });

  test('idempotent like refundInvoice: the same key and arguments → the first credit; other arguments → IDEMPOTENCY_KEY_REUSED', async () => {
    const o = await paidOrder(t.sims);
    const pay = await call(t.sims.urls.psp, 'GET', `/payments/${o.paymentId}`);
    const input = { orderId: o.orderId, paymentMethodId: pay.paymentMethodId, amount: '5.00', customer: { metadata: { b: '2', a: '1' } }, idempotencyKey: key('credit') };
    const first = (await credit(input)).data.creditPaymentMethod;
    const again = (await credit({ ...input, amount: '5.0', customer: { metadata: { a: '1', b: '2' } } })).data.creditPaymentMethod;
    assert.equal(again.refund.id, first.refund.id);
    const other = (await credit({ ...input, amount: '6.00' })).data.creditPaymentMethod;
    assert.deepEqual(
      other.userErrors.map((e: any) => e.code),
      ['IDEMPOTENCY_KEY_REUSED'],
    );
    assert.equal(pspRefunds(t).filter((x) => x.paymentMethodId === pay.paymentMethodId).length, 1);
  });

  test('FORBIDDEN for FINANCE', async () => {
    const o = await paidOrder(t.sims);
    const r = await credit({ orderId: o.orderId, paymentMethodId: 'pm_x', amount: '1.00', customer: { hsid: 'h' } }, 'FINANCE');
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
