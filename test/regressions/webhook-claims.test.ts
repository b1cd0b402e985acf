/**
 * Holes found from outside (black box): a webhook is a claim, the PSP's own record is the truth,
 * and nothing a signed webhook reports is dropped.
 *  1. A stale REFUND_FAILED for a refund the PSP holds as SUCCEEDED paid the customer twice.
 *  2. A PSP refund for an order not known yet was dropped ("left for syncOrder").
 *  3. An event stored but never applied (a crash between the two) stayed RECEIVED for ever.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { drainOutbox } from '../../src/outbox';
import { refreshExceptions } from '../../src/reconciliation/exceptions.service';
import { RequestContext } from '../../src/db/context';
import { sign } from '../../src/webhooks/webhook.service';
import { runWebhookRetryRound } from '../../src/webhooks/webhook.worker';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { key, orderView, pspFaults, pspRefunds, refundInvoice, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { WEBHOOK_MAX_ATTEMPTS: '6', WEBHOOK_RETRY_AFTER_MS: '1000', UPSTREAM_RETRIES: '0' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

/** Sends a PSP webhook signed with the PSP's secret, as the PSP (or anyone holding its secret) would. */
async function pspWebhook(body: unknown, eventId = randomUUID()) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${t.url}/webhooks/psp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Event-Id': eventId, 'X-Signature': sign(t.config.webhookSecrets.PSP, raw) },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as any, eventId };
}

const event = async (eventId: string) => (await rows(t, 'SELECT status, waiting_for, error, attempts FROM webhook_event WHERE event_id = ?', [eventId]))[0];

/** A signed REFUND_FAILED claim for a refund the PSP holds (a stale one: the PSP's record still says SUCCEEDED). */
function staleFailure(rec: {
  refundId: string;
  merchantTransactionId: string;
  amount: string;
  currency: string | null;
  paymentId: string | null;
  orderId: string;
  invoiceNumber?: string | null;
}) {
  return {
    name: 'REFUND_FAILED',
    source: '',
    payload: {
      refundId: rec.refundId,
      merchantTransactionId: rec.merchantTransactionId,
      status: 'FAILED',
      amount: rec.amount,
      currency: rec.currency,
      createdAt: new Date().toISOString(),
      payment: { paymentId: rec.paymentId, orderId: rec.orderId },
      metadata: { orderId: rec.orderId, invoiceNumber: rec.invoiceNumber ?? null },
      error: { code: 'PAYMENT_DISPUTED', description: 'Payment is in dispute and not available for refund' },
    },
  };
}

async function refundedOrder() {
  const o = await paidOrder(t.sims, { total: '10000' });
  const invoiceId = await returnInvoice(t.sims, o.orderId, '3000');
  await drainOutbox(t.app.services); // the automatic refund of the return invoice
  const [rec] = pspRefunds(t, o.orderId);
  assert.equal(rec?.status, 'SUCCEEDED', 'the return invoice was refunded at the PSP');
  return { ...o, invoiceId, rec: rec! };
}

test('hole 1: a stale REFUND_FAILED is checked against the PSP record and changes nothing; the invoice is never refunded twice', async () => {
  const { orderId, invoiceId, rec } = await refundedOrder();
  const w = await pspWebhook(staleFailure({ ...rec, amount: String(rec.amount), orderId }));
  assert.equal(w.status, 200);
  assert.equal(w.body.result, 'processed');
  const ev = await event(w.eventId);
  assert.equal(ev.status, 'PROCESSED');
  assert.match(ev.error, /the PSP's record \(version 1\) says SUCCEEDED: the REFUND_FAILED claim was stale/);

  const order = await orderView(t, orderId);
  assert.deepEqual(
    order.refunds.map((r: any) => r.status),
    ['SUCCEEDED'],
    'the refund stays SUCCEEDED',
  );
  assert.equal(order.pendingRefunds.totalPending.amount, '0.00', 'the invoice is not pending again');
  assert.equal(order.invoiceData.entries.find((e: any) => e.invoiceId === invoiceId).refunded.amount, '30.00');
  assert.equal(order.interactions.filter((i: any) => i.kind === 'Refund Reversed').length, 0);
  const again = await refundInvoice(t, { orderId, invoiceId });
  assert.equal(again.data.refundInvoice.refund, null, 'nothing left to refund');
  await drainOutbox(t.app.services);
  assert.equal(pspRefunds(t, orderId).filter((r) => r.status === 'SUCCEEDED').length, 1, 'the PSP holds one refund of the invoice');
  const reversals = await rows(t, "SELECT COUNT(*) n FROM outbox_message WHERE order_id = ? AND dedupe_key LIKE '%:reversal'", [orderId]);
  assert.equal(Number(reversals[0].n), 0, 'no ERP reversal was written');
});

test('hole 1: while the PSP cannot be asked, nothing moves backwards and the refund is a money exception until the record is read', async () => {
  const { orderId, rec } = await refundedOrder();
  await pspFaults(t, { failNext: 1000, failStatus: 503 });
  let w;
  try {
    w = await pspWebhook(staleFailure({ ...rec, amount: String(rec.amount), orderId }));
  } finally {
    await pspFaults(t, { failNext: 0 });
  }
  assert.equal(w.status, 200);
  assert.equal(w.body.result, 'waiting');
  const ev = await event(w.eventId);
  assert.equal(ev.status, 'WAITING');
  assert.match(ev.waiting_for, /^refund:/);
  const order = await orderView(t, orderId);
  assert.deepEqual(
    order.refunds.map((r: any) => r.status),
    ['SUCCEEDED'],
  );
  assert.equal(order.pendingRefunds.totalPending.amount, '0.00', 'the invoice does not become pending');

  const ctx = RequestContext.system(t.app.services);
  await refreshExceptions(ctx, { force: true });
  const [exc] = await rows(t, "SELECT kind, status, refund_id, webhook_event_id, webhook_replayable FROM money_exception WHERE order_id = ? AND kind = 'REFUND_OUTCOME_IN_DOUBT'", [
    orderId,
  ]);
  assert.equal(exc?.status, 'OPEN', 'an open REFUND_OUTCOME_IN_DOUBT exception');
  assert.equal(exc.refund_id, order.refunds[0].id);
  assert.equal(exc.webhook_event_id, w.eventId);

  // The PSP answers again: the retry worker reads its record and settles the claim.
  const round = await runWebhookRetryRound(t.app.services, { ignoreSchedule: true });
  assert.ok(round.processed >= 1);
  assert.equal((await event(w.eventId)).status, 'PROCESSED');
  await refreshExceptions(ctx, { force: true });
  const [after] = await rows(t, "SELECT status FROM money_exception WHERE order_id = ? AND kind = 'REFUND_OUTCOME_IN_DOUBT'", [orderId]);
  assert.equal(after.status, 'RESOLVED');
  assert.deepEqual(
    (await orderView(t, orderId)).refunds.map((r: any) => r.status),
    ['SUCCEEDED'],
  );
});

test('hole 1: a real late failure is applied once the PSP record confirms it', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  await pspFaults(t, { lateFailNext: 1 });
  const invoiceId = await returnInvoice(t.sims, o.orderId, '2000');
  await drainOutbox(t.app.services);
  const order = await orderView(t, o.orderId);
  assert.deepEqual(
    order.refunds.map((r: any) => r.status),
    ['FAILED'],
    'the PSP record says FAILED (version 2)',
  );
  assert.equal(order.pendingRefunds.invoices.find((i: any) => i.invoiceId === invoiceId).pending.amount, '20.00');
});

test('hole 1: syncOrder applies the PSP record even where a webhook left something else', async () => {
  const { orderId, rec } = await refundedOrder();
  // What the stale webhook used to leave behind: the refund FAILED though the PSP holds it SUCCEEDED.
  await rows(t, "UPDATE refund SET status = 'FAILED', error_code = 'PAYMENT_DISPUTED', psp_version = NULL WHERE order_id = ?", [orderId]);
  await rows(t, "UPDATE oms_invoice_data SET refunded_minor = 0, refund_ids = '[]' WHERE order_id = ? AND copy = 'MONEYGRAPH'", [orderId]);
  const r = await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { synced { refunds } userErrors { code } } }', { input: { orderId } });
  assert.equal(r.data.syncOrder.synced.refunds, 1);
  const order = await orderView(t, orderId);
  assert.deepEqual(
    order.refunds.map((x: any) => x.status),
    ['SUCCEEDED'],
    'the PSP record is applied',
  );
  assert.equal(order.pendingRefunds.totalPending.amount, '0.00');
  assert.equal(order.invoiceData.entries.find((e: any) => e.kind === 'INPUT').refunded.amount, '30.00');
  assert.equal(String(rec.amount), '3000');
});

test("hole 2: a PSP refund for an order not known yet waits, visible, and is applied when the order arrives, at the PSP's time", async () => {
  const orderId = `late-${key('o')}`;
  const pay = await call(t.sims.urls.psp, 'POST', '/payments', { orderId, amount: '5000', currency: 'EUR', method: 'CARD', customerId: 'cust-0001' });
  const paymentId = pay.id ?? pay.payment.id;
  await call(t.sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, {});
  const refund = await call(t.sims.urls.psp, 'POST', '/refunds', {
    paymentId,
    amount: '5000',
    merchantTransactionId: `console-${key()}`,
    reason: 'CONSOLE',
    metadata: { orderId },
  });
  const pspCreatedAt = new Date(refund.createdAt);

  const waiting = await t.gql('FINANCE', `{ webhookEvents(filter: { status: [WAITING] }) { edges { node { eventType status error waitingFor attempts nextAttemptAt } } } }`);
  const mine = waiting.data.webhookEvents.edges.map((e: any) => e.node).filter((n: any) => n.error?.includes(orderId));
  assert.equal(mine.length, 1, 'the REFUND_SUCCEEDED event waits, with its reason');
  assert.equal(mine[0].eventType, 'REFUND_SUCCEEDED');
  assert.match(mine[0].error, /not known here yet/);
  assert.equal(mine[0].waitingFor, `order:${orderId}`);
  assert.ok(mine[0].attempts >= 1 && mine[0].nextAttemptAt, 'scheduled for the retry worker');

  await new Promise((r) => setTimeout(r, 20));
  await call(t.sims.urls.oms, 'POST', '/orders', { id: orderId, currency: 'EUR', total: '5000', customerId: 'cust-0001', status: 'CONFIRMED' });
  const order = await orderView(t, orderId);
  assert.equal(order.refunds.length, 1, 'the refund is on the order');
  assert.equal(order.refunds[0].status, 'SUCCEEDED');
  const [row] = await rows(t, 'SELECT created_at, completed_at, updated_at, origin FROM refund WHERE order_id = ?', [orderId]);
  assert.equal(row.origin, 'PSP');
  assert.equal(new Date(row.created_at).getTime(), pspCreatedAt.getTime(), "created at the PSP's time");
  assert.equal(new Date(row.completed_at).getTime(), pspCreatedAt.getTime(), "completed at the PSP's time");
  assert.ok(new Date(row.updated_at).getTime() > pspCreatedAt.getTime(), 'heard of later, kept beside it');

  await refreshExceptions(RequestContext.system(t.app.services), { force: true });
  const exc = await rows(t, "SELECT kind FROM money_exception WHERE order_id = ? AND status = 'OPEN'", [orderId]);
  assert.ok(
    exc.some((e) => e.kind === 'REFUNDED_ORDER_LATER_CREATED'),
    `seed 003's sixth state is raised: ${JSON.stringify(exc)}`,
  );
  await drainOutbox(t.app.services);
  const postings = [...t.sims.erp.state.postings.values()].filter((p: any) => p.externalRef === refund.refundId);
  assert.equal(postings.length, 1, 'posted to the ERP');
});

test('hole 3: an event stored but never applied is applied by the retry worker; one that keeps failing is dead-lettered and an exception', async () => {
  // A crash between storing and applying leaves exactly this row: RECEIVED, its retry time due.
  const orderId = `stored-${key('o')}`;
  const body = {
    id: randomUUID(),
    type: 'order.upserted',
    data: { order: { id: orderId, status: 'CONFIRMED', currency: 'EUR', total: '1000', createdAt: new Date().toISOString(), version: 1 } },
  };
  await rows(
    t,
    `INSERT INTO webhook_event (source, event_id, event_type, signature_valid, payload, status, replay_count, received_at, next_attempt_at)
     VALUES ('OMS', ?, 'order.upserted', 1, ?, 'RECEIVED', 0, NOW(3) - INTERVAL 1 MINUTE, NOW(3) - INTERVAL 1 SECOND)`,
    [body.id, JSON.stringify(body)],
  );
  await runWebhookRetryRound(t.app.services);
  assert.equal((await event(body.id)).status, 'PROCESSED');
  assert.equal((await orderView(t, orderId))?.id, orderId, 'the order arrived');

  // An event whose apply keeps failing (a storage error in the refund outcome transaction).
  const o = await paidOrder(t.sims, { total: '4000' });
  await pspFaults(t, { webhooks: { mode: 'hold' } });
  const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: await returnInvoice(t.sims, o.orderId, '1000'), amount: '10.00' });
  await rows(t, "UPDATE refund SET status = 'SUBMITTED' WHERE id = ?", [r.data.refundInvoice.refund.id]); // its answer was lost
  t.testHooks.outcomeWritten = () => {
    throw Object.assign(new Error('simulated storage error'), { code: 'ER_RECORD_FILE_FULL' });
  };
  try {
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await fetch(`${t.sims.urls.psp}/_webhooks/flush`, { method: 'POST' });
    const [failed] = await rows(t, "SELECT event_id, status FROM webhook_event WHERE event_type = 'REFUND_SUCCEEDED' AND payload LIKE ? ORDER BY id DESC LIMIT 1", [
      `%${r.data.refundInvoice.refund.merchantTransactionId}%`,
    ]);
    // The PSP delivered it 4 times (its own retries of a 500): 4 failed attempts, kept FAILED.
    assert.deepEqual([failed.status, Number((await event(failed.event_id)).attempts)], ['FAILED', 4]);
    for (let i = 0; i < 3; i++) await runWebhookRetryRound(t.app.services, { ignoreSchedule: true });
    const dead = await event(failed.event_id);
    assert.equal(dead.status, 'DEAD', 'dead-lettered after WEBHOOK_MAX_ATTEMPTS (6)');
    assert.equal(Number(dead.attempts), 6);
    await refreshExceptions(RequestContext.system(t.app.services), { force: true });
    const [exc] = await rows(t, "SELECT kind, webhook_event_id FROM money_exception WHERE kind = 'WEBHOOK_EVENT_NOT_APPLIED' AND webhook_event_id = ?", [failed.event_id]);
    assert.ok(exc, 'a dead-lettered event is a money exception');
  } finally {
    t.testHooks.outcomeWritten = undefined;
  }
});

test('found by the campaign: a reversal that brings invoiceData back to an earlier content reaches the OMS (no cached answer to the old request)', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  await pspFaults(t, { webhooks: { mode: 'immediate' } });
  const invoiceId = await returnInvoice(t.sims, o.orderId, '5000');
  // The automatic refund is not wanted here: two partial admin refunds instead.
  await rows(t, "UPDATE outbox_message SET status = 'DONE' WHERE order_id = ? AND topic = 'refund.auto'", [o.orderId]);
  const a = await refundInvoice(t, { orderId: o.orderId, invoiceId, amount: '10.00' });
  await drainOutbox(t.app.services);
  const b = await refundInvoice(t, { orderId: o.orderId, invoiceId, amount: '15.00' });
  await drainOutbox(t.app.services);
  const omsCopy = () => t.sims.oms.state.invoiceData.get(o.orderId)!.entries.find((e) => e.invoiceNumber === invoiceId)!;
  assert.equal(omsCopy().refunded, 2500n);
  await call(t.sims.urls.psp, 'POST', `/refunds/${b.data.refundInvoice.refund.pspRefundId}/reverse`, {});
  await drainOutbox(t.app.services);
  const order = await orderView(t, o.orderId);
  assert.deepEqual(order.refunds.map((r: any) => r.status).sort(), ['FAILED', 'SUCCEEDED']);
  assert.equal(omsCopy().refunded, 1000n, "the OMS copy follows the ledger back to refund A's 10.00");
  assert.deepEqual(omsCopy().refundIds, [a.data.refundInvoice.refund.id]);
});

test('found by the campaign: a console refund for a return whose webhook has not been applied covers it; the automatic refund pays only the rest', async () => {
  const orderId = `console-${key('o')}`;
  const pay = await call(t.sims.urls.psp, 'POST', '/payments', { orderId, amount: '8000', currency: 'EUR', method: 'CARD', customerId: 'cust-0001' });
  const paymentId = pay.id ?? pay.payment.id;
  await call(t.sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, {});
  const number = `${orderId}-R1`;
  await pspFaults(t, { webhooks: { mode: 'hold' } }); // the console refund's webhook is late
  try {
    await call(t.sims.urls.psp, 'POST', '/refunds', {
      paymentId,
      amount: '3000',
      merchantTransactionId: `console-${key()}`,
      reason: 'CONSOLE',
      metadata: { orderId, invoiceNumber: number },
    });
    await call(t.sims.urls.oms, 'POST', '/orders', { id: orderId, currency: 'EUR', total: '8000', customerId: 'cust-0001', status: 'CONFIRMED' });
    await returnInvoice(t.sims, orderId, '5000', number);
    await drainOutbox(t.app.services);
  } finally {
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await fetch(`${t.sims.urls.psp}/_webhooks/flush`, { method: 'POST' });
  }
  await drainOutbox(t.app.services);
  const atPsp = pspRefunds(t, orderId).filter((r) => r.status === 'SUCCEEDED' && r.invoiceNumber === number);
  assert.deepEqual(atPsp.map((r) => r.amount).sort(), [2000n, 3000n], 'the invoice is refunded 50.00 in all, not 80.00');
  const order = await orderView(t, orderId);
  assert.equal(order.pendingRefunds.totalPending.amount, '0.00');
  assert.equal(order.refunds.length, 2);
});

test('found by the campaign: a console refund recorded before its return invoice existed is allocated to it when the invoice arrives', async () => {
  const orderId = `alloc-${key('o')}`;
  const pay = await call(t.sims.urls.psp, 'POST', '/payments', { orderId, amount: '9000', currency: 'EUR', method: 'CARD', customerId: 'cust-0001' });
  const paymentId = pay.id ?? pay.payment.id;
  await call(t.sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, {});
  const number = `${orderId}-R1`;
  await call(t.sims.urls.psp, 'POST', '/refunds', {
    paymentId,
    amount: '2800',
    merchantTransactionId: `console-${key()}`,
    reason: 'CONSOLE',
    metadata: { orderId, invoiceNumber: number },
  });
  await call(t.sims.urls.oms, 'POST', '/orders', { id: orderId, currency: 'EUR', total: '9000', customerId: 'cust-0001', status: 'CONFIRMED' });
  // Recorded now, before the OMS has the invoice it names: unallocated for the moment.
  const [before] = await rows(t, 'SELECT invoice_id, psp_invoice_ref, status FROM refund WHERE order_id = ?', [orderId]);
  assert.deepEqual([before.invoice_id, before.psp_invoice_ref, before.status], [null, number, 'SUCCEEDED']);
  await returnInvoice(t.sims, orderId, '5900', number);
  const [after] = await rows(t, 'SELECT invoice_id FROM refund WHERE order_id = ?', [orderId]);
  assert.equal(after.invoice_id, number, 'allocated in the invoice transaction');
  await drainOutbox(t.app.services);
  const atPsp = pspRefunds(t, orderId).filter((r) => r.status === 'SUCCEEDED' && r.invoiceNumber === number);
  assert.deepEqual(atPsp.map((r) => r.amount).sort(), [2800n, 3100n], 'the invoice is refunded 59.00 in all, not 87.00');
  const order = await orderView(t, orderId);
  assert.equal(order.invoiceData.entries.find((e: any) => e.invoiceId === number).refunded.amount, '59.00');
  assert.equal(t.sims.oms.state.invoiceData.get(orderId)!.entries.find((e) => e.invoiceNumber === number)!.refunded, 5900n);
});
