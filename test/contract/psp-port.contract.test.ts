/**
 * The PSP port's contract, run against every adapter with its simulator: the checklist an adapter
 * must pass (docs/connectors.md, "How to write a PSP adapter").
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../src/shared/errors';
import { stopTestServer } from '../support/test-app';
import { FIXTURES, startHarness, type Harness } from './psp-fixtures';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

for (const f of FIXTURES) {
  describe(`PSP port contract: ${f.id}`, () => {
    const refund = (paymentId: string, key: string, amountMinor?: bigint) => ({
      paymentId,
      amountMinor,
      currency: 'EUR',
      merchantTransactionId: key,
      reason: 'RETURN',
      metadata: { orderId: 'ord-contract', invoiceNumber: 'INV-C1' },
    });

    test('declares its capabilities and its instance id', () => {
      const p = f.port(h);
      assert.equal(p.id, f.id);
      assert.ok(['native', 'metadata-scan', 'none'].includes(p.capabilities.refundLookup));
      assert.ok(['final', 'accepted'].includes(p.capabilities.syncRefundAnswer));
      assert.ok(p.capabilities.idempotencyWindowMs === null || p.capabilities.idempotencyWindowMs > 0);
    });

    test('a refund accepted: the PSP record in canonical terms, amounts as bigint', async () => {
      const paymentId = await f.pay(h, 5000n, 'EUR');
      const key = randomUUID();
      const r = await f.port(h).createRefund(h.ctx, refund(paymentId, key, 2000n));
      assert.equal(r.kind, 'succeeded');
      if (r.kind !== 'succeeded') return;
      assert.equal(r.record.status, 'SUCCEEDED');
      assert.equal(r.record.amountMinor, 2000n);
      assert.equal(r.record.currency, 'EUR');
      assert.equal(r.record.merchantTransactionId, key);
      assert.equal(r.record.paymentId, paymentId);
      assert.equal(f.refundsUnderKey(h, key), 1);
    });

    test('a replay with the same key makes no second refund', async () => {
      const paymentId = await f.pay(h, 5000n, 'EUR');
      const key = randomUUID();
      const first = await f.port(h).createRefund(h.ctx, refund(paymentId, key, 1500n));
      assert.equal(first.kind, 'succeeded');
      const again = await f.port(h).createRefund(h.ctx, refund(paymentId, key, 1500n));
      if (again.kind === 'succeeded' && first.kind === 'succeeded') assert.equal(again.record.pspRefundId, first.record.pspRefundId);
      else assert.equal(again.kind, 'already-exists');
      assert.equal(f.refundsUnderKey(h, key), 1);
    });

    test('a refund is found again by our key, and by its id at the PSP; an unknown key is absent', async () => {
      const paymentId = await f.pay(h, 5000n, 'EUR');
      const key = randomUUID();
      const made = await f.port(h).createRefund(h.ctx, refund(paymentId, key, 700n));
      assert.equal(made.kind, 'succeeded');
      if (made.kind !== 'succeeded') return;
      const found = await f.port(h).lookupRefund(h.ctx, key, paymentId);
      assert.equal(found.state, 'recorded');
      if (found.state === 'recorded') {
        assert.equal(found.record.pspRefundId, made.record.pspRefundId);
        assert.equal(found.record.amountMinor, 700n);
      }
      assert.equal((await f.port(h).getRefund(h.ctx, made.record.pspRefundId))?.status, 'SUCCEEDED');
      assert.deepEqual(await f.port(h).lookupRefund(h.ctx, randomUUID(), paymentId), { state: 'absent' });
    });

    test('rejections reach the canonical codes: more than is left, already refunded, disputed', async () => {
      const paymentId = await f.pay(h, 3000n, 'EUR');
      const over = await f.port(h).createRefund(h.ctx, refund(paymentId, randomUUID(), 3001n));
      assert.equal(over.kind, 'rejected');
      assert.equal(over.kind === 'rejected' && over.code, ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE);
      assert.equal((await f.port(h).createRefund(h.ctx, refund(paymentId, randomUUID(), 3000n))).kind, 'succeeded');
      const twice = await f.port(h).createRefund(h.ctx, refund(paymentId, randomUUID(), 100n));
      assert.equal(twice.kind === 'rejected' && twice.code, ErrorCode.PAYMENT_ALREADY_REFUNDED);
      const disputedPayment = await f.pay(h, 3000n, 'EUR');
      await f.dispute(h, disputedPayment);
      const disputed = await f.port(h).createRefund(h.ctx, refund(disputedPayment, randomUUID(), 100n));
      assert.equal(disputed.kind === 'rejected' && disputed.code, ErrorCode.PAYMENT_DISPUTED);
    });

    test('webhook verification: a good signature passes and translates, a wrong one is refused', async () => {
      const good = f.delivery(h, 'good')!;
      const ok = f.port(h).webhooks.verify(good.raw, good.headers, new Date());
      assert.equal(ok.ok, true);
      assert.ok(ok.ok && ok.events.length === 1 && typeof ok.events[0]!.body === 'object');
      const bad = f.delivery(h, 'bad')!;
      assert.deepEqual(f.port(h).webhooks.verify(bad.raw, bad.headers, new Date()), { ok: false, error: 'invalid signature' });
      // And over HTTP at the instance's own endpoint.
      const post = (d: { raw: Buffer; headers: Record<string, string> }) =>
        h.t.http.post(`/webhooks/psp/${f.id}`).set(d.headers).set('content-type', 'application/json').send(d.raw.toString('utf8'));
      const res = await post(good);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await post(bad)).status, 401);
    });

    test('webhook verification: a signature older than the tolerance is refused', { skip: f.timedSignatures ? false : `${f.id} signatures carry no time` }, () => {
      const d = f.delivery(h, 'expired')!;
      const out = f.port(h).webhooks.verify(d.raw, d.headers, new Date());
      assert.equal(out.ok, false);
      assert.match(!out.ok ? out.error : '', /tolerance/);
    });
  });
}
