/**
 * Stripe payouts as settlement batches: `payout.paid` is a claim, so the batch is read from
 * Stripe's own record (the payout and its balance transactions, page by page) and recorded once,
 * a line per charge, refund and dispute with Stripe's fee, in minor units — whether the event comes
 * once, twice, before the payments it settles, or after the pull path recorded the batch already.
 * The lines carry their orders, so the exception classifier reconciles Stripe payments as it does
 * the in-house PSP's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { refreshExceptions } from '../../src/reconciliation';
import { stripeFee } from '../../src/simulators/stripe.sim-balance';
import { pullSettlements } from '../../src/systems/psp';
import { call, returnInvoice } from '../support/drive';
import { refundInvoice, rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';
import { startHarness, type Harness } from './psp-fixtures';

let h: Harness;
before(async () => {
  h = await startHarness({ AUTO_REFUND_INPUT_INVOICES: 'false' });
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

async function stripeOrder(total: number): Promise<{ orderId: string; pi: string; charge: string }> {
  const order = await call(h.t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: String(total), customerId: 'cust-po', status: 'CONFIRMED' });
  const orderId: string = order.id ?? order.order?.id;
  await call(h.t.sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: String(total) });
  const pi = await h.stripe.pay({ amount: total, currency: 'eur', orderId });
  return { orderId, pi: pi.id, charge: pi.latest_charge as string };
}

const lines = (settlementId: string) =>
  rows(h.t, 'SELECT id, kind, psp_reference, order_id, gross_minor, fee_minor, net_minor, currency FROM psp_settlement_line WHERE settlement_id = ? ORDER BY id', [settlementId]);
const settlements = (id: string) => rows(h.t, 'SELECT id, currency FROM psp_settlement WHERE id = ?', [id]);
const big = (v: unknown) => BigInt(String(v));

test('payout.paid becomes a batch read from Stripe: one line per charge, refund and dispute with gross, fee and net; the payout itself is no line', async () => {
  const a = await stripeOrder(10_000);
  const inv = await returnInvoice(h.t.sims, a.orderId, '3000');
  const refund = (await refundInvoice(h.t, { orderId: a.orderId, invoiceId: inv })).data.refundInvoice.refund;
  assert.equal(refund.status, 'SUCCEEDED');
  const orphan = await h.stripe.pay({ amount: 2_500, currency: 'eur' });
  const disputed = await stripeOrder(4_000);
  await h.stripe.dispute(disputed.pi);

  const payout = (await h.stripe.payout('eur'))!;
  assert.ok(payout, 'Stripe paid out');
  const got = await lines(payout.id);
  assert.deepEqual(await settlements(payout.id), [{ id: payout.id, currency: 'EUR' }]);
  const byRef = new Map(got.map((l) => [l.psp_reference, l]));
  assert.equal(got.length, 5, 'three charges, one refund, one dispute');
  assert.deepEqual(byRef.get(a.charge), {
    ...byRef.get(a.charge),
    kind: 'CAPTURE',
    order_id: a.orderId,
    gross_minor: '10000',
    fee_minor: String(stripeFee(10_000)),
    net_minor: String(10_000 - stripeFee(10_000)),
    currency: 'EUR',
  });
  assert.deepEqual(byRef.get(refund.pspRefundId), {
    ...byRef.get(refund.pspRefundId),
    kind: 'REFUND',
    order_id: a.orderId,
    gross_minor: '-3000',
    fee_minor: '0',
    net_minor: '-3000',
  });
  const chargeback = got.find((l) => l.kind === 'CHARGEBACK');
  assert.deepEqual(chargeback && { order_id: chargeback.order_id, gross: chargeback.gross_minor, fee: chargeback.fee_minor }, {
    order_id: disputed.orderId,
    gross: '-4000',
    fee: '1500',
  });
  assert.equal(byRef.get(orphan.latest_charge as string)?.order_id, null, 'a charge no order claims has no order');
  assert.equal(
    got.reduce((s, l) => s + big(l.net_minor), 0n),
    BigInt(payout.amount),
    'the lines add up to the payout',
  );

  // The classifier sees Stripe's lines as it sees the in-house PSP's: the orphan charge is an exception, the ordered ones are not.
  await refreshExceptions(RequestContext.system(h.t.app.services), { force: true });
  const open = await rows(h.t, "SELECT capture_id, order_id FROM money_exception WHERE kind = 'SETTLEMENT_LINE_WITHOUT_ORDER' AND status = 'OPEN'");
  assert.ok(
    open.some((e) => e.capture_id === orphan.latest_charge),
    'the orphan charge is settled without an order',
  );
  assert.ok(!open.some((e) => e.order_id === a.orderId || e.order_id === disputed.orderId), 'the ordered lines are not');
});

test('replays change nothing: the same event redelivered, and a second event for the same payout', async () => {
  await stripeOrder(1_234);
  const payout = (await h.stripe.payout('eur'))!;
  const first = await lines(payout.id);
  assert.equal(first.length, 1);
  const evt = h.stripe.events.events.find((e) => e.type === 'payout.paid' && (e.data.object as { id: string }).id === payout.id)!;
  const again = await h.stripe.events.redeliver(evt.id);
  assert.equal(again.status, 200);
  await h.stripe.events.emit('payout.paid', { ...payout });
  assert.deepEqual(await lines(payout.id), first);
  const [events] = await rows(
    h.t,
    "SELECT COUNT(*) AS n FROM webhook_event WHERE source = 'PSP' AND event_type = 'settlement.reported' AND status = 'PROCESSED' AND event_id LIKE 'evt_%'",
  );
  assert.ok(Number(events.n) >= 2);
});

test('reordered: a payout announced before the payments it settles still names their orders, from Stripe’s record', async () => {
  h.stripe.events.faults.reverse = true;
  try {
    const a = await stripeOrder(2_000);
    const payout = (await h.stripe.payout('eur'))!;
    await h.stripe.events.flush();
    const [line] = await lines(payout.id);
    assert.deepEqual({ ref: line.psp_reference, order: line.order_id }, { ref: a.charge, order: a.orderId });
  } finally {
    h.stripe.events.faults.reverse = false;
  }
});

test('the pull path: payouts listed and their balance transactions read page by page (more than 100), recorded once; the late event changes nothing', async () => {
  h.stripe.events.faults.reverse = true; // events held: only the pull path sees this payout
  try {
    for (let i = 0; i < 105; i++) await h.stripe.pay({ amount: 100 + i, currency: 'eur', orderId: `ord-pull-${i}` });
    const payout = (await h.stripe.payout('eur'))!;
    const since = new Date((payout.arrival_date - 60) * 1000);
    const pages = () => h.stripe.requests.filter((r) => r.path === '/v1/balance_transactions' && (r.query as { payout?: string }).payout === payout.id).length;
    const recorded = await pullSettlements(h.ctx, since);
    assert.ok(recorded.includes(payout.id));
    assert.equal(pages(), 2, 'two pages of balance transactions');
    const got = await lines(payout.id);
    assert.equal(got.length, 105);
    assert.equal(new Set(got.map((l) => l.order_id)).size, 105);
    assert.equal(
      got.reduce((s, l) => s + big(l.gross_minor), 0n),
      BigInt(Array.from({ length: 105 }, (_, i) => 100 + i).reduce((s, x) => s + x, 0)),
    );
    assert.deepEqual(await pullSettlements(h.ctx, since), [], 'a second pull records nothing');
    h.stripe.events.faults.reverse = false;
    await h.stripe.events.flush();
    assert.equal((await lines(payout.id)).length, 105);
  } finally {
    h.stripe.events.faults.reverse = false;
  }
});
