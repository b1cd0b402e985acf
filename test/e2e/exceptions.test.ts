/**
 * Money exceptions of the payment/order path (seed 003), produced through the simulators' faults,
 * found by moneyExceptions with their evidence; owner decisions with every error code; who may do
 * what; the stakeholder summary; and list queries whose SQL does not grow with the page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { countStatements } from '../../src/db/sql-counter';
import { isOrderOnHold } from '../../src/reconciliation/holds';
import { refreshExceptions } from '../../src/reconciliation/exceptions.service';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { AdvancingClock, DECIDE_EXCEPTION, EXCEPTIONS_QUERY, UNLIMITED_GRAPHQL } from '../support/recon';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const LIST = EXCEPTIONS_QUERY;
const DECIDE = DECIDE_EXCEPTION;
const clock = new AdvancingClock();
let t: TestApp;
let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;

before(async () => {
  t = await createTestApp({
    clock,
    env: {
      AUTO_REFUND_INPUT_INVOICES: 'false',
      EXCEPTIONS_STALE_SECONDS: '0',
      UPSTREAM_RETRIES: '0',
      GRAPHQL_LIMITS: UNLIMITED_GRAPHQL,
      SETTLEMENT_CUTOFF_HOUR_UTC: String((new Date().getUTCHours() + 3) % 24),
    },
  });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

async function list(filter: Record<string, unknown>, role: 'SUPPORT' | 'ANALYST' | 'FINANCE' | 'ADMIN' = 'SUPPORT', first = 100) {
  const r = await t.gql(role, LIST, { filter, first });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.moneyExceptions.edges.map((e: any) => e.node);
}
async function one(kind: string, orderId: string) {
  const found = (await list({ kinds: [kind], orderId, status: ['OPEN', 'DECIDED', 'RESOLVED'] })).filter((e: any) => e.kind === kind);
  assert.equal(found.length, 1, `one ${kind} for ${orderId}, found ${JSON.stringify(found)}`);
  return found[0];
}
async function decide(role: 'SUPPORT' | 'ANALYST' | 'FINANCE' | 'ADMIN', exceptionId: string, decision: string, note = 'because') {
  return t.gql(role, DECIDE, { input: { exceptionId, decision, note } });
}
const sims = (sys: 'oms' | 'psp' | 'erp', method: string, path: string, body?: unknown) => call(t.sims.urls[sys], method, path, body);
const eventIdOf = (type: string, needle: string) => t.sims.psp.webhooks.events.find((e) => e.type === type && e.raw.includes(needle))?.eventId;

describe('payment/order exceptions found with their evidence', () => {
  test('AUTHORIZED_ORDER_NOT_CREATED: an authorization whose order the OMS never created', async () => {
    const orderId = uid('ord-auth');
    const p = await sims('psp', 'POST', '/payments', { orderId, amount: '4200', currency: 'EUR' });
    const e = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    assert.equal(e.status, 'OPEN');
    assert.equal(e.owner, 'COMMERCE');
    assert.equal(e.evidence.pspReference, p.id);
    assert.deepEqual(e.evidence.amount, { amount: '42.00', currencyCode: 'EUR' });
    assert.equal(e.evidence.omsStatus, 'NOT_CREATED');
    assert.equal(e.evidence.captureId, null);
    assert.equal(e.window, 'MINUTES_0_TO_5');
    assert.equal(e.evidence.webhookEventId, t.sims.psp.webhooks.events.find((x) => x.type === 'payment.upserted' && x.raw.includes(p.id))?.eventId);
    // Nothing was captured: a refund does not fit, and authorizations are not for finance.
    assert.deepEqual(e.allowedDecisions, ['REPAIR_ORDER', 'HOLD_AND_ESCALATE', 'CLOSE']);
  });

  test('CAPTURED_ORDER_CREATION_FAILED: the OMS order event is lost; it resolves by itself once the order arrives', async () => {
    await sims('oms', 'POST', '/_faults', { webhooks: { mode: 'hold' } });
    const o = await paidOrder(t.sims, { id: uid('ord-lost'), total: '12900' });
    const e = await one('CAPTURED_ORDER_CREATION_FAILED', o.orderId);
    assert.equal(e.evidence.pspReference, o.paymentId);
    assert.equal(e.evidence.captureId, o.captureId);
    assert.deepEqual(e.evidence.amount, { amount: '129.00', currencyCode: 'EUR' });
    assert.equal(e.evidence.orderCode, o.orderId);
    assert.equal(e.evidence.omsStatus, 'NOT_CREATED');
    assert.equal(e.evidence.erpPostingStatus, 'NOT_POSTED');
    assert.equal(e.evidence.captureTimestamp, t.sims.psp.state.captures.get(o.captureId!)!.capturedAt);
    assert.equal(e.evidence.webhookEventId, eventIdOf('capture.created', o.captureId!));
    assert.equal(e.evidence.webhookSignatureValid, true);
    assert.equal(e.evidence.webhookReplayable, false, 'the capture event was applied: replaying it changes nothing');
    assert.equal(e.evidence.settlementBatchId, null);
    assert.equal(e.order, null);

    await sims('oms', 'POST', '/_faults', { webhooks: { mode: 'immediate' } });
    await sims('oms', 'POST', '/_webhooks/flush');
    const after = await one('CAPTURED_ORDER_CREATION_FAILED', o.orderId);
    assert.equal(after.status, 'RESOLVED');
    assert.equal(after.resolution, 'AUTO');
    assert.equal(after.observed, false);
    assert.equal(after.firstDetectedAt, e.firstDetectedAt);
    // Resolved exceptions are out of the default (unresolved) list.
    assert.equal((await list({ orderId: o.orderId })).length, 0);
  });

  test('CAPTURED_OMS_REJECTED: the OMS rejects the order of a captured payment', async () => {
    await sims('oms', 'POST', '/_faults', { rejectOrders: true });
    const o = await paidOrder(t.sims, { id: uid('ord-rej'), total: '5000' });
    await sims('oms', 'POST', '/_faults', { rejectOrders: false });
    const e = await one('CAPTURED_OMS_REJECTED', o.orderId);
    assert.equal(e.owner, 'OMS');
    assert.equal(e.evidence.omsStatus, 'REJECTED');
    assert.equal(e.evidence.captureId, o.captureId);
    assert.deepEqual(e.order, { id: o.orderId, status: 'REJECTED' });
  });

  test('CAPTURED_ERP_POSTING_FAILED: the ERP rejects the sale invoice of a charged order', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-erp'), total: '7700' });
    await sims('erp', 'POST', '/_faults', { rejectNext: 1 });
    const doc = await sims('erp', 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: `INV-${o.orderId}`, orderId: o.orderId, amount: '7700', currency: 'EUR' });
    const e = await one('CAPTURED_ERP_POSTING_FAILED', o.orderId);
    assert.equal(e.owner, 'FINANCE');
    assert.equal(e.evidence.erpPostingStatus, 'REJECTED');
    assert.equal(e.evidence.erpDocumentId, doc.documentId);
    assert.equal(e.evidence.invoiceReference, `INV-${o.orderId}`);
    assert.equal(e.evidence.captureId, o.captureId);
    assert.match(e.detail, /UNMAPPED_REASON_CODE/);
  });

  test('REFUNDED_ORDER_LATER_CREATED: refunded at the PSP before the OMS created the order', async () => {
    const orderId = uid('ord-late');
    const p = await sims('psp', 'POST', '/payments', { orderId, amount: '3000', currency: 'EUR' });
    const c = await sims('psp', 'POST', `/payments/${p.id}/captures`, {});
    await sims('psp', 'POST', '/refunds', { paymentId: p.id, amount: '3000', merchantTransactionId: uid('mt-console') });
    assert.equal((await one('CAPTURED_ORDER_CREATION_FAILED', orderId)).status, 'OPEN');
    // The order export lands late; the refund enters the ledger when the order is synced.
    await sims('oms', 'POST', '/orders', { id: orderId, currency: 'EUR', total: '3000', status: 'CONFIRMED', createdAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    const sync = await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId } });
    assert.deepEqual(sync.data?.syncOrder.userErrors, [], JSON.stringify(sync));
    const e = await one('REFUNDED_ORDER_LATER_CREATED', orderId);
    assert.equal(e.evidence.pspReference, p.id);
    assert.equal(e.evidence.captureId, c.capture.id);
    assert.ok(e.evidence.pspRefundId, 'the PSP refund id is part of the evidence');
    assert.equal(e.evidence.omsStatus, 'CONFIRMED');
    assert.ok(!e.allowedDecisions.includes('REFUND_AND_CLOSE'), 'refunding again is the duplicate correction to avoid');
    assert.equal((await one('CAPTURED_ORDER_CREATION_FAILED', orderId)).status, 'RESOLVED');
  });

  test('SETTLED_NO_ERP_INVOICE and SETTLEMENT_LINE_WITHOUT_ORDER: a settlement batch closes before finance has the records', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-settle'), total: '2500' });
    const fee = uid('fee');
    const s = await sims('psp', 'POST', '/settlements', { id: uid('batch'), extraLines: [{ kind: 'FEE', pspReference: fee, orderId: null, gross: '-150' }] });
    const batch = s.settlement.id;
    const settled = await one('SETTLED_NO_ERP_INVOICE', o.orderId);
    assert.equal(settled.evidence.settlementBatchId, batch);
    assert.equal(settled.evidence.captureId, o.captureId);
    assert.equal(settled.evidence.erpPostingStatus, 'NOT_POSTED');
    assert.equal(settled.window, 'AFTER_SETTLEMENT');
    const line = (await list({ kinds: ['SETTLEMENT_LINE_WITHOUT_ORDER'] })).find((e: any) => e.detail.includes(fee));
    assert.ok(line, 'the fee line without an order is an exception');
    assert.equal(line.evidence.settlementBatchId, batch);
    assert.deepEqual(line.evidence.amount, { amount: '1.50', currencyCode: 'EUR' });
    assert.match(line.detail, new RegExp(`fee line ${fee} \\(-1\\.50 EUR\\) without an order reference`));
    assert.equal(line.orderId, null);
    assert.equal(line.evidence.webhookEventId, t.sims.psp.webhooks.events.find((x) => x.type === 'settlement.closed' && x.raw.includes(batch))?.eventId);
    // An accepted invoice posting clears the settled-without-invoice exception.
    await sims('erp', 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: `INV-${o.orderId}`, orderId: o.orderId, amount: '2500', currency: 'EUR' });
    assert.equal((await one('SETTLED_NO_ERP_INVOICE', o.orderId)).status, 'RESOLVED');
  });
});

describe('owner decisions', () => {
  test('HOLD_AND_ESCALATE holds the order until RELEASE_HOLD; a held exception cannot be closed; all of it audited', async () => {
    await sims('oms', 'POST', '/_faults', { rejectOrders: true });
    const o = await paidOrder(t.sims, { id: uid('ord-hold'), total: '9900' });
    await sims('oms', 'POST', '/_faults', { rejectOrders: false });
    const e = await one('CAPTURED_OMS_REJECTED', o.orderId);

    const held = await decide('FINANCE', e.id, 'HOLD_AND_ESCALATE', 'replay could double-ship; Anna decides before cut-off');
    assert.deepEqual(held.data.decideException.userErrors, []);
    const x = held.data.decideException.exception;
    assert.equal(x.status, 'DECIDED');
    assert.equal(x.decision.decision, 'HOLD_AND_ESCALATE');
    assert.equal(x.decision.decidedBy, 'finance-demo');
    assert.equal(x.decision.note, 'replay could double-ship; Anna decides before cut-off');
    assert.deepEqual(x.allowedDecisions, ['RELEASE_HOLD']);
    const ctx = RequestContext.system(t.app.services);
    assert.equal(await isOrderOnHold(ctx, o.orderId), true);

    const summary = await t.gql('FINANCE', 'query($f: DateTimeISO!, $t: DateTimeISO!) { moneySummary(from: $f, to: $t) { automatedRetries { state heldOrders } } }', {
      f: new Date(Date.now() - 86_400_000).toISOString(),
      t: new Date(Date.now() + 86_400_000).toISOString(),
    });
    assert.equal(summary.data.moneySummary.automatedRetries.state, 'PAUSED_ON_HELD_ORDERS');

    const close = await decide('ADMIN', e.id, 'CLOSE', 'done');
    assert.equal(close.data.decideException.userErrors[0].code, 'DECISION_NOT_ALLOWED');
    assert.equal(close.data.decideException.exception.status, 'DECIDED', 'nothing changed');

    const released = await decide('FINANCE', e.id, 'RELEASE_HOLD', 'OMS confirmed the allocation can be repaired');
    assert.deepEqual(released.data.decideException.userErrors, []);
    assert.equal(released.data.decideException.exception.status, 'OPEN');
    assert.equal(await isOrderOnHold(ctx, o.orderId), false);

    const audit = await t.dataSource.query(`SELECT subject, outcome FROM audit_log WHERE operation = 'decideException' AND order_id = ? ORDER BY id`, [o.orderId]);
    assert.deepEqual(
      audit.map((a: any) => [a.subject, a.outcome]),
      [
        ['finance-demo', 'DECIDED:HOLD_AND_ESCALATE'],
        ['finance-demo', 'DECIDED:RELEASE_HOLD'],
      ],
    );
  });

  test('REPAIR_ORDER (admin) keeps the exception DECIDED even once it clears; CLOSE resolves it with the closure note', async () => {
    const orderId = uid('ord-repair');
    await sims('psp', 'POST', '/payments', { orderId, amount: '800', currency: 'EUR' });
    const e = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    const r = await decide('ADMIN', e.id, 'REPAIR_ORDER', 'commerce replays the order export');
    assert.equal(r.data.decideException.exception.status, 'DECIDED');
    await sims('oms', 'POST', '/orders', { id: orderId, currency: 'EUR', total: '800', status: 'CONFIRMED' });
    const cleared = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    assert.equal(cleared.status, 'DECIDED', 'a decided exception is not resolved automatically');
    assert.equal(cleared.observed, false);
    assert.ok(cleared.evidence);
    const closed = await decide('ADMIN', e.id, 'CLOSE', 'order repaired, customer informed');
    assert.equal(closed.data.decideException.exception.status, 'RESOLVED');
    assert.equal(closed.data.decideException.exception.resolution, 'CLOSED');
    const again = await decide('ADMIN', e.id, 'REPAIR_ORDER', 'again');
    assert.equal(again.data.decideException.userErrors[0].code, 'EXCEPTION_ALREADY_RESOLVED');
  });

  test('POST_FINANCE_EVIDENCE and REFUND_AND_CLOSE are recorded for the kinds they fit', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-evid'), total: '1200' });
    await sims('erp', 'POST', '/_faults', { rejectNext: 1 });
    await sims('erp', 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: `INV-${o.orderId}`, orderId: o.orderId, amount: '1200', currency: 'EUR' });
    const e = await one('CAPTURED_ERP_POSTING_FAILED', o.orderId);
    const ev = await decide('FINANCE', e.id, 'POST_FINANCE_EVIDENCE', 'manual journal JE-4711 attached');
    assert.equal(ev.data.decideException.exception.decision.decision, 'POST_FINANCE_EVIDENCE');

    await sims('oms', 'POST', '/_faults', { rejectOrders: true });
    const o2 = await paidOrder(t.sims, { id: uid('ord-refclose'), total: '1500' });
    await sims('oms', 'POST', '/_faults', { rejectOrders: false });
    const e2 = await one('CAPTURED_OMS_REJECTED', o2.orderId);
    const rc = await decide('ADMIN', e2.id, 'REFUND_AND_CLOSE', 'address cannot be served; refund, support case 991');
    assert.equal(rc.data.decideException.exception.decision.decision, 'REFUND_AND_CLOSE');
    assert.deepEqual(
      (await list({ decision: 'REFUND_AND_CLOSE', orderId: o2.orderId })).map((x: any) => x.id),
      [e2.id],
    );
  });

  test('userErrors: EXCEPTION_NOT_FOUND, DECISION_NOT_ALLOWED (nothing changed), EXCEPTION_ALREADY_RESOLVED; an empty note is bad input', async () => {
    const missing = await decide('ADMIN', 'exc_doesnotexist', 'CLOSE', 'x');
    assert.deepEqual(missing.data.decideException, {
      exception: null,
      userErrors: [{ code: 'EXCEPTION_NOT_FOUND', message: 'No exception exc_doesnotexist', field: ['input', 'exceptionId'] }],
    });

    const orderId = uid('ord-nope');
    await sims('psp', 'POST', '/payments', { orderId, amount: '100', currency: 'EUR' });
    const e = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    const decisionState = `SELECT status, decision, decided_by, decided_at, decision_note, resolution, resolved_at FROM money_exception WHERE id = ?`;
    const before = await t.dataSource.query(decisionState, [e.id]);
    const wrong = await decide('ADMIN', e.id, 'REFUND_AND_CLOSE', 'nothing was captured');
    assert.equal(wrong.data.decideException.userErrors[0].code, 'DECISION_NOT_ALLOWED');
    assert.deepEqual(wrong.data.decideException.userErrors[0].field, ['input', 'decision']);
    const release = await decide('FINANCE', e.id, 'RELEASE_HOLD', 'not held');
    assert.equal(release.data.decideException.userErrors[0].code, 'DECISION_NOT_ALLOWED');
    assert.deepEqual(await t.dataSource.query(decisionState, [e.id]), before);
    assert.equal(await isOrderOnHold(RequestContext.system(t.app.services), orderId), false);

    const empty = await decide('ADMIN', e.id, 'REPAIR_ORDER', '   ');
    assert.equal(empty.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');

    await sims('oms', 'POST', '/orders', { id: orderId, currency: 'EUR', total: '100', status: 'CONFIRMED' });
    assert.equal((await one('AUTHORIZED_ORDER_NOT_CREATED', orderId)).status, 'RESOLVED');
    const late = await decide('ADMIN', e.id, 'REPAIR_ORDER', 'too late');
    assert.equal(late.data.decideException.userErrors[0].code, 'EXCEPTION_ALREADY_RESOLVED');
    const rejected = await t.dataSource.query(`SELECT outcome FROM audit_log WHERE operation = 'decideException' AND outcome LIKE 'REJECTED:%'`);
    for (const code of ['EXCEPTION_NOT_FOUND', 'DECISION_NOT_ALLOWED', 'EXCEPTION_ALREADY_RESOLVED']) {
      assert.ok(
        rejected.some((a: any) => a.outcome === `REJECTED:${code}`),
        `refusal ${code} audited`,
      );
    }
  });

  test('permissions: SUPPORT and ANALYST may not decide; FINANCE may not repair, refund or close; ADMIN may', async () => {
    const orderId = uid('ord-perm');
    await sims('psp', 'POST', '/payments', { orderId, amount: '100', currency: 'EUR' });
    const e = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    for (const role of ['SUPPORT', 'ANALYST'] as const) {
      const r = await decide(role, e.id, 'HOLD_AND_ESCALATE');
      assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
    }
    for (const d of ['REPAIR_ORDER', 'REFUND_AND_CLOSE', 'CLOSE']) {
      const r = await decide('FINANCE', e.id, d);
      assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', d);
    }
    assert.equal((await one('AUTHORIZED_ORDER_NOT_CREATED', orderId)).status, 'OPEN', 'a refused decision changes nothing');
    const unauth = await t.gql(null, LIST, {});
    assert.equal(unauth.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const sup = await t.gql('SUPPORT', 'query($f: DateTimeISO!, $t: DateTimeISO!) { moneySummary(from: $f, to: $t) { customersCharged } }', {
      f: new Date(Date.now() - 3_600_000).toISOString(),
      t: new Date().toISOString(),
    });
    assert.equal(sup.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the summary is a report');
    assert.equal((await decide('ADMIN', e.id, 'REPAIR_ORDER', 'admin may')).data.decideException.userErrors.length, 0);
  });
});

describe('queries', () => {
  test("Order.exceptions lists an order's exceptions through a loader", async () => {
    await sims('oms', 'POST', '/_faults', { rejectOrders: true });
    const o = await paidOrder(t.sims, { id: uid('ord-field'), total: '600' });
    await sims('oms', 'POST', '/_faults', { rejectOrders: false });
    const r = await t.gql('SUPPORT', `query($id: ID!) { order(id: $id) { id exceptions { id kind evidence { captureId } } } }`, { id: o.orderId });
    assert.deepEqual(
      r.data.order.exceptions.map((e: any) => [e.kind, e.evidence.captureId]),
      [['CAPTURED_OMS_REJECTED', o.captureId]],
    );
  });

  test('the SQL statement count of moneyExceptions (with Order.exceptions and order) does not grow with `first`', async () => {
    await sims('oms', 'POST', '/_faults', { rejectOrders: true });
    for (let i = 0; i < 6; i++) await paidOrder(t.sims, { id: uid('ord-many'), total: '100' });
    await sims('oms', 'POST', '/_faults', { rejectOrders: false });
    await refreshExceptions(RequestContext.system(t.app.services), { force: true });
    // Every node has an order, so both pages resolve the same fields.
    const q = `query($first: Int) { moneyExceptions(first: $first, filter: { kinds: [CAPTURED_OMS_REJECTED] }) {
      nodes { id kind evidence { pspReference } order { id exceptions { id } } } } }`;
    const small = await countStatements(() => t.gql('SUPPORT', q, { first: 1 }));
    const big = await countStatements(() => t.gql('SUPPORT', q, { first: 50 }));
    assert.equal(small.result.data.moneyExceptions.nodes.length, 1);
    assert.ok(big.result.data.moneyExceptions.nodes.length > 5);
    assert.equal(big.count, small.count, `statements: first=1 → ${small.count}, first=50 → ${big.count}`);
  });

  test('paging with after; a bad cursor and a negative minAgeSeconds are bad input; first is capped', async () => {
    const all = await list({}, 'ADMIN', 100);
    const page1 = await t.gql('ADMIN', LIST, { first: 2 });
    const page2 = await t.gql('ADMIN', LIST, { first: 2, after: page1.data.moneyExceptions.pageInfo.endCursor });
    assert.deepEqual(
      [...page1.data.moneyExceptions.edges, ...page2.data.moneyExceptions.edges].map((e: any) => e.node.id),
      all.slice(0, 4).map((e: any) => e.id),
    );
    assert.equal((await t.gql('ADMIN', LIST, { after: 'garbage' })).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal((await t.gql('ADMIN', LIST, { filter: { minAgeSeconds: -1 } })).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal((await t.gql('ADMIN', LIST, { first: 101 })).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  test('moneySummary: customers charged, complete, awaiting repair, refunded, held for finance, oldest capture, next deadline', async () => {
    const from = clock.now();
    const ok = await paidOrder(t.sims, { id: uid('ord-sum-ok'), total: '1000', customerId: uid('cust') });
    // Charged at checkout, but commerce never created the order.
    const lostPay = await sims('psp', 'POST', '/payments', { orderId: uid('ord-sum-lost'), amount: '2000', currency: 'EUR', customerId: uid('cust') });
    await sims('psp', 'POST', `/payments/${lostPay.id}/captures`, {});
    const returned = await paidOrder(t.sims, { id: uid('ord-sum-ret'), total: '3000', customerId: uid('cust') });
    const inv = await returnInvoice(t.sims, returned.orderId, '3000');
    const refund = await t.gql('ADMIN', `mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { status } userErrors { code } } }`, {
      input: { orderId: returned.orderId, invoiceId: inv, reason: 'RETURN', idempotencyKey: uid('k') },
    });
    assert.equal(refund.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(refund));
    await sims('erp', 'POST', '/_faults', { rejectNext: 1 });
    await sims('erp', 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: `INV-${ok.orderId}`, orderId: ok.orderId, amount: '1000', currency: 'EUR' });

    const r = await t.gql(
      'ANALYST',
      `query($f: DateTimeISO!, $t: DateTimeISO!) { moneySummary(from: $f, to: $t) {
      customersCharged paymentsCharged ordersComplete awaitingRepair paymentsRefunded chargedAmount { amount currencyCode } refundedAmount { amount }
      amountHeldForFinanceReview { amount currencyCode } unresolvedExceptions undecidedExceptions nextDecisionDeadline
      oldestUnresolvedCapture { captureId orderId capturedAt amount { amount } } automatedRetries { state heldOrders } } }`,
      {
        f: from.toISOString(),
        t: new Date(clock.now().getTime() + 1).toISOString(),
      },
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const s = r.data.moneySummary;
    assert.equal(s.customersCharged, 3);
    assert.equal(s.paymentsCharged, 3);
    assert.equal(s.ordersComplete, 1, 'the returned order is complete; the lost one is not, the ok one has a rejected ERP posting');
    assert.equal(s.awaitingRepair, 1);
    assert.equal(s.paymentsRefunded, 1);
    assert.deepEqual(s.chargedAmount, [{ amount: '60.00', currencyCode: 'EUR' }]);
    assert.deepEqual(s.refundedAmount, [{ amount: '30.00' }]);
    assert.deepEqual(s.amountHeldForFinanceReview, [{ amount: '10.00', currencyCode: 'EUR' }], 'the charged order whose ERP posting failed');
    assert.equal(s.oldestUnresolvedCapture.orderId, ok.orderId);
    assert.equal(s.oldestUnresolvedCapture.captureId, ok.captureId);
    assert.ok(s.nextDecisionDeadline && new Date(s.nextDecisionDeadline) > clock.now());
    assert.equal(s.unresolvedExceptions, 2);

    const bad = await t.gql('ANALYST', 'query($f: DateTimeISO!, $t: DateTimeISO!) { moneySummary(from: $f, to: $t) { customersCharged } }', {
      f: new Date().toISOString(),
      t: new Date(Date.now() - 1000).toISOString(),
    });
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(bad.errors?.[0]?.extensions?.reason, 'INVALID_PERIOD');
  });
  test('the owners filter keeps the kinds those teams own, and combines with the other filters', async () => {
    const all = await list({});
    assert.ok(new Set(all.map((e: any) => e.owner)).size >= 2, 'exceptions of several owners exist');
    for (const owner of ['COMMERCE', 'OMS', 'PAYMENTS', 'FINANCE']) {
      const mine = await list({ owners: [owner] });
      assert.deepEqual(
        mine.map((e: any) => e.id),
        all.filter((e: any) => e.owner === owner).map((e: any) => e.id),
        owner,
      );
    }
    const two = await list({ owners: ['OMS', 'FINANCE'] });
    assert.deepEqual(
      two.map((e: any) => e.id),
      all.filter((e: any) => e.owner === 'OMS' || e.owner === 'FINANCE').map((e: any) => e.id),
    );
    const finance = all.filter((e: any) => e.owner === 'FINANCE');
    const kind = finance[0]?.kind;
    assert.ok(kind, 'a finance-owned exception exists');
    assert.deepEqual(await list({ owners: ['COMMERCE'], kinds: [kind] }), [], 'a kind the team does not own');
    const bad = await t.gql('SUPPORT', LIST, { filter: { owners: ['NOBODY'] } });
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});

describe('time windows and ages follow the clock', () => {
  test('0–5 min, 5–60 min, before the settlement cut-off, then after it; minAgeSeconds and window filters', async () => {
    const orderId = uid('ord-win');
    await sims('psp', 'POST', '/payments', { orderId, amount: '100', currency: 'EUR' });
    const e0 = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    assert.equal(e0.window, 'MINUTES_0_TO_5');
    assert.equal((await list({ orderId, minAgeSeconds: 600 })).length, 0);
    const start = clock.now();
    clock.advance(10 * 60_000);
    const e1 = await one('AUTHORIZED_ORDER_NOT_CREATED', orderId);
    assert.equal(e1.window, 'MINUTES_5_TO_60');
    assert.ok(e1.ageSeconds >= 600);
    assert.equal(e1.firstDetectedAt, e0.firstDetectedAt, 'first detection survives re-classification');
    assert.deepEqual(
      (await list({ orderId, minAgeSeconds: 600 })).map((x: any) => x.id),
      [e0.id],
    );
    assert.deepEqual(
      (await list({ orderId, window: 'MINUTES_5_TO_60' })).map((x: any) => x.id),
      [e0.id],
    );
    assert.equal((await list({ orderId, window: 'MINUTES_0_TO_5' })).length, 0);
    // The cut-off hour is configured 2–3 hours ahead, so the hour after the event is still before it.
    const deadline = new Date(e0.decisionDeadline).getTime();
    assert.ok(deadline - start.getTime() > 2 * 3_600_000 - 60_000, 'the configured cut-off is ahead');
    clock.advanceTo(new Date(start.getTime() + 61 * 60_000));
    assert.equal((await one('AUTHORIZED_ORDER_NOT_CREATED', orderId)).window, 'BEFORE_SETTLEMENT_CUTOFF');
    clock.advanceTo(new Date(deadline + 60_000));
    assert.equal((await one('AUTHORIZED_ORDER_NOT_CREATED', orderId)).window, 'AFTER_SETTLEMENT');
    assert.deepEqual(
      (await list({ orderId, window: 'AFTER_SETTLEMENT' })).map((x: any) => x.id),
      [e0.id],
    );
  });
});
