/**
 * Seed 004 (PSP refund error codes): every rule moneygraph can check is checked before the PSP is
 * called — its own code, no PSP call, nothing persisted — and the rejections only the PSP can
 * know end as FAILED with one canonical code, whichever shape and order its webhook arrives in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { creditPaymentMethod } from '../../src/refunds';
import { ErrorCode } from '../../src/shared/errors';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { CREDIT_PAYMENT_METHOD, flushPsp, footprint, key, orderView, pspFaults, pspRefunds, refundInvoice } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', CREDIT_LIMIT_MINOR: '50000' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const ZERO = { refunds: 0, keys: 0, outbox: 0, audit: 0, invoiceData: 0, interactions: 0, pspRefunds: 0 };

/** The mutation answers `code`, and neither moneygraph nor the PSP holds anything new for the order. */
async function expectRule(orderId: string, run: () => Promise<any>, code: string) {
  const before = await footprint(t, orderId);
  const r = await run();
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const payload = r.data.refundInvoice ?? r.data.creditPaymentMethod;
  assert.deepEqual(
    payload.userErrors.map((e: any) => e.code),
    [code],
  );
  assert.equal(payload.refund, null);
  assert.ok(payload.userErrors[0].message.length > 0);
  assert.deepEqual(await footprint(t, orderId), before, `${code}: nothing persisted, no PSP call`);
}

const pmOf = async (paymentId: string): Promise<string> => (await call(t.sims.urls.psp, 'GET', `/payments/${paymentId}`)).paymentMethodId;
const credit = (input: Record<string, unknown>) => t.gql('ADMIN', CREDIT_PAYMENT_METHOD, { input: { reason: 'GOODWILL', idempotencyKey: key('c'), ...input } });

describe('rules checked before the PSP is called', () => {
  test('amounts: not positive, too precise, too large', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '5000');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '0' }), 'AMOUNT_NOT_POSITIVE');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '-5.00' }), 'AMOUNT_NOT_POSITIVE');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '10.001' }), 'AMOUNT_TOO_PRECISE');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '99999999999999999999' }), 'AMOUNT_TOO_LARGE');
    assert.deepEqual(await footprint(t, o.orderId), ZERO);
  });

  test('a non-numeric amount is refused as bad input before anything runs', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '5000');
    for (const amount of ['ten', '1e3', '10,00', '']) {
      const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount });
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', amount);
    }
    assert.deepEqual(await footprint(t, o.orderId), ZERO);
    assert.equal(pspRefunds(t, o.orderId).length, 0);
  });

  test("unknown order, unknown invoice, an OUTPUT invoice, an invoice of another order, a currency not the order's", async () => {
    const o = await paidOrder(t.sims);
    const other = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '5000');
    const otherInv = await returnInvoice(t.sims, other.orderId, '5000');
    const sale = (await call(t.sims.urls.oms, 'GET', `/orders/${o.orderId}`)).invoices.find((i: any) => i.kind === 'OUTPUT').number;
    const unknown = await refundInvoice(t, { orderId: 'ord_nope', invoiceId: inv });
    assert.deepEqual(
      unknown.data.refundInvoice.userErrors.map((e: any) => e.code),
      ['ORDER_NOT_FOUND'],
    );
    assert.equal(unknown.data.refundInvoice.order, null);
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: 'INV-NOPE' }), 'INVOICE_NOT_FOUND');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: sale }), 'INVOICE_NOT_RETURN');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: otherInv }), 'INVOICE_NOT_OF_ORDER');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, currencyCode: 'USD' }), 'CURRENCY_MISMATCH');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, paymentId: 'pay_nope' }), 'PAYMENT_NOT_FOUND');
    assert.equal(pspRefunds(t, other.orderId).length, 0);
  });

  test('pending: more than pending, nothing pending', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '30.01' }), 'AMOUNT_EXCEEDS_PENDING');
    assert.equal((await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice.refund.status, 'SUCCEEDED');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '1.00' }), 'NOTHING_PENDING');
  });

  test('payments: none, not captured, failed or canceled, disputed, already refunded, short of the amount, method inactive', async () => {
    const none = await call(t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '1000', status: 'CONFIRMED' });
    const noneInv = await returnInvoice(t.sims, none.id, '1000');
    await expectRule(none.id, () => refundInvoice(t, { orderId: none.id, invoiceId: noneInv }), 'PAYMENT_NOT_FOUND');

    const auth = await paidOrder(t.sims, { capture: false });
    const authInv = await returnInvoice(t.sims, auth.orderId, '1000');
    await expectRule(auth.orderId, () => refundInvoice(t, { orderId: auth.orderId, invoiceId: authInv }), 'PAYMENT_NOT_CAPTURED');

    const canceled = await paidOrder(t.sims, { capture: false });
    await call(t.sims.urls.psp, 'POST', `/payments/${canceled.paymentId}/cancel`);
    const canceledInv = await returnInvoice(t.sims, canceled.orderId, '1000');
    await expectRule(canceled.orderId, () => refundInvoice(t, { orderId: canceled.orderId, invoiceId: canceledInv }), 'PAYMENT_NOT_REFUNDABLE');

    const disputed = await paidOrder(t.sims);
    await call(t.sims.urls.psp, 'POST', `/payments/${disputed.paymentId}/dispute`, { disputed: true });
    const disputedInv = await returnInvoice(t.sims, disputed.orderId, '1000');
    await expectRule(disputed.orderId, () => refundInvoice(t, { orderId: disputed.orderId, invoiceId: disputedInv }), 'PAYMENT_DISPUTED');

    // Refunded in full at the PSP's console: moneygraph learns it by webhook (a refund of origin PSP).
    const refunded = await paidOrder(t.sims, { total: '4000' });
    await call(t.sims.urls.psp, 'POST', '/refunds', { paymentId: refunded.paymentId, merchantTransactionId: key('console') });
    const refundedInv = await returnInvoice(t.sims, refunded.orderId, '1000');
    const view = await orderView(t, refunded.orderId);
    assert.deepEqual(
      view.refunds.map((r: any) => r.status),
      ['SUCCEEDED'],
    );
    await expectRule(refunded.orderId, () => refundInvoice(t, { orderId: refunded.orderId, invoiceId: refundedInv }), 'PAYMENT_ALREADY_REFUNDED');

    const short = await paidOrder(t.sims, { total: '10000', capture: '2000' });
    const shortInv = await returnInvoice(t.sims, short.orderId, '5000');
    await expectRule(short.orderId, () => refundInvoice(t, { orderId: short.orderId, invoiceId: shortInv }), 'AMOUNT_EXCEEDS_REFUNDABLE');

    const expired = await paidOrder(t.sims);
    await call(t.sims.urls.psp, 'PATCH', `/payment-methods/${await pmOf(expired.paymentId)}`, { status: 'EXPIRED' });
    const expiredInv = await returnInvoice(t.sims, expired.orderId, '1000');
    await expectRule(expired.orderId, () => refundInvoice(t, { orderId: expired.orderId, invoiceId: expiredInv }), 'PAYMENT_METHOD_INACTIVE');
  });

  test('credits: customer identifier, unknown or deleted method, bank account, inactive method, credit limit', async () => {
    const o = await paidOrder(t.sims);
    const pm = await pmOf(o.paymentId);
    await expectRule(o.orderId, () => credit({ orderId: o.orderId, paymentMethodId: pm, amount: '10.00' }), 'CUSTOMER_IDENTIFIER_REQUIRED');
    await expectRule(o.orderId, () => credit({ orderId: o.orderId, paymentMethodId: pm, amount: '10.00', customer: { hsid: ' ', metadata: {} } }), 'CUSTOMER_IDENTIFIER_REQUIRED');
    await expectRule(o.orderId, () => credit({ orderId: o.orderId, paymentMethodId: 'pm_nope', amount: '10.00', customer: { hsid: 'h' } }), 'PAYMENT_METHOD_NOT_FOUND');
    await expectRule(o.orderId, () => credit({ orderId: o.orderId, paymentMethodId: pm, amount: '500.01', customer: { enterpriseId: 'e' } }), 'CREDIT_LIMIT_EXCEEDED');
    await expectRule(o.orderId, () => credit({ orderId: o.orderId, paymentMethodId: pm, amount: '10.00', currencyCode: 'GBP', customer: { hsid: 'h' } }), 'CURRENCY_MISMATCH');
    await expectRule(o.orderId, () => credit({ orderId: o.orderId, paymentMethodId: pm, amount: '0.00', customer: { hsid: 'h' } }), 'AMOUNT_NOT_POSITIVE');

    const bank = await paidOrder(t.sims, { method: 'BANK_ACCOUNT' });
    const bpm = await pmOf(bank.paymentId);
    await expectRule(bank.orderId, () => credit({ orderId: bank.orderId, paymentMethodId: bpm, amount: '10.00', customer: { hsid: 'h' } }), 'CREDIT_TO_BANK_ACCOUNT');

    const canceled = await paidOrder(t.sims);
    const cpm = await pmOf(canceled.paymentId);
    await call(t.sims.urls.psp, 'PATCH', `/payment-methods/${cpm}`, { status: 'CANCELED' });
    await expectRule(
      canceled.orderId,
      () => credit({ orderId: canceled.orderId, paymentMethodId: cpm, amount: '10.00', customer: { metadata: { crm: '7' } } }),
      'PAYMENT_METHOD_INACTIVE',
    );
    await call(t.sims.urls.psp, 'PATCH', `/payment-methods/${cpm}`, { status: 'DELETED' });
    await expectRule(canceled.orderId, () => credit({ orderId: canceled.orderId, paymentMethodId: cpm, amount: '10.00', customer: { hsid: 'h' } }), 'PAYMENT_METHOD_NOT_FOUND');

    // The GraphQL input makes the amount required; the service checks it for every other caller.
    const before = await footprint(t, o.orderId);
    const r = await creditPaymentMethod(RequestContext.system(t.app.services), {
      orderId: o.orderId,
      paymentMethodId: pm,
      amount: null,
      customer: { hsid: 'h' },
      reason: 'X',
      idempotencyKey: key(),
    });
    assert.deepEqual(
      r.userErrors.map((e) => e.code),
      [ErrorCode.AMOUNT_REQUIRED],
    );
    assert.deepEqual(await footprint(t, o.orderId), before);
  });

  test('an idempotency key reused with other arguments', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '5000');
    const k = key('reuse');
    const first = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '10.00', idempotencyKey: k })).data.refundInvoice;
    assert.equal(first.refund.status, 'SUCCEEDED');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '11.00', idempotencyKey: k }), 'IDEMPOTENCY_KEY_REUSED');
    await expectRule(o.orderId, () => refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '10.00', reason: 'OTHER', idempotencyKey: k }), 'IDEMPOTENCY_KEY_REUSED');
    // Same arguments (10.0 is 10.00): the first result, and still one PSP refund.
    const again = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv, amount: '10.0', idempotencyKey: k })).data.refundInvoice;
    assert.deepEqual(again.userErrors, []);
    assert.equal(again.refund.id, first.refund.id);
    assert.equal(pspRefunds(t, o.orderId).length, 1);
  });
});

describe('rejections only the PSP can know: FAILED with the canonical code, whatever the webhook shape or order', () => {
  /**
   * The PSP changes the payment while its webhook is lost, so moneygraph's mirror still allows the
   * refund and the PSP rejects it. `webhooksFirst`: the REFUND_FAILED webhook arrives before the
   * synchronous answer (the simulator's immediate mode); otherwise after it.
   */
  async function pspOnlyRejection(change: (o: { orderId: string; paymentId: string }) => Promise<void>, webhooksFirst: boolean, total = '10000') {
    const o = await paidOrder(t.sims, { total });
    await pspFaults(t, { webhooks: { dropNext: 1 } });
    await change(o);
    const inv = await returnInvoice(t.sims, o.orderId, '3000');
    if (!webhooksFirst) await pspFaults(t, { webhooks: { mode: 'hold' } });
    const r = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
    if (!webhooksFirst) {
      await pspFaults(t, { webhooks: { mode: 'immediate' } });
      await flushPsp(t);
    }
    const view = await orderView(t, o.orderId);
    const failed = pspRefunds(t, o.orderId).filter((x) => x.merchantTransactionId === r.refund.merchantTransactionId);
    assert.equal(failed.length, 1);
    const [refusal] = failed;
    assert.ok(refusal);
    assert.equal(refusal.status, 'FAILED');
    // Whatever the webhook said, the refund holds what the synchronous answer means.
    const detail = (refusal.error as { description: string }).description;
    return { r, view, detail, failed: refusal, o, inv };
  }

  const cases: [string, (o: { orderId: string; paymentId: string }) => Promise<void>, ErrorCode, string?][] = [
    [
      'a dispute opened at the PSP (webhook code VENDOR_ERROR)',
      async (o) => void (await call(t.sims.urls.psp, 'POST', `/payments/${o.paymentId}/dispute`, { disputed: true })),
      ErrorCode.PAYMENT_DISPUTED,
    ],
    [
      'a fraud dispute (title INVALID_REQUEST, webhook code charge_disputed)',
      async (o) => void (await call(t.sims.urls.psp, 'POST', `/payments/${o.paymentId}/dispute`, { disputed: true, fraud: true })),
      ErrorCode.PAYMENT_DISPUTED,
    ],
    [
      'a payment method canceled at the PSP (webhook code VENDOR_ERROR)',
      async (o) => void (await call(t.sims.urls.psp, 'PATCH', `/payment-methods/${await pmOf(o.paymentId)}`, { status: 'CANCELED' })),
      ErrorCode.PAYMENT_METHOD_INACTIVE,
    ],
  ];

  // Refunds made at the PSP's console whose webhooks were lost: moneygraph asks the PSP for the
  // order's refunds before it refunds, so these are no longer rejections only the PSP can know.
  const consoleCases: [string, (o: { orderId: string; paymentId: string }) => Promise<void>, ErrorCode][] = [
    [
      'a refund made at the PSP console leaving too little',
      async (o) => void (await call(t.sims.urls.psp, 'POST', '/refunds', { paymentId: o.paymentId, amount: '8000', merchantTransactionId: key('console') })),
      ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
    ],
    [
      'a payment fully refunded at the PSP console',
      async (o) => void (await call(t.sims.urls.psp, 'POST', '/refunds', { paymentId: o.paymentId, merchantTransactionId: key('console') })),
      ErrorCode.PAYMENT_ALREADY_REFUNDED,
    ],
  ];
  for (const [name, change, code] of consoleCases) {
    test(`${name}, its webhook lost: moneygraph records it from the PSP first and refuses with ${code} without calling the PSP`, async () => {
      const o = await paidOrder(t.sims, { total: '10000' });
      await pspFaults(t, { webhooks: { dropNext: 1 } });
      await change(o);
      const inv = await returnInvoice(t.sims, o.orderId, '3000');
      const atPspBefore = pspRefunds(t, o.orderId).length;
      const r = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
      assert.equal(r.refund, null);
      assert.deepEqual(
        r.userErrors.map((e: any) => e.code),
        [code],
      );
      assert.equal(pspRefunds(t, o.orderId).length, atPspBefore, 'no refund was sent to the PSP');
      const stored = await t.dataSource.query('SELECT origin, status FROM refund WHERE order_id = ?', [o.orderId]);
      assert.deepEqual(
        stored.map((x: any) => `${x.origin}:${x.status}`),
        ['PSP:SUCCEEDED'],
        "the console refund is in the ledger, from the PSP's record",
      );
    });
  }
  for (const [name, change, code] of cases) {
    for (const webhooksFirst of [true, false]) {
      test(`${name}; webhook ${webhooksFirst ? 'before' : 'after'} the answer`, async () => {
        const { r, view, detail, failed } = await pspOnlyRejection(change, webhooksFirst);
        // The webhook spoke otherwise (no code, or a code that is not the canonical one).
        const hook = t.sims.psp.webhooks
          .snapshot()
          .events.map((e) => e.body as any)
          .find((b) => b.name === 'REFUND_FAILED' && b.payload.merchantTransactionId === r.refund.merchantTransactionId);
        assert.ok(hook, 'a REFUND_FAILED webhook was sent');
        assert.notEqual(hook.payload.error.code, code);
        assert.equal(hook.payload.error.description.length > 0, true);
        void detail;
        const mine = view.refunds.filter((x: any) => x.id === r.refund.id);
        assert.deepEqual(
          mine.map((x: any) => x.status),
          ['FAILED'],
        );
        const stored = (await t.dataSource.query('SELECT status, error_code, psp_refund_id FROM refund WHERE id = ?', [r.refund.id]))[0];
        assert.equal(stored.status, 'FAILED');
        assert.equal(stored.error_code, code, `${name}: ${JSON.stringify(failed.error)}`);
        // A failure moves no money: invoiceData and pending are as before.
        const entry = view.pendingRefunds.invoices[0];
        assert.equal(entry.succeeded.amount, '0.00');
        assert.equal(entry.pending.amount, '30.00');
        assert.equal(view.invoiceData.entries.find((e: any) => e.kind === 'INPUT').refunded.amount, '0.00');
        assert.ok(!view.interactions.some((i: any) => i.kind === 'Refund Payment' && i.refundId === r.refund.id));
      });
    }
  }
});
