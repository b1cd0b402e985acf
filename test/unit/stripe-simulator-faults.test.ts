/**
 * The Stripe simulator's delivery and refund faults the fault campaign drives: events held until a
 * flush (late), lost deliveries, and a refund answered succeeded that fails at once — each checked
 * with the real SDK against the simulator and a receiver that verifies Stripe's signature.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import Stripe from 'stripe';
import { createStripeSimulator, listen, type Served, type StripeSimulator } from '../../src/simulators';

const SECRET = 'whsec_unit_faults_0123456789';
const verifier = new Stripe('sk_test_verifier', { telemetry: false });

let sim: StripeSimulator;
let simServed: Served;
let receiver: Served;
let client: Stripe;
const received: Stripe.Event[] = [];
/** How long the endpoint takes to answer a delivery. */
let hookDelayMs = 0;

before(async () => {
  const app = express();
  app.post('/hook', express.raw({ type: () => true }), async (req, res) => {
    await new Promise((r) => setTimeout(r, hookDelayMs));
    // Only a delivery signed with the endpoint's secret counts as received.
    received.push(verifier.webhooks.constructEvent(req.body as Buffer, String(req.get('stripe-signature')), SECRET));
    res.status(200).json({ received: true });
  });
  receiver = await listen(app);
  sim = createStripeSimulator({ webhookUrl: `${receiver.url}/hook`, webhookSecrets: [SECRET] });
  simServed = await sim.start();
  const api = new URL(simServed.url);
  client = new Stripe('sk_test_unit', { host: api.hostname, port: api.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
});
after(async () => {
  await simServed?.close();
  await receiver?.close();
});
beforeEach(() => {
  received.length = 0;
  hookDelayMs = 0;
  Object.assign(sim.events.faults, { hold: false, reverse: false, duplicate: false, dropNext: 0 });
  Object.assign(sim.faults, { lateFailNext: 0, pendingNext: 0 });
});

describe('Stripe simulator faults', () => {
  test('hold: events wait, counted as pending, and arrive in their order at the flush', async () => {
    sim.events.faults.hold = true;
    const a = await sim.pay({ amount: 1000, currency: 'eur', orderId: 'o-hold-1' });
    const b = await sim.pay({ amount: 2000, currency: 'eur', orderId: 'o-hold-2' });
    assert.equal(received.length, 0, 'nothing is delivered while held');
    assert.equal(sim.events.pending(), 2);
    assert.equal(await sim.events.flush(), 2);
    assert.equal(sim.events.pending(), 0);
    assert.deepEqual(
      received.map((e) => (e.data.object as Stripe.PaymentIntent).id),
      [a.id, b.id],
    );
  });

  test('dropNext: the next deliveries are lost (recorded as dropped, never sent), the ones after arrive', async () => {
    sim.events.faults.dropNext = 1;
    const lost = await sim.pay({ amount: 1000, currency: 'eur', orderId: 'o-drop-1' });
    const kept = await sim.pay({ amount: 1000, currency: 'eur', orderId: 'o-drop-2' });
    assert.deepEqual(
      received.map((e) => (e.data.object as Stripe.PaymentIntent).id),
      [kept.id],
    );
    const lostEvent = sim.events.events.find((e) => (e.data.object as Stripe.PaymentIntent).id === lost.id)!;
    assert.deepEqual(
      sim.events.deliveries.filter((d) => d.eventId === lostEvent.id).map((d) => ({ dropped: d.dropped, status: d.status })),
      [{ dropped: true, status: null }],
    );
    assert.equal(sim.events.faults.dropNext, 0);
    // Stripe's retry of a lost event reaches the endpoint.
    assert.equal((await sim.events.redeliver(lostEvent.id)).status, 200);
  });

  test('lateFailNext: the refund is answered succeeded, then fails at once; the events say so and the balance books it back', async () => {
    const pi = await sim.pay({ amount: 5000, currency: 'eur', orderId: 'o-late' });
    received.length = 0;
    sim.faults.lateFailNext = 1;
    const answer = await client.refunds.create({ payment_intent: pi.id, amount: 1200 }, { idempotencyKey: 'late-1' });
    assert.equal(answer.status, 'succeeded', 'the synchronous answer said succeeded');
    assert.equal(sim.refunds.get(answer.id)?.status, 'failed', "Stripe's record says failed");
    assert.deepEqual(
      received.map((e) => [e.type, (e.data.object as Stripe.Refund).status]),
      [
        ['refund.created', 'succeeded'],
        ['refund.updated', 'failed'],
        ['refund.failed', 'failed'],
      ],
    );
    assert.deepEqual(
      sim.balance.txns.filter((t) => t.source === answer.id).map((t) => [t.type, t.amount]),
      [
        ['refund', -1200],
        ['refund_failure', 1200],
      ],
    );
    // Only the next refund: the one after succeeds and stays so.
    const next = await client.refunds.create({ payment_intent: pi.id, amount: 100 }, { idempotencyKey: 'late-2' });
    assert.equal(sim.refunds.get(next.id)?.status, 'succeeded');
    // A replay of the first key answers what Stripe answered the first time.
    assert.equal((await client.refunds.create({ payment_intent: pi.id, amount: 1200 }, { idempotencyKey: 'late-1' })).id, answer.id);
  });

  test('a retry with the same key while the first request still runs is refused with 409 idempotency_key_in_use: one refund, never two', async () => {
    const pi = await sim.pay({ amount: 5000, currency: 'eur', orderId: 'o-in-progress' });
    // The first request is slow to finish: its refund.created delivery takes a while.
    hookDelayMs = 400;
    const first = client.refunds.create({ payment_intent: pi.id, amount: 900 }, { idempotencyKey: 'in-progress-1' });
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(
      client.refunds.create({ payment_intent: pi.id, amount: 900 }, { idempotencyKey: 'in-progress-1' }),
      (err: Stripe.errors.StripeError) => err.statusCode === 409 && err.code === 'idempotency_key_in_use',
    );
    const made = await first;
    hookDelayMs = 0;
    // Once it has finished, the same key replays its answer.
    assert.equal((await client.refunds.create({ payment_intent: pi.id, amount: 900 }, { idempotencyKey: 'in-progress-1' })).id, made.id);
    assert.equal([...sim.refunds.values()].filter((r) => r.payment_intent === pi.id).length, 1);
  });
});
