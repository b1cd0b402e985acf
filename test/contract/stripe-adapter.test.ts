/**
 * The Stripe adapter beyond the port's contract: Stripe's wire format, its 24-hour idempotency
 * window, refunds decided later, lost answers, pagination, and a refund of a Stripe-taken payment
 * end to end — through the real SDK against the Stripe simulator.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../src/shared/errors';
import type { PspPort } from '../../src/systems/psp';
import { call, returnInvoice } from '../support/drive';
import { CREDIT_PAYMENT_METHOD, refundInvoice, rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';
import { startHarness, type Harness } from './psp-fixtures';

let h: Harness;
let offsetMs = 0;
let stripe: PspPort;
before(async () => {
  h = await startHarness({ AUTO_REFUND_INPUT_INVOICES: 'false' }, () => new Date(Date.now() + offsetMs));
  stripe = h.t.app.services.connectors.pspAdapters.get('stripe')!;
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

const req = (paymentId: string, key = randomUUID(), amountMinor?: bigint) => ({
  paymentId,
  amountMinor,
  currency: 'EUR',
  merchantTransactionId: key,
  reason: 'RETURN',
  metadata: { orderId: 'ord-s1', invoiceNumber: 'INV-S1' },
});
const refundPosts = (key: string) => h.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.idempotencyKey === key);

describe('Stripe wire format', () => {
  test('POST /v1/refunds is form-encoded, carries the payment intent, amount, reason and our keys in metadata, with Idempotency-Key = merchantTransactionId', async () => {
    const pi = await h.stripe.pay({ amount: 5000, currency: 'eur' });
    const key = randomUUID();
    assert.equal((await stripe.createRefund(h.ctx, req(pi.id, key, 1200n))).kind, 'succeeded');
    const [sent] = refundPosts(key);
    assert.ok(sent, 'the refund request reached Stripe');
    assert.match(sent.contentType ?? '', /application\/x-www-form-urlencoded/);
    assert.deepEqual(sent.body, {
      payment_intent: pi.id,
      amount: '1200',
      reason: 'requested_by_customer',
      metadata: { merchantTransactionId: key, orderId: 'ord-s1', invoiceNumber: 'INV-S1' },
    });
  });

  test('a key reused with other parameters (idempotency_error) adopts the refund made under it, never a second one', async () => {
    const pi = await h.stripe.pay({ amount: 5000, currency: 'eur' });
    const key = randomUUID();
    const first = await stripe.createRefund(h.ctx, req(pi.id, key, 1000n));
    assert.equal((await stripe.createRefund(h.ctx, req(pi.id, key, 1001n))).kind, 'already-exists');
    const found = await stripe.lookupRefund(h.ctx, key, pi.id);
    assert.equal(found.state === 'recorded' && first.kind === 'succeeded' && found.record.pspRefundId, first.kind === 'succeeded' && first.record.pspRefundId);
    assert.equal([...h.stripe.refunds.values()].filter((r) => r.metadata?.merchantTransactionId === key).length, 1);
  });

  test('rejections: no payment intent is refused before any request; a 5xx beyond the retries is an unknown outcome', async () => {
    const before = h.stripe.requests.length;
    const none = await stripe.createRefund(h.ctx, { currency: 'EUR', merchantTransactionId: randomUUID(), reason: 'RETURN', paymentMethodId: 'pm_1', amountMinor: 100n });
    assert.equal(none.kind === 'rejected' && none.code, ErrorCode.PAYMENT_IDENTIFIER_REQUIRED);
    assert.equal(h.stripe.requests.length, before);
    const pi = await h.stripe.pay({ amount: 5000, currency: 'eur' });
    h.stripe.faults.failNext = 10;
    try {
      assert.equal((await stripe.createRefund(h.ctx, req(pi.id))).kind, 'unknown');
    } finally {
      h.stripe.faults.failNext = 0;
    }
  });
});

describe('Stripe outcomes', () => {
  test('pending is not an outcome: the refund stays pending until Stripe decides it, then its record says', async () => {
    const pi = await h.stripe.pay({ amount: 5000, currency: 'eur' });
    const key = randomUUID();
    h.stripe.faults.pendingNext = 1;
    const r = await stripe.createRefund(h.ctx, req(pi.id, key, 900n));
    assert.equal(r.kind, 'pending');
    if (r.kind !== 'pending') return;
    assert.deepEqual(await stripe.lookupRefund(h.ctx, key, pi.id), { state: 'pending', pspRefundId: r.pspRefundId });
    assert.equal(await stripe.getRefund(h.ctx, r.pspRefundId), null);
    await h.stripe.decideRefund(r.pspRefundId, 'succeeded');
    const decided = await stripe.lookupRefund(h.ctx, key, pi.id);
    assert.equal(decided.state === 'recorded' && decided.record.status, 'SUCCEEDED');
  });

  test('a lost answer after the refund was made: the SDK retries with the same key and Stripe replays the one refund', async () => {
    const pi = await h.stripe.pay({ amount: 5000, currency: 'eur' });
    const key = randomUUID();
    h.stripe.faults.loseAnswerNext = 1;
    const r = await stripe.createRefund(h.ctx, req(pi.id, key, 800n));
    assert.equal(r.kind, 'succeeded');
    assert.equal(refundPosts(key).length, 2, 'the answer was lost once and the request sent again');
    assert.equal([...h.stripe.refunds.values()].filter((x) => x.metadata?.merchantTransactionId === key).length, 1);
  });

  test('after the 24 h idempotency window a retry finds the refund by a metadata scan and posts nothing; a blind post would have refunded twice', async () => {
    const pi = await h.stripe.pay({ amount: 5000, currency: 'eur' });
    const key = randomUUID();
    const first = await stripe.createRefund(h.ctx, req(pi.id, key, 600n));
    assert.equal(first.kind, 'succeeded');
    offsetMs = 25 * 3_600_000;
    try {
      const firstSentAt = new Date(h.ctx.now.getTime() - 25 * 3_600_000);
      const retry = await stripe.createRefund(h.ctx, req(pi.id, key, 600n), { firstSentAt });
      assert.equal(retry.kind === 'succeeded' && first.kind === 'succeeded' && retry.record.pspRefundId === first.record.pspRefundId, true);
      assert.equal(refundPosts(key).length, 1, 'nothing was posted again');
      // What the lookup protects against: Stripe has forgotten the key, so a post makes a second refund.
      assert.equal((await stripe.createRefund(h.ctx, req(pi.id, key, 600n))).kind, 'succeeded');
      assert.equal([...h.stripe.refunds.values()].filter((x) => x.metadata?.merchantTransactionId === key).length, 2);
    } finally {
      offsetMs = 0;
    }
  });

  test('the metadata scan pages through a payment intent with more than 100 refunds (has_more, starting_after)', async () => {
    const pi = await h.stripe.pay({ amount: 100_000, currency: 'eur' });
    const oldest = randomUUID();
    assert.equal((await stripe.createRefund(h.ctx, req(pi.id, oldest, 1n))).kind, 'succeeded');
    for (let i = 0; i < 101; i++) await stripe.createRefund(h.ctx, req(pi.id, randomUUID(), 1n));
    const found = await stripe.lookupRefund(h.ctx, oldest, pi.id);
    assert.equal(found.state, 'recorded');
    const pages = h.stripe.requests.filter((r) => r.method === 'GET' && r.path === '/v1/refunds' && (r.query as Record<string, unknown>).payment_intent === pi.id);
    assert.equal(pages.length, 2, 'two pages of 100 were read');
    assert.ok((pages[1]!.query as Record<string, unknown>).starting_after, 'the second page starts after the first one');
  });
});

describe('a Stripe-taken payment end to end', () => {
  test('its refund goes to Stripe; a later failure is checked with Stripe and recorded; duplicated and reordered events change nothing more', async () => {
    const order = await call(h.t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '10000', customerId: 'cust-s', status: 'CONFIRMED' });
    const orderId: string = order.id ?? order.order?.id;
    await call(h.t.sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: '10000' });
    const pi = await h.stripe.pay({ amount: 10000, currency: 'eur', orderId });
    const [payment] = await rows(h.t, 'SELECT psp_adapter_id, status FROM psp_payment WHERE id = ?', [pi.id]);
    assert.deepEqual(payment, { psp_adapter_id: 'stripe', status: 'COMPLETED' });

    const inv = await returnInvoice(h.t.sims, orderId, '3000');
    const inHouseBefore = h.t.sims.psp.state.refunds.size;
    h.stripe.events.faults.duplicate = true;
    const r = (await refundInvoice(h.t, { orderId, invoiceId: inv })).data.refundInvoice;
    assert.deepEqual(r.userErrors, []);
    assert.equal(r.refund.status, 'SUCCEEDED');
    assert.match(r.refund.pspRefundId, /^re_/);
    assert.equal(h.t.sims.psp.state.refunds.size, inHouseBefore, 'nothing went to the in-house PSP');

    // The bank returns the refund: refund.updated and refund.failed, each twice, newest first.
    h.stripe.events.faults.reverse = true;
    await h.stripe.decideRefund(r.refund.pspRefundId, 'failed', 'expired_or_canceled_card');
    await h.stripe.events.flush();
    h.stripe.events.faults.duplicate = false;
    h.stripe.events.faults.reverse = false;
    const [refund] = await rows(h.t, 'SELECT status, error_code FROM refund WHERE id = ?', [r.refund.id]);
    assert.deepEqual(refund, { status: 'FAILED', error_code: ErrorCode.PAYMENT_METHOD_INACTIVE });
    const deliveries = h.stripe.events.deliveries.filter((d) => d.type === 'refund.failed');
    assert.ok(deliveries.length >= 2 && deliveries.every((d) => d.status === 200));
  });

  test('syncOrder reads a Stripe order back: its payment intents by metadata, their captures and decided refunds', async () => {
    const order = await call(h.t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '4000', customerId: 'cust-s', status: 'CONFIRMED' });
    const orderId: string = order.id ?? order.order?.id;
    const pi = await h.stripe.pay({ amount: 4000, currency: 'eur', orderId });
    h.stripe.faults.pendingNext = 1;
    await stripe.createRefund(h.ctx, { ...req(pi.id, randomUUID(), 500n), metadata: { orderId } });
    await stripe.createRefund(h.ctx, { ...req(pi.id, randomUUID(), 700n), metadata: { orderId } });
    const records = await stripe.getOrderRecords(h.ctx, orderId);
    assert.equal(records.payments.length, 1);
    assert.deepEqual(
      { ...(records.payments[0] as Record<string, unknown>), version: 'v' },
      {
        id: pi.id,
        orderId,
        method: 'CARD',
        paymentMethodId: pi.payment_method,
        status: 'COMPLETED',
        disputed: false,
        authorized: '4000',
        currency: 'EUR',
        createdAt: new Date(pi.created * 1000).toISOString(),
        version: 'v',
        pspAdapterId: 'stripe',
      },
    );
    assert.equal(records.captures.length, 1);
    assert.deepEqual(
      records.refunds.map((r) => [r.status, r.amountMinor]),
      [['SUCCEEDED', 700n]],
      'the pending refund is not a record yet',
    );
    assert.deepEqual(
      records.undecided?.map((u) => [u.amountMinor, u.currency]),
      [[500n, 'EUR']],
      'it is reported as undecided',
    );
    const synced = await h.t.gql('ADMIN', 'mutation($id: ID!) { syncOrder(input: { orderId: $id }) { synced { payments captures refunds } userErrors { code } } }', {
      id: orderId,
    });
    assert.deepEqual(synced.data.syncOrder, { synced: { payments: 1, captures: 1, refunds: 1 }, userErrors: [] });
  });

  test('a credit to the card of a Stripe payment goes to Stripe, never to another PSP; Stripe takes no credit without its payment intent', async () => {
    const order = await call(h.t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '4000', customerId: 'cust-credit', status: 'CONFIRMED' });
    const orderId: string = order.id ?? order.order?.id;
    const pi = await h.stripe.pay({ amount: 4000, currency: 'eur', orderId });
    const inHouseBefore = h.t.sims.psp.state.refunds.size;
    const stripeBefore = h.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds').length;
    const r = await h.t.gql('ADMIN', CREDIT_PAYMENT_METHOD, {
      input: { orderId, paymentMethodId: pi.payment_method, amount: '5.00', reason: 'GOODWILL', customer: { hsid: 'hsid-credit' }, idempotencyKey: randomUUID() },
    });
    const refund = r.data.creditPaymentMethod.refund;
    assert.equal(refund?.status, 'FAILED');
    assert.equal(refund?.errorCode, ErrorCode.PAYMENT_IDENTIFIER_REQUIRED);
    assert.equal(h.t.sims.psp.state.refunds.size, inHouseBefore, 'nothing went to the in-house PSP');
    assert.equal(h.stripe.requests.filter((x) => x.method === 'POST' && x.path === '/v1/refunds').length, stripeBefore, 'nothing was sent to Stripe either');
  });

  test('signatures: a delivery signed with the previous secret during a rotation passes; a bad or expired one is refused with 401', async () => {
    h.stripe.events.setSecrets(['whsec_contract_previous_012345678', 'whsec_not_configured_here']);
    try {
      const ev = await h.stripe.pay({ amount: 100, currency: 'eur' });
      const ok = h.stripe.events.deliveries.at(-1)!;
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.ok(ev.id);
      h.stripe.events.faults.badSignatureNext = 1;
      await h.stripe.pay({ amount: 100, currency: 'eur' });
      assert.equal(h.stripe.events.deliveries.at(-1)!.status, 401);
      h.stripe.events.faults.expiredNext = 1;
      await h.stripe.pay({ amount: 100, currency: 'eur' });
      const expired = h.stripe.events.deliveries.at(-1)!;
      assert.equal(expired.status, 401);
      assert.match(JSON.stringify(expired.body), /tolerance/);
    } finally {
      h.stripe.events.setSecrets(['whsec_contract_current_0123456789']);
    }
  });
});
