/**
 * The refund lifecycle against an unreliable PSP: answers lost after the PSP acted, 5xx, late
 * failures, reversals, and webhooks duplicated, out of order or late. Upstream retries are off
 * here so that each fault hits exactly the call it is meant for.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { withTransaction } from '../../src/db/transaction';
import { drainOutbox } from '../../src/outbox';
import { holdOrder, releaseOrder } from '../../src/reconciliation/holds';
import { RecoveryWorker } from '../../src/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { flushPsp, key, orderView, pspFaults, pspRefunds, RECOVER_REFUNDS, REFUND_INVOICE, refundInvoice, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', UPSTREAM_RETRIES: '0', UPSTREAM_BREAKER_THRESHOLD: '1000' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  await pspFaults(t, {
    faultsOnly: null,
    timeoutNext: 0,
    failNext: 0,
    lateFailNext: 0,
    hangMs: 30000,
    webhooks: { mode: 'immediate', duplicate: false, reverse: false, dropNext: 0 },
  });
  await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: false });
});

const recover = async (orderId?: string) => {
  const r = await t.gql('ADMIN', RECOVER_REFUNDS, { input: orderId ? { orderId } : {} });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.recoverRefunds.recovered;
};
const erpPostings = (orderId: string) => [...t.sims.erp.state.postings.values()].filter((p) => p.orderId === orderId && p.kind === 'REFUND');
const refundRow = async (id: string) => (await rows(t, 'SELECT * FROM refund WHERE id = ?', [id]))[0];

describe('lost answers', () => {
  test('the PSP refunds but its answer times out: SUBMITTED, then recovered to SUCCEEDED with the same key', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { faultsOnly: 'POST /refunds', timeoutNext: 1, hangMs: 2500, webhooks: { mode: 'hold' } });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.deepEqual(p.userErrors, []);
    assert.equal(p.refund.status, 'SUBMITTED', 'an unknown outcome is never assumed');
    assert.equal(p.order.pendingRefunds.totalInFlight.amount, '30.00');
    assert.equal(p.order.pendingRefunds.totalPending.amount, '0.00');
    const atPsp = pspRefunds(t, o.orderId);
    assert.equal(atPsp.length, 1);
    assert.equal(atPsp[0]!.status, 'SUCCEEDED');

    const recovered = await recover(o.orderId);
    assert.deepEqual(
      recovered.map((r: any) => [r.id, r.status, r.merchantTransactionId, r.pspRefundId]),
      [[p.refund.id, 'SUCCEEDED', p.refund.merchantTransactionId, atPsp[0]!.refundId]],
    );
    assert.equal(pspRefunds(t, o.orderId).length, 1, 'found at the PSP, not sent again');
    assert.equal((await refundRow(p.refund.id)).attempts, 1);
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await flushPsp(t);
    const view = await orderView(t, o.orderId);
    assert.equal(view.pendingRefunds.totalSucceeded.amount, '30.00');
    assert.equal(view.invoiceData.entries.find((e: any) => e.invoiceId === inv).refunded.amount, '30.00');
    assert.equal(view.interactions.filter((i: any) => i.kind === 'Refund Payment').length, 1);
  });

  test('the PSP answers 503 without acting: recovery sends the same request with the same key once more', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1, failStatus: 503 });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.equal(p.refund.status, 'SUBMITTED');
    assert.equal(pspRefunds(t, o.orderId).length, 0);
    // A new refund of the order first settles the interrupted one, with its key; then nothing is left.
    const second = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.deepEqual(
      second.userErrors.map((e: any) => e.code),
      ['NOTHING_PENDING'],
    );
    assert.deepEqual(second.order.refunds, [{ id: p.refund.id, status: 'SUCCEEDED' }]);
    const r = await refundRow(p.refund.id);
    assert.equal(r.attempts, 2);
    assert.equal((await recover(o.orderId)).length, 0);
    const atPsp = pspRefunds(t, o.orderId);
    assert.deepEqual(
      atPsp.map((x) => [x.merchantTransactionId, x.amount, x.invoiceNumber]),
      [[p.refund.merchantTransactionId, 3000n, inv]],
    );
  });

  test('while the first request with a key is still running, the same key answers IDEMPOTENCY_KEY_IN_USE, then the first result', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    // The PSP acts but its answer and its webhook are late, so the first request stays in flight.
    await pspFaults(t, { faultsOnly: 'POST /refunds', timeoutNext: 1, hangMs: 2500, webhooks: { mode: 'hold' } });
    const k = key('running');
    const first = refundInvoice(t, { orderId: o.orderId, invoiceId: inv, idempotencyKey: k });
    // The first holds the key once its intent is committed.
    for (let i = 0; i < 200 && Number((await rows(t, 'SELECT COUNT(*) n FROM idempotency_key WHERE `key` = ?', [k]))[0].n) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const second = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, idempotencyKey: k })).data.refundInvoice;
    assert.deepEqual(
      second.userErrors.map((e: any) => e.code),
      ['IDEMPOTENCY_KEY_IN_USE'],
    );
    const f = (await first).data.refundInvoice;
    assert.equal(f.refund.status, 'SUBMITTED');
    // Once the first has given up, the same key settles that refund and answers with it.
    const third = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, idempotencyKey: k })).data.refundInvoice;
    assert.deepEqual(third.userErrors, []);
    assert.equal(third.refund.id, f.refund.id);
    assert.equal(third.refund.status, 'SUCCEEDED');
    assert.equal(pspRefunds(t, o.orderId).length, 1);
  });

  test('a replay of a key whose request gave up finishes that refund, with its key', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1 });
    const k = key('resume');
    const first = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, idempotencyKey: k })).data.refundInvoice;
    assert.equal(first.refund.status, 'SUBMITTED');
    const again = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, idempotencyKey: k })).data.refundInvoice;
    assert.equal(again.refund.id, first.refund.id);
    assert.equal(again.refund.status, 'SUCCEEDED');
    assert.equal(again.order.pendingRefunds.totalSucceeded.amount, '30.00');
    assert.equal(pspRefunds(t, o.orderId).length, 1);
  });
});

describe('late failures and reversals go through the same outcome path', () => {
  test('accepted, then failed by the partner (webhook after the answer): SUCCEEDED → FAILED, invoiceData and the ERP follow', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { lateFailNext: 1, webhooks: { mode: 'hold' } });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.equal(p.refund.status, 'SUCCEEDED');
    assert.equal(p.order.invoiceData.entries.find((e: any) => e.invoiceId === inv).refunded.amount, '30.00');
    await drainOutbox(t.app.services);
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await flushPsp(t);
    const row = await refundRow(p.refund.id);
    assert.equal(row.status, 'FAILED');
    assert.ok(row.error_code);
    const view = await orderView(t, o.orderId);
    assert.equal(view.invoiceData.entries.find((e: any) => e.invoiceId === inv).refunded.amount, '0.00');
    assert.equal(view.pendingRefunds.invoices[0].pending.amount, '30.00');
    assert.equal(view.pendingRefunds.invoices[0].drift, false);
    // The OMS's copy lags until the outbox delivers the correction.
    assert.equal(view.pendingRefunds.invoices[0].omsDrift, true);
    assert.deepEqual(
      view.interactions
        .filter((i: any) => i.refundId === p.refund.id)
        .map((i: any) => i.kind)
        .sort(),
      ['Refund Payment', 'Refund Reversed'],
    );
    await drainOutbox(t.app.services);
    assert.deepEqual(
      erpPostings(o.orderId)
        .map((x) => [x.externalRef, x.amount])
        .sort(),
      [
        [p.refund.pspRefundId, 3000n],
        [`${p.refund.pspRefundId}:reversal`, -3000n],
      ],
    );
    assert.deepEqual(t.sims.oms.state.invoiceData.get(o.orderId)!.entries, [{ invoiceNumber: inv, refunded: 0n, refundIds: [] }]);
    assert.equal((await orderView(t, o.orderId)).pendingRefunds.drift, false);
  });

  test('a late failure whose webhook beats the answer: FAILED, and the older SUCCEEDED answer changes nothing', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { lateFailNext: 1 });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.equal(p.refund.status, 'FAILED');
    assert.equal(p.order.invoiceData.entries.find((e: any) => e.invoiceId === inv).refunded.amount, '0.00');
    await drainOutbox(t.app.services);
    assert.deepEqual(erpPostings(o.orderId), []);
  });

  test('a reversal at the PSP: FAILED (REFUND_REVERSED), the invoice is pending again, the ERP gets the reversing posting', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    await call(t.sims.urls.psp, 'POST', `/refunds/${p.refund.pspRefundId}/reverse`);
    const row = await refundRow(p.refund.id);
    assert.deepEqual([row.status, row.error_code], ['FAILED', 'REFUND_REVERSED']);
    const view = await orderView(t, o.orderId);
    assert.equal(view.pendingRefunds.totalPending.amount, '30.00');
    await drainOutbox(t.app.services);
    assert.deepEqual(
      erpPostings(o.orderId)
        .map((x) => x.amount)
        .sort(),
      [-3000n, 3000n],
    );
  });
});

describe('webhooks duplicated, out of order, late', () => {
  test('REVERSED delivered before SUCCEEDED, every event twice: the newer outcome stands, each effect happens once', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { webhooks: { mode: 'hold', duplicate: true, reverse: true } });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    assert.equal(p.refund.status, 'SUCCEEDED');
    await call(t.sims.urls.psp, 'POST', `/refunds/${p.refund.pspRefundId}/reverse`);
    await flushPsp(t);
    const row = await refundRow(p.refund.id);
    assert.deepEqual([row.status, row.error_code], ['FAILED', 'REFUND_REVERSED']);
    const outcomes = await rows(t, "SELECT outcome FROM audit_log WHERE order_id = ? AND operation = 'refund.outcome' ORDER BY id", [o.orderId]);
    assert.deepEqual(
      outcomes.map((x) => x.outcome),
      ['SUCCEEDED', 'FAILED:REFUND_REVERSED'],
    );
    const outbox = await rows(t, 'SELECT topic, dedupe_key FROM outbox_message WHERE order_id = ? ORDER BY id', [o.orderId]);
    assert.equal(outbox.filter((m) => m.topic === 'erp.post').length, 2);
    assert.equal(outbox.filter((m) => m.topic === 'oms.interaction').length, 2);
  });

  test('a REFUND_SUCCEEDED that arrives long after the answer changes nothing', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { webhooks: { mode: 'hold' } });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    await drainOutbox(t.app.services);
    const before = await rows(t, 'SELECT updated_at, status FROM refund WHERE id = ?', [p.refund.id]);
    await pspFaults(t, { webhooks: { mode: 'immediate', duplicate: true } });
    await flushPsp(t);
    assert.deepEqual(await rows(t, 'SELECT updated_at, status FROM refund WHERE id = ?', [p.refund.id]), before);
    assert.equal((await rows(t, "SELECT COUNT(*) n FROM audit_log WHERE order_id = ? AND operation = 'refund.outcome'", [o.orderId]))[0].n, '1');
  });

  test('a refund made at the PSP console becomes a refund of origin PSP, allocated to its invoice', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '2500');
    await call(t.sims.urls.psp, 'POST', '/refunds', {
      paymentId: o.paymentId,
      amount: '2500',
      merchantTransactionId: key('console'),
      metadata: { orderId: o.orderId, invoiceNumber: inv },
    });
    const view = await orderView(t, o.orderId);
    const r = (await t.gql('ADMIN', `query($id: ID!) { order(id: $id) { refunds { origin status invoiceId amount { amount } } } }`, { id: o.orderId })).data.order.refunds;
    assert.deepEqual(r, [{ origin: 'PSP', status: 'SUCCEEDED', invoiceId: inv, amount: { amount: '25.00' } }]);
    assert.equal(view.pendingRefunds.totalPending.amount, '0.00');
    assert.equal(view.invoiceData.entries.find((e: any) => e.invoiceId === inv).refunded.amount, '25.00');
  });
});

describe('the ERP', () => {
  test('in non-idempotent mode still gets one posting per refund from moneygraph: the outbox key is the PSP refund id', async () => {
    await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: true });
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await pspFaults(t, { webhooks: { duplicate: true } });
    const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    // The outcome replayed (a syncOrder, a redelivered webhook) enqueues nothing new.
    await pspFaults(t, { webhooks: { duplicate: false } });
    await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId: o.orderId } });
    await drainOutbox(t.app.services);
    await drainOutbox(t.app.services);
    assert.deepEqual(
      erpPostings(o.orderId).map((x) => x.externalRef),
      [p.refund.pspRefundId],
    );
    const mirror = await rows(t, "SELECT external_ref FROM erp_posting WHERE order_id = ? AND kind = 'REFUND'", [o.orderId]);
    assert.deepEqual(
      mirror.map((x) => x.external_ref),
      [p.refund.pspRefundId],
    );
  });
});

test('an ERP answer lost on a non-idempotent ERP: the retry reads back what was booked and books nothing twice', async () => {
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '3000');
  const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
  await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: true, timeoutNext: 1, hangMs: 1500 });
  await drainOutbox(t.app.services);
  await drainOutbox(t.app.services);
  assert.deepEqual(
    erpPostings(o.orderId).map((x) => x.externalRef),
    [p.refund.pspRefundId],
  );
  const [m] = await rows(t, "SELECT status, attempts FROM outbox_message WHERE order_id = ? AND topic = 'erp.post'", [o.orderId]);
  assert.deepEqual([m.status, m.attempts], ['DONE', 2]);
  assert.equal((await rows(t, "SELECT COUNT(*) n FROM erp_posting WHERE order_id = ? AND kind = 'REFUND'", [o.orderId]))[0].n, '1');
});

describe('recovery', () => {
  test('the worker recovers stale refunds but leaves orders on hold to an admin', async () => {
    const held = await paidOrder(t.sims);
    const free = await paidOrder(t.sims);
    const heldInv = await returnInvoice(t.sims, held.orderId, '1000');
    const freeInv = await returnInvoice(t.sims, free.orderId, '1000');
    await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 2 });
    const a = (await refundInvoice(t, { orderId: held.orderId, invoiceId: heldInv })).data.refundInvoice.refund;
    const b = (await refundInvoice(t, { orderId: free.orderId, invoiceId: freeInv })).data.refundInvoice.refund;
    assert.deepEqual([a.status, b.status], ['SUBMITTED', 'SUBMITTED']);
    const ctx = RequestContext.system(t.app.services);
    await withTransaction(ctx, (tx) => holdOrder(tx, { orderId: held.orderId, note: 'investigating' }));
    await new RecoveryWorker(t.app.services).tick();
    assert.equal((await refundRow(b.id)).status, 'SUCCEEDED');
    assert.equal((await refundRow(a.id)).status, 'SUBMITTED');
    // An admin's explicit request is not blocked by the hold.
    const recovered = await recover(held.orderId);
    assert.deepEqual(
      recovered.map((r: any) => [r.id, r.status]),
      [[a.id, 'SUCCEEDED']],
    );
    await withTransaction(ctx, (tx) => releaseOrder(tx, held.orderId));
  });

  test('recoverRefunds without an order takes every stale refund', async () => {
    const orders = await Promise.all([paidOrder(t.sims), paidOrder(t.sims), paidOrder(t.sims)]);
    const ids: string[] = [];
    for (const o of orders) {
      const inv = await returnInvoice(t.sims, o.orderId, '1000');
      await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1 });
      ids.push((await t.gql('ADMIN', REFUND_INVOICE, { input: { orderId: o.orderId, invoiceId: inv, reason: 'RETURN', idempotencyKey: key() } })).data.refundInvoice.refund.id);
    }
    const recovered = await recover();
    for (const id of ids) assert.equal(recovered.find((r: any) => r.id === id)?.status, 'SUCCEEDED');
    assert.equal((await recover()).length, 0);
  });
});
