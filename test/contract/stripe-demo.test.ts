/** The demo with PSP=stripe: Stripe simulators beside the in-house PSP, and Stripe-paid orders whose return is refunded at Stripe. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { drainOutbox } from '../../src/outbox';
import { seedStripeDemo, startDemoStripe } from '../../scripts/demo-stripe';
import { rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';
import { startHarness, type Harness } from './psp-fixtures';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

test('PSP=stripe in the demo: the in-house PSP keeps the history, a Stripe instance runs beside it on its simulator', async () => {
  const demo = await startDemoStripe({ PSP: 'stripe' });
  try {
    const cfg = loadConfig(demo.env);
    assert.deepEqual(
      cfg.pspAdapters.map((a) => [a.id, a.kind]),
      [
        ['inhouse', 'inhouse'],
        ['stripe', 'stripe'],
      ],
    );
    const s = cfg.pspAdapters[1]!;
    assert.ok(s.kind === 'stripe' && s.apiUrl === demo.instances[0]!.served.url);
  } finally {
    await demo.close();
  }
});

test('the Stripe demo orders: paid through Stripe, and the return refunded at Stripe by the automatic refund', async () => {
  const seeded = await seedStripeDemo(h.t.sims, h.stripe);
  assert.equal(seeded.orders.length, 3);
  let refund: { status: string; psp_refund_id: string | null; amount_minor: string } | undefined;
  for (let i = 0; i < 100 && refund?.status !== 'SUCCEEDED'; i++) {
    await drainOutbox(h.t.app.services);
    [refund] = await rows(h.t, 'SELECT status, psp_refund_id, CAST(amount_minor AS CHAR) AS amount_minor FROM refund WHERE order_id = ?', [seeded.returnedOrder]);
    if (refund?.status !== 'SUCCEEDED') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(refund?.status, 'SUCCEEDED');
  assert.equal(refund?.amount_minor, '1500');
  const atStripe = h.stripe.refunds.get(refund!.psp_refund_id!);
  assert.equal(atStripe?.amount, 1500);
  assert.equal(atStripe?.metadata?.orderId, seeded.returnedOrder);
});
