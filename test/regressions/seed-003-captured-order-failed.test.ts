/**
 * Seed 003 (captured payment, failed order): "a captured payment with no trustworthy order outcome".
 * The seed's six payment/order states, each produced through the simulators, are found by
 * moneyExceptions with the seed's evidence row (PSP reference, capture id, amount, currency,
 * capture time, order code, webhook event id and whether it can run again, OMS status, ERP posting
 * status, settlement batch) and move through the seed's time windows as the clock moves; the four
 * owner decisions are recorded with who, when and why, and audited; HOLD_AND_ESCALATE stops the
 * automated refunds and recovery of the order until the hold is released; and the stakeholder
 * summary gives the seed's figures.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox } from '../../src/outbox';
import { settlementCutoffAfter } from '../../src/reconciliation/exception-kinds';
import { RecoveryWorker } from '../../src/refunds';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { AdvancingClock, UNLIMITED_GRAPHQL } from '../support/recon';
import { pspFaults, pspRefunds, refundInvoice, rows } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const clock = new AdvancingClock();
const CUTOFF_HOUR = (new Date().getUTCHours() + 3) % 24; // the settlement cut-off is 2–3 hours ahead
let t: TestApp;
let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;

before(async () => {
  t = await createTestApp({
    clock,
    env: {
      EXCEPTIONS_STALE_SECONDS: '0',
      UPSTREAM_RETRIES: '0',
      UPSTREAM_BREAKER_THRESHOLD: '1000',
      GRAPHQL_LIMITS: UNLIMITED_GRAPHQL,
      SETTLEMENT_CUTOFF_HOUR_UTC: String(CUTOFF_HOUR),
    },
  });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  await pspFaults(t, { faultsOnly: null, failNext: 0, webhooks: { mode: 'immediate', duplicate: false } });
  await sim('oms', 'POST', '/_faults', { rejectOrders: false });
  await sim('erp', 'POST', '/_faults', { rejectNext: 0 });
});

const sim = (sys: 'oms' | 'psp' | 'erp', method: string, path: string, body?: unknown) => call(t.sims.urls[sys], method, path, body);
const drain = () => drainOutbox(t.app.services);
const eventOf = (sys: 'oms' | 'psp' | 'erp', type: string, needle: string) => t.sims[sys].webhooks.events.filter((e) => e.type === type && e.raw.includes(needle)).at(-1)?.eventId;
const saleInvoiceOf = async (orderId: string) => (await sim('oms', 'GET', `/orders/${orderId}`)).invoices.find((i: any) => i.kind === 'OUTPUT').number as string;

const FIELDS = `id kind status owner orderId detail observed window occurredAt decisionDeadline resolution allowedDecisions
  decision { decision decidedBy decidedAt note }
  evidence { pspReference captureId amount { amount currencyCode } captureTimestamp orderCode omsStatus erpPostingStatus erpDocumentId
    invoiceReference settlementBatchId refundId pspRefundId webhookEventId webhookReplayable webhookReplayCount webhookSignatureValid }`;
const LIST = `query($filter: MoneyExceptionFilter) { moneyExceptions(filter: $filter, first: 100) { nodes { ${FIELDS} } } }`;
const DECIDE = `mutation($input: DecideExceptionInput!) { decideException(input: $input) { exception { ${FIELDS} } userErrors { code message field } } }`;
const SUMMARY = `query($f: DateTimeISO!, $t: DateTimeISO!) { moneySummary(from: $f, to: $t) {
  customersCharged paymentsCharged ordersComplete awaitingRepair paymentsRefunded chargedAmount { amount currencyCode } refundedAmount { amount currencyCode }
  amountHeldForFinanceReview { amount currencyCode } unresolvedExceptions undecidedExceptions overdueDecisions nextDecisionDeadline
  oldestUnresolvedCapture { exceptionId kind captureId pspReference orderId capturedAt amount { amount currencyCode } }
  automatedRetries { state heldOrders duplicateRiskExceptions } } }`;
const AUDIT = `query($f: AuditLogFilterInput) { auditLog(filter: $f, first: 100) { nodes { subject role operation arguments orderId outcome occurredAt } } }`;

async function one(kind: string, orderId: string) {
  const r = await t.gql('SUPPORT', LIST, { filter: { kinds: [kind], orderId, status: ['OPEN', 'DECIDED', 'RESOLVED'] } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.moneyExceptions.nodes.length, 1, `one ${kind} for ${orderId}: ${JSON.stringify(r.data.moneyExceptions.nodes)}`);
  return r.data.moneyExceptions.nodes[0];
}
async function decide(role: 'FINANCE' | 'ADMIN', exceptionId: string, decision: string, note: string) {
  const r = await t.gql(role, DECIDE, { input: { exceptionId, decision, note } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.decideException.userErrors, []);
  return r.data.decideException.exception;
}
async function summary(from: Date, to: Date) {
  const r = await t.gql('FINANCE', SUMMARY, { f: from.toISOString(), t: to.toISOString() });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.moneySummary;
}
const money = (amount: string, currencyCode = 'EUR') => ({ amount, currencyCode });
/** The seed's evidence row; every field not given is null (or false/0 for the webhook marker). */
const evidence = (e: Record<string, unknown>) => ({
  pspReference: null,
  captureId: null,
  amount: null,
  captureTimestamp: null,
  orderCode: null,
  omsStatus: null,
  erpPostingStatus: null,
  erpDocumentId: null,
  invoiceReference: null,
  settlementBatchId: null,
  refundId: null,
  pspRefundId: null,
  webhookEventId: null,
  webhookReplayable: false,
  webhookReplayCount: 0,
  webhookSignatureValid: true,
  ...e,
});

/** The six states of the seed, made in the first test and followed through the file. */
type SeedState = 'settled' | 'authorized' | 'lost' | 'rejected' | 'unposted' | 'late';
const S = {} as Record<SeedState, { kind: string; orderId: string; paymentId: string; captureId?: string; exceptionId?: string }>;

describe('the six payment/order states of the seed', () => {
  test("each is found with the seed's evidence row, and the stakeholder summary counts them", async () => {
    const from = clock.now();
    // Settled / no ERP invoice — first, so that the batch settles this capture only.
    const settled = await paidOrder(t.sims, { id: uid('ord-settled'), total: '2500', customerId: uid('cust') });
    const batch = (await sim('psp', 'POST', '/settlements', { id: uid('batch') })).settlement.id;
    S.settled = { kind: 'SETTLED_NO_ERP_INVOICE', ...settled, captureId: settled.captureId };
    // A charged order with nothing wrong: the one complete order.
    const complete = await paidOrder(t.sims, { id: uid('ord-ok'), total: '1000', customerId: uid('cust') });
    // Authorized / order not created.
    const authId = uid('ord-auth');
    const auth = await sim('psp', 'POST', '/payments', { orderId: authId, amount: '4200', currency: 'EUR', customerId: uid('cust') });
    S.authorized = { kind: 'AUTHORIZED_ORDER_NOT_CREATED', orderId: authId, paymentId: auth.id };
    // Captured / order creation failed — the seed's own row: 129.00 EUR, its capture webhook delivered twice.
    const lostId = uid('ord-lost');
    await pspFaults(t, { webhooks: { duplicate: true } });
    const lost = await sim('psp', 'POST', '/payments', { orderId: lostId, amount: '12900', currency: 'EUR', customerId: uid('cust') });
    const lostCapture = (await sim('psp', 'POST', `/payments/${lost.id}/captures`, {})).capture.id;
    await pspFaults(t, { webhooks: { duplicate: false } });
    S.lost = { kind: 'CAPTURED_ORDER_CREATION_FAILED', orderId: lostId, paymentId: lost.id, captureId: lostCapture };
    // Captured / OMS rejected.
    await sim('oms', 'POST', '/_faults', { rejectOrders: true });
    const rejected = await paidOrder(t.sims, { id: uid('ord-rejected'), total: '5000', customerId: uid('cust') });
    await sim('oms', 'POST', '/_faults', { rejectOrders: false });
    S.rejected = { kind: 'CAPTURED_OMS_REJECTED', ...rejected };
    // Captured / ERP posting failed: the ERP refuses the sale invoice of the charged order.
    const unposted = await paidOrder(t.sims, { id: uid('ord-unposted'), total: '7700', customerId: uid('cust') });
    const unpostedInvoice = await saleInvoiceOf(unposted.orderId);
    await sim('erp', 'POST', '/_faults', { rejectNext: 1 });
    const doc = await sim('erp', 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: unpostedInvoice, orderId: unposted.orderId, amount: '7700', currency: 'EUR' });
    S.unposted = { kind: 'CAPTURED_ERP_POSTING_FAILED', ...unposted };
    // Refunded / order later created: refunded in full at the PSP, then the order export lands.
    const lateId = uid('ord-late');
    const late = await sim('psp', 'POST', '/payments', { orderId: lateId, amount: '3000', currency: 'EUR', customerId: uid('cust') });
    const lateCapture = (await sim('psp', 'POST', `/payments/${late.id}/captures`, {})).capture.id;
    const lateRefund = await sim('psp', 'POST', '/refunds', { paymentId: late.id, amount: '3000', merchantTransactionId: uid('mt-console') });
    await sim('oms', 'POST', '/orders', { id: lateId, currency: 'EUR', total: '3000', status: 'CONFIRMED', createdAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    const sync = await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId: lateId } });
    assert.deepEqual(sync.data.syncOrder.userErrors, []);
    S.late = { kind: 'REFUNDED_ORDER_LATER_CREATED', orderId: lateId, paymentId: late.id, captureId: lateCapture };
    await drain(); // the refund's own writebacks: nothing else is wrong with these orders
    const to = new Date(clock.now().getTime() + 120_000);

    const capturedAt = (id: string) => t.sims.psp.state.captures.get(id)!.capturedAt;
    const found: Record<string, any> = {};
    for (const [name, s] of Object.entries(S)) {
      found[name] = await one(s.kind, s.orderId);
      s.exceptionId = found[name].id;
      assert.equal(found[name].status, 'OPEN', name);
      assert.equal(found[name].observed, true, name);
      assert.equal(found[name].decision, null, name);
      assert.equal(found[name].decisionDeadline, settlementCutoffAfter(new Date(found[name].occurredAt), CUTOFF_HOUR).toISOString(), `${name}: decide before the cut-off`);
    }
    const lateLedger = (await rows(t, 'SELECT id FROM refund WHERE order_id = ?', [lateId]))[0];

    assert.deepEqual(
      found.authorized.evidence,
      evidence({
        pspReference: auth.id,
        amount: money('42.00'),
        orderCode: authId,
        omsStatus: 'NOT_CREATED',
        erpPostingStatus: 'NOT_POSTED',
        webhookEventId: eventOf('psp', 'payment.upserted', auth.id),
      }),
    );
    assert.deepEqual(
      found.lost.evidence,
      evidence({
        pspReference: lost.id,
        captureId: lostCapture,
        amount: money('129.00'),
        captureTimestamp: capturedAt(lostCapture),
        orderCode: lostId,
        omsStatus: 'NOT_CREATED',
        erpPostingStatus: 'NOT_POSTED',
        webhookEventId: eventOf('psp', 'capture.created', lostCapture),
        webhookReplayCount: 1,
      }),
    );
    assert.deepEqual(
      found.rejected.evidence,
      evidence({
        pspReference: rejected.paymentId,
        captureId: rejected.captureId,
        amount: money('50.00'),
        captureTimestamp: capturedAt(rejected.captureId!),
        orderCode: rejected.orderId,
        omsStatus: 'REJECTED',
        erpPostingStatus: 'NOT_POSTED',
        webhookEventId: eventOf('psp', 'capture.created', rejected.captureId!),
      }),
    );
    assert.deepEqual(
      found.unposted.evidence,
      evidence({
        pspReference: unposted.paymentId,
        captureId: unposted.captureId,
        amount: money('77.00'),
        captureTimestamp: capturedAt(unposted.captureId!),
        orderCode: unposted.orderId,
        omsStatus: 'CONFIRMED',
        erpPostingStatus: 'REJECTED',
        erpDocumentId: doc.documentId,
        invoiceReference: unpostedInvoice,
        webhookEventId: eventOf('erp', 'posting.created', doc.documentId),
      }),
    );
    assert.deepEqual(
      found.late.evidence,
      evidence({
        pspReference: late.id,
        captureId: lateCapture,
        amount: money('30.00'),
        captureTimestamp: capturedAt(lateCapture),
        orderCode: lateId,
        omsStatus: 'CONFIRMED',
        erpPostingStatus: 'NOT_POSTED',
        refundId: lateLedger.id,
        pspRefundId: lateRefund.refundId,
        // The latest event about the order: the OMS's echo of the "Refund Payment" interaction moneygraph sent it.
        webhookEventId: eventOf('oms', 'interaction.created', `refund-payment:${lateLedger.id}`),
      }),
    );
    assert.deepEqual(
      found.settled.evidence,
      evidence({
        pspReference: settled.paymentId,
        captureId: settled.captureId,
        amount: money('25.00'),
        captureTimestamp: capturedAt(settled.captureId!),
        orderCode: settled.orderId,
        omsStatus: 'CONFIRMED',
        erpPostingStatus: 'NOT_POSTED',
        invoiceReference: await saleInvoiceOf(settled.orderId),
        settlementBatchId: batch,
        webhookEventId: eventOf('psp', 'settlement.closed', batch),
      }),
    );
    // Every event id named is one moneygraph stored, signed and applied.
    for (const [name, e] of Object.entries(found)) {
      const [w] = await rows(t, 'SELECT status, signature_valid FROM webhook_event WHERE event_id = ?', [e.evidence.webhookEventId]);
      assert.deepEqual([w?.status, w?.signature_valid], ['PROCESSED', 1], name);
    }

    // Owners, sentences and the decisions that fit each state.
    const shape = (e: any) => [e.owner, e.detail, e.allowedDecisions];
    assert.deepEqual(shape(found.authorized), [
      'COMMERCE',
      `Payment ${auth.id} is authorized but order ${authId} does not exist in the OMS`,
      ['REPAIR_ORDER', 'HOLD_AND_ESCALATE', 'CLOSE'],
    ]);
    assert.deepEqual(shape(found.lost), [
      'COMMERCE',
      `Payment ${lost.id} is captured but order ${lostId} does not exist in the OMS`,
      ['REPAIR_ORDER', 'REFUND_AND_CLOSE', 'HOLD_AND_ESCALATE', 'CLOSE'],
    ]);
    assert.deepEqual(shape(found.rejected), [
      'OMS',
      `Payment ${rejected.paymentId} is captured but the OMS rejected order ${rejected.orderId}`,
      ['REPAIR_ORDER', 'REFUND_AND_CLOSE', 'HOLD_AND_ESCALATE', 'CLOSE'],
    ]);
    assert.deepEqual(shape(found.unposted), [
      'FINANCE',
      `The ERP rejected the invoice posting ${unpostedInvoice} (UNMAPPED_REASON_CODE) of charged order ${unposted.orderId}`,
      ['REFUND_AND_CLOSE', 'POST_FINANCE_EVIDENCE', 'HOLD_AND_ESCALATE', 'CLOSE'],
    ]);
    assert.equal(shape(found.late)[0], 'FINANCE');
    assert.match(
      found.late.detail,
      new RegExp(`^Order ${lateId} is CONFIRMED in the OMS but its payment was refunded \\(1 refund\\(s\\), no return invoice, before the order was created\\)`),
    );
    assert.deepEqual(found.late.allowedDecisions, ['REPAIR_ORDER', 'POST_FINANCE_EVIDENCE', 'HOLD_AND_ESCALATE', 'CLOSE'], 'refunding again is the duplicate correction to avoid');
    assert.deepEqual(shape(found.settled), [
      'FINANCE',
      `Settlement ${batch} settled capture ${settled.captureId} of order ${settled.orderId} but the ERP holds no accepted invoice for it`,
      ['POST_FINANCE_EVIDENCE', 'HOLD_AND_ESCALATE', 'CLOSE'],
    ]);
    // The charged order whose path completed has no exception at all.
    assert.deepEqual(
      (await t.gql('SUPPORT', `query($id: ID!) { order(id: $id) { exceptions(includeResolved: true) { kind } } }`, { id: complete.orderId })).data.order.exceptions,
      [],
    );

    // The stakeholder figures, without gateway jargon.
    const s = await summary(from, to);
    const deadlines = Object.values(found)
      .filter((e: any) => e.status === 'OPEN')
      .map((e: any) => e.decisionDeadline)
      .sort();
    assert.deepEqual(s, {
      customersCharged: 6, // every capture in the period: complete, settled, lost, rejected, unposted, late
      paymentsCharged: 6,
      ordersComplete: 1,
      awaitingRepair: 2, // the lost and the rejected order
      paymentsRefunded: 1,
      chargedAmount: [money('321.00')],
      refundedAmount: [money('30.00')],
      amountHeldForFinanceReview: [money('132.00')], // the finance-owned states: unposted 77.00, late 30.00, settled 25.00
      unresolvedExceptions: 6,
      undecidedExceptions: 6,
      overdueDecisions: 0,
      nextDecisionDeadline: deadlines[0],
      oldestUnresolvedCapture: {
        exceptionId: found.settled.id,
        kind: 'SETTLED_NO_ERP_INVOICE',
        captureId: settled.captureId,
        pspReference: settled.paymentId,
        orderId: settled.orderId,
        capturedAt: capturedAt(settled.captureId!),
        amount: money('25.00'),
      },
      automatedRetries: { state: 'RUNNING', heldOrders: 0, duplicateRiskExceptions: 1 },
    });
  });

  test('the owner decisions — repair order, refund and close, post finance evidence, hold and escalate — are recorded with who, when and why, and audited', async () => {
    const since = clock.now();
    // Repair order: commerce replays the order export; the exception waits for its closure note.
    const repair = await decide('ADMIN', S.lost.exceptionId!, 'REPAIR_ORDER', 'customer intent valid, stock allocatable: replay the order export with its original key');
    assert.deepEqual(
      [repair.status, repair.decision.decision, repair.decision.decidedBy, repair.decision.note],
      ['DECIDED', 'REPAIR_ORDER', 'admin-demo', 'customer intent valid, stock allocatable: replay the order export with its original key'],
    );
    await sim('oms', 'POST', '/orders', { id: S.lost.orderId, currency: 'EUR', total: '12900', status: 'CONFIRMED' });
    const repaired = await one('CAPTURED_ORDER_CREATION_FAILED', S.lost.orderId);
    assert.deepEqual([repaired.status, repaired.observed], ['DECIDED', false], 'a decided exception is never resolved automatically');
    const closedRepair = await decide('ADMIN', S.lost.exceptionId!, 'CLOSE', `order ${S.lost.orderId} created from the replay; customer informed`);
    assert.deepEqual([closedRepair.status, closedRepair.resolution], ['RESOLVED', 'CLOSED']);

    // Refund and close: the OMS cannot serve the order; the return invoice is refunded automatically, then closed with the PSP reference.
    const refundClose = await decide('ADMIN', S.rejected.exceptionId!, 'REFUND_AND_CLOSE', 'address cannot be served; refund, support case 991');
    assert.equal(refundClose.status, 'DECIDED');
    await returnInvoice(t.sims, S.rejected.orderId, '5000');
    await drain();
    const [refund] = pspRefunds(t, S.rejected.orderId);
    assert.ok(refund);
    assert.deepEqual([refund.status, refund.amount], ['SUCCEEDED', 5000n]);
    const refundedOne = await one('CAPTURED_OMS_REJECTED', S.rejected.orderId);
    assert.deepEqual([refundedOne.status, refundedOne.observed], ['DECIDED', false]);
    await decide('ADMIN', S.rejected.exceptionId!, 'CLOSE', `refunded, PSP refund ${refund.refundId}; support case 991 answered`);

    // Post finance evidence: finance owns the ERP-side states.
    const evidenceUnposted = await decide('FINANCE', S.unposted.exceptionId!, 'POST_FINANCE_EVIDENCE', 'manual journal JE-4711 attached to the rejected invoice posting');
    const evidenceSettled = await decide('FINANCE', S.settled.exceptionId!, 'POST_FINANCE_EVIDENCE', 'settlement line held; invoice posted by hand as JE-4712');
    // Hold and escalate: two systems disagree and a replay could move money twice.
    const held = await decide('FINANCE', S.late.exceptionId!, 'HOLD_AND_ESCALATE', 'refunded before the order existed; Anna decides before the cut-off');
    assert.deepEqual(held.allowedDecisions, ['RELEASE_HOLD'], 'a hold stands until released');
    for (const e of [evidenceUnposted, evidenceSettled, held]) {
      assert.equal(e.status, 'DECIDED');
      assert.equal(e.decision.decidedBy, 'finance-demo');
      assert.ok(new Date(e.decision.decidedAt) >= since && new Date(e.decision.decidedAt) <= clock.now(), 'decided now');
    }
    // Who may not: finance cannot repair, refund or close; support cannot decide at all.
    const forbidden = await t.gql('FINANCE', DECIDE, { input: { exceptionId: S.authorized.exceptionId, decision: 'REPAIR_ORDER', note: 'not mine' } });
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const support = await t.gql('SUPPORT', DECIDE, { input: { exceptionId: S.authorized.exceptionId, decision: 'HOLD_AND_ESCALATE', note: 'not mine' } });
    assert.equal(support.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await one('AUTHORIZED_ORDER_NOT_CREATED', S.authorized.orderId)).status, 'OPEN');

    // The audit log, as an admin reads it: every decision, by whom, with its note, in order.
    const audit = await t.gql('ADMIN', AUDIT, { f: { operation: 'decideException', from: since.toISOString() } });
    assert.equal(audit.errors, undefined, JSON.stringify(audit.errors));
    const entries = audit.data.auditLog.nodes.reverse().map((a: any) => {
      const parsed = JSON.parse(a.arguments);
      // A refusal is audited with the mutation's arguments as sent ({ input }).
      const args = parsed.input ?? parsed;
      return [a.subject, a.role, a.orderId, a.outcome, args.exceptionId, args.decision, args.note];
    });
    assert.deepEqual(entries, [
      ['admin-demo', 'ADMIN', S.lost.orderId, 'DECIDED:REPAIR_ORDER', S.lost.exceptionId, 'REPAIR_ORDER', repair.decision.note],
      ['admin-demo', 'ADMIN', S.lost.orderId, 'DECIDED:CLOSE', S.lost.exceptionId, 'CLOSE', closedRepair.decision.note],
      ['admin-demo', 'ADMIN', S.rejected.orderId, 'DECIDED:REFUND_AND_CLOSE', S.rejected.exceptionId, 'REFUND_AND_CLOSE', 'address cannot be served; refund, support case 991'],
      ['admin-demo', 'ADMIN', S.rejected.orderId, 'DECIDED:CLOSE', S.rejected.exceptionId, 'CLOSE', `refunded, PSP refund ${refund.refundId}; support case 991 answered`],
      ['finance-demo', 'FINANCE', S.unposted.orderId, 'DECIDED:POST_FINANCE_EVIDENCE', S.unposted.exceptionId, 'POST_FINANCE_EVIDENCE', evidenceUnposted.decision.note],
      ['finance-demo', 'FINANCE', S.settled.orderId, 'DECIDED:POST_FINANCE_EVIDENCE', S.settled.exceptionId, 'POST_FINANCE_EVIDENCE', evidenceSettled.decision.note],
      ['finance-demo', 'FINANCE', S.late.orderId, 'DECIDED:HOLD_AND_ESCALATE', S.late.exceptionId, 'HOLD_AND_ESCALATE', held.decision.note],
      // The refused attempts are on record too.
      ['finance-demo', 'FINANCE', null, 'REJECTED:FORBIDDEN', S.authorized.exceptionId, 'REPAIR_ORDER', 'not mine'],
      ['support-demo', 'SUPPORT', null, 'REJECTED:FORBIDDEN', S.authorized.exceptionId, 'HOLD_AND_ESCALATE', 'not mine'],
    ]);
    const whenAudited = Object.fromEntries(audit.data.auditLog.nodes.filter((a: any) => a.outcome === 'DECIDED:HOLD_AND_ESCALATE').map((a: any) => [a.orderId, a.occurredAt]));
    const audited = new Date(whenAudited[S.late.orderId]).getTime();
    assert.ok(audited >= new Date(held.decision.decidedAt).getTime() && audited <= clock.now().getTime(), 'the audit row is written with the decision');
    assert.equal((await t.gql('FINANCE', AUDIT, {})).errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the audit log is for admins');

    // The decision is on the exception too: the held one is listed by its decision.
    const r = await t.gql('FINANCE', LIST, { filter: { decision: 'HOLD_AND_ESCALATE' } });
    assert.deepEqual(
      r.data.moneyExceptions.nodes.map((e: any) => [e.id, e.decision.decision, e.decision.note]),
      [[S.late.exceptionId, 'HOLD_AND_ESCALATE', held.decision.note]],
    );
  });

  test('HOLD_AND_ESCALATE stops automated refunds and recovery on the order until the hold is released', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-held'), total: '10000', customerId: uid('cust') });
    await sim('erp', 'POST', '/_faults', { rejectNext: 1 });
    await sim('erp', 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: await saleInvoiceOf(o.orderId), orderId: o.orderId, amount: '10000', currency: 'EUR' });
    const e = await one('CAPTURED_ERP_POSTING_FAILED', o.orderId);
    // A refund already in flight: the PSP answered 503 without acting.
    const inFlightInvoice = await returnInvoice(t.sims, o.orderId, '2000');
    await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1 });
    const inFlight = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inFlightInvoice })).data.refundInvoice.refund;
    assert.equal(inFlight.status, 'SUBMITTED');

    await decide('FINANCE', e.id, 'HOLD_AND_ESCALATE', 'replay could double-book; finance decides before the cut-off');
    const retries = async () => (await summary(new Date(Date.now() - 86_400_000), new Date(clock.now().getTime() + 86_400_000))).automatedRetries;
    assert.deepEqual(await retries(), { state: 'PAUSED_ON_HELD_ORDERS', heldOrders: 2, duplicateRiskExceptions: 1 }, 'this order and the late one');

    // A return invoice arrives on the held order: not refunded automatically; the in-flight refund is left alone.
    const heldInvoice = await returnInvoice(t.sims, o.orderId, '1500');
    await drain();
    await new RecoveryWorker(t.app.services).tick();
    assert.deepEqual(pspRefunds(t, o.orderId), [], 'the PSP was not called for this order');
    assert.deepEqual(await rows(t, 'SELECT id, status, attempts FROM refund WHERE order_id = ?', [o.orderId]), [{ id: inFlight.id, status: 'SUBMITTED', attempts: 1 }]);
    assert.deepEqual(
      await rows(t, "SELECT dedupe_key, status FROM outbox_message WHERE order_id = ? AND topic = 'refund.auto' ORDER BY dedupe_key", [o.orderId]),
      [
        { dedupe_key: `refund.auto:${inFlightInvoice}`, status: 'DONE' },
        { dedupe_key: `refund.auto:${heldInvoice}`, status: 'DONE' },
      ].sort((a, b) => a.dedupe_key.localeCompare(b.dedupe_key)),
    );

    // Released: recovery drives the in-flight refund with its own key, and new return invoices are refunded again.
    const released = await decide('FINANCE', e.id, 'RELEASE_HOLD', 'the ERP confirmed the invoice can be re-posted');
    assert.equal(released.status, 'OPEN');
    assert.deepEqual(await retries(), { state: 'PAUSED_ON_HELD_ORDERS', heldOrders: 1, duplicateRiskExceptions: 1 }, 'only the late order is still held');
    await new RecoveryWorker(t.app.services).tick();
    const [recovered] = await rows(t, 'SELECT status, attempts, merchant_transaction_id FROM refund WHERE id = ?', [inFlight.id]);
    assert.deepEqual([recovered.status, recovered.attempts, recovered.merchant_transaction_id], ['SUCCEEDED', 2, inFlight.merchantTransactionId]);
    const afterInvoice = await returnInvoice(t.sims, o.orderId, '1000');
    await drain();
    assert.deepEqual(
      pspRefunds(t, o.orderId)
        .map((r) => [r.invoiceNumber, r.amount, r.status])
        .sort(),
      [
        [inFlightInvoice, 2000n, 'SUCCEEDED'],
        [afterInvoice, 1000n, 'SUCCEEDED'],
      ].sort(),
    );
    // The invoice that arrived during the hold was not refunded behind anyone's back: it waits for a person.
    const pending = (await t.gql('ADMIN', `query($id: ID!) { pendingRefunds(orderId: $id) { invoices { invoiceId pending { amount } nextAction } } }`, { id: o.orderId })).data
      .pendingRefunds;
    assert.deepEqual(
      pending.invoices.find((i: any) => i.invoiceId === heldInvoice),
      { invoiceId: heldInvoice, pending: { amount: '15.00' }, nextAction: 'REFUND' },
    );
    const audit = (await t.gql('ADMIN', AUDIT, { f: { orderId: o.orderId, operation: 'decideException' } })).data.auditLog.nodes;
    assert.deepEqual(
      audit.reverse().map((a: any) => [a.subject, a.outcome]),
      [
        ['finance-demo', 'DECIDED:HOLD_AND_ESCALATE'],
        ['finance-demo', 'DECIDED:RELEASE_HOLD'],
      ],
    );
  });
});

describe('the time windows of the seed follow the clock', () => {
  test('0–5 minutes, 5–60 minutes, before the settlement cut-off, after it; settled money is after settlement from the start', async () => {
    const windows = async () => {
      const out: Record<string, string> = {};
      for (const [name, s] of Object.entries(S)) out[name] = (await one(s.kind, s.orderId)).window;
      return out;
    };
    const all = (w: string) => ({ settled: 'AFTER_SETTLEMENT', authorized: w, lost: w, rejected: w, unposted: w, late: w });
    const start = clock.now();
    assert.deepEqual(await windows(), all('MINUTES_0_TO_5'));
    clock.advance(10 * 60_000);
    assert.deepEqual(await windows(), all('MINUTES_5_TO_60'));
    clock.advanceTo(new Date(start.getTime() + 62 * 60_000));
    assert.deepEqual(await windows(), all('BEFORE_SETTLEMENT_CUTOFF'));
    const deadline = new Date((await one(S.authorized.kind, S.authorized.orderId)).decisionDeadline);
    assert.ok(deadline.getTime() > clock.now().getTime(), 'the cut-off is still ahead');
    clock.advanceTo(new Date(deadline.getTime() + 60_000));
    assert.deepEqual(await windows(), all('AFTER_SETTLEMENT'));
    // The one undecided exception is now overdue, and listed by its window.
    const r = await t.gql('SUPPORT', LIST, { filter: { window: 'AFTER_SETTLEMENT', kinds: ['AUTHORIZED_ORDER_NOT_CREATED'], orderId: S.authorized.orderId } });
    assert.deepEqual(
      r.data.moneyExceptions.nodes.map((e: any) => e.id),
      [S.authorized.exceptionId],
    );
  });
});
