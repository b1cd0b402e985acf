/**
 * Seed 000 (OMS ↔ Payments): a refund executed at the PSP whose synchronous post-refund step
 * failed with a storage error left invoiceData stale; the next return invoice then retried the
 * old refund (PSP: "dont have value to refund") and was itself never refunded, silently.
 *
 * Here the outcome transaction fails after all its writes. Nothing of it may ever be visible; the
 * refund stays in flight (counted, so it is never computed again); the next return invoice first
 * recovers it with its own key (the PSP never sees it retried under a new key), then is refunded
 * for its own 50.00; and every copy of invoiceData ends equal to the refund ledger.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox, runOutboxRound } from '../../src/outbox';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder, returnInvoice } from '../support/drive';
import { flushPsp, orderView, pspFaults, pspRefunds, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp(); // automatic refund of INPUT invoices: on, as in production
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('seed 000: a refund whose outcome transaction failed is adopted, and the next return invoice is refunded for its own amount', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  // The PSP's webhooks are late: only the synchronous answer can record the outcome, as in the field.
  await pspFaults(t, { webhooks: { mode: 'hold' } });

  // 1. The first return invoice; its automatic refund succeeds at the PSP, then storage fails.
  const invA = await returnInvoice(t.sims, o.orderId, '3000');
  const seenDuringFailure: unknown[] = [];
  t.testHooks.outcomeWritten = async () => {
    t.testHooks.outcomeWritten = undefined;
    // What another connection sees while the failing transaction has written everything.
    seenDuringFailure.push(
      await t.dataSource.query("SELECT COUNT(*) n FROM oms_invoice_data WHERE order_id = ? AND copy = 'MONEYGRAPH'", [o.orderId]),
      await t.dataSource.query("SELECT COUNT(*) n FROM oms_interaction WHERE order_id = ? AND kind = 'Refund Payment'", [o.orderId]),
      await t.dataSource.query("SELECT COUNT(*) n FROM outbox_message WHERE order_id = ? AND topic <> 'refund.auto'", [o.orderId]),
      await t.dataSource.query('SELECT status FROM refund WHERE order_id = ?', [o.orderId]),
    );
    throw Object.assign(new Error('simulated storage error: table is full'), { code: 'ER_RECORD_FILE_FULL' });
  };
  const round = await runOutboxRound(t.app.services);
  assert.deepEqual([round.claimed, round.retried], [1, 1], 'the automatic refund failed and will be retried');
  assert.deepEqual(
    seenDuringFailure.map((r: any) => r[0].n ?? r[0].status),
    ['0', '0', '0', 'SUBMITTED'],
    'nothing of the outcome transaction was visible while it ran',
  );

  const atPsp = pspRefunds(t, o.orderId);
  assert.equal(atPsp.length, 1);
  assert.equal(atPsp[0]!.status, 'SUCCEEDED', 'the customer has been refunded');
  const [first] = await rows(t, 'SELECT * FROM refund WHERE order_id = ?', [o.orderId]);
  assert.equal(first.merchant_transaction_id, atPsp[0]!.merchantTransactionId);

  // 2. Between the steps: no partial state. The refund is in flight, counted, and nothing else moved.
  let view = await orderView(t, o.orderId);
  assert.deepEqual(view.refunds, [{ id: first.id, status: 'SUBMITTED' }]);
  const a = view.pendingRefunds.invoices.find((i: any) => i.invoiceId === invA);
  assert.deepEqual([a.succeeded.amount, a.inFlight.amount, a.pending.amount, a.drift], ['0.00', '30.00', '0.00', false]);
  assert.equal(view.invoiceData.entries.find((e: any) => e.invoiceId === invA).refunded.amount, '0.00');
  assert.equal(view.interactions.filter((i: any) => i.kind === 'Refund Payment').length, 0);
  assert.deepEqual(
    (await rows(t, 'SELECT topic FROM outbox_message WHERE order_id = ?', [o.orderId])).map((m) => m.topic),
    ['refund.auto'],
  );
  assert.deepEqual(
    (await rows(t, 'SELECT operation, outcome FROM audit_log WHERE order_id = ?', [o.orderId])).map((x) => `${x.operation}:${x.outcome}`),
    ['refundInvoice:REQUESTED'],
  );

  // 3. A second return invoice of 50.00 arrives.
  const invB = await returnInvoice(t.sims, o.orderId, '5000');
  await drainOutbox(t.app.services);
  await pspFaults(t, { webhooks: { mode: 'immediate' } });
  await flushPsp(t);
  await drainOutbox(t.app.services);

  // The PSP saw exactly two refunds, each once, under the keys moneygraph gave them, and refused none.
  const ledger = await rows(t, 'SELECT id, invoice_id, status, amount_minor, merchant_transaction_id, attempts FROM refund WHERE order_id = ? ORDER BY created_at', [o.orderId]);
  const psp = pspRefunds(t, o.orderId);
  assert.deepEqual(
    psp.map((r) => [r.merchantTransactionId, r.status, r.amount, r.invoiceNumber]).sort(),
    ledger.map((r) => [r.merchant_transaction_id, 'SUCCEEDED', BigInt(r.amount_minor), r.invoice_id]).sort(),
  );
  assert.equal(psp.filter((r) => r.invoiceNumber === invA).length, 1, 'the first refund was never retried under a new key');
  const failures = t.sims.psp.webhooks.snapshot().events.filter((e) => e.type === 'REFUND_FAILED');
  assert.deepEqual(failures, [], 'the PSP never answered "already refunded" / "no value to refund"');
  assert.deepEqual(
    ledger.map((r) => [r.invoice_id, r.status, r.amount_minor, r.attempts]),
    [
      [invA, 'SUCCEEDED', '3000', 1],
      [invB, 'SUCCEEDED', '5000', 1],
    ],
  );
  assert.equal(ledger[0].id, first.id, 'recovery adopted the first refund');

  // Both "Refund Payment" interactions exist, here and at the OMS.
  view = await orderView(t, o.orderId);
  const refundPayments = view.interactions
    .filter((i: any) => i.kind === 'Refund Payment')
    .map((i: any) => i.refundId)
    .sort();
  assert.deepEqual(refundPayments, ledger.map((r) => r.id).sort());
  const omsInteractions = [...t.sims.oms.state.interactions.values()].filter((i) => i.orderId === o.orderId && i.kind === 'Refund Payment');
  assert.deepEqual(omsInteractions.map((i) => i.refundId).sort(), refundPayments);

  // invoiceData equals the ledger, in moneygraph and — after the outbox — at the OMS.
  const expected = [
    { invoiceNumber: invA, refunded: 3000n, refundIds: [ledger[0].id] },
    { invoiceNumber: invB, refunded: 5000n, refundIds: [ledger[1].id] },
  ];
  const ours = view.invoiceData.entries.filter((e: any) => e.kind === 'INPUT');
  assert.deepEqual(
    ours.map((e: any) => ({ invoiceNumber: e.invoiceId, refunded: e.refunded.amount, refundIds: e.refundIds, oms: e.omsRefunded?.amount })),
    [
      { invoiceNumber: invA, refunded: '30.00', refundIds: [ledger[0].id], oms: '30.00' },
      { invoiceNumber: invB, refunded: '50.00', refundIds: [ledger[1].id], oms: '50.00' },
    ],
  );
  assert.equal(view.invoiceData.inSync, true);
  const omsCopy = t.sims.oms.state.invoiceData.get(o.orderId)!;
  assert.deepEqual(
    [...omsCopy.entries].sort((x, y) => x.invoiceNumber.localeCompare(y.invoiceNumber)),
    expected,
  );

  // Nothing pending, no drift, and the ERP has one posting per refund.
  assert.equal(view.pendingRefunds.totalPending.amount, '0.00');
  assert.equal(view.pendingRefunds.totalSucceeded.amount, '80.00');
  assert.equal(view.pendingRefunds.drift, false);
  const erp = [...t.sims.erp.state.postings.values()].filter((p) => p.orderId === o.orderId && p.kind === 'REFUND');
  assert.deepEqual(erp.map((p) => p.externalRef).sort(), psp.map((r) => r.refundId).sort());
  assert.deepEqual(await rows(t, 'SELECT status, COUNT(*) n FROM outbox_message WHERE order_id = ? GROUP BY status', [o.orderId]), [{ status: 'DONE', n: '8' }]);
});
