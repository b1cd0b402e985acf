/**
 * Seed 001 (the same field report as 000, seen from the order's timeline): "the input invoice
 * appears in Order Interactions, but no 'Refund Payment' interaction is created, and no refund is
 * sent to the connector". Workaround: process the missing refund and "confirm that a new 'Refund
 * Payment' interaction is created afterward".
 *
 * Guarantees checked here: every refunded INPUT invoice has exactly one "Refund Payment"
 * interaction, in moneygraph's timeline and in the OMS's copy, naming its refund; an interrupted
 * outcome step is repaired by the admin's recoverRefunds with the original merchantTransactionId,
 * and repairing again (or a late webhook, or the automatic retry) never adds a second interaction
 * nor a second refund at the PSP; a refund processed by hand at the PSP is taken as the invoice's
 * refund and gets its own interaction, and no second refund follows it.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox, runOutboxRound } from '../../src/outbox';
import { formatMinor } from '../../src/shared/money';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { flushPsp, key, pspFaults, pspRefunds, RECOVER_REFUNDS, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp(); // automatic refund of INPUT invoices: on, as in production
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

beforeEach(async () => {
  t.testHooks.outcomeWritten = undefined;
  await pspFaults(t, { webhooks: { mode: 'immediate' } });
});

const TIMELINE = `query($id: ID!) { order(id: $id) {
  interactions { id kind source refundId message }
  refunds { id status invoiceId merchantTransactionId pspRefundId attempts origin amount { amount currencyCode } }
  pendingRefunds { totalPending { amount } totalInFlight { amount } totalSucceeded { amount } invoices { invoiceId pending { amount } inFlight { amount } succeeded { amount } } }
  invoiceData { inSync entries { invoiceId kind refunded { amount } refundIds omsRefunded { amount } } } } }`;

async function timeline(orderId: string) {
  const r = await t.gql('ADMIN', TIMELINE, { id: orderId });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.order;
}
const kindsOf = (view: any, kind: string) => view.interactions.filter((i: any) => i.kind === kind);
const omsInteractions = (orderId: string, kind: string) => [...t.sims.oms.state.interactions.values()].filter((i) => i.orderId === orderId && i.kind === kind);
const message = (amount: string, invoice: string, refundId: string, pspRefundId: string) =>
  `Refunded ${amount} EUR for invoice ${invoice} (refund ${refundId}, PSP ${pspRefundId})`;
const recover = (orderId: string, role: 'ADMIN' | 'FINANCE' | 'ANALYST' | 'SUPPORT' = 'ADMIN') => t.gql(role, RECOVER_REFUNDS, { input: { orderId } });

/** Each refund has exactly one "Refund Payment" in moneygraph's timeline and one at the OMS, with the same id and text. */
async function assertOneInteractionPerRefund(orderId: string, expected: { refundId: string; message: string }[]) {
  const want = expected.map((e) => ({ id: `refund-payment:${e.refundId}`, refundId: e.refundId, message: e.message })).sort((a, b) => a.id.localeCompare(b.id));
  const ours = kindsOf(await timeline(orderId), 'Refund Payment').map((i: any) => ({ id: i.id, refundId: i.refundId, message: i.message, source: i.source }));
  assert.deepEqual(
    ours.sort((a: any, b: any) => a.id.localeCompare(b.id)),
    want.map((w) => ({ ...w, source: 'MONEYGRAPH' })),
    'moneygraph timeline',
  );
  const oms = omsInteractions(orderId, 'Refund Payment').map((i) => ({ id: i.id, refundId: i.refundId, message: i.message }));
  assert.deepEqual(
    oms.sort((a, b) => a.id.localeCompare(b.id)),
    want,
    'the OMS copy',
  );
}

test('every refunded return invoice has exactly one "Refund Payment" interaction, here and at the OMS, naming its refund', async () => {
  const o = await paidOrder(t.sims, { total: '20000' });
  const sale = (await call(t.sims.urls.oms, 'GET', `/orders/${o.orderId}`)).invoices[0].number;
  const amounts: Record<string, string> = {};
  for (const a of ['3000', '5000', '1250']) amounts[await returnInvoice(t.sims, o.orderId, a)] = a;
  const invoices = Object.keys(amounts);

  // Before the automatic refunds run, the invoices are in the timeline and nothing else is (the field's symptom, for now).
  let view = await timeline(o.orderId);
  assert.deepEqual(
    kindsOf(view, 'Invoice Notification')
      .map((i: any) => i.message)
      .sort(),
    [sale, ...invoices].map((n) => `Invoice ${n} issued`).sort(),
  );
  assert.deepEqual(kindsOf(view, 'Refund Payment'), []);

  const drained = await drainOutbox(t.app.services);
  assert.equal(drained.dead + drained.retried, 0);

  // One refund per invoice was sent to the PSP, for the invoice's amount, under the key moneygraph recorded.
  const ledger = await rows(t, 'SELECT id, invoice_id, status, amount_minor, merchant_transaction_id, psp_refund_id FROM refund WHERE order_id = ?', [o.orderId]);
  assert.deepEqual(ledger.map((r) => [r.invoice_id, r.status, r.amount_minor]).sort(), invoices.map((i) => [i, 'SUCCEEDED', amounts[i]]).sort());
  const psp = pspRefunds(t, o.orderId);
  assert.deepEqual(
    psp.map((r) => [r.invoiceNumber, r.status, r.amount, r.merchantTransactionId, r.refundId]).sort(),
    ledger.map((r) => [r.invoice_id, 'SUCCEEDED', BigInt(r.amount_minor), r.merchant_transaction_id, r.psp_refund_id]).sort(),
  );

  const expected = ledger.map((r) => ({ refundId: r.id, message: message(formatMinor(BigInt(r.amount_minor), 'EUR'), r.invoice_id, r.id, r.psp_refund_id) }));
  assert.deepEqual(expected.map((e) => e.message.split(' ')[1]).sort(), ['12.50', '30.00', '50.00']);
  await assertOneInteractionPerRefund(o.orderId, expected);

  // Replays change nothing: the OMS's echo of each interaction, a full resync, another drain.
  const sync = await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId: o.orderId } });
  assert.deepEqual(sync.data.syncOrder.userErrors, []);
  await drainOutbox(t.app.services);
  await assertOneInteractionPerRefund(o.orderId, expected);
  assert.equal(pspRefunds(t, o.orderId).length, 3);
  view = await timeline(o.orderId);
  assert.equal(view.pendingRefunds.totalPending.amount, '0.00');
  assert.equal(view.pendingRefunds.totalSucceeded.amount, '92.50');
  assert.equal(view.invoiceData.inSync, true);
});

test('an interrupted outcome step shows the field symptom; recoverRefunds (ADMIN) completes it once, with its original key', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  // Late PSP webhooks: only the synchronous answer could record the outcome, and that step fails.
  await pspFaults(t, { webhooks: { mode: 'hold' } });
  const inv = await returnInvoice(t.sims, o.orderId, '5000');
  t.testHooks.outcomeWritten = () => {
    t.testHooks.outcomeWritten = undefined;
    throw Object.assign(new Error('simulated storage error: table is full'), { code: 'ER_RECORD_FILE_FULL' });
  };
  const round = await runOutboxRound(t.app.services);
  assert.deepEqual([round.claimed, round.done, round.retried], [1, 0, 1]);

  // The symptom: the PSP refunded the customer, the invoice is in the timeline, no "Refund Payment" anywhere.
  const atPsp = pspRefunds(t, o.orderId);
  assert.deepEqual(
    atPsp.map((r) => [r.status, r.amount, r.invoiceNumber]),
    [['SUCCEEDED', 5000n, inv]],
  );
  let view = await timeline(o.orderId);
  assert.deepEqual(
    kindsOf(view, 'Invoice Notification')
      .map((i: any) => i.message)
      .filter((m: string) => m.includes(inv)),
    [`Invoice ${inv} issued`],
  );
  assert.deepEqual(kindsOf(view, 'Refund Payment'), []);
  assert.deepEqual(omsInteractions(o.orderId, 'Refund Payment'), []);
  assert.equal(view.refunds.length, 1);
  const stuck = view.refunds[0];
  assert.deepEqual([stuck.status, stuck.merchantTransactionId, stuck.pspRefundId, stuck.attempts], ['SUBMITTED', atPsp[0]!.merchantTransactionId, null, 1]);
  // In flight, so nothing is pending: no later computation can re-target it.
  assert.deepEqual(
    view.pendingRefunds.invoices.map((i: any) => [i.invoiceId, i.pending.amount, i.inFlight.amount, i.succeeded.amount]),
    [[inv, '0.00', '50.00', '0.00']],
  );

  // Only an admin may repair; a refused call changes nothing.
  for (const role of ['SUPPORT', 'ANALYST', 'FINANCE'] as const) {
    const r = await recover(o.orderId, role);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
    assert.equal(r.data?.recoverRefunds ?? null, null);
  }
  assert.deepEqual(
    (await rows(t, 'SELECT status, attempts FROM refund WHERE id = ?', [stuck.id])).map((r) => [r.status, r.attempts]),
    [['SUBMITTED', 1]],
  );

  // The repair: the PSP's record under the original key is adopted, nothing is sent again.
  const first = await recover(o.orderId);
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  assert.deepEqual(first.data.recoverRefunds.userErrors, []);
  assert.deepEqual(
    first.data.recoverRefunds.recovered.map((r: any) => [r.id, r.status, r.merchantTransactionId, r.pspRefundId, r.attempts, r.amount.amount]),
    [[stuck.id, 'SUCCEEDED', atPsp[0]!.merchantTransactionId, atPsp[0]!.refundId, 1, '50.00']],
  );
  const expected = [{ refundId: stuck.id, message: message('50.00', inv, stuck.id, atPsp[0]!.refundId) }];
  view = await timeline(o.orderId);
  assert.deepEqual(
    kindsOf(view, 'Refund Payment').map((i: any) => [i.refundId, i.message]),
    [[stuck.id, expected[0]!.message]],
  );
  await drainOutbox(t.app.services);
  await assertOneInteractionPerRefund(o.orderId, expected);

  // Recovery run again, the late webhook, the automatic retry: nothing new anywhere.
  for (let i = 0; i < 2; i++) {
    const again = await recover(o.orderId);
    assert.deepEqual(again.data.recoverRefunds, { recovered: [], userErrors: [] });
  }
  await pspFaults(t, { webhooks: { mode: 'immediate' } });
  await flushPsp(t);
  await drainOutbox(t.app.services);
  await assertOneInteractionPerRefund(o.orderId, expected);
  assert.deepEqual(
    pspRefunds(t, o.orderId).map((r) => [r.refundId, r.merchantTransactionId, r.status]),
    [[atPsp[0]!.refundId, atPsp[0]!.merchantTransactionId, 'SUCCEEDED']],
  );
  assert.deepEqual(await rows(t, 'SELECT id, status, attempts FROM refund WHERE order_id = ?', [o.orderId]), [{ id: stuck.id, status: 'SUCCEEDED', attempts: 1 }]);
  view = await timeline(o.orderId);
  assert.deepEqual(
    view.pendingRefunds.invoices.map((i: any) => [i.pending.amount, i.inFlight.amount, i.succeeded.amount]),
    [['0.00', '0.00', '50.00']],
  );
  assert.deepEqual(
    view.invoiceData.entries.filter((e: any) => e.kind === 'INPUT').map((e: any) => [e.invoiceId, e.refunded.amount, e.refundIds, e.omsRefunded?.amount]),
    [[inv, '50.00', [stuck.id], '50.00']],
  );
  assert.deepEqual(t.sims.oms.state.invoiceData.get(o.orderId)!.entries, [{ invoiceNumber: inv, refunded: 5000n, refundIds: [stuck.id] }]);

  // Who repaired it is on record: three admin calls, the first drove one refund.
  const audit = await t.gql('ADMIN', `query($f: AuditLogFilterInput) { auditLog(filter: $f, first: 10) { nodes { subject role operation outcome orderId } } }`, {
    f: { operation: 'recoverRefunds', orderId: o.orderId },
  });
  const entries = audit.data.auditLog.nodes.map((a: any) => [a.subject, a.role, a.outcome]).reverse();
  assert.deepEqual(
    entries.filter((a: string[]) => a[1] === 'ADMIN'),
    [
      ['admin-demo', 'ADMIN', 'RECOVERED:1'],
      ['admin-demo', 'ADMIN', 'RECOVERED:0'],
      ['admin-demo', 'ADMIN', 'RECOVERED:0'],
    ],
  );
  // The roles that may not recover were refused, and that is on record too.
  assert.deepEqual(
    entries.filter((a: string[]) => a[1] !== 'ADMIN'),
    [
      ['support-demo', 'SUPPORT', 'REJECTED:FORBIDDEN'],
      ['analyst-demo', 'ANALYST', 'REJECTED:FORBIDDEN'],
      ['finance-demo', 'FINANCE', 'REJECTED:FORBIDDEN'],
    ],
  );
});

test('the manual workaround — a refund processed at the PSP for the invoice — gets its own "Refund Payment", and no second refund follows', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  const inv = await returnInvoice(t.sims, o.orderId, '5000');
  // Before the automatic refund runs, support processes it by hand through the PSP's refund API.
  const manual = await call(t.sims.urls.psp, 'POST', '/refunds', {
    paymentId: o.paymentId,
    amount: '5000',
    merchantTransactionId: key('console'),
    metadata: { orderId: o.orderId, invoiceNumber: inv },
  });
  await drainOutbox(t.app.services);

  const view = await timeline(o.orderId);
  assert.deepEqual(
    view.refunds.map((r: any) => [r.origin, r.status, r.invoiceId, r.pspRefundId, r.amount.amount]),
    [['PSP', 'SUCCEEDED', inv, manual.refundId, '50.00']],
  );
  const refundId = view.refunds[0].id;
  await assertOneInteractionPerRefund(o.orderId, [{ refundId, message: message('50.00', inv, refundId, manual.refundId) }]);
  // The automatic refund found nothing pending: the PSP holds the one manual refund.
  assert.deepEqual(
    pspRefunds(t, o.orderId).map((r) => r.refundId),
    [manual.refundId],
  );
  assert.equal(view.pendingRefunds.totalPending.amount, '0.00');
  assert.deepEqual(await rows(t, "SELECT status FROM outbox_message WHERE order_id = ? AND topic = 'refund.auto'", [o.orderId]), [{ status: 'DONE' }]);
});
