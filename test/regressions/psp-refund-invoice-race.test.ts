/**
 * Found by the soak (seed 20261205, order s2041): a refund made at the PSP's console for a return
 * invoice, and that invoice, applied at the same time. The refund's transaction looked for the
 * invoice before the invoice's transaction committed; the invoice's transaction looked for refunds
 * waiting for it before the refund's committed. Neither saw the other: the refund stayed on the
 * order, the invoice looked unpaid, and the automatic refund paid it a second time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox } from '../../src/outbox';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { pspRefunds, rows } from '../support/refunds';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('a console refund for a return invoice, applied while that invoice is recorded: it covers the invoice, and the invoice is refunded only for the rest', async () => {
  const o = await paidOrder(t.sims, { total: '3800' });
  const number = `${o.orderId}-R1`;

  // The PSP refund's transaction stops after its writes, before its commit: it holds the order.
  let reached!: () => void;
  const atCommit = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  t.testHooks.outcomeWritten = async () => {
    t.testHooks.outcomeWritten = undefined;
    reached();
    await held;
  };
  // Made at the console, so its webhook is all the service hears of it.
  const consoleRefund = call(t.sims.urls.psp, 'POST', '/refunds', {
    paymentId: o.paymentId,
    amount: '900',
    merchantTransactionId: `console-${o.orderId}`,
    reason: 'CONSOLE',
    metadata: { orderId: o.orderId, invoiceNumber: number },
  });
  await atCommit;

  // Meanwhile the return invoice arrives and is applied (it must wait for the order).
  const invoice = returnInvoice(t.sims, o.orderId, '1500', number);
  await until('the invoice webhook stored', async () => {
    const [e] = await rows(t, "SELECT status FROM webhook_event WHERE source = 'OMS' AND payload LIKE ?", [`%"${number}"%`]);
    return e;
  });
  // Give the invoice's transaction time to run as far as it can while the refund is uncommitted.
  await Promise.race([invoice, sleep(1_000)]);
  release();
  await consoleRefund;
  await invoice;
  await drainOutbox(t.app.services);

  const [refund] = await rows(t, "SELECT invoice_id, status FROM refund WHERE order_id = ? AND origin = 'PSP'", [o.orderId]);
  assert.equal(refund?.status, 'SUCCEEDED');
  assert.equal(refund?.invoice_id, number, 'the console refund is allocated to the invoice it names');
  const atPsp = pspRefunds(t, o.orderId).filter((r) => r.status === 'SUCCEEDED');
  assert.deepEqual(atPsp.map((r) => String(r.amount)).sort(), ['600', '900'], 'the automatic refund paid the 6.00 EUR the console refund left, not the whole 15.00 EUR again');
});
