/**
 * Two admins click at once, fifty times: one key → one PSP refund; many keys on one invoice → never
 * more than the invoice; and the same with two service instances on one database (the guarantees
 * live in the database — order row lock, unique keys — not in a process's memory).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder, returnInvoice } from '../support/drive';
import { key, pspRefunds, rows } from '../support/refunds';

const LIGHT = `mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { id status amount { amount } } userErrors { code } } }`;
// A generous upstream timeout: this file is about races, not about a PSP that answers late.
const env = { AUTO_REFUND_INPUT_INVOICES: 'false', UPSTREAM_TIMEOUT_MS: '15000', GRAPHQL_LIMITS: JSON.stringify({ ADMIN: { budget: 10_000_000, restorePerSecond: 1_000_000 } }) };

let a: TestApp;
let b: TestApp;
before(async () => {
  a = await createTestApp({ env });
  b = await createTestApp({ env, shareWith: a });
});
after(async () => {
  await b?.close();
  await a?.close();
  await stopTestServer();
});

const N = 50;
const fire = (apps: TestApp[], input: (i: number) => Record<string, unknown>) =>
  Promise.all(Array.from({ length: N }, (_, i) => apps[i % apps.length]!.gql('ADMIN', LIGHT, { input: { reason: 'RETURN', ...input(i) } })));

async function sameKey(apps: TestApp[]) {
  const o = await paidOrder(a.sims, { total: '10000' });
  const inv = await returnInvoice(a.sims, o.orderId, '4000');
  const k = key('same');
  const results = await fire(apps, () => ({ orderId: o.orderId, invoiceId: inv, idempotencyKey: k }));
  for (const r of results) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const payloads = results.map((r) => r.data.refundInvoice);
  const ids = new Set(payloads.filter((p) => p.refund).map((p) => p.refund.id));
  assert.equal(ids.size, 1, 'every answer with a refund names the same refund');
  for (const p of payloads)
    if (!p.refund)
      assert.deepEqual(
        p.userErrors.map((e: any) => e.code),
        ['IDEMPOTENCY_KEY_IN_USE'],
      );
  assert.equal(pspRefunds(a, o.orderId).length, 1, 'one refund at the PSP');
  assert.deepEqual(
    (await rows(a, 'SELECT status, amount_minor FROM refund WHERE order_id = ?', [o.orderId])).map((r) => [r.status, r.amount_minor]),
    [['SUCCEEDED', '4000']],
  );
}

async function manyKeys(apps: TestApp[]) {
  const o = await paidOrder(a.sims, { total: '10000' });
  const inv = await returnInvoice(a.sims, o.orderId, '10000');
  const results = await fire(apps, () => ({ orderId: o.orderId, invoiceId: inv, amount: '7.00', idempotencyKey: key('many') }));
  const payloads = results.map((r) => {
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data.refundInvoice;
  });
  const ok = payloads.filter((p) => p.refund);
  for (const p of ok) assert.equal(p.refund.status, 'SUCCEEDED');
  for (const p of payloads.filter((x) => !x.refund))
    assert.deepEqual(
      p.userErrors.map((e: any) => e.code),
      ['AMOUNT_EXCEEDS_PENDING'],
    );
  // 14 × 7.00 = 98.00 fit in 100.00; a 15th would not.
  assert.equal(ok.length, 14);
  const psp = pspRefunds(a, o.orderId);
  const pspTotal = psp.reduce((s, r) => s + (r.status === 'SUCCEEDED' ? r.amount! : 0n), 0n);
  assert.equal(pspTotal, 9800n);
  assert.ok(pspTotal <= 10000n, 'never more than the invoice');
  const [{ total }] = await rows(a, "SELECT SUM(amount_minor) total FROM refund WHERE invoice_id = ? AND status = 'SUCCEEDED'", [inv]);
  assert.equal(total, '9800');
  const [data] = await rows(a, "SELECT refunded_minor FROM oms_invoice_data WHERE invoice_id = ? AND copy = 'MONEYGRAPH'", [inv]);
  assert.equal(data.refunded_minor, '9800');
}

describe('one service instance', () => {
  test(`${N} parallel refundInvoice with the same key → one PSP refund`, () => sameKey([a]));
  test(`${N} parallel refundInvoice with different keys on one invoice → never above the invoice`, () => manyKeys([a]));
});

describe('two service instances on one database', () => {
  test(`${N} parallel refundInvoice with the same key → one PSP refund`, () => sameKey([a, b]));
  test(`${N} parallel refundInvoice with different keys on one invoice → never above the invoice`, () => manyKeys([a, b]));
});
