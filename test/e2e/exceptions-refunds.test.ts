/**
 * Money exceptions of the refund, invoiceData and ERP path, each produced through the real refund
 * execution (refundInvoice, the outbox, recovery) and the simulators' faults — ERP down, ERP not
 * idempotent, ERP overwriting partial refunds, a PSP that fails late or never answers — and found
 * with their evidence once the configured thresholds have passed.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { drainOutbox } from '../../src/outbox';
import { ExceptionsWorker } from '../../src/reconciliation/exceptions.worker';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { AdvancingClock, DECIDE_EXCEPTION, EXCEPTIONS_QUERY, UNLIMITED_GRAPHQL } from '../support/recon';
import { flushPsp, pspFaults, RECOVER_REFUNDS, refundInvoice } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const clock = new AdvancingClock();
let t: TestApp;
let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;
/** Past every threshold: refund grace and posting grace (5 min), in-flight and invoiceData drift windows (15 min). */
const age = () => clock.advance(16 * 60_000);

before(async () => {
  t = await createTestApp({
    clock,
    env: {
      AUTO_REFUND_INPUT_INVOICES: 'false',
      EXCEPTIONS_STALE_SECONDS: '0',
      UPSTREAM_RETRIES: '0',
      UPSTREAM_BREAKER_THRESHOLD: '1000',
      GRAPHQL_LIMITS: UNLIMITED_GRAPHQL,
    },
  });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  await pspFaults(t, { faultsOnly: null, timeoutNext: 0, failNext: 0, lateFailNext: 0, webhooks: { mode: 'immediate' } });
  await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: false, rejectNext: 0, overwritePartials: false, failNext: 0 });
  await call(t.sims.urls.oms, 'POST', '/_faults', { failNext: 0 });
});

async function found(kind: string, orderId: string, statuses = ['OPEN', 'DECIDED', 'RESOLVED']) {
  const r = await t.gql('SUPPORT', EXCEPTIONS_QUERY, { filter: { kinds: [kind], orderId, status: statuses }, first: 100 });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.moneyExceptions.edges.map((e: any) => e.node);
}
async function one(kind: string, orderId: string) {
  const list = await found(kind, orderId);
  assert.equal(list.length, 1, `one ${kind} for ${orderId}: ${JSON.stringify(list)}`);
  return list[0];
}
async function refund(orderId: string, invoiceId: string, amount?: string) {
  const r = await refundInvoice(t, { orderId, invoiceId, ...(amount ? { amount } : {}) });
  assert.deepEqual(r.data?.refundInvoice.userErrors, [], JSON.stringify(r));
  return r.data.refundInvoice.refund;
}
const drain = () => drainOutbox(t.app.services);
const erp = (body: unknown) => call(t.sims.urls.erp, 'POST', '/journal-entries', body);
const decide = (role: 'FINANCE' | 'ADMIN', exceptionId: string, decision: string, note: string) => t.gql(role, DECIDE_EXCEPTION, { input: { exceptionId, decision, note } });

describe('refund-side exceptions', () => {
  test('INPUT_INVOICE_NOT_REFUNDED: a return invoice nobody refunded; REFUND_AND_CLOSE, the refund, then CLOSE', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-ret') });
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    assert.equal((await found('INPUT_INVOICE_NOT_REFUNDED', o.orderId)).length, 0, 'not within the grace period');
    age();
    const e = await one('INPUT_INVOICE_NOT_REFUNDED', o.orderId);
    assert.equal(e.owner, 'PAYMENTS');
    assert.equal(e.evidence.invoiceReference, inv);
    assert.deepEqual(e.evidence.amount, { amount: '30.00', currencyCode: 'EUR' });
    // Amounts in the text are money, as finance reads it: never minor units.
    assert.match(e.detail, /still demands a refund \(30\.00 EUR of 30\.00 EUR\)$/);
    assert.equal(e.evidence.pspReference, o.paymentId);
    assert.equal(e.evidence.captureId, o.captureId);
    assert.equal(e.evidence.omsStatus, 'CONFIRMED');

    const d = await decide('ADMIN', e.id, 'REFUND_AND_CLOSE', 'customer returned the parcel; refund now');
    assert.equal(d.data.decideException.exception.status, 'DECIDED');
    await refund(o.orderId, inv);
    const cleared = await one('INPUT_INVOICE_NOT_REFUNDED', o.orderId);
    assert.equal(cleared.status, 'DECIDED', 'decided exceptions wait for their closure note');
    assert.equal(cleared.observed, false);
    const closed = await decide('ADMIN', e.id, 'CLOSE', 'refunded, support case 1234 answered');
    assert.equal(closed.data.decideException.exception.status, 'RESOLVED');
    assert.equal(closed.data.decideException.exception.resolution, 'CLOSED');
  });

  test('REFUND_IN_FLIGHT_TOO_LONG: the PSP never answered; recovery settles it and the exception resolves', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-flight') });
    const inv = await returnInvoice(t.sims, o.orderId, '2000');
    await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1, failStatus: 503 });
    const r = await refund(o.orderId, inv);
    assert.equal(r.status, 'SUBMITTED');
    age();
    const e = await one('REFUND_IN_FLIGHT_TOO_LONG', o.orderId);
    assert.equal(e.evidence.refundId, r.id);
    assert.equal(e.evidence.pspReference, o.paymentId);
    assert.equal(e.evidence.invoiceReference, inv);
    assert.deepEqual(e.evidence.amount, { amount: '20.00', currencyCode: 'EUR' });
    assert.match(e.detail, new RegExp(r.merchantTransactionId));
    const rec = await t.gql('ADMIN', RECOVER_REFUNDS, { input: { orderId: o.orderId } });
    assert.equal(rec.data.recoverRefunds.recovered[0].status, 'SUCCEEDED', JSON.stringify(rec));
    const after = await one('REFUND_IN_FLIGHT_TOO_LONG', o.orderId);
    assert.equal(after.status, 'RESOLVED');
    assert.equal(after.resolution, 'AUTO');
  });

  test('REFUND_FAILED: accepted, then failed by the partner; the demand is open again', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-fail') });
    const inv = await returnInvoice(t.sims, o.orderId, '1500');
    await pspFaults(t, { lateFailNext: 1, webhooks: { mode: 'hold' } });
    const r = await refund(o.orderId, inv);
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await flushPsp(t);
    const e = await one('REFUND_FAILED', o.orderId);
    assert.equal(e.evidence.refundId, r.id);
    assert.ok(e.evidence.pspRefundId, 'the PSP refund id of the failed refund');
    assert.deepEqual(e.evidence.amount, { amount: '15.00', currencyCode: 'EUR' });
    assert.equal(e.evidence.webhookEventId, t.sims.psp.webhooks.events.filter((x) => x.type === 'REFUND_FAILED' && x.raw.includes(e.evidence.pspRefundId)).at(-1)?.eventId);
    assert.match(e.detail, /failed/);
    assert.ok(e.allowedDecisions.includes('REFUND_AND_CLOSE'));
  });

  test('REFUND_NOT_POSTED_TO_ERP and INVOICE_DATA_DRIFT: ERP and OMS down after a refund; both resolve once they are back', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-down') });
    const inv = await returnInvoice(t.sims, o.orderId, '2500');
    const r = await refund(o.orderId, inv);
    assert.equal(r.status, 'SUCCEEDED');
    await call(t.sims.urls.erp, 'POST', '/_faults', { failNext: 100 });
    await call(t.sims.urls.oms, 'POST', '/_faults', { failNext: 100 });
    await drain();
    age();
    const notPosted = await one('REFUND_NOT_POSTED_TO_ERP', o.orderId);
    assert.equal(notPosted.owner, 'FINANCE');
    assert.equal(notPosted.evidence.pspRefundId, r.pspRefundId);
    assert.equal(notPosted.evidence.refundId, r.id);
    assert.equal(notPosted.evidence.erpPostingStatus, 'NOT_POSTED');
    assert.deepEqual(notPosted.evidence.amount, { amount: '25.00', currencyCode: 'EUR' });
    const drift = await one('INVOICE_DATA_DRIFT', o.orderId);
    assert.equal(drift.evidence.invoiceReference, inv);
    assert.match(drift.detail, /ledger says 25\.00 EUR refunded, moneygraph copy 25\.00 EUR, OMS copy none/);

    await call(t.sims.urls.erp, 'POST', '/_faults', { failNext: 0 });
    await call(t.sims.urls.oms, 'POST', '/_faults', { failNext: 0 });
    age();
    await drain();
    assert.equal((await one('REFUND_NOT_POSTED_TO_ERP', o.orderId)).status, 'RESOLVED');
    assert.equal((await one('INVOICE_DATA_DRIFT', o.orderId)).status, 'RESOLVED');
  });

  test('REFUND_NOT_POSTED_TO_ERP at once when the ERP rejects the posting', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-rej') });
    const inv = await returnInvoice(t.sims, o.orderId, '1000');
    const r = await refund(o.orderId, inv);
    await call(t.sims.urls.erp, 'POST', '/_faults', { rejectNext: 1 });
    await drain();
    const e = await one('REFUND_NOT_POSTED_TO_ERP', o.orderId);
    assert.equal(e.evidence.erpPostingStatus, 'REJECTED');
    assert.equal(e.evidence.pspRefundId, r.pspRefundId);
    assert.ok(e.evidence.erpDocumentId);
  });

  test('ERP_AMOUNT_MISMATCH: an ERP that overwrites the first partial refund with the second', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-part') });
    const inv1 = await returnInvoice(t.sims, o.orderId, '3000');
    const r1 = await refund(o.orderId, inv1);
    await drain();
    await call(t.sims.urls.erp, 'POST', '/_faults', { overwritePartials: true });
    const inv2 = await returnInvoice(t.sims, o.orderId, '2000');
    const r2 = await refund(o.orderId, inv2);
    await drain();
    age();
    const mismatch = await one('ERP_AMOUNT_MISMATCH', o.orderId);
    assert.equal(mismatch.evidence.pspRefundId, r1.pspRefundId);
    assert.equal(mismatch.evidence.erpPostingStatus, 'REVISED');
    assert.deepEqual(mismatch.evidence.amount, { amount: '30.00', currencyCode: 'EUR' });
    assert.match(mismatch.detail, /30\.00 EUR at the PSP but 20\.00 EUR/);
    const missing = await one('REFUND_NOT_POSTED_TO_ERP', o.orderId);
    assert.equal(missing.evidence.pspRefundId, r2.pspRefundId);
  });

  test('ERP_DUPLICATE_POSTING: a writeback sent again to an ERP that ignores the idempotency key', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-dup') });
    const inv = await returnInvoice(t.sims, o.orderId, '1200');
    const r = await refund(o.orderId, inv);
    await drain();
    await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: true });
    await erp({ kind: 'REFUND', externalRef: r.pspRefundId, orderId: o.orderId, amount: '1200', currency: 'EUR' });
    const e = await one('ERP_DUPLICATE_POSTING', o.orderId);
    assert.equal(e.evidence.pspRefundId, r.pspRefundId);
    assert.equal(e.evidence.erpPostingStatus, 'DUPLICATE');
    assert.deepEqual(e.evidence.amount, { amount: '12.00', currencyCode: 'EUR' }, 'the amount counted twice');
    assert.match(e.detail, /2 accepted refund postings/);
  });

  test('ERP_POSTING_WITHOUT_REFUND: the books show a refund the PSP never made; finance posts evidence', async () => {
    const o = await paidOrder(t.sims, { id: uid('ord-ghost') });
    const ref = uid('rf-ghost');
    const doc = await erp({ kind: 'REFUND', externalRef: ref, orderId: o.orderId, amount: '-700', currency: 'EUR' });
    age();
    const e = await one('ERP_POSTING_WITHOUT_REFUND', o.orderId);
    assert.equal(e.evidence.erpDocumentId, doc.documentId);
    assert.equal(e.evidence.pspRefundId, ref);
    assert.deepEqual(e.evidence.amount, { amount: '7.00', currencyCode: 'EUR' });
    assert.equal(e.evidence.webhookEventId, t.sims.erp.webhooks.events.find((x) => x.raw.includes(doc.documentId))?.eventId);
    const d = await decide('FINANCE', e.id, 'POST_FINANCE_EVIDENCE', 'reversal JE-88 posted in the ERP');
    assert.deepEqual(d.data.decideException.userErrors, []);
    assert.equal(d.data.decideException.exception.decision.decision, 'POST_FINANCE_EVIDENCE');
  });
});

describe('the refresh worker', () => {
  test('the worker registered at start-up re-classifies without being asked', async () => {
    const ctx = RequestContext.system(t.app.services);
    const before = await ctx.manager.query('SELECT seq FROM money_exception_refresh WHERE id = 1');
    const w = new ExceptionsWorker(t.app.services);
    w.start();
    await w.stop();
    const after = await ctx.manager.query('SELECT seq FROM money_exception_refresh WHERE id = 1');
    assert.ok(BigInt(after[0].seq) > BigInt(before[0].seq));
  });
});
